import type { FeatureContext } from '../facts/context';
import { traceRequest } from './trace';
import type { TraceResult } from './types';
import { parseRequest, type RequestInput } from './url';

/** At most this many redirects are followed. */
export const MAX_REDIRECTS = 5;

/**
 * `trace --follow`: when the answer is a redirect, the request to its Location is traced too, as a
 * client following it would send it (curl -L: 303, and 301/302 after a POST, become GET; a Host
 * header given for the first request is not sent to the new host), up to MAX_REDIRECTS and never
 * to a URL already traced.
 */
export function traceFollowing(analyzer: FeatureContext, input: RequestInput, max = MAX_REDIRECTS): TraceResult {
  const chain: TraceResult[] = [];
  const seen = new Set<string>([input.url]);
  let current: RequestInput | undefined = input;
  while (current) {
    const result = traceRequest(analyzer, current);
    chain.push(result);
    current = undefined;
    const stop = result.stop;
    if (result.status !== 'redirect' || !stop?.location) break;
    if (chain.length > max) {
      noteLast(chain, `Stopped following after ${max} redirects.`);
      break;
    }
    if (seen.has(stop.location)) {
      noteLast(chain, `The redirect leads back to ${stop.location}, already traced: a redirect loop.`);
      break;
    }
    const prev = chain[chain.length - 1]!.request;
    const method = stop.code === 303 || ((stop.code === 301 || stop.code === 302) && prev.method === 'POST') ? 'GET' : prev.method;
    const next = parseRequest(stop.location, {
      method, headers: prev.headers.filter((h) => h.name.toLowerCase() !== 'host'), ...(prev.namespace ? { namespace: prev.namespace } : {}),
    });
    if ('error' in next) {
      noteLast(chain, `The redirect's Location cannot be followed: ${next.error}.`);
      break;
    }
    seen.add(stop.location);
    current = next;
  }
  // Nest: each result carries the one its redirect led to.
  return chain.reduceRight<TraceResult | undefined>((acc, r) => (acc ? { ...r, followed: acc } : r), undefined)!;
}

function noteLast(chain: TraceResult[], note: string): void {
  const last = chain[chain.length - 1]!;
  chain[chain.length - 1] = { ...last, notes: [...last.notes, note] };
}

/** The last result of a followed chain (what the client finally gets). */
export function lastFollowed(r: TraceResult): TraceResult {
  return r.followed ? lastFollowed(r.followed) : r;
}
