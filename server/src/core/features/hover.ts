import type { Analyzer } from '../analyzer';
import { dnsName, exposure } from '../graph/graph';
import { describe, isServiceBackendRef, namespacesCompatible, type Ingress, type IngressPath, type Route, type Service, type ServicePort, type Workload } from '../model/resources';
import { exampleUrlForIngressPath, exampleUrlForRouteMatch, type ExampleRequest } from '../trace/exampleUrl';
import { landing } from '../resolve/resolver';
import { NEVER_CANCELLED, type CancellationToken, type Position, type Range } from '../types';
import { locate, type Target } from './locate';
import { relativePath } from '../paths';
import { code, fileName, text } from './markdown';
import { ingressBackendsTo, podCount, reachingWorkload, replicasText, routeBackendsTo, statefulSetsGovernedBy, targetPortsOn } from './relations';

export interface HoverResult {
  /** Markdown. */
  readonly contents: string;
  readonly range: Range;
}

const name = (r: { name: string | undefined; namespace: string | undefined }) => code(r.namespace ? `${r.namespace}/${r.name ?? ''}` : r.name ?? '(unnamed)');

/** Hover for the element at a position: what it resolves to, or why it does not. */
export function hover(a: Analyzer, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): HoverResult | undefined {
  const file = a.index.file(uri);
  if (!file || token.isCancellationRequested) return undefined;
  const t = locate(file, a.index.activeResources(uri), file.parsed.lines.offsetAt(pos));
  if (!t) return undefined;
  const md = hoverText(a, t);
  return md ? { contents: md, range: file.parsed.lines.range(t.span) } : undefined;
}

