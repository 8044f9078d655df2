import type { FeatureContext } from '../facts/context';
import { portHover, portRows } from '../facts/hoverText';
import { labelSpan, loc, type Location } from '../facts/location';
import { code, codeName, text } from '../facts/markdown';
import { ingressBackendsTo, podCount, replicasText, routeBackendsTo, statefulSetsGovernedBy } from '../facts/relations';
import { dnsName, exposure, serviceMeaning, typeText } from '../facts/services';
import { meshRoutesHover, meshRoutesOf } from '../facts/mesh';
import { relativePath } from '../paths';
import { labelEntries } from '../model/extract';
import { namespacesCompatible, type ResourceBase, type Service, type ServicePort } from '../model/resources';
import { asMap, findPair, getMap, getScalar, getSeq, getString, keySpan, nodeSpan, scalarRef, seqItems, type MapNode, type DocRef, type PairNode } from '../model/yamlAccess';
import { selectsEdgeDenial } from '../policy/edgePolicy';
import { isControllerLabel } from '../resolve/labels';
import { landing } from '../resolve/resolver';
import { portChains } from '../facts/services';
import { inside, type KindHome, type Located } from './kind';
import { serviceFieldsOf } from './serviceFields';
import { scalarValue, type ServiceDetails } from '../graph/types';
import { neverReadyText } from '../facts/probes';

/** Services: selectors, ports and what each Service type exposes. */

const name = codeName;

