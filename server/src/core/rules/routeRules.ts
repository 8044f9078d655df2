import { describe, isServiceBackendRef, type BackendRef, type Route } from '../model/resources';
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
  for (const b of route.backendRefs) checkBackendRef(route, b, r);
}

function checkBackendRef(route: Route, b: BackendRef, r: Reporter): void {
  if (!isServiceBackendRef(b) || !b.name?.value) return;
  const who = describe(route);
  const name = b.name.value;
  const ns = b.namespace?.value ?? route.namespace;
  if (!b.port || b.port.value === null) {
    r.report('route-service-port-missing', b.name.span,
      `${who}: backendRef to Service \`${name}\` has no \`port\`; the Gateway API requires a port for Service backends.`, { severity: 'error' });
  }
  const services = r.resolver.servicesNamed(name, ns, route.uri);
  if (services.length === 0) {
    const suggestion = closestName(name, [...r.index.services()].filter((s) => !ns || !s.namespace || s.namespace === ns).map((s) => s.name));
    r.report('route-service-missing', b.name.span,
      `${who} sends traffic to Service \`${name}\`, which does not exist${ns ? ` in namespace \`${ns}\`` : ''}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}; ${route.kind === 'HTTPRoute' || route.kind === 'GRPCRoute' ? 'requests sent to this backend get HTTP 500' : 'connections to this backend are refused'}.`,
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
  if (b.namespace?.value && route.namespace && b.namespace.value !== route.namespace) {
    const target = b.namespace.value;
    if (!crossNamespaceGranted(r.index, route, target, name)) {
      r.report('route-cross-namespace-without-grant', b.namespace.span,
        `${who} (namespace \`${route.namespace}\`) references Service \`${target}/${name}\`, but no ReferenceGrant in \`${target}\` allows ${route.kind}s from \`${route.namespace}\`; the reference is refused (ResolvedRefs=False).`);
    }
  }
}
