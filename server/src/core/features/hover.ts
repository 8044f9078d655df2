import type { FeatureContext } from '../facts/context';
import { NEVER_CANCELLED, type CancellationToken, type Position, type Range } from '../types';
import { locateAt } from './locate';

export interface HoverResult {
  /** Markdown. */
  readonly contents: string;
  readonly range: Range;
}

/** Hover for the element at a position: what it resolves to, or why it does not (see each kind's home). */
export function hover(a: FeatureContext, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): HoverResult | undefined {
  const file = a.index.file(uri);
  if (!file || token.isCancellationRequested) return undefined;
  const t = locateAt(a, uri, pos);
  const md = t?.hover(a);
  return t && md ? { contents: md, range: file.parsed.lines.range(t.span) } : undefined;
}
