import type { FeatureContext } from '../facts/context';
import { meshRole, parentAttachment, routeGatewayAttachments } from '../facts/attachment';
import { backendKind, groupText } from '../facts/backends';
import { exampleUrlForRouteMatch } from '../facts/exampleUrl';
import { filterText } from '../facts/filters';
import { backendHover, backendSummary, curl, noPodsNote } from '../facts/hoverText';
import { loc, nameLoc, type Location } from '../facts/location';
import { code, codeName } from '../facts/markdown';
import {
  isServiceBackendRef, isServiceParentRef, type BackendObjectRef, type BackendRef, type ParentRef,
  type Route, type RouteFilter,
} from '../model/resources';
import type { Span } from '../types';
import type { Located } from './kind';

/** What the editor says about a route's elements (the hover half of the route home, kinds/route.ts). */

const name = codeName;

export function routeHover(a: FeatureContext, r: Route): string {
  const lines = [`**${r.kind} ${name(r)}**${r.hostnames.length ? ` for ${r.hostnames.map(code).join(', ')}` : ''}`, ''];
  lines.push(...r.backendRefs.map((b) => `- ${backendLine(a, r, b)}`));
  const attach: string[] = [];
  for (const att of routeGatewayAttachments(a.index, a.resolver, r)) {
    const took = att.listeners.filter((v) => !v.refusal).map((v) => code(v.listener.name ?? '?'));
    attach.push(att.problem ? `⚠ Not attached to Gateway ${name(att.gateway)}: ${att.problem.code}.` : `Attached to Gateway ${name(att.gateway)} (listener${took.length === 1 ? '' : 's'} ${took.join(', ')}).`);
  }
  for (const p of r.parentRefs.filter(isServiceParentRef)) {
    const svc = p.name?.value ? a.resolver.servicesNamed(p.name.value, p.namespace?.value ?? r.namespace, r.uri)[0] : undefined;
    attach.push(svc ? `Mesh route (GAMMA) of Service ${name(svc)}: a ${meshRole(r, svc)} route${meshRole(r, svc) === 'consumer' ? `, for clients in ${code(r.namespace ?? '')} only` : ', for every client'}.`
      : `Mesh route (GAMMA) of Service ${code(String(p.name?.value ?? ''))}, which is **not in the workspace**.`);
  }
  if (attach.length) lines.push('', ...attach);
  return lines.join('\n');
}

function backendLine(a: FeatureContext, r: Route, b: BackendRef): string {
  const ns = b.namespace?.value ?? r.namespace;
  const weight = b.weight === 0 ? ' (weight 0: receives no traffic)' : b.weight !== undefined ? ` (weight ${b.weight})` : '';
  if (!isServiceBackendRef(b)) {
    const k = backendKind(a.index, b, ns);
    return `${b.kind} ${code(b.name?.value ?? '?')}${weight}: ${k.kind === 'unknown' ? '**not a Service nor a known backend kind: requests get 500**' : `${k.kind === 'other' ? k.why : ''}, not traced`}`;
  }
  return `${backendSummary(a, ns, r.uri, b.name?.value, b.port?.value)}${weight}`;
}

export function backendRefAt(route: Route, ref: BackendObjectRef, field: 'name' | 'port', span: Span, what = `${route.kind} backendRef`): Located {
  const ns = ref.namespace?.value ?? route.namespace;
  const definitions = (a: FeatureContext): Location[] => {
    const svcName = ref.name?.value;
    if (!svcName || !isServiceBackendRef(ref)) return [];
    const services = a.resolver.servicesNamed(svcName, ns, route.uri);
    if (field === 'name') return services.flatMap((s) => nameLoc(a, s));
    const port = ref.port?.value;
    return services.flatMap((s) => {
      const p = typeof port === 'number' ? a.resolver.findServicePort(s, { number: port }) : typeof port === 'string' ? a.resolver.findServicePort(s, { name: port }) : undefined;
      return p ? loc(a, s.uri, (typeof port === 'string' ? p.name?.span : p.port?.span) ?? p.span) : [];
    });
  };
  const hover = (a: FeatureContext): string => {
    if (!isServiceBackendRef(ref)) {
      const k = backendKind(a.index, ref, ns);
      return k.kind === 'unknown'
        ? `**${what}** → ${ref.kind} ${code(ref.name?.value ?? '?')} (group ${code(groupText(ref.group))}): not a Service and not a backend kind Kube Traffic knows. The implementation sets ResolvedRefs False (InvalidKind) and answers **500** for the requests it would get.`
        : `**${what}** → ${ref.kind} ${code(ref.name?.value ?? '?')}: ${k.kind === 'other' ? k.why : ''}; not traced.`;
    }
    const zero = (ref as Partial<BackendRef>).weight === 0 ? '\n\nWeight 0: this backend receives no traffic.' : '';
    return backendHover(a, what, ns, route.uri, ref.name?.value, ref.port?.value) + zero;
  };
  return { span, hover, definitions, references: definitions };
}

