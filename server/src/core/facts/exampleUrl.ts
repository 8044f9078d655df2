import { namespacesCompatible, type Gateway, type GatewayListener, type Ingress, type IngressPath, type Route } from '../model/resources';
import { gatewayHostMatch, ingressHostMatch, regexMatches } from './match';

/** A request that reaches a given rule: the URL plus what a URL cannot carry (method, headers). */
export interface ExampleRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: readonly { readonly name: string; readonly value: string }[];
}

/** Placeholders for an address the manifests do not give. */
export const INGRESS_ADDRESS = 'INGRESS_IP';
export const GATEWAY_ADDRESS = 'GATEWAY_IP';

/** A concrete host for a host pattern: `*.example.com` → `foo.example.com`. */
function concreteHost(pattern: string): string {
  return pattern.startsWith('*.') ? `foo${pattern.slice(1)}` : pattern;
}

/**
 * An example URL that reaches an Ingress path: https when the host is listed under `tls`, the
 * rule's host (a wildcard filled in), and the path itself (which matches both Exact and Prefix).
 */
export function exampleUrlForIngressPath(ingress: Ingress, path: IngressPath): ExampleRequest {
  const host = path.host ? concreteHost(path.host) : INGRESS_ADDRESS;
  const tls = path.host !== undefined && ingress.tlsHosts.some((h) => h === path.host || ingressHostMatch(h, host) !== undefined && h !== '');
  const value = typeof path.path?.value === 'string' && path.path.value !== '' ? path.path.value : '/';
  return { url: `${tls ? 'https' : 'http'}://${host}${value.startsWith('/') ? value : `/${value}`}` };
}

/**
 * An example request that reaches one match of an HTTPRoute rule through the first attached
 * Gateway listener found among `gateways`. A RegularExpression path yields its literal prefix
 * when that prefix itself matches; otherwise there is no example (undefined).
 */
export function exampleUrlForRouteMatch(route: Route, ruleIndex: number, matchIndex: number, gateways: Iterable<Gateway>): ExampleRequest | undefined {
  const match = route.rules[ruleIndex]?.matches[matchIndex];
  if (!match) return undefined;
  const listener = attachedListener(route, gateways);
  const host = pickHost(route, listener);
  const https = listener?.protocol?.toUpperCase() === 'HTTPS';
  const defaultPort = https ? 443 : 80;
  const port = listener?.port !== undefined && listener.port !== defaultPort ? `:${listener.port}` : '';
  let path = '/';
  if (match.path) {
    if (match.path.type === 'RegularExpression') {
      const literal = literalPrefix(match.path.value);
      if (regexMatches(match.path.value, literal) !== true) return undefined;
      path = literal;
    } else path = match.path.value;
  } else if (match.grpc) {
    if (!match.grpc.service || !match.grpc.method || match.grpc.type === 'RegularExpression') return undefined;
    path = `/${match.grpc.service}/${match.grpc.method}`;
  }
  const query = match.queryParams.filter((q) => q.type !== 'RegularExpression');
  if (query.length !== match.queryParams.length) return undefined;
  const headers = match.headers.filter((h) => h.type !== 'RegularExpression');
  if (headers.length !== match.headers.length) return undefined;
  const qs = query.length ? `?${query.map((q) => `${encodeURIComponent(q.name)}=${encodeURIComponent(q.value)}`).join('&')}` : '';
  return {
    url: `${https ? 'https' : 'http'}://${host}${port}${path}${qs}`,
    ...(match.method || match.grpc ? { method: match.method ?? 'POST' } : {}),
    ...(headers.length ? { headers: headers.map((h) => ({ name: h.name, value: h.value })) } : {}),
  };
}

/** The listener a route attaches to (by parentRef name, namespace, sectionName and port), HTTPS preferred. */
function attachedListener(route: Route, gateways: Iterable<Gateway>): GatewayListener | undefined {
  const found: GatewayListener[] = [];
  for (const gw of gateways) {
    for (const p of route.parentRefs) {
      if (p.kind !== 'Gateway' || p.name?.value !== gw.name || !namespacesCompatible(p.namespace?.value ?? route.namespace, gw.namespace)) continue;
      for (const l of gw.listeners) {
        if ((p.sectionName === undefined || p.sectionName === l.name) && (p.port === undefined || p.port === l.port)) found.push(l);
      }
    }
  }
  // A listener whose hostname fits the route's hostnames; among them HTTPS first.
  const fits = found.filter((l) => route.hostnames.length === 0 || !l.hostname
    || route.hostnames.some((h) => gatewayHostMatch(l.hostname, concreteHost(h)) || gatewayHostMatch(h, concreteHost(l.hostname!))));
  return fits.find((l) => l.protocol?.toUpperCase() === 'HTTPS') ?? fits[0];
}

function pickHost(route: Route, listener: GatewayListener | undefined): string {
  const exact = route.hostnames.find((h) => !h.startsWith('*.'));
  if (exact) return exact;
  // A wildcard route hostname narrower than the listener's is the more specific pattern.
  const wild = route.hostnames[0];
  if (wild) return concreteHost(listener?.hostname && !listener.hostname.startsWith('*.') ? listener.hostname : wild);
  return listener?.hostname ? concreteHost(listener.hostname) : GATEWAY_ADDRESS;
}

/** The literal text a regular expression starts with (`/api/v[0-9]+` → `/api/v`), anchors removed. */
function literalPrefix(re: string): string {
  let out = '';
  const src = re.startsWith('^') ? re.slice(1) : re;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length && /[./\-]/.test(src[i + 1]!)) { out += src[++i]; continue; }
    if (/[.*+?()[\]{}|^$\\]/.test(c)) {
      // A quantifier applies to the previous character, which is then not certain.
      if (/[*?{]/.test(c)) out = out.slice(0, -1);
      break;
    }
    out += c;
  }
  return out || '/';
}
