import type { LabelEntry, Resource } from '../model/resources';
import type { Range, Span } from '../types';
import type { FeatureContext } from './context';

/** A place to go to: a file and a range in it (LSP's Location). */
export interface Location {
  readonly uri: string;
  readonly range: Range;
}

/** The location of a span of a file, or nothing when the file is gone or the span unknown. */
export function loc(ctx: FeatureContext, uri: string, span: Span | undefined): Location[] {
  const f = ctx.index.file(uri);
  return f && span ? [{ uri, range: f.parsed.lines.range(span) }] : [];
}

/** A resource's name (or kind, when unnamed). */
export function nameLoc(ctx: FeatureContext, r: Resource): Location[] {
  return loc(ctx, r.uri, r.nameRef?.span ?? r.kindSpan);
}

/** A label's `key: value`. */
export function labelSpan(l: LabelEntry): Span {
  return { start: l.keySpan.start, end: Math.max(l.valueSpan.end, l.keySpan.end) };
}

export function dedupe(list: readonly Location[]): Location[] {
  const seen = new Set<string>();
  return list.filter((l) => {
    const k = `${l.uri}#${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
