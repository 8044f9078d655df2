/**
 * What the topology says about a node: the facts under its name, its hover lines, and the filter
 * that matches nodes by kind, namespace, name and labels. Details are read as the protocol types
 * them (classifyNode); nothing is coerced.
 */
import { classifyNode, type GraphNode, type ScalarValue, type WorkloadDetails } from '../../server/src/protocol/webview';
import { unreachable } from './kinds';

const text = (v: ScalarValue | undefined): string => (v === null || v === undefined ? '' : String(v));

function replicasText(v: WorkloadDetails['replicas']): string {
  if (typeof v === 'number') return v === 1 ? '1 replica' : `${v} replicas`;
  return v || 'replicas ?';
}

const ENTRY_FACTS = { internet: 'entry point', 'load-balancer': 'LoadBalancer', nodes: 'NodePort', 'external-ips': 'externalIPs' } as const;

const first = (xs: readonly string[], n: number): string => xs.slice(0, n).join(', ') + (xs.length > n ? '…' : '');

/** The short line under a node's name: its kind and the one or two facts that matter. */
export function factsOf(n: GraphNode): string {
  const c = classifyNode(n);
  const parts: string[] = [];
  switch (c.family) {
    case 'entry':
      parts.push(ENTRY_FACTS[c.node.details.entry]);
      break;
    case 'service': {
      const d = c.node.details;
      const main = d.exposure.length ? d.exposure[d.exposure.length - 1]! : d.type || 'Service';
      const externalName = main.startsWith('ExternalName');
      parts.push(externalName ? 'ExternalName' : main);
      const ports = d.ports.map((p) => text(p.port)).filter(Boolean);
      if (ports.length) parts.push(`:${ports.slice(0, 3).join(', :')}${ports.length > 3 ? '…' : ''}`);
      if (d.selector === null && !externalName) parts.push('no selector');
      break;
    }
    case 'ingress': {
      const d = c.node.details;
      if (d.ingressClassName) parts.push(d.ingressClassName);
      if (d.hosts.length) parts.push(d.hosts.length === 1 ? '1 host' : `${d.hosts.length} hosts`);
      if (d.tls.length) parts.push('TLS');
      break;
    }
    case 'gateway': {
      const d = c.node.details;
      if (d.gatewayClassName) parts.push(d.gatewayClassName);
      const ls = d.listeners.map((l) => `${l.protocol || '?'} ${text(l.port) || '?'}`);
      if (ls.length) parts.push(first(ls, 2));
      break;
    }
    case 'route': {
      const h = c.node.details.hostnames;
      if (h.length) parts.push(h[0]! + (h.length > 1 ? ` +${h.length - 1}` : ''));
      break;
    }
    case 'workload':
      parts.push(replicasText(c.node.details.replicas));
      break;
    case 'external':
      parts.push('DNS name');
      break;
    case 'missing':
      return `missing ${c.node.details.missingKind || 'resource'}`;
    case 'endpoints':
    case 'other':
      break;
    default:
      return unreachable(c);
  }
  return [n.kind, ...parts].join(' · ');
}

const labelText = (m: Readonly<Record<string, string>>): string => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ');

