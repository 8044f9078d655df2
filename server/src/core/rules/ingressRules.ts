import { describe, type Ingress, type IngressBackend, type IngressPath, type Service } from '../model/resources';
import type { Reporter } from './context';
import { closestName } from '../facts/names';

/** Ingress backends → Services and ports; paths and pathTypes as the API server validates them. */
export function checkIngress(ing: Ingress, r: Reporter): void {
  for (const b of ing.backends) checkBackend(ing, b, r);
  for (const p of ing.paths) checkPath(ing, p, r);
}

function routeText(b: IngressBackend): string {
  if (b.isDefault) return 'the default backend';
  const path = typeof b.path?.value === 'string' ? b.path.value : '';
  return `\`${b.host ?? '*'}${path}\``;
}

function checkBackend(ing: Ingress, b: IngressBackend, r: Reporter): void {
  if (!b.serviceName || !b.serviceName.value) return;
  const name = b.serviceName.value;
  const services = r.resolver.servicesNamed(name, ing.namespace, ing.uri);
  const who = describe(ing);
  if (services.length === 0) {
    const suggestion = closestName(name, [...r.index.services()].filter((s) => s.namespace === undefined || ing.namespace === undefined || s.namespace === ing.namespace).map((s) => s.name));
    const misplaced = b.misplacedPaths
      ? ' Note: `paths` is written beside `http:` instead of under it, so the API server sees an empty `http` rule; indent `paths` under `http:`.' : '';
    r.report('ingress-service-missing', b.serviceName.span,
      `${who} sends ${routeText(b)} to Service \`${name}\`, which does not exist${ing.namespace ? ` in namespace \`${ing.namespace}\`` : ''}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}.${misplaced}`,
      suggestion ? { data: { type: 'replace', span: r.rangeOf(ing.uri, b.serviceName.span)!, newText: suggestion, title: `Change to ${suggestion}` } } : {});
    return;
  }
  if (!b.port) return;
  const ref = b.port.number && typeof b.port.number.value === 'number' ? { number: b.port.number.value }
    : b.port.name && typeof b.port.name.value === 'string' ? { name: b.port.name.value } : undefined;
  if (!ref) return;
  // An ExternalName Service without ports forwards whatever port the controller uses.
  if (services.some((s) => s.serviceType === 'ExternalName' && s.ports.length === 0)) return;
  if (services.some((s) => r.resolver.findServicePort(s, ref))) return;
  const s = services[0]!;
  const span = (ref.number !== undefined ? b.port.number?.span : b.port.name?.span) ?? b.port.span;
  r.report('ingress-service-port-missing', span,
    `${who} sends ${routeText(b)} to ${describe(s)} port ${ref.number ?? `\`${ref.name}\``}, but the Service has ${portsText(s)}.`,
    { related: [{ uri: s.uri, span: s.portsKeySpan ?? s.nameRef?.span ?? s.kindSpan, message: `ports of ${describe(s)}` }] });
}

export function portsText(s: Service): string {
  if (s.ports.length === 0) return 'no ports';
  return 'ports ' + s.ports.map((p) => `${p.name?.value ? `${String(p.name.value)}=` : ''}${String(p.port?.value ?? '?')}`).join(', ');
}

const PATH_TYPES = new Set(['Exact', 'Prefix', 'ImplementationSpecific']);
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const BAD_SUFFIXES = ['/..', '/.'];

function checkPath(ing: Ingress, p: IngressPath, r: Reporter): void {
  const who = describe(ing);
  const pt = p.pathType?.value;
  if (!p.pathType || pt === null || pt === '') {
    if (!ing.legacy) {
      r.report('ingress-path-invalid', p.pathKeySpan ?? p.span,
        `${who}: \`pathType\` is required in networking.k8s.io/v1 (Exact, Prefix or ImplementationSpecific).`);
    }
    return;
  }
  if (typeof pt !== 'string' || !PATH_TYPES.has(pt)) {
    r.report('ingress-path-invalid', p.pathType.span, `${who}: pathType \`${String(pt)}\` is not one of Exact, Prefix, ImplementationSpecific (case-sensitive).`);
    return;
  }
  const path = p.path?.value;
  const span = p.path?.span ?? p.pathType.span;
  if (pt === 'ImplementationSpecific') {
    // Any syntax the controller understands (regexes included), but still a path: absolute when set.
    if (typeof path === 'string' && path !== '' && !path.startsWith('/')) {
      r.report('ingress-path-invalid', span, `${who}: an ImplementationSpecific path must still be absolute when set (start with \`/\`); \`${path}\` is not.`);
    }
    return;
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    r.report('ingress-path-invalid', span, `${who}: a ${pt} path must be an absolute path starting with \`/\`${typeof path === 'string' ? `; \`${path}\` is not` : ''}.`);
    return;
  }
  const seq = BAD_SEQUENCES.find((s) => path.includes(s));
  const suf = BAD_SUFFIXES.find((s) => path.endsWith(s));
  if (seq || suf) {
    r.report('ingress-path-invalid', span, `${who}: path \`${path}\` ${seq ? `contains \`${seq}\`` : `ends with \`${suf}\``}, which the API server rejects for pathType ${pt}.`);
  }
}
