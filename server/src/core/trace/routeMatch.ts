import type { RouteMatch, RouteValueMatch } from '../model/resources';
import { prefixMatches, regexMatches } from '../facts/match';
import type { TraceHeader, TraceQueryParam } from './types';

/** The parts of a request HTTPRoute and GRPCRoute matches look at. */
export interface MatchableRequest {
  readonly path: string;
  readonly method: string;
  readonly headers: readonly TraceHeader[];
  readonly query: readonly TraceQueryParam[];
}

/** Does one match (all its conditions, ANDed) accept the request? Returns the failed condition otherwise. */
export function routeMatchFails(m: RouteMatch, req: MatchableRequest): string | undefined {
  if (m.path) {
    const { type, value } = m.path;
    if (type === 'Exact' && req.path !== value) return `path is not exactly ${value}`;
    if (type === 'PathPrefix' && !prefixMatches(value, req.path)) return `path has no prefix ${value}`;
    if (type === 'RegularExpression') {
      const r = regexMatches(value, req.path);
      if (r !== true) return r === 'invalid' ? `path regex ${value} is not valid` : `path does not match regex ${value}`;
    }
  }
  if (m.grpc) {
    const fail = grpcFails(m.grpc, req.path);
    if (fail) return fail;
  }
  if (m.method && m.method.toUpperCase() !== req.method) return `method is not ${m.method}`;
  for (const h of m.headers) {
    // Header names are case-insensitive; several values of one header are not combined here.
    const got = req.headers.find((x) => x.name.toLowerCase() === h.name.toLowerCase())?.value;
    if (!valueMatches(h, got)) return `header ${h.name} ${describeValue(h)} (got ${got === undefined ? 'none' : got})`;
  }
  for (const q of m.queryParams) {
    // Query parameter names are case-sensitive; the first value counts.
    const got = req.query.find((x) => x.name === q.name)?.value;
    if (!valueMatches(q, got)) return `query ${q.name} ${describeValue(q)} (got ${got === undefined ? 'none' : got})`;
  }
  return undefined;
}

function valueMatches(v: RouteValueMatch, got: string | undefined): boolean {
  if (got === undefined) return false;
  return v.type === 'RegularExpression' ? regexMatches(v.value, got) === true : got === v.value;
}

function describeValue(v: RouteValueMatch): string {
  return v.type === 'RegularExpression' ? `~ /${v.value}/` : `= ${v.value}`;
}

/** gRPC calls are POSTs to `/package.Service/Method`. */
function grpcFails(g: NonNullable<RouteMatch['grpc']>, path: string): string | undefined {
  const m = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return 'path is not a gRPC method (/Service/Method)';
  const test = (want: string | undefined, got: string) => want === undefined
    || (g.type === 'RegularExpression' ? regexMatches(want, got) === true : want === got);
  if (!test(g.service, m[1]!)) return `gRPC service is not ${g.service}`;
  if (!test(g.method, m[2]!)) return `gRPC method is not ${g.method}`;
  return undefined;
}

/**
 * The spec's precedence among matching matches, as a tuple compared left to right (higher first):
 * Exact path, then the longest PathPrefix (RegularExpression is implementation-specific: ranked
 * last here), then a method match, then the most header matches, then the most query matches.
 */
export function matchRank(m: RouteMatch): number[] {
  const p = m.path;
  const pathClass = !p ? 1 : p.type === 'Exact' ? 3 : p.type === 'PathPrefix' ? 2 : 0;
  const pathLength = p && p.type !== 'RegularExpression' ? p.value.length : 0;
  // GRPCRoute: an exact service+method is the most specific, then service alone.
  const grpc = m.grpc ? (m.grpc.service ? 1 : 0) + (m.grpc.method ? 1 : 0) : 0;
  return [pathClass, pathLength, grpc, m.method ? 1 : 0, m.headers.length, m.queryParams.length];
}

export function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `PathPrefix /api, GET, 1 header` */
export function describeMatch(m: RouteMatch, defaulted: boolean): string {
  if (defaulted) return 'no matches (every request, as PathPrefix /)';
  const parts: string[] = [];
  if (m.path) parts.push(`${m.path.type} ${m.path.value}`);
  if (m.grpc) parts.push(`gRPC ${m.grpc.service ?? '*'}/${m.grpc.method ?? '*'}`);
  if (m.method) parts.push(`method ${m.method}`);
  for (const h of m.headers) parts.push(`header ${h.name} ${describeValue(h)}`);
  for (const q of m.queryParams) parts.push(`query ${q.name} ${describeValue(q)}`);
  return parts.join(', ') || 'every request';
}