function hoverText(a: Analyzer, t: Target): string | undefined {
  switch (t.type) {
    case 'service': return serviceHover(a, t.svc);
    case 'serviceSelector':
    case 'serviceSelectorEntry': return selectorHover(a, t.svc);
    case 'servicePort': return portHover(a, t.svc, t.port);
    case 'workload':
    case 'podLabel': return workloadHover(a, t.workload, t.type === 'podLabel' ? `${t.label.key}=${t.label.value}` : undefined);
    case 'containerPort': {
      const on = targetPortsOn(a, t.workload, t.port);
      const head = `**${t.container.name ? code(t.container.name) : 'container'} port ${code(String(t.port.containerPort?.value ?? '?'))}**${t.port.name?.value ? ` named ${code(String(t.port.name.value))}` : ''} (${t.port.effectiveProtocol}) of ${t.workload.kind} ${name(t.workload)}`;
      if (on.length === 0) return `${head}\n\nNo Service port targets it.`;
      const lines = on.map(({ svc, port }) => `- ${svc.kind} ${name(svc)} port ${code(String(port.port?.value ?? '?'))} → targetPort ${code(String(port.targetPort?.value ?? port.port?.value ?? '?'))}`);
      // Entry points through those Service ports.
      for (const { svc, port } of on) {
        for (const i of ingressBackendsTo(a, svc)) {
          const p = i.backend.port;
          if ((p?.number && p.number.value === port.port?.value) || (p?.name && p.name.value === port.name?.value)) lines.push(`- Ingress ${name(i.ingress)} (${code(`${i.backend.host ?? '*'}${String(i.backend.path?.value ?? '')}`)}) via ${name(svc)}`);
        }
        for (const r of routeBackendsTo(a, svc)) if (r.ref.port?.value === port.port?.value) lines.push(`- ${r.route.kind} ${name(r.route)} via ${name(svc)}`);
      }
      return `${head}\n\nReached by:\n${[...new Set(lines)].join('\n')}`;
    }
    case 'statefulSetServiceName': {
      const svcName = String(t.workload.serviceName?.value ?? '');
      const svc = a.resolver.servicesNamed(svcName, t.workload.namespace, t.workload.uri)[0];
      if (!svc) return `**Governing Service ${code(svcName)}** does not exist in the workspace: the pods of ${name(t.workload)} get no stable DNS names.`;
      const ns = t.workload.namespace ?? '<namespace>';
      return `**Governing Service** ${name(svc)}: ${svc.headless ? 'headless' : '**not headless**'}.\n\n${svc.headless
        ? `Pod DNS names: ${code(`${t.workload.name}-0.${svcName}.${ns}.svc.cluster.local`)}, …`
        : 'Pods get no per-pod DNS names; set `clusterIP: None` on the Service.'}`;
    }
    case 'ingress':
      return `**Ingress ${name(t.ingress)}**${t.ingress.ingressClassName ? ` (class ${code(t.ingress.ingressClassName)})` : ''}\n\n${t.ingress.backends.map((b) => `- ${b.isDefault ? 'default backend' : code(`${b.host ?? '*'}${String(b.path?.value ?? '')}`)} → ${backendSummary(a, t.ingress.namespace, t.ingress.uri, b.serviceName?.value, b.port?.number?.value ?? b.port?.name?.value)}`).join('\n')}`;
    case 'ingressBackend':
      return backendHover(a, 'Ingress backend', t.ingress.namespace, t.ingress.uri, t.backend.serviceName?.value, t.backend.port?.number?.value ?? t.backend.port?.name?.value);
    case 'route':
      return `**${t.route.kind} ${name(t.route)}**${t.route.hostnames.length ? ` for ${t.route.hostnames.map(code).join(', ')}` : ''}\n\n${t.route.backendRefs.map((b) => `- ${backendSummary(a, b.namespace?.value ?? t.route.namespace, t.route.uri, b.name?.value, b.port?.value)}${b.weight !== undefined ? ` (weight ${b.weight})` : ''}`).join('\n')}`;
    case 'routeBackend':
      return backendHover(a, `${t.route.kind} backendRef`, t.ref.namespace?.value ?? t.route.namespace, t.route.uri, t.ref.name?.value, t.ref.port?.value);
    case 'ingressPath':
      return ingressPathHover(a, t.ingress, t.path);
    case 'routeMatch':
      return routeMatchHover(a, t.route, t.rule, t.match);
    case 'parentRef': {
      const ns = t.ref.namespace?.value ?? t.route.namespace;
      const gw = t.ref.kind === 'Gateway' ? a.resolver.gatewaysNamed(String(t.ref.name?.value ?? ''), ns, t.route.uri)[0] : undefined;
      if (!gw) return `**${t.ref.kind} ${code(String(t.ref.name?.value ?? ''))}** is not in the workspace.`;
      return `**Gateway ${name(gw)}**${gw.gatewayClassName ? ` (class ${code(gw.gatewayClassName)})` : ''}\n\n${gw.listeners.map((l) => `- listener ${code(l.name ?? '?')}: ${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` for ${code(l.hostname)}` : ''}`).join('\n')}`;
    }
  }
}

/**
 * The Service's type as every hover names it: the manifest's `type` first, with what it opens
 * (`NodePort 30080`, `LoadBalancer 203.0.113.10 · NodePort 31443`, `ClusterIP`, `Headless`), as
 * the topology names it. The cluster IP that NodePort and LoadBalancer Services also get is not
 * repeated. (The graph's `exposure` list keeps every entry, ClusterIP first.)
 */
export function serviceTypeParts(svc: Service): string[] {
  const parts = exposure(svc);
  if (svc.headless || (svc.serviceType !== 'NodePort' && svc.serviceType !== 'LoadBalancer')) return parts;
  const rest = parts.filter((p) => p !== 'ClusterIP');
  const lb = rest.findIndex((p) => p === 'LoadBalancer' || p.startsWith('LoadBalancer '));
  if (lb > 0) rest.unshift(...rest.splice(lb, 1));
  return rest;
}

const typeText = (svc: Service, sep: string): string => serviceTypeParts(svc).map(text).join(sep);

