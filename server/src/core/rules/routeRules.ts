import {
  describe, isServiceBackendRef, isServiceParentRef, mirrorRefs, type BackendObjectRef, type ParentRef, type Route, type Service,
} from '../model/resources';
import { parentAttachment } from '../facts/attachment';
import { backendKind, groupText } from '../facts/backends';
import { crossNamespaceGranted, GATEWAY_GROUP } from '../facts/grants';
import type { Reporter } from './context';
import { portsText } from './ingressRules';
import { closestName } from '../facts/names';

/** Gateway API routes: parentRefs → Gateways, backendRefs → Services and ports, ReferenceGrants. */
export function checkRoute(route: Route, r: Reporter): void {
  const who = describe(route);
  for (const p of route.parentRefs) {
    if (p.kind !== 'Gateway' || p.group !== GATEWAY_GROUP || !p.name?.value) continue;
    const ns = p.namespace?.value ?? route.namespace;
    if (r.resolver.gatewaysNamed(p.name.value, ns, route.uri).length === 0) {
      r.report('route-gateway-missing', p.name.span,
        `${who} attaches to Gateway \`${p.name.value}\`${ns ? ` in namespace \`${ns}\`` : ''}, which is not in the workspace (it may be managed elsewhere); until it exists the route is not programmed.`);
    }
  }
  for (const b of route.backendRefs) checkBackendRef(route, b, r, 'backendRef', b.weight === 0);
  for (const m of mirrorRefs(route)) checkBackendRef(route, m, r, 'RequestMirror backendRef', false);
}

/** Mesh routes (every parent a Service) need no ReferenceGrant for backends in other namespaces (GEP-1294). */
const meshOnly = (route: Route) => route.parentRefs.length > 0 && route.parentRefs.every(isServiceParentRef);

function checkBackendRef(route: Route, b: BackendObjectRef, r: Reporter, what: string, zeroWeight: boolean): void {
  if (!b.name?.value) return;
  const who = describe(route);
  const name = b.name.value;
  const ns = b.namespace?.value ?? route.namespace;
  if (!isServiceBackendRef(b)) {
    if (backendKind(r.index, b, ns).kind === 'unknown') {
      r.report('route-backend-kind-unknown', b.name.span,
        `${who}: ${what} \`${name}\` is a ${b.kind} (group \`${groupText(b.group)}\`), which is neither a Service nor a backend kind Kube Traffic knows; an implementation that does not support it sets ResolvedRefs False (InvalidKind) and answers 500 for ${zeroWeight ? 'the requests it would get' : 'its share of the requests'}.`);
    }
    return;
  }
  if (!b.port || b.port.value === null) {
    r.report('route-service-port-missing', b.name.span,
      `${who}: ${what} to Service \`${name}\` has no \`port\`; the Gateway API requires a port for Service backends.`, { severity: 'error' });
  }
  const services = r.resolver.servicesNamed(name, ns, route.uri);
  const l7 = route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute';
  if (services.length === 0) {
    const suggestion = closestName(name, [...r.index.services()].filter((s) => !ns || !s.namespace || s.namespace === ns).map((s) => s.name));
    const effect = what !== 'backendRef' ? 'no copies are sent' : l7 ? 'requests sent to this backend get HTTP 500' : 'connections to this backend are refused';
    r.report('route-service-missing', b.name.span,
      `${who} ${what === 'backendRef' ? 'sends traffic' : 'mirrors requests'} to Service \`${name}\`, which does not exist${ns ? ` in namespace \`${ns}\`` : ''}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; ${effect}.`,
      suggestion ? { data: { type: 'replace', span: r.rangeOf(route.uri, b.name.span)!, newText: suggestion, title: `Change to ${suggestion}` } } : {});
  } else if (b.port && typeof b.port.value === 'number') {
    const port = b.port.value;
    if (!services.some((s) => (s.serviceType === 'ExternalName' && s.ports.length === 0) || r.resolver.findServicePort(s, { number: port }))) {
      const s = services[0]!;
      r.report('route-service-port-missing', b.port.span, `${who}: ${describe(s)} has no port ${port} (it has ${portsText(s)}).`,
        { related: [{ uri: s.uri, span: s.portsKeySpan ?? s.nameRef?.span ?? s.kindSpan, message: `ports of ${describe(s)}` }] });
    }
  }
  // Cross-namespace references need the target namespace's consent. When the route's namespace is
  // unset it may be applied into the target namespace, so only two explicit namespaces are checked.
  if (b.namespace?.value && route.namespace && b.namespace.value !== route.namespace && !meshOnly(route)) {
    const target = b.namespace.value;
    if (!crossNamespaceGranted(r.index, route, target, name)) {
      r.report('route-cross-namespace-without-grant', b.namespace.span,
        `${who} (namespace \`${route.namespace}\`) references Service \`${target}/${name}\`, but no ReferenceGrant in \`${target}\` allows ${route.kind}s from \`${route.namespace}\`; the reference is refused (ResolvedRefs=False).`);
    }
  }
}