/** Hover text of a node, as lines (rendered with textContent). */
export function detailLines(n: GraphNode): string[] {
  const c = classifyNode(n);
  const out: string[] = [];
  const kv = (k: string, v: string): void => { if (v) out.push(`${k}: ${v}`); };
  kv('namespace', n.namespace ?? '');
  switch (c.family) {
    case 'service': {
      const d = c.node.details;
      kv('type', d.type);
      kv('exposure', d.exposure.join(', '));
      kv('DNS', d.dns ?? '');
      if (d.selector === null) out.push('selector: none (endpoints managed by hand)');
      else kv('selector', labelText(d.selector));
      for (const p of d.ports) {
        const np = text(p.nodePort) ? ` (nodePort ${text(p.nodePort)})` : '';
        out.push(`port ${text(p.name) ? `${text(p.name)} ` : ''}${text(p.port) || '?'} → ${text(p.targetPort) || '?'}${np} ${p.protocol}`.trimEnd());
      }
      break;
    }
    case 'ingress': {
      const d = c.node.details;
      kv('class', d.ingressClassName ?? '');
      kv('hosts', d.hosts.join(', '));
      kv('TLS', d.tls.join(', '));
      break;
    }
    case 'gateway': {
      const d = c.node.details;
      kv('class', d.gatewayClassName ?? '');
      for (const l of d.listeners) out.push(`listener ${l.name || '?'}: ${l.protocol || '?'} ${text(l.port) || '?'}${l.hostname ? ` ${l.hostname}` : ''}`);
      break;
    }
    case 'route':
      kv('hostnames', c.node.details.hostnames.join(', '));
      break;
    case 'workload': {
      const d = c.node.details;
      kv('replicas', replicasText(d.replicas));
      kv('pod labels', labelText(d.labels));
      for (const k of d.containers) {
        const ports = k.ports.map((p) => `${text(p.name) ? `${text(p.name)} ` : ''}${text(p.containerPort) || '?'}/${p.protocol || 'TCP'}`);
        out.push(`container ${k.name || '?'}${ports.length ? `: ${ports.join(', ')}` : ''}`);
      }
      break;
    }
    case 'endpoints':
      kv('Service', c.node.details.service ?? '');
      break;
    case 'external':
      kv('DNS', c.node.details.dns);
      break;
    case 'missing':
      out.push(`No ${c.node.details.missingKind || 'resource'} ${n.name} in the workspace.`);
      break;
    case 'entry':
      out.push('Traffic from outside the cluster.');
      break;
    case 'other':
      break;
    default:
      return unreachable(c);
  }
  if (n.file) out.push(`file: ${n.file}${n.range ? `:${n.range.start.line + 1}` : ''}`);
  return out.map((l) => (l.length > 300 ? `${l.slice(0, 299)}…` : l));
}

/**
 * Edge labels wrapped into lines of at most `max` characters where possible, breaking after ", "
 * and before "→" or "(" (the space stays at the end of the line). Joined, the lines give back the label.
 */
export function wrapLabel(label: string, max = 30): string[] {
  if (label.length <= max) return label ? [label] : [];
  const tokens = label.split(/(?<=, )|(?<= )(?=→ )|(?<= )(?=\()/);
  const lines: string[] = [];
  let cur = '';
  for (const t of tokens) {
    if (cur && (cur + t).length > max) { lines.push(cur); cur = t; } else cur += t;
  }
  if (cur) lines.push(cur);
  if (lines.length <= 4) return lines;
  return [...lines.slice(0, 3), `${lines.slice(3).join('').slice(0, max - 1)}…`];
}

// ---------------------------------------------------------------- filtering

type FilterField = 'any' | 'kind' | 'ns' | 'name' | 'label';
export interface FilterQuery {
  readonly terms: readonly { readonly field: FilterField; readonly value: string }[];
}

const FIELDS: Readonly<Record<string, FilterField>> = { kind: 'kind', k: 'kind', ns: 'ns', namespace: 'ns', n: 'ns', name: 'name', label: 'label', l: 'label' };

/** `kind:Service ns:shop label:app=web name:front free text`: every term must match (case-insensitive). */
export function parseFilter(input: string): FilterQuery {
  const terms: { field: FilterField; value: string }[] = [];
  for (const raw of input.trim().split(/\s+/)) {
    if (!raw) continue;
    const m = /^(kind|ns|namespace|name|label|l|k|n):(.*)$/i.exec(raw);
    const value = (m ? m[2]! : raw).toLowerCase();
    if (value) terms.push({ field: m ? FIELDS[m[1]!.toLowerCase()]! : 'any', value });
  }
  return { terms };
}

/** A node's pod labels (workloads) and selector (Services), as `key=value`. */
function labelStrings(n: GraphNode): string[] {
  const c = classifyNode(n);
  const m = c.family === 'workload' ? c.node.details.labels : c.family === 'service' ? c.node.details.selector ?? {} : {};
  return Object.entries(m).map(([k, v]) => `${k}=${v}`.toLowerCase());
}

export function matchesFilter(n: GraphNode, q: FilterQuery): boolean {
  const c = classifyNode(n);
  const kind = (c.family === 'missing' ? `missing ${c.node.details.missingKind}` : n.kind).toLowerCase();
  const ns = (n.namespace ?? '').toLowerCase();
  const name = n.name.toLowerCase();
  for (const t of q.terms) {
    const ok = t.field === 'kind' ? kind.includes(t.value)
      : t.field === 'ns' ? ns.includes(t.value)
        : t.field === 'name' ? name.includes(t.value)
          : t.field === 'label' ? labelStrings(n).some((l) => l.includes(t.value))
            : name.includes(t.value) || kind.includes(t.value) || ns.includes(t.value) || labelStrings(n).some((l) => l.includes(t.value));
    if (!ok) return false;
  }
  return true;
}