export function parentRefAt(route: Route, ref: ParentRef, span: Span): Located {
  const ns = ref.namespace?.value ?? route.namespace;
  const definitions = (a: FeatureContext): Location[] => {
    if (!ref.name?.value) return [];
    if (isServiceParentRef(ref)) return a.resolver.servicesNamed(ref.name.value, ns, route.uri).flatMap((s) => nameLoc(a, s));
    if (ref.kind !== 'Gateway') return [];
    return a.resolver.gatewaysNamed(ref.name.value, ns, route.uri).flatMap((g) => nameLoc(a, g));
  };
  const hover = (a: FeatureContext): string => {
    const refName = String(ref.name?.value ?? '');
    if (isServiceParentRef(ref)) {
      const svc = a.resolver.servicesNamed(refName, ns, route.uri)[0];
      if (!svc) return `**Service ${code(refName)}** is not in the workspace: this mesh route attaches to nothing.`;
      const role = meshRole(route, svc);
      const ports = ref.port !== undefined ? `port ${code(ref.port)}` : ref.sectionName !== undefined ? `port ${code(ref.sectionName)}` : 'every port';
      return `**Mesh route (GAMMA) on Service ${name(svc)}**, ${ports}\n\nA ${role} route: ${role === 'producer' ? 'it decides in-cluster requests to the Service from every namespace' : `it decides requests to the Service from clients in ${code(route.namespace ?? '')} only; other clients use the producer routes`}. A request that matches none of the Service's routes is rejected.`;
    }
    const att = parentAttachment(a.index, a.resolver, route, ref);
    if (!att) return `**${ref.kind} ${code(refName)}** is not in the workspace.`;
    const gw = att.gateway;
    const verdict = new Map(att.listeners.map((v) => [v.listener, v]));
    const rows = gw.listeners.map((l) => {
      const v = verdict.get(l);
      const mark = !v ? '·' : v.refusal ? '✗' : v.namespace === 'unknown' ? '?' : '✓';
      const why = !v ? ' (not named by this parentRef)' : v.refusal ? `: ${v.refusal.why}` : v.namespace === 'unknown' ? `: ${v.namespaceWhy}` : '';
      return `- ${mark} listener ${code(l.name ?? '?')}: ${l.protocol ?? '?'} ${l.port ?? '?'}${l.hostname ? ` for ${code(l.hostname)}` : ''}${why}`;
    });
    const head = `**Gateway ${name(gw)}**${gw.gatewayClassName ? ` (class ${code(gw.gatewayClassName)})` : ''}`;
    return [head, '', ...rows, ...(att.problem ? ['', `⚠ ${att.problem.code}: the route does not attach through this parentRef.`] : [])].join('\n');
  };
  return { span, hover, definitions, references: definitions };
}

export function filterHover(route: Route, f: RouteFilter): string {
  const lines = [`**${route.kind} ${name(route)}** filter: ${filterText(f)}`];
  if (f.redirect) lines.push('', `The Gateway answers with a ${f.redirect.statusCode} redirect instead of forwarding${f.redirect.port === undefined && !f.redirect.scheme ? '; the Location keeps the listener\'s port' : ''}. Trace it with ${code('kube-traffic trace --follow')}.`);
  if (f.mirror) lines.push('', 'Copies of the requests go to the mirror too; its answers are ignored.');
  if (f.rewrite) lines.push('', 'The backend sees the rewritten Host and path; the client\'s URL does not change.');
  return lines.join('\n');
}

export function routeMatchHover(a: FeatureContext, route: Route, rule: number, match: number): string {
  const ex = exampleUrlForRouteMatch(route, rule, match, a.index.gateways());
  const m = route.rules[rule]!.matches[match]!;
  const conditions = [
    m.path ? `path ${m.path.type} ${code(m.path.value)}` : undefined,
    m.method ? `method ${code(m.method)}` : undefined,
    ...m.headers.map((h) => `header ${code(`${h.name}: ${h.value}`)}${h.type === 'RegularExpression' ? ' (regex)' : ''}`),
    ...m.queryParams.map((q) => `query ${code(`${q.name}=${q.value}`)}${q.type === 'RegularExpression' ? ' (regex)' : ''}`),
  ].filter((x): x is string => !!x);
  const lines = [`**${route.kind} ${name(route)}** rule ${rule + 1}, match ${match + 1}: ${conditions.join(', ') || 'every request'}`, ''];
  for (const f of route.rules[rule]!.filters) lines.push(`Filter: ${filterText(f)}`, '');
  // The rule's Service backends, and those that would answer with no pod.
  const backends = route.backendRefs.filter((b) => b.ruleIndex === rule && isServiceBackendRef(b));
  const notes: string[] = [];
  for (const b of backends) {
    const ns = b.namespace?.value ?? route.namespace;
    lines.push(`→ ${backendLine(a, route, b)}`);
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