export const serviceHome: KindHome<Service> = {
  type: 'service',
  modelledKinds: ['Service'],

  extract(base, root, doc) {
    return base.kind === 'Service' && base.apiVersion === 'v1' ? serviceOf(base, root, doc) : undefined;
  },

  index(r, t, add) {
    t.services.put(add, r);
    if (r.selector) {
      const plain = r.selector.filter((e) => !isControllerLabel(e.key));
      if (plain.length === 0) t.controllerOnlySelectors.put(add, r);
      for (const e of plain) t.servicesBySelector.put(add, r.namespace, `${e.key}\u0000${e.value}`, r);
    }
    for (const port of r.ports) {
      const np = port.nodePort?.value;
      if (typeof np === 'number' && np > 0) t.nodePortUses.put(add, np, r);
    }
  },

  locate(svc, offset) {
    for (const e of svc.selector ?? []) {
      if (inside(e.keySpan, offset) || inside(e.valueSpan, offset)) {
        const definitions = (a: FeatureContext) => a.resolver.selectedWorkloads(svc).flatMap((w) => {
          const l = w.podLabels.find((x) => x.key === e.key);
          return l ? loc(a, w.uri, labelSpan(l)) : loc(a, w.uri, w.nameRef?.span ?? w.kindSpan); // controller-added label: the workload itself
        });
        return { span: inside(e.keySpan, offset) ? e.keySpan : e.valueSpan, hover: (a) => selectorHover(a, svc), definitions, references: definitions };
      }
    }
    if (inside(svc.selectorKeySpan, offset)) {
      const definitions = (a: FeatureContext) => a.resolver.selectedWorkloads(svc).flatMap((w) => loc(a, w.uri, w.podLabelsSpan ?? w.nameRef?.span ?? w.kindSpan));
      return { span: svc.selectorKeySpan, hover: (a) => selectorHover(a, svc), definitions, references: definitions };
    }
    for (const p of svc.ports) {
      for (const field of ['port', 'targetPort', 'nodePort', 'name'] as const) {
        const ref = p[field];
        if (inside(ref?.span, offset)) return servicePortAt(svc, p, field, ref!.span);
      }
    }
    for (const span of [svc.nameRef?.span, svc.kindSpan, svc.typeRef?.span, svc.clusterIPRef?.span, svc.externalName?.span]) {
      if (inside(span, offset)) {
        return {
          span, hover: (a) => serviceHover(a, svc), definitions: () => [],
          references: (a) => [
            ...ingressBackendsTo(a, svc).flatMap((b) => loc(a, b.ingress.uri, b.backend.serviceName?.span)),
            ...routeBackendsTo(a, svc).flatMap((b) => loc(a, b.route.uri, b.ref.name?.span)),
            ...statefulSetsGovernedBy(a, svc).flatMap((w) => loc(a, w.uri, w.serviceName?.span)),
            ...meshRoutesOf(a.index, svc).flatMap((m) => loc(a, m.route.uri, m.parent.name?.span)),
          ],
        };
      }
    }
    return undefined;
  },

  node: (r) => ({ kind: 'Service', details: serviceDetails(r) }),

  graph(r, g) {
    const { index, resolver } = g.ctx;
    const id = g.resource(r);
    if (!r.headless && r.serviceType !== 'ExternalName') {
      if (r.serviceType === 'LoadBalancer') {
        const ip = typeof r.loadBalancerIP?.value === 'string' && r.loadBalancerIP.value ? ` ${r.loadBalancerIP.value}` : '';
        g.entry('load-balancer', id, `LoadBalancer${ip} → ${r.ports.map((p) => String(p.port?.value ?? '?')).join(', ')}`);
      }
      if (r.serviceType === 'NodePort' || r.serviceType === 'LoadBalancer') {
        g.entry('nodes', id, r.ports.map((p) => `node:${typeof p.nodePort?.value === 'number' && p.nodePort.value > 0 ? p.nodePort.value : 'auto'}`).join(', '));
      }
      if (r.externalIPs.length) g.entry('external-ips', id, r.externalIPs.join(', '));
    }
    if (r.serviceType === 'ExternalName') {
      const host = typeof r.externalName?.value === 'string' ? r.externalName.value : '';
      if (host) g.edge({ from: id, to: g.external(host), kind: 'aliases', label: 'CNAME', broken: false });
    } else if (!r.selector) {
      for (const e of index.endpointsFor(r.name ?? '\u0000')) {
        if (!namespacesCompatible(e.namespace, r.namespace)) continue;
        g.edge({ from: id, to: g.resource(e), kind: 'endpoints', label: '', broken: false });
      }
    } else {
      const selected = resolver.selectedWorkloads(r);
      if (selected.length === 0) {
        const sel = r.selector.map((l) => `${l.key}=${l.value}`).join(',');
        g.edge({
          from: id, to: g.missing('Pod', r.namespace, sel), kind: 'selects', label: sel, broken: true,
          message: `The selector ${sel} matches no pod template in scope.`,
        });
      }
      for (const w of selected) {
        const unresolved = r.ports.filter((p) => typeof p.targetPort?.value === 'string' && p.targetPort.value !== '' && !landing(w, p).containerPort);
        const denied = selectsEdgeDenial(index, r, w);
        g.edge({
          from: id, to: g.resource(w), kind: 'selects', label: portChains(r, w), broken: unresolved.length > 0,
          ...(unresolved.length ? { message: `targetPort ${unresolved.map((p) => String(p.targetPort!.value)).join(', ')} is not declared by ${w.kind} ${w.name ?? ''}.` } : {}),
          ...(denied ? { policy: 'denied' as const, policyMessage: denied } : {}),
        });
      }
    }
  },
};

function servicePortAt(svc: Service, p: ServicePort, field: 'port' | 'targetPort' | 'nodePort' | 'name', span: { start: number; end: number }): Located {
  return {
    span,
    hover: (a) => portHover(a, svc, p),
    definitions: (a) => {
      if (field !== 'targetPort' && field !== 'port') return [];
      return a.resolver.selectedWorkloads(svc).flatMap((w) => {
        const l = landing(w, p);
        return l.containerPort ? loc(a, w.uri, l.containerPort.name?.span && typeof p.targetPort?.value === 'string' ? l.containerPort.name.span : l.containerPort.containerPort?.span ?? l.containerPort.span) : [];
      });
    },
    references: (a) => {
      // Backends that use this Service port (by number or name).
      const out: Location[] = [];
      for (const b of ingressBackendsTo(a, svc)) {
        const bp = b.backend.port;
        if ((bp?.number && bp.number.value === p.port?.value) || (bp?.name && bp.name.value === p.name?.value)) out.push(...loc(a, b.ingress.uri, (bp.number ?? bp.name)!.span));
      }
      for (const r of routeBackendsTo(a, svc)) if (r.ref.port?.value === p.port?.value) out.push(...loc(a, r.route.uri, r.ref.port!.span));
      return out;
    },
  };
}

