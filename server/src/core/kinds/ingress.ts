import type { FeatureContext } from '../facts/context';
import { exampleUrlForIngressPath } from '../facts/exampleUrl';
import { backendHover, backendSummary, curl, noPodsNote } from '../facts/hoverText';
import { nameLoc, loc, type Location } from '../facts/location';
import { code, codeName } from '../facts/markdown';
import type { Ingress, IngressBackend, IngressPath, ResourceBase } from '../model/resources';
import { asMap, findPair, get, getMap, getScalar, getSeq, getString, keySpan, nodeSpan, scalarRef, seqItems, type AnyNode, type MapNode, type DocRef } from '../model/yamlAccess';
import { ingressEdgeDenial } from '../policy/edgePolicy';
import type { IngressDetails } from '../graph/types';
import type { Span } from '../types';
import { ingressShapeOf } from './ingressFields';
import { hoverOnly, inside, type KindHome, type Located } from './kind';

/** Ingress: backends, paths and hosts (networking.k8s.io/v1 and the old extensions/v1beta1 form). */

const name = codeName;

export const ingressHome: KindHome<Ingress> = {
  type: 'ingress',
  modelledKinds: ['Ingress'],

  extract(base, root, doc) {
    return base.kind === 'Ingress' && /^(networking\.k8s\.io|extensions)\//.test(base.apiVersion) ? ingressOf(base, root, doc) : undefined;
  },

  index(r, t, add) {
    t.ingresses.put(add, r);
    for (const backend of r.backends) if (backend.serviceName?.value) t.ingressBackends.put(add, r.namespace, backend.serviceName.value, r);
  },

  locate(ing, offset) {
    for (const b of ing.backends) {
      if (inside(b.serviceName?.span, offset)) return backendAt(ing, b, 'name', b.serviceName!.span);
      const portSpan = b.port?.number?.span ?? b.port?.name?.span;
      if (inside(portSpan, offset)) return backendAt(ing, b, 'port', portSpan);
    }
    for (const p of ing.paths) {
      for (const span of [p.path?.span, p.pathKeySpan, p.pathType?.span]) if (inside(span, offset)) return hoverOnly(span, (a) => ingressPathHover(a, ing, p));
    }
    for (const span of [ing.nameRef?.span, ing.kindSpan]) {
      if (inside(span, offset)) {
        return hoverOnly(span, (a) => `**Ingress ${name(ing)}**${ing.ingressClassName ? ` (class ${code(ing.ingressClassName)})` : ''}\n\n${ing.backends.map((b) => `- ${b.isDefault ? 'default backend' : code(`${b.host ?? '*'}${String(b.path?.value ?? '')}`)} → ${backendSummary(a, ing.namespace, ing.uri, b.serviceName?.value, b.port?.number?.value ?? b.port?.name?.value)}`).join('\n')}`);
      }
    }
    return undefined;
  },

  node: (r) => ({ kind: 'Ingress', details: ingressDetails(r) }),

  graph(ing, g) {
    const { index, resolver } = g.ctx;
    const id = g.resource(ing);
    g.entry('internet', id, ing.hosts.length ? ing.hosts.join(', ') : '*');
    for (const b of ing.backends) {
      const svcName = b.serviceName?.value;
      if (!svcName) continue;
      const portRef = b.port?.number && typeof b.port.number.value === 'number' ? { number: b.port.number.value }
        : b.port?.name && typeof b.port.name.value === 'string' ? { name: b.port.name.value } : undefined;
      const where = b.isDefault ? 'default' : `${b.host ?? '*'}${typeof b.path?.value === 'string' ? b.path.value : ''}`;
      const label = `${where} → ${portRef?.number ?? portRef?.name ?? '?'}`;
      const svc = resolver.servicesNamed(svcName, ing.namespace, ing.uri)[0];
      if (!svc) {
        g.edge({ from: id, to: g.missing('Service', ing.namespace, svcName), kind: 'routes', label, broken: true, message: `Service ${svcName} does not exist.` });
        continue;
      }
      const portOk = !portRef || (svc.serviceType === 'ExternalName' && svc.ports.length === 0) || !!resolver.findServicePort(svc, portRef);
      const denied = portOk ? ingressEdgeDenial(index, svc, portRef ? resolver.findServicePort(svc, portRef) : undefined, resolver.selectedWorkloads(svc)) : undefined;
      g.edge({
        from: id, to: g.resource(svc), kind: 'routes', label, broken: !portOk,
        ...(portOk ? {} : { message: `Service ${svcName} has no port ${portRef?.number ?? portRef?.name}.` }),
        ...(denied ? { policy: 'denied' as const, policyMessage: denied } : {}),
      });
    }
  },
};

