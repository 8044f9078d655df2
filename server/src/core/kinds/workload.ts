import type { FeatureContext } from '../facts/context';
import { labelSpan, loc, nameLoc } from '../facts/location';
import { code, codeName } from '../facts/markdown';
import { ingressBackendsTo, reachingWorkload, replicasText, routeBackendsTo, targetPortsOn } from '../facts/relations';
import { typeText } from '../facts/services';
import { selectorOf, labelEntries } from '../model/extract';
import {
  WORKLOAD_KINDS, type Container, type ContainerPort, type ProbeKind, type ProbePort, type ResourceBase, type Workload, type WorkloadKind,
} from '../model/resources';
import { asMap, findPair, get, getMap, getPath, getScalar, getSeq, getString, getText, keySpan, nodeSpan, seqItems, type AnyNode, type MapNode, type DocRef } from '../model/yamlAccess';
import { scalarValue, type WorkloadDetails } from '../graph/types';
import { inside, type KindHome, type Located } from './kind';

/** Pods and their controllers: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController. */

const name = codeName;

export const workloadHome: KindHome<Workload> = {
  type: 'workload',
  modelledKinds: [...WORKLOAD_KINDS],

  extract(base, root, doc) {
    if (!WORKLOAD_KINDS.has(base.kind) || !/^(v1|(apps|batch|extensions)\/.+)$/.test(base.apiVersion)) return undefined;
    return workloadOf(base, root, doc, base.kind as WorkloadKind);
  },

  index(r, t, add) {
    t.workloads.put(add, r);
    for (const l of r.podLabels) {
      t.workloadsByLabel.put(add, r.namespace, `${l.key}\u0000${l.value}`, r);
      t.workloadsByKey.put(add, r.namespace, l.key, r);
      if (l.value !== '') t.workloadsByValue.put(add, r.namespace, l.value, r);
    }
    if (r.kind === 'StatefulSet' && typeof r.serviceName?.value === 'string') t.governed.put(add, r.namespace, r.serviceName.value, r);
  },

  locate(w, offset) {
    for (const l of w.podLabels) {
      if (inside(l.keySpan, offset) || inside(l.valueSpan, offset)) {
        return {
          span: inside(l.keySpan, offset) ? l.keySpan : l.valueSpan,
          hover: (a) => workloadHover(a, w, `${l.key}=${l.value}`),
          definitions: () => [],
          references: (a) => a.resolver.servicesSelecting(w).flatMap((s) => {
            const e = s.selector?.find((x) => x.key === l.key);
            return e ? loc(a, s.uri, labelSpan(e)) : [];
          }),
        };
      }
    }
    for (const c of w.containers) {
      for (const p of c.ports) {
        for (const span of [p.name?.span, p.containerPort?.span]) if (inside(span, offset)) return containerPortAt(w, c, p, span);
      }
    }
    if (inside(w.serviceName?.span, offset)) {
      const definitions = (a: FeatureContext) => a.resolver.servicesNamed(String(w.serviceName?.value ?? ''), w.namespace, w.uri).flatMap((s) => nameLoc(a, s));
      return { span: w.serviceName!.span, hover: (a) => governingServiceHover(a, w), definitions, references: definitions };
    }
    for (const span of [w.nameRef?.span, w.kindSpan]) {
      if (inside(span, offset)) {
        return {
          span, hover: (a) => workloadHover(a, w, undefined), definitions: () => [],
          references: (a) => a.resolver.servicesSelecting(w).flatMap((s) => loc(a, s.uri, s.selectorKeySpan)),
        };
      }
    }
    return undefined;
  },

  node: (r) => ({ kind: r.kind, details: workloadDetails(r) }),

  graph(r, g) {
    const id = g.resource(r);
    if (r.kind === 'StatefulSet' && typeof r.serviceName?.value === 'string' && r.serviceName.value) {
      const svc = g.ctx.resolver.servicesNamed(r.serviceName.value, r.namespace, r.uri)[0];
      g.edge(svc
        ? { from: id, to: g.resource(svc), kind: 'governs', label: svc.headless ? 'headless' : 'not headless', broken: !svc.headless, ...(svc.headless ? {} : { message: 'The governing Service is not headless: pods get no per-pod DNS names.' }) }
        : { from: id, to: g.missing('Service', r.namespace, r.serviceName.value), kind: 'governs', label: '', broken: true, message: `Service ${r.serviceName.value} does not exist.` });
    }
  },
};