function serviceHover(a: FeatureContext, svc: Service): string {
  const lines = [`**Service ${name(svc)}** · ${typeText(svc, ' · ')}`, '', serviceMeaning(svc, a)];
  const dns = dnsName(svc);
  if (dns && svc.serviceType !== 'ExternalName') lines.push('', `DNS: ${code(dns)}`);
  const selected = a.resolver.selectedWorkloads(svc);
  if (svc.selector && svc.serviceType !== 'ExternalName') {
    lines.push('', selected.length ? `Selects ${selected.map((w) => `${w.kind} ${name(w)} (${replicasText(w)})`).join(', ')}.` : `Selects **nothing** (${svc.selector.map((l) => code(`${l.key}=${l.value}`)).join(', ')}).`);
    for (const w of selected) {
      const unready = neverReadyText(w);
      if (unready) lines.push('', `**The pods of ${w.kind} ${name(w)} never become ready**: ${unready}; this Service gets no ready endpoints from them.`);
    }
  }
  if (svc.ports.length && svc.serviceType !== 'ExternalName') {
    lines.push('', 'Ports:');
    for (const p of svc.ports) lines.push(...portRows(svc, p, selected));
  }
  const external = externalEntry(svc);
  if (external) lines.push('', external);
  const ing = ingressBackendsTo(a, svc);
  const routes = routeBackendsTo(a, svc);
  const sts = statefulSetsGovernedBy(a, svc);
  const reached = [
    ...ing.map((i) => `Ingress ${name(i.ingress)} (${code(`${i.backend.host ?? '*'}${String(i.backend.path?.value ?? '')}`)})`),
    ...routes.map((r) => `${r.route.kind} ${name(r.route)}`),
    ...sts.map((w) => `governs StatefulSet ${name(w)}`),
  ];
  if (reached.length) lines.push('', `Reached by: ${[...new Set(reached)].join(', ')}.`);
  const mesh = meshRoutesHover(a.index, svc);
  if (mesh.length) lines.push('', ...mesh);
  return lines.join('\n');
}

function externalEntry(svc: Service): string | undefined {
  if (svc.headless || svc.serviceType === 'ExternalName') return undefined;
  const parts: string[] = [];
  const nps = svc.ports.map((p) => p.nodePort?.value).filter((v): v is number => typeof v === 'number' && v > 0);
  if (svc.serviceType === 'NodePort' || svc.serviceType === 'LoadBalancer') {
    parts.push(nps.length ? `NodePort ${nps.map((n) => code(n)).join(', ')} on every node` : 'NodePort allocated automatically on every node');
  }
  if (svc.serviceType === 'LoadBalancer') {
    const ip = svc.loadBalancerIP?.value;
    parts.push(typeof ip === 'string' && ip ? `LoadBalancer at ${code(ip)} (requested IP)` : 'LoadBalancer IP assigned by the provider');
  }
  for (const ip of svc.externalIPs) parts.push(`external IP ${code(ip)}`);
  return parts.length ? `External entry: ${parts.join('; ')}.` : undefined;
}

function selectorHover(a: FeatureContext, svc: Service): string {
  if (svc.serviceType === 'ExternalName') return `**Selector of ${name(svc)}**: ignored, the Service is an ExternalName (a DNS CNAME).`;
  if (!svc.selector) return `**Selector of ${name(svc)}**: ${serviceMeaning(svc, a)}`;
  const selected = a.resolver.selectedWorkloads(svc);
  const sel = svc.selector.map((l) => code(`${l.key}=${l.value}`)).join(', ');
  if (selected.length) {
    const pods = podCount(selected);
    return `**Selector ${sel}** matches ${selected.length} workload${selected.length === 1 ? '' : 's'}${pods !== undefined ? ` · ${pods} pod${pods === 1 ? '' : 's'}` : ''}:\n\n${selected.map((w) => `- ${w.kind} ${name(w)}: ${replicasText(w)} (${text(relativePath(svc.uri, w.uri))})`).join('\n')}`;
  }
  const miss = a.resolver.nearestMiss(svc);
  if (!miss) return `**Selector ${sel}** matches no pod template in the workspace.`;
  return `**Selector ${sel}** matches no pod template.\n\nNearest: ${miss.workload.kind} ${name(miss.workload)} (${text(relativePath(svc.uri, miss.workload.uri))}) has ${code(`${miss.has.key}=${miss.has.value}`)}${miss.otherNamespace ? ', in another namespace' : ''}.`;
}

