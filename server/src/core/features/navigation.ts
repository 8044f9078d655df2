import type { FeatureContext } from '../facts/context';
import { dedupe, loc, type Location } from '../facts/location';
import { NEVER_CANCELLED, type CancellationToken, type Position, type Range } from '../types';
import { locateAt } from './locate';

export type { Location } from '../facts/location';

/** Go to definition: from a reference to what it names (selector → pod labels, backend → Service, …). */
export function definition(a: FeatureContext, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): Location[] {
  const t = locateAt(a, uri, pos);
  if (!t || token.isCancellationRequested) return [];
  return t.definitions(a);
}

/** Find references: from a definition to everything that points at it (pod label → selectors, …). */
export function references(a: FeatureContext, uri: string, pos: Position, includeDeclaration: boolean, token: CancellationToken = NEVER_CANCELLED): Location[] {
  const t = locateAt(a, uri, pos);
  if (!t || token.isCancellationRequested) return [];
  const refs = t.references(a);
  return dedupe(includeDeclaration ? [...loc(a, uri, t.span), ...refs] : refs);
}

/** Document highlights: the element and everything related to it in the same file. */
export function documentHighlights(a: FeatureContext, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): Range[] {
  const t = locateAt(a, uri, pos);
  if (!t || token.isCancellationRequested) return [];
  const all = [...loc(a, uri, t.span), ...t.references(a), ...t.definitions(a)];
  return dedupe(all.filter((l) => l.uri === uri)).map((l) => l.range);
}