function containerPortAt(w: Workload, c: Container, p: ContainerPort, span: { start: number; end: number }): Located {
  return {
    span,
    hover: (a) => {
      const on = targetPortsOn(a, w, p);
      const head = `**${c.name ? code(c.name) : 'container'} port ${code(String(p.containerPort?.value ?? '?'))}**${p.name?.value ? ` named ${code(String(p.name.value))}` : ''} (${p.effectiveProtocol}) of ${w.kind} ${name(w)}`;
      if (on.length === 0) return `${head}\n\nNo Service port targets it.`;
      const lines = on.map(({ svc, port }) => `- ${svc.kind} ${name(svc)} port ${code(String(port.port?.value ?? '?'))} → targetPort ${code(String(port.targetPort?.value ?? port.port?.value ?? '?'))}`);
      // Entry points through those Service ports.
      for (const { svc, port } of on) {
        for (const i of ingressBackendsTo(a, svc)) {
          const bp = i.backend.port;
          if ((bp?.number && bp.number.value === port.port?.value) || (bp?.name && bp.name.value === port.name?.value)) lines.push(`- Ingress ${name(i.ingress)} (${code(`${i.backend.host ?? '*'}${String(i.backend.path?.value ?? '')}`)}) via ${name(svc)}`);
        }
        for (const r of routeBackendsTo(a, svc)) if (r.ref.port?.value === port.port?.value) lines.push(`- ${r.route.kind} ${name(r.route)} via ${name(svc)}`);
      }
      return `${head}\n\nReached by:\n${[...new Set(lines)].join('\n')}`;
    },
    definitions: () => [],
    references: (a) => targetPortsOn(a, w, p).flatMap(({ svc, port }) => loc(a, svc.uri, (port.targetPort ?? port.port)?.span)),
  };
}

function governingServiceHover(a: FeatureContext, w: Workload): string {
  const svcName = String(w.serviceName?.value ?? '');
  const svc = a.resolver.servicesNamed(svcName, w.namespace, w.uri)[0];
  if (!svc) return `**Governing Service ${code(svcName)}** does not exist in the workspace: the pods of ${name(w)} get no stable DNS names.`;
  const ns = w.namespace ?? '<namespace>';
  return `**Governing Service** ${name(svc)}: ${svc.headless ? 'headless' : '**not headless**'}.\n\n${svc.headless
    ? `Pod DNS names: ${code(`${w.name}-0.${svcName}.${ns}.svc.cluster.local`)}, …`
    : 'Pods get no per-pod DNS names; set `clusterIP: None` on the Service.'}`;
}

function workloadHover(a: FeatureContext, w: Workload, label: string | undefined): string {
  const { services, ingresses, routes } = reachingWorkload(a, w);
  const lines = [`**${w.kind} ${name(w)}** · ${replicasText(w)}${label ? ` · label ${code(label)}` : ''}`];
  const ports = w.containers.filter((c) => c.role !== 'init').flatMap((c) => c.ports.map((p) => `${c.name ?? '?'}:${String(p.containerPort?.value ?? '?')}${p.name?.value ? `(${String(p.name.value)})` : ''}`));
  if (ports.length) lines.push('', `Container ports: ${ports.map(code).join(', ')}`);
  if (services.length === 0) lines.push('', 'No Service selects these pods.');
  else {
    lines.push('', 'Reached by:');
    for (const s of services) lines.push(`- Service ${name(s)} (${typeText(s, ', ')})`);
    for (const i of ingresses) lines.push(`- Ingress ${name(i)}`);
    for (const r of routes) lines.push(`- ${r.kind} ${name(r)}`);
  }
  return lines.join('\n');
}

