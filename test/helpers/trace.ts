import { analyze } from './workspace';
import { traceRequest } from '../../server/src/core/trace/trace';
import { parseRequest, type RequestOptions } from '../../server/src/core/trace/url';
import type { TraceResult, TraceStep } from '../../server/src/core/trace/types';

/** Traces a URL through in-memory manifests (name → text). */
export function trace(files: Record<string, string>, url: string, options: RequestOptions = {}): TraceResult {
  const input = parseRequest(url, options);
  if ('error' in input) throw new Error(input.error);
  return traceRequest(analyze(files).analyzer, input);
}

/** Every root-to-leaf branch as `Kind/ns/name` ids joined by ' > ', a stop shown as `! reason`. */
export function branches(result: TraceResult): string[] {
  const out: string[] = [];
  const walk = (s: TraceStep, prefix: string[]) => {
    const here = [...prefix, s.hop.id + (s.hop.weightPercent !== undefined ? ` ${s.hop.weightPercent}%` : '')];
    if (s.stop) out.push([...here, `! ${s.stop.reason}`].join(' > '));
    else if (s.next.length === 0) out.push(here.join(' > '));
    for (const n of s.next) walk(n, here);
  };
  for (const e of result.entries) walk(e, []);
  return out;
}

/** The hops of the first branch, root first. */
export function firstPath(result: TraceResult): TraceStep[] {
  const out: TraceStep[] = [];
  let s: TraceStep | undefined = result.entries[0];
  while (s) { out.push(s); s = s.next[0]; }
  return out;
}
