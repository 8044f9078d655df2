import type { Origin, RenderedDocument, SourceMapping } from '../render/types';
import type { Span } from '../types';

/** Where a rendered offset came from: the innermost mapping that contains it. */
export function originAt(doc: RenderedDocument, offset: number): SourceMapping | undefined {
  let best: SourceMapping | undefined;
  for (const m of doc.map) {
    if (m.span.start > offset) break; // sorted by start: nothing later contains the offset
    if (offset <= m.span.end && (!best || m.span.end - m.span.start <= best.span.end - best.span.start)) best = m;
  }
  return best;
}

/** One place a source span was rendered to. */
export interface RenderedAt {
  readonly variant: string;
  readonly doc: RenderedDocument;
  /** The span in the source. */
  readonly origin: Span;
  /** The span in the rendered document. */
  readonly rendered: Span;
}

/**
 * Source → rendered: for each workspace file, the spans of it that rendered documents took, so a
 * hover or a definition on a base line can ask each variant what that line became.
 */
export class SourceIndex {
  private readonly bySource = new Map<string, RenderedAt[]>();

  add(variant: string, doc: RenderedDocument): void {
    for (const m of doc.map) {
      let list = this.bySource.get(m.origin.uri);
      if (!list) this.bySource.set(m.origin.uri, (list = []));
      list.push({ variant, doc, origin: m.origin.span, rendered: m.span });
    }
  }

  /** Drops every entry of a variant. */
  remove(variant: string): void {
    for (const [uri, list] of this.bySource) {
      const kept = list.filter((e) => e.variant !== variant);
      if (kept.length) this.bySource.set(uri, kept);
      else this.bySource.delete(uri);
    }
  }

  /** Files some variant renders from. */
  has(uri: string): boolean {
    return this.bySource.has(uri);
  }

  /** Documents (by variant) that render something of this file. */
  documentsFrom(uri: string): Map<string, Set<RenderedDocument>> {
    const out = new Map<string, Set<RenderedDocument>>();
    for (const e of this.bySource.get(uri) ?? []) {
      let set = out.get(e.variant);
      if (!set) out.set(e.variant, (set = new Set()));
      set.add(e.doc);
    }
    return out;
  }

  /** Per variant, the innermost rendered place whose source span contains the offset. */
  renderedAt(uri: string, offset: number): RenderedAt[] {
    const best = new Map<string, RenderedAt>();
    for (const e of this.bySource.get(uri) ?? []) {
      if (offset < e.origin.start || offset > e.origin.end) continue;
      const cur = best.get(e.variant);
      const size = e.origin.end - e.origin.start;
      // Innermost source span; among equals, the innermost rendered one.
      if (!cur || size < cur.origin.end - cur.origin.start
        || (size === cur.origin.end - cur.origin.start && e.rendered.end - e.rendered.start < cur.rendered.end - cur.rendered.start)) {
        best.set(e.variant, e);
      }
    }
    return [...best.values()].sort((a, b) => (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0));
  }
}

export function sameOrigin(a: Origin, b: Origin): boolean {
  return a.uri === b.uri && a.span.start === b.span.start && a.span.end === b.span.end;
}