function workloadOf(base: ResourceBase, root: MapNode, doc: DocRef, kind: WorkloadKind): Workload {
  const spec = getMap(root, 'spec', doc);
  let templateMeta: MapNode | undefined;
  let podSpec: MapNode | undefined;
  let templateNode: AnyNode;
  if (kind === 'Pod') {
    templateNode = getMap(root, 'metadata', doc);
    templateMeta = asMap(templateNode);
    podSpec = spec;
  } else if (kind === 'CronJob') {
    templateNode = getPath(spec, ['jobTemplate', 'spec', 'template'], doc);
    templateMeta = getMap(asMap(templateNode), 'metadata', doc);
    podSpec = getMap(asMap(templateNode), 'spec', doc);
  } else {
    templateNode = get(spec, 'template', doc);
    templateMeta = getMap(asMap(templateNode), 'metadata', doc);
    podSpec = getMap(asMap(templateNode), 'spec', doc);
  }
  const labelsPair = findPair(templateMeta, 'labels', doc);
  const replicasRef = kind === 'Job' ? getScalar(spec, 'parallelism', doc) : getScalar(spec, 'replicas', doc);
  const replicas = replicasRef && typeof replicasRef.value === 'number' ? replicasRef.value : undefined;
  const selector = kind === 'Pod' || kind === 'CronJob' ? undefined
    : selectorOf(spec, doc, kind === 'ReplicationController');
  return {
    ...base, type: 'workload', kind,
    podLabels: labelEntries(asMap(labelsPair ? get(templateMeta, 'labels', doc) : undefined), doc),
    podLabelsSpan: labelsPair ? keySpan(labelsPair) : undefined,
    containers: containersOf(podSpec, doc),
    replicas,
    replicasUnknown: !!replicasRef && typeof replicasRef.value !== 'number',
    replicasKeySpan: kind === 'Job' ? undefined : keySpan(findPair(spec, 'replicas', doc)),
    selector,
    serviceName: kind === 'StatefulSet' ? getScalar(spec, 'serviceName', doc) : undefined,
    templateSpan: nodeSpan(templateNode),
  };
}

function containersOf(podSpec: MapNode | undefined, doc: DocRef): Container[] {
  const out: Container[] = [];
  const add = (key: string, init: boolean) => {
    for (const item of seqItems(getSeq(podSpec, key, doc), doc)) {
      const c = asMap(item);
      if (!c) continue;
      const name = getText(c, 'name', doc);
      const restart = getString(c, 'restartPolicy', doc);
      out.push({
        name: name?.value, nameSpan: name?.span, span: nodeSpan(c)!,
        role: !init ? 'container' : restart?.value === 'Always' ? 'sidecar' : 'init',
        ports: seqItems(getSeq(c, 'ports', doc), doc).flatMap((p): ContainerPort[] => {
          const pm = asMap(p);
          if (!pm) return [];
          const protocol = getScalar(pm, 'protocol', doc);
          return [{
            name: getScalar(pm, 'name', doc), containerPort: getScalar(pm, 'containerPort', doc), protocol,
            effectiveProtocol: protocol && typeof protocol.value === 'string' && protocol.value ? protocol.value : 'TCP',
            hostPort: getScalar(pm, 'hostPort', doc),
            span: nodeSpan(pm)!,
          }];
        }),
        probes: probesOf(c, doc),
      });
    }
  };
  add('containers', false);
  add('initContainers', true);
  return out;
}

const PROBES: readonly [ProbeKind, string][] = [['liveness', 'livenessProbe'], ['readiness', 'readinessProbe'], ['startup', 'startupProbe']];
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

/** The ports a container's probes connect to, in the order liveness, readiness, startup. */
function probesOf(c: MapNode, doc: DocRef): ProbePort[] {
  const out: ProbePort[] = [];
  for (const [probe, key] of PROBES) {
    const p = getMap(c, key, doc);
    for (const handler of HANDLERS) {
      const h = getMap(p, handler, doc);
      if (!h) continue;
      out.push({ probe, handler, port: getScalar(h, 'port', doc), span: nodeSpan(h)!, host: handler === 'grpc' ? undefined : getString(h, 'host', doc)?.value || undefined });
    }
  }
  return out;
}

/** The topology's details of a workload node. */
function workloadDetails(w: Workload): WorkloadDetails {
  return {
    replicas: w.kind === 'DaemonSet' ? 'one per node' : w.replicas ?? (w.kind === 'Pod' ? 1 : w.replicasUnknown ? null : 1),
    labels: Object.fromEntries(w.podLabels.map((l) => [l.key, l.value])),
    containers: w.containers.filter((c) => c.role !== 'init').map((c) => ({
      name: c.name ?? null,
      ports: c.ports.map((p) => ({ name: scalarValue(p.name?.value), containerPort: scalarValue(p.containerPort?.value), protocol: p.effectiveProtocol })),
    })),
  };
}
