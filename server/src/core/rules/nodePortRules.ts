import { describe, namespacesCompatible, type Service, type ServicePort } from '../model/resources';
import type { WorkspaceIndex } from '../index/workspaceIndex';
import type { Reporter } from './context';
import { isValidPortNumber } from './validation';
import { basename } from './trafficRules';

interface NodePortUse {
  readonly svc: Service;
  readonly port: ServicePort;
  readonly nodePort: number;
}

/** Cluster-wide nodePort table, rebuilt lazily once per index generation. */
export class NodePortTable {
  private gen = -1;
  private byPort = new Map<number, NodePortUse[]>();

  constructor(private readonly index: WorkspaceIndex) {}

  uses(nodePort: number): readonly NodePortUse[] {
    if (this.gen !== this.index.generation) {
      this.byPort = new Map();
      for (const svc of this.index.services()) {
        if (svc.serviceType === 'ClusterIP' || svc.serviceType === 'ExternalName' || svc.headless) continue;
        for (const port of svc.ports) {
          const np = port.nodePort?.value;
          if (!isValidPortNumber(np)) continue;
          let list = this.byPort.get(np);
          if (!list) this.byPort.set(np, (list = []));
          list.push({ svc, port, nodePort: np });
        }
      }
      this.gen = this.index.generation;
    }
    return this.byPort.get(nodePort) ?? [];
  }
}

/** Same Service (namespace + name) defined in several files is one object, not a conflict. */
function sameObject(a: Service, b: Service): boolean {
  return a.name !== undefined && a.name === b.name && namespacesCompatible(a.namespace, b.namespace);
}

/**
 * nodePorts are allocated cluster-wide by number: namespaces do not separate them, and the
 * allocator does not look at the protocol either (one Service may reuse a number for TCP and UDP,
 * two Services may not).
 */
export function checkNodePortConflicts(svc: Service, table: NodePortTable, r: Reporter): void {
  if (svc.serviceType === 'ClusterIP' || svc.serviceType === 'ExternalName' || svc.headless) return;
  for (const port of svc.ports) {
    const np = port.nodePort?.value;
    if (!isValidPortNumber(np)) continue;
    const others = table.uses(np).filter((u) => u.svc !== svc && !sameObject(u.svc, svc));
    if (others.length === 0) continue;
    const names = others.slice(0, 3).map((o) => `${describe(o.svc)} (${basename(o.svc.uri)})`).join(', ');
    r.report('node-port-conflict', port.nodePort!.span,
      `${describe(svc)}: nodePort ${np} is also claimed by ${names}${others.length > 3 ? ` and ${others.length - 3} more` : ''}. nodePorts are cluster-wide, so whichever is applied second fails with "provided port is already allocated".`,
      { related: others.map((o) => ({ uri: o.svc.uri, span: o.port.nodePort!.span, message: `nodePort ${np} of ${describe(o.svc)}` })) });
  }
}
