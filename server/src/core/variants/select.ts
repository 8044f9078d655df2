import type { FeatureContext } from '../facts/context';
import type { Range } from '../types';
import { isRendered } from './mapping';
import type { Workspace } from './workspace';

/** The cluster a command looks at: a variant's, or the plain view (`name` undefined). */
export interface Selected {
  readonly name: string | undefined;
  readonly ctx: FeatureContext;
}

/**
 * contracts.md: `--variant NAME`; by default the plain view, or, when the workspace has only
 * variants and no plain files, the only variant (several: an error listing them).
 */
export function selectVariant(ws: Workspace, requested: string | undefined): Selected | { readonly error: string } {
  const names = ws.variantNames();
  if (requested !== undefined) {
    if (names.includes(requested)) return { name: requested, ctx: ws.context(requested) };
    return { error: names.length ? `no variant '${requested}'; the variants are: ${names.join(', ')}` : `no variant '${requested}': the workspace has no Kustomize roots or Helm charts` };
  }
  if (names.length === 0 || hasPlainResources(ws)) return { name: undefined, ctx: ws.plain };
  if (names.length === 1) return { name: names[0], ctx: ws.context(names[0]) };
  return { error: `the workspace has only variants; choose one with --variant: ${names.join(', ')}` };
}

function hasPlainResources(ws: Workspace): boolean {
  for (const uri of ws.plain.index.uris()) if (ws.plain.index.activeResources(uri).length > 0) return true;
  return false;
}

/**
 * A copy of a result (a trace, a can-reach answer, a graph) whose locations in a variant's rendered
 * documents are replaced by the source lines they came from. Every object with a `uri` string (and
 * an optional `range`) is a location; one in rendered text that maps nowhere loses its range.
 */
export function toSourceLocations<T>(ws: Workspace, variant: string | undefined, value: T): T {
  if (variant === undefined || !ws.variant(variant)) return value;
  const map = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(map);
    if (x === null || typeof x !== 'object') return x;
    const o = x as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(o)) out[k] = map(val);
    if (typeof o.uri === 'string' && isRendered(o.uri)) {
      const range = o.range as Range | undefined;
      const at = ws.sourceOf(variant, o.uri, range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      if (at) {
        out.uri = at.uri;
        if (range) out.range = at.range;
      } else {
        delete out.range;
      }
    }
    return out;
  };
  return map(value) as T;
}

/** The graph builder's placer for a variant (undefined: the plain view's places are the files'). */
export function variantPlacer(ws: Workspace, variant: string | undefined): ((uri: string, range: Range) => { uri: string; range: Range } | undefined) | undefined {
  return variant === undefined ? undefined : (uri, range) => ws.sourceOf(variant, uri, range);
}