function serviceOf(base: ResourceBase, root: MapNode, doc: DocRef): Service {
  const specPair = findPair(root, 'spec', doc);
  const spec = getMap(root, 'spec', doc);
  const typeRef = getScalar(spec, 'type', doc);
  const clusterIPRef = getScalar(spec, 'clusterIP', doc);
  const clusterIPs = seqItems(getSeq(spec, 'clusterIPs', doc), doc).map((n) => scalarRef(n)?.value);
  const headless = clusterIPRef?.value === 'None' || clusterIPs[0] === 'None';
  const selectorPair = findPair(spec, 'selector', doc);
  const selectorEntries = labelEntries(getMap(spec, 'selector', doc), doc);
  const portsPair = findPair(spec, 'ports', doc);
  const etpPair = findPair(spec, 'externalTrafficPolicy', doc);
  const lbPair = findPair(spec, 'loadBalancerIP', doc);
  return {
    ...base, type: 'service',
    serviceType: typeRef && typeof typeRef.value === 'string' && typeRef.value ? typeRef.value : 'ClusterIP',
    typeRef, headless, clusterIPRef,
    selector: selectorEntries.length > 0 ? selectorEntries : undefined,
    selectorKeySpan: keySpan(selectorPair),
    ports: seqItems(getSeq(spec, 'ports', doc), doc).flatMap((p): ServicePort[] => {
      const pm = asMap(p);
      if (!pm) return [];
      const protocol = getScalar(pm, 'protocol', doc);
      return [{
        span: nodeSpan(pm)!,
        name: getScalar(pm, 'name', doc),
        port: getScalar(pm, 'port', doc),
        targetPort: getScalar(pm, 'targetPort', doc),
        nodePort: getScalar(pm, 'nodePort', doc),
        protocol,
        effectiveProtocol: protocol && typeof protocol.value === 'string' && protocol.value ? protocol.value : 'TCP',
        appProtocol: getScalar(pm, 'appProtocol', doc),
      }];
    }),
    portsKeySpan: keySpan(portsPair),
    specKeySpan: keySpan(specPair),
    specFirstKeySpan: spec && !spec.flow && spec.items[0] ? keySpan(spec.items[0] as PairNode) : undefined,
    externalName: getScalar(spec, 'externalName', doc),
    externalIPs: seqItems(getSeq(spec, 'externalIPs', doc), doc)
      .map((n) => scalarRef(n)?.value).filter((v): v is string => typeof v === 'string'),
    externalTrafficPolicy: getScalar(spec, 'externalTrafficPolicy', doc),
    externalTrafficPolicyKeySpan: keySpan(etpPair),
    internalTrafficPolicy: getString(spec, 'internalTrafficPolicy', doc)?.value,
    loadBalancerIP: getScalar(spec, 'loadBalancerIP', doc),
    loadBalancerIPKeySpan: keySpan(lbPair),
    fields: serviceFieldsOf(root, spec, doc),
  };
}

/** The topology's details of a Service node. */
function serviceDetails(s: Service): ServiceDetails {
  return {
    type: s.serviceType,
    exposure: exposure(s),
    dns: dnsName(s),
    selector: s.selector ? Object.fromEntries(s.selector.map((l) => [l.key, l.value])) : null,
    ports: s.ports.map((p) => ({
      name: scalarValue(p.name?.value), port: scalarValue(p.port?.value), targetPort: scalarValue(p.targetPort?.value ?? p.port?.value),
      nodePort: scalarValue(p.nodePort?.value), protocol: p.effectiveProtocol,
    })),
  };
}
