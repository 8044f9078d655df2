import type { FeatureContext } from './context';
import { describe, namespacesCompatible, type Service, type ServicePort, type Workload } from '../model/resources';
import { landing } from '../resolve/resolver';
import type { ExampleRequest } from './exampleUrl';
import { code, codeName, fileName } from './markdown';
import { replicasText } from './relations';
import { serviceMeaning, typeText } from './services';

/** Hover sections that several kinds share: a Service port's chain, a backend, a curl command. */

const name = codeName;

/** One chain per port and selected workload: `LoadBalancer → node:30082 → 8080 → 80 → nginx:80 · Deployment web (3 replicas)`. */
export function portRows(svc: Service, p: ServicePort, selected: readonly Workload[]): string[] {
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

export function portHover(a: FeatureContext, svc: Service, p: ServicePort): string {
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

export function backendSummary(a: FeatureContext, ns: string | undefined, fromUri: string, svcName: string | undefined, port: unknown): string {
  if (!svcName) return 'no Service';
  const svc = a.resolver.servicesNamed(svcName, ns, fromUri)[0];
  if (!svc) return `${code(svcName)} (**missing**)`;
  const sp = typeof port === 'number' ? a.resolver.findServicePort(svc, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(svc, { name: port }) : undefined;
  return `Service ${name(svc)}:${code(String(port ?? '?'))}${sp || svc.serviceType === 'ExternalName' ? '' : ' (**no such port**)'}`;
}

export function backendHover(a: FeatureContext, what: string, ns: string | undefined, fromUri: string, svcName: string | undefined, port: unknown): string {
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
export function curl(ex: ExampleRequest): string {
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
export function noPodsNote(a: FeatureContext, svc: Service, controller: string): string | undefined {
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
