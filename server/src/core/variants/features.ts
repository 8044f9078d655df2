import { dedupe, type Location } from '../facts/location';
import { hover, type HoverResult } from '../features/hover';
import { resourceAt } from '../features/locate';
import { definition, references } from '../features/navigation';
import type { Located } from '../kinds/kind';
import { locateIn } from '../kinds/registry';
import { NEVER_CANCELLED, type CancellationToken, type Position } from '../types';
import type { RenderedAt } from './sourceMap';
import type { Variant, Workspace } from './workspace';

/**
 * Editor features on the lines of a variant's files (a base, a patch, a template): each variant
 * is asked what that line became in its cluster, and the answers come back to the source.
 */

interface VariantTarget {
  readonly variant: Variant;
  readonly at: RenderedAt;
  readonly located: Located;
}

/** The element each variant rendered from a source position. */
function targets(ws: Workspace, uri: string, pos: Position): VariantTarget[] {
  const file = ws.plain.index.file(uri);
  if (!file) return [];
  const offset = file.parsed.lines.offsetAt(pos);
  const out: VariantTarget[] = [];
  for (const at of ws.sourceIndex.renderedAt(uri, offset)) {
    const variant = ws.variant(at.variant);
    if (!variant) continue;
    const inRendered = Math.min(at.rendered.start + (offset - at.origin.start), at.rendered.end);
    const r = resourceAt(variant.analyzer.index.activeResources(at.doc.uri), inRendered);
    const located = r && locateIn(r, inRendered);
    if (located) out.push({ variant, at, located });
  }
  return out;
}

/** Hover: the plain view's, or what the line became in each variant (variants that agree share one section). */
export function workspaceHover(ws: Workspace, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): HoverResult | undefined {
  if (!ws.isMember(uri)) return hover(ws.plain, uri, pos, token);
  const file = ws.plain.index.file(uri);
  if (!file || token.isCancellationRequested) return undefined;
  const sections = new Map<string, string[]>();
  let span: { start: number; end: number } | undefined;
  for (const t of targets(ws, uri, pos)) {
    const md = t.located.hover(t.variant.analyzer);
    if (!md) continue;
    let names = sections.get(md);
    if (!names) sections.set(md, (names = []));
    names.push(t.variant.name);
    if (!span || t.at.origin.end - t.at.origin.start < span.end - span.start) span = t.at.origin;
  }
  if (!span || sections.size === 0) return undefined;
  const parts = [...sections].map(([md, names]) => `*In ${names.map((n) => `\`${n}\``).join(', ')}:*\n\n${md}`);
  return { contents: parts.join('\n\n---\n\n'), range: file.parsed.lines.range(span) };
}

function mapped(ws: Workspace, variant: Variant, list: readonly Location[]): Location[] {
  return list.flatMap((l) => {
    const to = ws.mapping.location(variant, l.uri, l.range);
    return to ? [{ uri: to.uri, range: to.range }] : [];
  });
}

export function workspaceDefinition(ws: Workspace, uri: string, pos: Position, token: CancellationToken = NEVER_CANCELLED): Location[] {
  if (!ws.isMember(uri)) return definition(ws.plain, uri, pos, token);
  return dedupe(targets(ws, uri, pos).flatMap((t) => mapped(ws, t.variant, t.located.definitions(t.variant.analyzer))));
}

export function workspaceReferences(ws: Workspace, uri: string, pos: Position, includeDeclaration: boolean, token: CancellationToken = NEVER_CANCELLED): Location[] {
  if (!ws.isMember(uri)) return references(ws.plain, uri, pos, includeDeclaration, token);
  const file = ws.plain.index.file(uri);
  const ts = targets(ws, uri, pos);
  const own = includeDeclaration && file && ts[0] ? [{ uri, range: file.parsed.lines.range(ts[0].at.origin) }] : [];
  return dedupe([...own, ...ts.flatMap((t) => mapped(ws, t.variant, t.located.references(t.variant.analyzer)))]);
}
