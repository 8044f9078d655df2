import type { FeatureContext } from '../facts/context';
import { resourceId, type Resource } from '../model/resources';
import type { Span } from '../types';
import { statusOf } from './status';
import type { TraceHop, TraceHopType, TraceStep, TraceStop } from './types';
import type { RequestInput } from './url';

/** What every stage of a trace needs: the workspace, the request, and a place for notes. */
export class TraceContext {
  readonly notes: string[] = [];

  constructor(readonly analyzer: FeatureContext, readonly request: RequestInput) {}

  get index() {
    return this.analyzer.index;
  }

  get resolver() {
    return this.analyzer.resolver;
  }

  note(text: string): void {
    if (!this.notes.includes(text)) this.notes.push(text);
  }

  /** A hop at a resource; `at` is the span of the rule that decided it (the resource's name by default). */
  hop(type: TraceHopType, r: Resource, decision: string, at?: Span, extra: Partial<TraceHop> = {}): TraceHop {
    const lines = this.index.file(r.uri)?.parsed.lines;
    const span = at ?? r.nameRef?.span ?? r.kindSpan;
    return {
      type, kind: r.kind, id: resourceId(r), name: r.name ?? '', ...(r.namespace ? { namespace: r.namespace } : {}),
      uri: r.uri, ...(lines ? { range: lines.headRange(span) } : {}), decision, ...extra,
    };
  }

  /** A stop located at a span of a resource (or nowhere); its status follows from the reason (status.ts) unless given. */
  stop(reason: string, rule: string, r?: Resource, at?: Span, extra: Partial<Pick<TraceStop, 'status' | 'location' | 'code'>> = {}): TraceStop {
    const lines = r ? this.index.file(r.uri)?.parsed.lines : undefined;
    const span = at ?? r?.nameRef?.span ?? r?.kindSpan;
    return {
      reason, status: statusOf(reason), ...extra, rule,
      ...(r ? { uri: r.uri } : {}), ...(lines && span ? { range: lines.headRange(span) } : {}),
    };
  }
}

export function step(hop: TraceHop, next: readonly TraceStep[] = [], stop?: TraceStop): TraceStep {
  return { hop, next, ...(stop ? { stop } : {}) };
}

/** Percentage with at most one decimal (90, 33.3). */
export function percent(part: number, total: number): number {
  return total > 0 ? Math.round((part / total) * 1000) / 10 : 0;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