/**
 * Attachment: a parentRef whose Gateway listeners all refuse the route (sectionName, port,
 * allowedRoutes kinds and namespaces, hostnames), or whose mesh Service (or its port) is missing.
 */
export function checkRouteAttachment(route: Route, r: Reporter): void {
  const who = describe(route);
  for (const p of route.parentRefs) {
    if (!p.name?.value) continue;
    const ns = p.namespace?.value ?? route.namespace;
    if (p.kind === 'Gateway' && p.group === GATEWAY_GROUP) {
      const att = parentAttachment(r.index, r.resolver, route, p);
      const problem = att?.problem;
      if (!att || !problem) continue;
      r.report(problem.code, problem.span, problem.message,
        { related: problem.related.map((x) => ({ uri: att.gateway.uri, span: x.listener.nameSpan ?? x.listener.span, message: x.why.replace(/`/g, '') })) });
      continue;
    }
    if (!isServiceParentRef(p)) continue;
    const candidates = r.resolver.servicesNamed(p.name.value, ns, route.uri);
    const svc = candidates.find((s) => portsCover(s, p)) ?? candidates[0];
    if (!svc) {
      r.report('route-parent-service-missing', p.name.span,
        `${who} is a mesh route (GAMMA) of Service \`${p.name.value}\`${ns ? ` in namespace \`${ns}\`` : ''}, which is not in the workspace; it takes over no traffic until the Service exists.`);
      continue;
    }
    const related = [{ uri: svc.uri, span: svc.portsKeySpan ?? svc.nameRef?.span ?? svc.kindSpan, message: `ports of ${describe(svc)}` }];
    if (p.sectionName !== undefined && !svc.ports.some((sp) => sp.name?.value === p.sectionName)) {
      r.report('route-section-name-missing', p.sectionNameSpan ?? p.name.span,
        `${who} attaches to port \`${p.sectionName}\` of ${describe(svc)}, which has no port of that name (it has ${portsText(svc)}); the mesh route applies to nothing (Accepted: False).`, { related });
    } else if (p.port !== undefined && !svc.ports.some((sp) => sp.port?.value === p.port && (p.sectionName === undefined || sp.name?.value === p.sectionName))) {
      r.report('route-parent-port-missing', p.portSpan ?? p.name.span,
        `${who} attaches to port ${p.port} of ${describe(svc)}, which has no such port${p.sectionName !== undefined ? ` named \`${p.sectionName}\`` : ''} (it has ${portsText(svc)}); the mesh route applies to nothing (Accepted: False).`, { related });
    }
  }
}

/** Does a Service have the port a mesh parentRef names (`port` and/or `sectionName`, a port name)? */
function portsCover(svc: Service, p: ParentRef): boolean {
  return svc.ports.some((sp) => (p.port === undefined || sp.port?.value === p.port) && (p.sectionName === undefined || sp.name?.value === p.sectionName));
}