/** What a Service type really does, in one or two sentences. */
export function serviceMeaning(svc: Service, a: Analyzer): string {
  if (svc.serviceType === 'ExternalName') {
    const host = String(svc.externalName?.value ?? '?');
    return `DNS CNAME to ${code(host)}: the cluster DNS answers with that name; nothing is proxied, no pods are selected${svc.ports.length ? ', and the ports are informational only' : ''}.`;
  }
  const selectorNote = !svc.selector
    ? svc.selectorKeySpan ? '`selector: {}` is the same as no selector: it selects **no** pods (not all of them); ' : 'No selector: '
    : '';
  if (!svc.selector) {
    const eps = [...a.index.endpointsFor(svc.name ?? '\u0000')];
    return `${selectorNote}endpoints come only from Endpoints/EndpointSlices you create${eps.length ? ` (${eps.map((e) => `${e.kind} ${name(e)}`).join(', ')})` : ' (none in the workspace)'}.`;
  }
  if (svc.headless) return 'Headless (`clusterIP: None`): no virtual IP and no kube-proxy load balancing; DNS returns the IPs of the ready pods directly' + (svc.serviceType === 'LoadBalancer' || svc.serviceType === 'NodePort' ? '. (The type is ignored/rejected for a headless Service.)' : '.');
  switch (svc.serviceType) {
    case 'NodePort': return 'A cluster IP, plus a port opened on **every node**: traffic to `<any node IP>:<nodePort>` is forwarded to the pods.';
    case 'LoadBalancer': return 'A cluster IP and node ports, plus an external load balancer from the cloud provider in front of the nodes.';
    default: return 'A virtual IP reachable only inside the cluster; kube-proxy balances connections across the selected pods.';
  }
}

