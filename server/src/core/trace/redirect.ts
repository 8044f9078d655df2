import type { PathModifier, RouteFilter, RouteMatch } from '../model/resources';
import type { TraceRequest } from './types';
import { requestUrl, type RequestInput } from './url';

/**
 * RequestRedirect and URLRewrite as the Gateway API defines them (HTTPRequestRedirectFilter,
 * HTTPURLRewriteFilter, HTTPPathModifier), with the conformance tests' expectations.
 */

/**
 * ReplacePrefixMatch: the matched prefix's path elements are replaced, the rest kept (a trailing
 * `/` of either prefix or replacement ignored): /foo/bar with prefix /foo and /xyz → /xyz/bar;
 * /foo/ → /xyz/; replacement '' or '/' → /bar, / .
 */
export function replacePrefix(path: string, prefix: string, replacement: string): string {
  const n = prefix.split('/').filter((e) => e !== '').length;
  let i = 0;
  for (let k = 0; k < n; k++) {
    while (path[i] === '/') i++;
    while (i < path.length && path[i] !== '/') i++;
  }
  const rest = path.slice(i);
  const head = replacement.replace(/\/+$/, '');
  const out = head + rest;
  return out === '' ? '/' : out.startsWith('/') ? out : `/${out}`;
}

/** The path after a path modifier, or an error when the modifier cannot apply (ReplacePrefixMatch needs a PathPrefix match). */
export function modifiedPath(path: string, m: PathModifier | undefined, match: RouteMatch | undefined): { path: string } | { error: string } {
  if (!m) return { path };
  if (m.value === undefined) return { error: `path.type ${m.type || '(none)'} without its value` };
  if (m.type === 'ReplaceFullPath') return { path: m.value.startsWith('/') ? m.value : `/${m.value}` };
  if (m.type === 'ReplacePrefixMatch') {
    if (match?.path?.type !== 'PathPrefix') return { error: 'ReplacePrefixMatch needs the rule to match by PathPrefix; the implementation rejects the route (Accepted: False)' };
    return { path: replacePrefix(path, match.path.value, m.value) };
  }
  return { error: `unknown path modifier ${m.type}` };
}

const WELL_KNOWN: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * The Location a RequestRedirect answers with. Scheme and hostname default to the request's; the
 * port is the filter's, else the scheme's well-known port when the filter sets a scheme, else the
 * listener's (the port the request came in on), left out when it is the scheme's default. Trace
 * assumes the query string is kept (the spec does not say; Envoy-based implementations keep it).
 */
export function redirectLocation(req: RequestInput, f: NonNullable<RouteFilter['redirect']>, match: RouteMatch | undefined): { location: string } | { error: string } {
  const scheme = (f.scheme ?? req.scheme) as TraceRequest['scheme'];
  const port = f.port ?? (f.scheme ? WELL_KNOWN[f.scheme] ?? req.port : req.port);
  const p = modifiedPath(req.path, f.path, match);
  if ('error' in p) return p;
  return { location: requestUrl({ scheme, host: f.hostname ?? req.host, port, path: p.path, query: req.query }) };
}