function backendAt(ing: Ingress, b: IngressBackend, field: 'name' | 'port', span: Span): Located {
  const definitions = (a: FeatureContext): Location[] => {
    const svcName = b.serviceName?.value;
    if (!svcName) return [];
    const services = a.resolver.servicesNamed(svcName, ing.namespace, ing.uri);
    if (field === 'name') return services.flatMap((s) => nameLoc(a, s));
    const port = b.port?.number?.value ?? b.port?.name?.value;
    return services.flatMap((s) => {
      const p = typeof port === 'number' ? a.resolver.findServicePort(s, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(s, { name: port }) : undefined;
      return p ? loc(a, s.uri, (typeof port === 'string' ? p.name?.span : p.port?.span) ?? p.span) : [];
    });
  };
  return {
    span,
    hover: (a) => backendHover(a, 'Ingress backend', ing.namespace, ing.uri, b.serviceName?.value, b.port?.number?.value ?? b.port?.name?.value),
    definitions, references: definitions,
  };
}

function ingressPathHover(a: FeatureContext, ing: Ingress, p: IngressPath): string {
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

function ingressOf(base: ResourceBase, root: MapNode, doc: DocRef): Ingress {
  const legacy = !base.apiVersion.endsWith('/v1');
  const spec = getMap(root, 'spec', doc);
  const backends: IngressBackend[] = [];
  const paths: IngressPath[] = [];
  const hosts: string[] = [];

  const backendOf = (node: AnyNode, extra: Omit<IngressBackend, 'serviceName' | 'port' | 'span'>): IngressBackend | undefined => {
    const b = asMap(node);
    if (!b) return undefined;
    if (legacy) {
      const serviceName = getString(b, 'serviceName', doc);
      const sp = getScalar(b, 'servicePort', doc);
      const port = sp ? {
        number: typeof sp.value === 'number' ? sp : undefined,
        name: typeof sp.value === 'string' ? sp : undefined,
        span: sp.span,
      } : undefined;
      if (!serviceName && !port) return undefined;
      return { ...extra, serviceName, port, span: nodeSpan(b)! };
    }
    const svc = getMap(b, 'service', doc);
    if (!svc) return undefined; // `resource:` backends point at other kinds (e.g. a bucket)
    const portMap = getMap(svc, 'port', doc);
    return {
      ...extra,
      serviceName: getString(svc, 'name', doc),
      port: portMap ? {
        number: getScalar(portMap, 'number', doc), name: getScalar(portMap, 'name', doc), span: nodeSpan(portMap)!,
      } : undefined,
      span: nodeSpan(svc)!,
    };
  };

  const def = backendOf(get(spec, legacy ? 'backend' : 'defaultBackend', doc), {
    host: undefined, path: undefined, pathType: undefined, isDefault: true,
  }) ?? (legacy ? undefined : backendOf(get(spec, 'backend', doc), { host: undefined, path: undefined, pathType: undefined, isDefault: true }));
  if (def) backends.push(def);

  for (const ruleNode of seqItems(getSeq(spec, 'rules', doc), doc)) {
    const rule = asMap(ruleNode);
    if (!rule) continue;
    const host = getString(rule, 'host', doc)?.value;
    if (host) hosts.push(host);
    const http = getMap(rule, 'http', doc);
    let pathSeq = getSeq(http, 'paths', doc);
    let misplaced: Span | undefined;
    if (!pathSeq && !http) {
      // `paths` typed at the depth of `http:` (which is then empty): recover so backends still resolve.
      const stray = findPair(rule, 'paths', doc);
      pathSeq = getSeq(rule, 'paths', doc);
      if (stray && pathSeq) misplaced = keySpan(stray);
    }
    for (const pNode of seqItems(pathSeq, doc)) {
      const p = asMap(pNode);
      if (!p) continue;
      const path = getScalar(p, 'path', doc);
      const pathType = getScalar(p, 'pathType', doc);
      const backend = backendOf(get(p, 'backend', doc), {
        host, path, pathType, isDefault: false, ...(misplaced ? { misplacedPaths: misplaced } : {}),
      });
      if (backend) backends.push(backend);
      paths.push({ span: nodeSpan(p)!, host, path, pathKeySpan: keySpan(findPair(p, 'path', doc)), pathType, backend });
    }
  }
  const tlsHosts = seqItems(getSeq(spec, 'tls', doc), doc).flatMap((t) =>
    seqItems(getSeq(asMap(t), 'hosts', doc), doc).map((h) => scalarRef(h)?.value).filter((h): h is string => typeof h === 'string'));
  return {
    ...base, type: 'ingress', legacy,
    ingressClassName: getString(spec, 'ingressClassName', doc)?.value,
    backends, paths, hosts, tlsHosts,
    shape: ingressShapeOf(root, doc),
  };
}

/** The topology's details of an Ingress node. */
function ingressDetails(ing: Ingress): IngressDetails {
  return { ...(ing.ingressClassName !== undefined ? { ingressClassName: ing.ingressClassName } : {}), hosts: ing.hosts, tls: ing.tlsHosts };
}
