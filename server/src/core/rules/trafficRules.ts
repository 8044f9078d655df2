import { describe, namespacesCompatible, type Service, type Workload } from '../model/resources';
import { declaresAnyPort, type PortLanding } from '../resolve/resolver';
import type { Reporter } from './context';
import { closestName } from '../facts/names';
import { fmtLabels } from './workloadRules';
import { ianaSvcName } from './validation';
import { resourceId } from '../model/resources';
import { relativePath } from '../paths';

/** Close enough to be a typo worth a one-click fix. */
function similar(a: string, b: string): boolean {
  return closestName(a, [b]) !== undefined || a.toLowerCase() === b.toLowerCase() || a.includes(b) || b.includes(a);
}

export function basename(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

/** `in this file`, `in deployment.yaml` (same folder), `in ../backend/deployment.yaml`: never ambiguous. */
function where(w: { uri: string }, from: string): string {
  return w.uri === from ? 'in this file' : `in ${relativePath(from, w.uri)}`;
}

/** Selector → pods: the Service must select something (or have endpoints when it has no selector). */
export function checkServiceSelection(svc: Service, r: Reporter): void {
  if (svc.serviceType === 'ExternalName') return;
  const who = describe(svc);
  if (!svc.selector) {
    const endpoints = [...r.index.endpointsFor(svc.name ?? '\u0000')].filter((e) => namespacesCompatible(e.namespace, svc.namespace));
    if (endpoints.length === 0 && svc.name !== undefined) {
      r.report('service-no-endpoints', svc.selectorKeySpan ?? svc.nameRef?.span ?? svc.kindSpan,
        `${who} has ${svc.selectorKeySpan ? 'an empty selector, which Kubernetes treats as no selector' : 'no selector'}: it selects no pods and gets endpoints only from Endpoints/EndpointSlices created for it, and none are in the workspace.`);
    }
    return;
  }
  const selected = r.resolver.selectedWorkloads(svc);
  if (selected.length > 0) {
    checkTargetPorts(svc, r);
    return;
  }
  const selText = fmtLabels(svc.selector);
  let message = `${who} selects ${selText}, but no pod template in scope has ${svc.selector.length > 1 ? 'all of these labels' : 'this label'}`;
  const miss = r.resolver.nearestMiss(svc);
  const related: { uri: string; span: { start: number; end: number }; message: string }[] = [];
  let data;
  if (miss) {
    const w = miss.workload;
    if (miss.otherNamespace && miss.wanted === miss.has) {
      message += `. ${describe(w)} ${where(w, svc.uri)} matches, but it is in namespace \`${w.namespace}\`, not \`${svc.namespace}\`.`;
      related.push({ uri: w.uri, span: w.namespaceRef?.span ?? w.kindSpan, message: `${describe(w)} is in another namespace` });
    } else {
      const sameKey = miss.has.key === miss.wanted.key;
      message += `. Nearest: ${describe(w)} ${where(w, svc.uri)} has ${miss.has.key}=${miss.has.value}${sameKey ? '' : ` (key \`${miss.has.key}\`, not \`${miss.wanted.key}\`)`}${miss.otherNamespace ? `, in namespace \`${w.namespace}\`` : ''}.`;
      related.push({ uri: w.uri, span: sameKey ? miss.has.valueSpan : miss.has.keySpan, message: `nearest pod template label of ${describe(w)}` });
      const close = sameKey ? similar(miss.wanted.value, miss.has.value) : similar(miss.wanted.key, miss.has.key) || miss.wanted.value === miss.has.value;
      if (!miss.otherNamespace && close && svc.selector.some((s) => s === miss.wanted)) {
        const span = sameKey ? miss.wanted.valueSpan : miss.wanted.keySpan;
        const newText = sameKey ? miss.has.value : miss.has.key;
        data = { type: 'replace' as const, span: r.rangeOf(svc.uri, span)!, newText, title: `Change selector to ${miss.has.key}=${miss.has.value}` };
      }
    }
  } else {
    message += '.';
  }
  // An SMI TrafficSplit apex Service selects nothing on purpose: the mesh splits its traffic.
  const split = svc.name === undefined ? undefined
    : [...r.index.trafficSplitsFor(svc.name)].find((o) => namespacesCompatible(o.namespace, svc.namespace));
  if (split) {
    r.report('service-selects-nothing', svc.selectorKeySpan ?? svc.kindSpan,
      `${who} selects ${selText}, which matches no pod template; it is the apex Service of ${describe(split)}, so the mesh sends its traffic to the split's backends.`,
      { severity: 'information', related: [{ uri: split.uri, span: split.nameRef?.span ?? split.kindSpan, message: `${describe(split)} splits this Service's traffic` }] });
    return;
  }
  // Operators' custom resources may create the pods (Prometheus, CephCluster, HelmRelease...).
  const creators = [...r.index.possiblePodCreators()]
    .filter((o) => namespacesCompatible(o.namespace, svc.namespace))
    .map((o) => o.kind);
  const kinds = [...new Set(creators)].sort();
  if (kinds.length > 0) {
    message += ` Custom resources in scope (${kinds.slice(0, 4).join(', ')}${kinds.length > 4 ? ', …' : ''}) may create the pods at runtime.`;
  }
  r.report('service-selects-nothing', svc.selectorKeySpan ?? svc.kindSpan, message, {
    related, ...(kinds.length > 0 ? { severity: 'information' as const } : {}), ...(data ? { data } : {}),
  });
}

/** targetPort → container port, for every port of a Service that selects something. */
function checkTargetPorts(svc: Service, r: Reporter): void {
  const who = describe(svc);
  for (const port of svc.ports) {
    // A missing targetPort defaults to port; a port that is not a number is reported as
    // port-out-of-range and lands nowhere, so there is nothing to resolve.
    if (!port.targetPort && typeof port.port?.value !== 'number') continue;
    const targetRef = (port.targetPort ?? port.port)!;
    const landings = r.resolver.portLandings(svc, port);
    const target = targetRef.value;
    const portText = port.name?.value ? `port \`${String(port.name.value)}\`` : `port ${String(port.port?.value ?? '?')}`;
    if (typeof target === 'string' && target !== '') {
      if (ianaSvcName(target)) continue; // an invalid name is reported as port-name-invalid already
      // The same object defined in several files (variants of one app) declares the port if any definition does.
      const declaredBy = new Set(landings.filter((l) => l.containerPort).map((l) => resourceId(l.workload)));
      const seen = new Set<string>();
      const missing = landings.filter((l) => {
        const id = resourceId(l.workload);
        if (l.containerPort || declaredBy.has(id) || seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      if (missing.length === 0) continue;
      const all = declaredBy.size === 0;
      const declared = describeDeclared(missing, port.effectiveProtocol, target);
      const message = all
        ? `${who} ${portText}: targetPort \`${target}\` (${port.effectiveProtocol}) is not declared by any selected container${declared}. Traffic to this port is dropped.`
        : `${who} ${portText}: targetPort \`${target}\` is not declared by ${missing.map((l) => describe(l.workload)).join(', ')}${declared}; its pods get no traffic on this port.`;
      const suggestion = uniqueNameSuggestion(missing, port.effectiveProtocol);
      r.report('target-port-unresolved', targetRef.span, message, {
        related: missing.map((l) => ({ uri: l.workload.uri, span: l.workload.nameRef?.span ?? l.workload.kindSpan, message: `${describe(l.workload)} does not declare \`${target}\`` })),
        ...(all && suggestion ? { data: { type: 'replace' as const, span: r.rangeOf(svc.uri, targetRef.span)!, newText: suggestion, title: `Change targetPort to ${suggestion}` } } : {}),
      });
    } else if (typeof target === 'number' && target > 0) {
      // Declarations are informational in Kubernetes: only worth a note when the containers declare other ports.
      if (landings.some((l) => l.containerPort)) continue;
      const declaring = landings.filter((l) => declaresAnyPort(l.workload));
      if (declaring.length === 0) continue;
      const ports = declaredPorts(declaring.map((l) => l.workload));
      r.report('target-port-undeclared', (port.targetPort ?? port.port)!.span,
        `${who} ${portText}: targetPort ${target}${port.targetPort ? '' : ' (defaulted from port)'} is not declared by the selected containers, which declare ${ports}. Check that the application listens on ${target}.`,
        { related: declaring.map((l) => ({ uri: l.workload.uri, span: l.workload.nameRef?.span ?? l.workload.kindSpan, message: `${describe(l.workload)} declares ${declaredPorts([l.workload])}` })) });
    }
  }
}

function declaredPorts(workloads: readonly Workload[]): string {
  const out = new Set<string>();
  for (const w of workloads) for (const c of w.containers) {
    if (c.role === 'init') continue;
    for (const p of c.ports) {
      const n = p.containerPort?.value;
      out.add(`${p.name?.value ? `${String(p.name.value)}=` : ''}${String(n ?? '?')}${p.effectiveProtocol !== 'TCP' ? `/${p.effectiveProtocol}` : ''}`);
    }
  }
  return [...out].slice(0, 6).join(', ') + (out.size > 6 ? ', …' : '');
}

function describeDeclared(missing: readonly PortLanding[], protocol: string, target: string): string {
  const names: string[] = [];
  let otherProtocol = false;
  for (const l of missing) for (const c of l.workload.containers) {
    if (c.role === 'init') continue;
    for (const p of c.ports) {
      if (typeof p.name?.value !== 'string') continue;
      if (p.name.value === target && p.effectiveProtocol !== protocol) otherProtocol = true;
      names.push(`${p.name.value}${p.effectiveProtocol !== 'TCP' ? `/${p.effectiveProtocol}` : ''}`);
    }
  }
  if (otherProtocol) return ` (it is declared for another protocol; the name must match with protocol ${protocol})`;
  const uniq = [...new Set(names)];
  return uniq.length === 0 ? ' (they declare no named ports)' : ` (declared names: ${uniq.slice(0, 6).join(', ')})`;
}

/** The one named container port (same protocol) of the selected workloads, if there is exactly one. */
function uniqueNameSuggestion(missing: readonly PortLanding[], protocol: string): string | undefined {
  const names = new Set<string>();
  for (const l of missing) for (const c of l.workload.containers) {
    if (c.role === 'init') continue;
    for (const p of c.ports) if (typeof p.name?.value === 'string' && p.effectiveProtocol === protocol) names.add(p.name.value);
  }
  return names.size === 1 ? [...names][0] : undefined;
}

/** StatefulSet → governing Service: must exist and be headless for per-pod DNS names. */
export function checkStatefulSetService(w: Workload, r: Reporter): void {
  if (w.kind !== 'StatefulSet' || !w.serviceName || typeof w.serviceName.value !== 'string' || !w.serviceName.value) return;
  const name = w.serviceName.value;
  const services = r.resolver.servicesNamed(name, w.namespace, w.uri);
  if (services.length === 0) {
    r.report('statefulset-service-missing', w.serviceName.span,
      `${describe(w)}: serviceName \`${name}\` names no Service in scope; its pods get no stable DNS names (${w.name ?? 'pod'}-0.${name}...).`);
    return;
  }
  if (!services.some((s) => s.headless)) {
    const s = services[0]!;
    r.report('statefulset-service-not-headless', w.serviceName.span,
      `${describe(w)}: governing ${describe(s)} ${where(s, w.uri)} is not headless (clusterIP: None), so pods get no per-pod DNS names like ${w.name ?? 'pod'}-0.${name}.`,
      { related: [{ uri: s.uri, span: s.nameRef?.span ?? s.kindSpan, message: `${describe(s)} is not headless` }] });
  }
}