function serviceHover(a: Analyzer, svc: Service): string {
  const lines = [`**Service ${name(svc)}** · ${typeText(svc, ' · ')}`, '', serviceMeaning(svc, a)];
  const dns = dnsName(svc);
  if (dns && svc.serviceType !== 'ExternalName') lines.push('', `DNS: ${code(dns)}`);
  const selected = a.resolver.selectedWorkloads(svc);
  if (svc.selector && svc.serviceType !== 'ExternalName') {
    lines.push('', selected.length ? `Selects ${selected.map((w) => `${w.kind} ${name(w)} (${replicasText(w)})`).join(', ')}.` : `Selects **nothing** (${svc.selector.map((l) => code(`${l.key}=${l.value}`)).join(', ')}).`);
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

/** One chain per port and selected workload: `LoadBalancer → node:30082 → 8080 → 80 → nginx:80 · Deployment web (3 replicas)`. */
function portRows(svc: Service, p: ServicePort, selected: readonly Workload[]): string[] {
  const steps: string[] = [];
  if (svc.serviceType === 'LoadBalancer') steps.push('LoadBalancer');
  if (typeof p.nodePort?.value === 'number' && p.nodePort.value > 0) steps.push(`node:${p.nodePort.value}`);
  else if (svc.serviceType === 'NodePort' || svc.serviceType === 'LoadBalancer') steps.push('node:(auto)');
  const tp = p.targetPort?.value ?? p.port?.value;
  steps.push(`${String(p.port?.value ?? '?')}${p.name?.value ? ` (${String(p.name.value)})` : ''}${p.effectiveProtocol !== 'TCP' ? `/${p.effectiveProtocol}` : ''}`);
  steps.push(String(tp ?? '?'));
  const head = steps.map((x) => code(x)).join(' → ');
  if (selected.length === 0) return [`- ${head} → ${svc.headless ? 'pods (none selected)' : '**no pods**'}`];
  return selected.map((w) => {
    const l = landing(w, p);
    const land = l.containerPort ? code(`${l.container?.name ?? '?'}:${String(l.containerPort.containerPort?.value ?? '?')}`)
      : typeof tp === 'string' ? '**unresolved**' : `${code(String(tp))} (undeclared)`;
    return `- ${head} → ${land} · ${w.kind} ${name(w)} (${replicasText(w)})`;
  });
}

function portHover(a: Analyzer, svc: Service, p: ServicePort): string {
  const selected = a.resolver.selectedWorkloads(svc);
  const tp = p.targetPort?.value ?? p.port?.value;
  const chain: string[] = [];
  if (typeof p.nodePort?.value === 'number' && p.nodePort.value > 0) chain.push(`nodePort ${code(p.nodePort.value)} (every node)`);
  chain.push(`port ${code(String(p.port?.value ?? '?'))}`);
  chain.push(`targetPort ${code(String(tp ?? '?'))}${p.targetPort ? '' : ' (defaults to port)'}`);
  const lines = [`**${name(svc)} ${p.name?.value ? `port ${code(String(p.name.value))}` : 'port'}** (${p.effectiveProtocol})`, '', chain.join(' → ')];
  if (svc.serviceType === 'ExternalName') {
    lines.push('', 'ExternalName Service: ports are informational; clients connect to the external name directly.');
    return lines.join('\n');
  }
  if (!svc.selector) { lines.push('', 'No selector: lands on whatever Endpoints/EndpointSlices list.'); return lines.join('\n'); }
  if (selected.length === 0) { lines.push('', 'The selector matches no pod template, so this port reaches nothing.'); return lines.join('\n'); }
  for (const w of selected) {
    const l = landing(w, p);
    lines.push(`- ${w.kind} ${name(w)} (${replicasText(w)}): ${l.containerPort
      ? `→ container ${code(l.container?.name ?? '?')} port ${code(String(l.containerPort.containerPort?.value ?? '?'))}${l.containerPort.name?.value ? ` (${code(String(l.containerPort.name.value))})` : ''}`
      : typeof tp === 'string' ? `**no container declares ${code(tp)}/${p.effectiveProtocol}**` : `→ pod port ${code(String(tp))} (not declared by any container)`}`);
  }
  return lines.join('\n');
}

function selectorHover(a: Analyzer, svc: Service): string {
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

function workloadHover(a: Analyzer, w: Workload, label: string | undefined): string {
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

function backendSummary(a: Analyzer, ns: string | undefined, fromUri: string, svcName: string | undefined, port: unknown): string {
  if (!svcName) return 'no Service';
  const svc = a.resolver.servicesNamed(svcName, ns, fromUri)[0];
  if (!svc) return `${code(svcName)} (**missing**)`;
  const sp = typeof port === 'number' ? a.resolver.findServicePort(svc, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(svc, { name: port }) : undefined;
  return `Service ${name(svc)}:${code(String(port ?? '?'))}${sp || svc.serviceType === 'ExternalName' ? '' : ' (**no such port**)'}`;
}

function backendHover(a: Analyzer, what: string, ns: string | undefined, fromUri: string, svcName: string | undefined, port: unknown): string {
  if (!svcName) return `**${what}**: no Service named.`;
  const svc = a.resolver.servicesNamed(svcName, ns, fromUri)[0];
  if (!svc) return `**${what}** → Service ${code(svcName)}: **does not exist**${ns ? ` in namespace ${code(ns)}` : ''}.`;
  const sp = typeof port === 'number' ? a.resolver.findServicePort(svc, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(svc, { name: port }) : undefined;
  const lines = [`**${what}** → ${describe(svc).replace(/`([^`]*)`/g, (_m, s: string) => code(s))} (${fileName(svc.uri)}) · ${typeText(svc, ' · ')}`];
  if (svc.serviceType === 'ExternalName') {
    lines.push('', serviceMeaning(svc, a));
    return lines.join('\n');
  }
  if (!sp) {
    lines.push('', `The Service has no port ${code(String(port ?? '?'))} (it has ${svc.ports.map((p) => code(String(p.port?.value ?? '?'))).join(', ') || 'no ports'}).`);
    return lines.join('\n');
  }
  return lines.join('\n') + '\n\n' + portHover(a, svc, sp).split('\n').slice(2).join('\n');
}

/** `curl` for an example request: the URL, plus the method and headers a URL cannot carry. */
function curl(ex: ExampleRequest): string {
  const parts = ['curl'];
  if (ex.method && ex.method !== 'GET') parts.push(`-X ${ex.method}`);
  for (const h of ex.headers ?? []) parts.push(`-H '${h.name}: ${h.value}'`);
  parts.push(ex.url);
  return parts.join(' ');
}

/**
 * Why a request sent to this Service would reach no pod (its selector matches no pod template, or
 * it has no selector and no Endpoints object), or undefined when it can reach some.
 */
function noPodsNote(a: Analyzer, svc: Service, controller: string): string | undefined {
  if (svc.serviceType === 'ExternalName') return undefined;
  const after = `so the request reaches the Service and stops there (${controller} typically answers 503).`;
  if (!svc.selector) {
    const eps = [...a.index.endpointsFor(svc.name ?? '\u0000')].filter((e) => namespacesCompatible(e.namespace, svc.namespace));
    return eps.length ? undefined : `⚠ Service ${name(svc)} has no selector and no Endpoints or EndpointSlice in the workspace: it has **no pods**, ${after}`;
  }
  if (a.resolver.selectedWorkloads(svc).length) return undefined;
  const sel = svc.selector.map((l) => code(`${l.key}=${l.value}`)).join(', ');
  return `⚠ Service ${name(svc)} selects **no pods**: no pod template has ${svc.selector.length > 1 ? `all of ${sel}` : sel}, ${after}`;
}

function ingressPathHover(a: Analyzer, ing: Ingress, p: IngressPath): string {
  const ex = exampleUrlForIngressPath(ing, p);
  const type = String(p.pathType?.value ?? (ing.legacy ? 'ImplementationSpecific' : '(pathType missing)'));
  const b = p.backend;
  const lines = [
    `**Ingress path** ${code(String(p.path?.value ?? '/'))} (${type}) of ${name(ing)}`,
    '',
    b ? `→ ${backendSummary(a, ing.namespace, ing.uri, b.serviceName?.value, b.port?.number?.value ?? b.port?.name?.value)}` : 'No backend.',
  ];
  const svc = b?.serviceName?.value ? a.resolver.servicesNamed(b.serviceName.value, ing.namespace, ing.uri)[0] : undefined;
  const note = svc && noPodsNote(a, svc, 'the ingress controller');
  if (note) lines.push('', note);
  lines.push('', `A request that reaches it: ${code(curl(ex))}`);
  if (ex.url.includes('INGRESS_IP')) lines.push('', '`INGRESS_IP`: the rule has no host, so any host name reaches it at the ingress controller\'s address.');
  lines.push('', 'Run **Kube Traffic: Trace Request…** to follow it hop by hop.');
  return lines.join('\n');
}

function routeMatchHover(a: Analyzer, route: Route, rule: number, match: number): string {
  const ex = exampleUrlForRouteMatch(route, rule, match, a.index.gateways());
  const m = route.rules[rule]!.matches[match]!;
  const conditions = [
    m.path ? `path ${m.path.type} ${code(m.path.value)}` : undefined,
    m.method ? `method ${code(m.method)}` : undefined,
    ...m.headers.map((h) => `header ${code(`${h.name}: ${h.value}`)}${h.type === 'RegularExpression' ? ' (regex)' : ''}`),
    ...m.queryParams.map((q) => `query ${code(`${q.name}=${q.value}`)}${q.type === 'RegularExpression' ? ' (regex)' : ''}`),
  ].filter((x): x is string => !!x);
  const lines = [`**${route.kind} ${name(route)}** rule ${rule + 1}, match ${match + 1}: ${conditions.join(', ') || 'every request'}`, ''];
  // The rule's Service backends, and those that would answer with no pod.
  const backends = route.backendRefs.filter((b) => b.ruleIndex === rule && isServiceBackendRef(b));
  const notes: string[] = [];
  for (const b of backends) {
    const ns = b.namespace?.value ?? route.namespace;
    lines.push(`→ ${backendSummary(a, ns, route.uri, b.name?.value, b.port?.value)}${b.weight !== undefined ? ` (weight ${b.weight})` : ''}`);
    const svc = b.name?.value ? a.resolver.servicesNamed(b.name.value, ns, route.uri)[0] : undefined;
    const note = svc && noPodsNote(a, svc, 'the gateway');
    if (note && !notes.includes(note)) notes.push(note);
  }
  if (backends.length) lines.push('');
  for (const n of notes) lines.push(n, '');
  if (ex) {
    lines.push(`A request that reaches it: ${code(curl(ex))}`);
    if (ex.url.includes('GATEWAY_IP')) lines.push('', '`GATEWAY_IP`: no attached Gateway listener gives a host name, so use the Gateway\'s address.');
  } else {
    lines.push('No example request: a regular expression decides it.');
  }
  lines.push('', 'Run **Kube Traffic: Trace Request…** to follow it hop by hop.');
  return lines.join('\n');
}
