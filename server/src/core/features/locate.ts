import type { FeatureContext } from '../facts/context';
import type { Located } from '../kinds/kind';
import { locateIn } from '../kinds/registry';
import type { Resource } from '../model/resources';
import type { Position } from '../types';

/** The resource whose document contains the offset. */
export function resourceAt(resources: readonly Resource[], offset: number): Resource | undefined {
  let best: Resource | undefined;
  for (const r of resources) {
    if (r.span.start <= offset && offset <= r.span.end && (!best || r.span.end - r.span.start < best.span.end - best.span.start)) best = r;
  }
  return best;
}

/** The most specific model element at a position of a file (its kind's home decides). */
export function locateAt(ctx: FeatureContext, uri: string, pos: Position): Located | undefined {
  const file = ctx.index.file(uri);
  if (!file) return undefined;
  const offset = file.parsed.lines.offsetAt(pos);
  const r = resourceAt(ctx.index.activeResources(uri), offset);
  return r ? locateIn(r, offset) : undefined;
}
