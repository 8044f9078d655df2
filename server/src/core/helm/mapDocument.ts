import { isMap, isPair, isScalar, isSeq, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import type { LineIndex } from '../lineIndex';
import type { Origin, SourceMapping } from '../render/types';
import type { Span } from '../types';
import type { Action, TemplateLine } from './template';
import { Provenance, type MapContext, type Related } from './provenance';

export type { MapContext } from './provenance';

export interface Region {
  readonly from: number;
  readonly to: number;
}

interface Emitter {
  readonly line: TemplateLine;
  readonly action: Action;
}

/**
 * Maps one rendered document back to its template by following the YAML path: each rendered key
 * is looked for among the literal keys of the template lines under its parent's line, at the
 * same column (literal text and indentation survive rendering); list items among the `- ` lines.
 * `range` repeats lines, so a key not found after the previous match is looked for again from the
 * start of the parent. What no literal line wrote came from an emitter (`include`, `toYaml`,
 * `.Values.x` alone on a line): it lands on that action, with the helper line or the values line
 * it came from as related information.
 */
export class DocumentMapper {
  readonly out: SourceMapping[] = [];
  /** Rendered nodes that matched a literal template line (the quality of a segment choice). */
  literalHits = 0;
  private readonly lines: readonly TemplateLine[];
  private readonly provenance: Provenance;
  private readonly deadCache = new Map<TemplateLine, number>();

  constructor(private readonly ctx: MapContext, private readonly rendered: LineIndex) {
    this.lines = ctx.template.lines;
    this.provenance = new Provenance(ctx);
  }

  /** Maps a document's root node within a segment of the template. */
  mapRoot(node: unknown, region: Region): Origin {
    const top = this.topOrigin(region);
    const n = node as Node | null;
    if (!n?.range) return top;
    this.push(n, top);
    if (isMap(n)) this.mapMapping(n, region, top);
    else if (isSeq(n)) this.mapSeq(n, region, top);
    return top;
  }

  /** The first line of a segment that prints something: where a document's own problems land. */
  topOrigin(region: Region): Origin {
    for (let i = region.from; i < region.to; i++) {
      const l = this.lines[i]!;
      if (l.kind === 'literal') return this.origin(l.content);
      if (l.kind === 'emitter') return this.origin(this.printing(l)!);
    }
    const first = this.lines[region.from] ?? this.lines[0]!;
    return this.origin(first.content);
  }

  // ------------------------------------------------------------------ structure

  private mapMapping(map: YAMLMap, region: Region, parent: Origin, inline?: Emitter): void {
    let cursor = region.from;
    for (const pair of map.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) {
        this.mapAll(pair, parent);
        continue;
      }
      const k = String(key.value);
      const col = this.col(key.range[0]);
      const line = this.findKey(region, col, k, pair.value, cursor);
      if (line) {
        this.literalHits++;
        this.push(key, this.origin(line.key!.span));
        this.mapValue(pair.value, line, k);
        cursor = line.index + 1;
        continue;
      }
      const e = this.findEmitter(region, col, cursor, inline, (em) => this.provenance.emitsKey(em.action, k));
      if (e) {
        this.mapEmitted(pair, e, []);
        cursor = e.line.index;
      } else this.mapAll(pair, parent);
    }
  }

  private mapSeq(seq: YAMLSeq, region: Region, parent: Origin, inline?: Emitter): void {
    let cursor = region.from;
    const counts = new Map<TemplateLine, number>();
    for (const item of seq.items) {
      const r = (item as Node | null)?.range;
      if (!r) continue;
      const dash = this.dashCol(r[0]);
      const line = dash === undefined ? undefined : this.findItem(region, dash, item, cursor);
      if (line) {
        this.literalHits++;
        this.mapItem(item, line, dash!);
        cursor = line.index + 1;
        continue;
      }
      const e = dash === undefined ? undefined : this.findEmitter(region, dash, cursor, inline, () => 1);
      if (e) {
        const n = counts.get(e.line) ?? 0;
        counts.set(e.line, n + 1);
        this.mapEmitted(item, e, [String(n)]);
        cursor = e.line.index;
      } else this.mapAll(item, parent);
    }
  }

  private mapValue(value: unknown, line: TemplateLine, key: string): void {
    const v = value as Node | null;
    if (!v?.range) return;
    if ((isMap(v) || isSeq(v)) && !v.flow) {
      const here = this.origin(line.content);
      this.push(v, here);
      const region = this.childRegion(line, line.col);
      const inlineAction = this.printingIn(line, line.value?.span);
      const inline = inlineAction ? { line, action: inlineAction } : undefined;
      if (isMap(v)) this.mapMapping(v, region, here, inline);
      else this.mapSeq(v, region, here, inline);
      return;
    }
    const span = line.value?.span ?? line.key!.span;
    this.push(v, this.origin(span, this.provenance.relatedOf(line, span, key, this.text(v))));
  }

  private mapItem(item: unknown, line: TemplateLine, dash: number): void {
    const v = item as Node;
    const last = line.dashes[line.dashes.length - 1] === dash;
    const here = this.origin(line.content);
    if (isMap(v) && !v.flow) {
      this.push(v, here);
      this.mapMapping(v, this.itemRegion(line, dash), here);
    } else if (isSeq(v) && !v.flow) {
      this.push(v, here);
      this.mapSeq(v, this.itemRegion(line, dash), here);
    } else {
      const span = last && !line.key ? line.value?.span ?? line.content : line.content;
      this.push(v, this.origin(span, this.provenance.relatedOf(line, span, undefined, this.text(v))));
    }
  }

  /** Everything under a node came from one emitter: map it there, with per-node related lines. */
  private mapEmitted(node: unknown, e: Emitter, path: readonly string[]): void {
    if (isPair(node)) {
      const key = node.key as Node | null;
      const k = isScalar(key) ? String(key.value) : '?';
      const sub = [...path, k];
      if (key?.range) this.push(key, this.origin(e.action, this.provenance.emittedRelated(e.action, sub, undefined)));
      this.mapEmitted(node.value, e, sub);
      return;
    }
    const n = node as Node | null;
    if (!n?.range) return;
    this.push(n, this.origin(e.action, this.provenance.emittedRelated(e.action, path, isScalar(n) ? this.text(n) : undefined)));
    if (isMap(n)) for (const p of n.items) this.mapEmitted(p, e, path);
    else if (isSeq(n)) n.items.forEach((it, i) => this.mapEmitted(it, e, [...path, String(i)]));
  }

  private mapAll(node: unknown, origin: Origin): void {
    const n = isPair(node) ? (node.key as Node | null) : (node as Node | null);
    if (n?.range) this.push(n, origin);
    if (isPair(node) && (node.value as Node | null)?.range) this.push(node.value as Node, origin);
  }

  // ------------------------------------------------------------------ finding lines

  private findKey(region: Region, col: number, k: string, value: unknown, cursor: number): TemplateLine | undefined {
    const cands: { line: TemplateLine; exact: boolean; fit: number }[] = [];
    for (let i = region.from; i < region.to; i++) {
      const l = this.lines[i]!;
      if (l.kind !== 'literal' || !l.key || l.col !== col) continue;
      const exact = !l.key.pattern && l.key.text === k;
      if (!exact && !l.key.pattern?.test(k)) continue;
      cands.push({ line: l, exact, fit: this.valueFit(l, value) });
    }
    if (cands.length === 0) return undefined;
    if (cands.length === 1 && !this.dead(cands[0]!.line)) return cands[0]!.line;
    // Several (branches of an `if`, a `range`): the one whose block is most like the rendered value.
    const v = value as Node | null;
    const nested = (isMap(v) || isSeq(v)) && !v.flow;
    return lowestRank(cands, (c) => {
      const sim = nested ? this.similarity(v, this.childRegion(c.line, c.line.col), 0) : 0;
      return [this.dead(c.line), c.fit === 0 ? 1 : 0, c.exact ? 0 : 1, -sim, c.line.index < cursor ? 1 : 0, -c.fit, c.line.index];
    })?.item.line;
  }

  private findItem(region: Region, dash: number, item: unknown, cursor: number): TemplateLine | undefined {
    const lines = this.lines.slice(region.from, region.to).filter((l) => l.kind === 'literal' && l.dashes.includes(dash));
    const best = lowestRank(lines, (l) => {
      const fit = this.itemFit(l, dash, item);
      return [fit === 0 ? 1 : 0, this.dead(l), -this.itemScore(l, dash, item), l.index < cursor ? 1 : 0, -fit, l.index];
    });
    // A line that fits nothing is only taken when no emitter could have printed the item.
    if (best && best.rank[0] === 1 && this.hasEmitter(region)) return undefined;
    return best?.item;
  }

  /**
   * How much of a rendered list item an item line's block writes literally (tells the
   * `- name: http` of one `if` branch from the `- name: https` of another).
   */
  private itemScore(l: TemplateLine, dash: number, item: unknown): number {
    const v = item as Node;
    if (!isMap(v) || v.flow || l.dashes[l.dashes.length - 1] !== dash) return 0;
    return this.similarity(v, this.itemRegion(l, dash), 0);
  }

  /**
   * How much of a rendered node a template region writes literally: +1 per key found, +2 per
   * literal scalar equal to the rendered one, -2 (keys) or -1 (list items) per literal that differs.
   */
  private similarity(node: unknown, region: Region, depth: number): number {
    if (depth > 3) return 0;
    let score = 0;
    if (isMap(node) && !node.flow) {
      for (const pair of node.items.slice(0, 12)) {
        const key = pair.key as Node | null;
        if (!isScalar(key) || !key.range) continue;
        const k = String(key.value);
        const col = this.col(key.range[0]);
        let c: TemplateLine | undefined;
        for (let i = region.from; i < region.to && !c; i++) {
          const l = this.lines[i]!;
          if (l.kind === 'literal' && l.col === col && l.key && !l.key.pattern && l.key.text === k) c = l;
        }
        if (!c) continue;
        score += 1;
        const value = pair.value as Node | null;
        if (isScalar(value) && value.range && c.value && !c.value.literal.includes('\u0000') && !c.blockScalar) {
          score += c.value.pattern.test(this.text(value)) ? 2 : -2;
        } else if ((isMap(value) || isSeq(value)) && !value.flow) {
          score += this.similarity(value, this.childRegion(c, c.col), depth + 1);
        }
      }
    } else if (isSeq(node) && !node.flow) {
      for (const item of node.items.slice(0, 12)) {
        if (!isScalar(item) || !item.range) continue;
        const dash = this.dashCol(item.range[0]);
        const text = this.text(item);
        let literal = false;
        let hit = false;
        for (let i = region.from; i < region.to && !hit; i++) {
          const l = this.lines[i]!;
          if (l.kind !== 'literal' || l.key || !l.value || l.dashes[l.dashes.length - 1] !== dash) continue;
          if (!l.value.literal.includes('\u0000')) literal = true;
          hit = l.value.pattern.test(text);
        }
        score += hit ? 2 : literal ? -1 : 0;
      }
    }
    return score;
  }

  private findEmitter(region: Region, col: number, cursor: number, inline: Emitter | undefined, emits: (e: Emitter) => number): Emitter | undefined {
    const cands: Emitter[] = [];
    if (inline) cands.push(inline);
    for (let i = region.from; i < region.to; i++) {
      const l = this.lines[i]!;
      if (l.kind === 'emitter') cands.push({ line: l, action: this.printing(l)! });
    }
    return lowestRank(cands, (e) => {
      const score = emits(e);
      const colFit = e.line.emitCol === undefined || e.line === inline?.line ? 1 : e.line.emitCol === col ? 2 : 0;
      return [score === 0 ? 1 : 0, this.dead(e.line), colFit === 0 ? 1 : 0, e.line.index < cursor ? 1 : 0, -score, -colFit, e.line.index];
    })?.item;
  }

  /** 1 when the line sits in a branch the values turn off (`if .Values.x` with x false), else 0. */
  private dead(l: TemplateLine): number {
    let known = this.deadCache.get(l);
    if (known === undefined) {
      known = l.conditions.some((c) => this.ctx.values.truthy(c.path) !== c.truthy) ? 1 : 0;
      this.deadCache.set(l, known);
    }
    return known;
  }

  private hasEmitter(region: Region): boolean {
    for (let i = region.from; i < region.to; i++) if (this.lines[i]!.kind === 'emitter') return true;
    return false;
  }

  /** 2: the line's value text matches the rendered value; 1: cannot tell; 0: it does not. */
  private valueFit(l: TemplateLine, value: unknown): number {
    const v = value as Node | null;
    const collection = (isMap(v) || isSeq(v)) && !v.flow;
    if (!l.value) return collection || !v?.range || (isScalar(v) && v.value === null) ? 2 : 1;
    if (l.blockScalar) return isScalar(v) ? 2 : 0;
    if (collection) return l.value.literal.includes('\u0000') ? 1 : 0;
    return l.value.pattern.test(this.text(v!)) ? 2 : 0;
  }

  private itemFit(l: TemplateLine, dash: number, item: unknown): number {
    const v = item as Node;
    const last = l.dashes[l.dashes.length - 1] === dash;
    if (!last) return isSeq(v) ? 2 : 0;
    if (isMap(v) && !v.flow) {
      const first = v.items[0]?.key;
      if (!l.key) return l.value ? 0 : 1;
      if (!isScalar(first)) return 1;
      const k = String(first.value);
      return (l.key.pattern ? l.key.pattern.test(k) : l.key.text === k) ? 2 : 0;
    }
    if (l.key) return 0;
    if (!l.value) return 1;
    return l.value.pattern.test(this.text(v)) ? 2 : 0;
  }

  /** Lines under a key or item line, up to the next line at or left of `owner`. */
  private childRegion(line: TemplateLine, owner: number): Region {
    let j = line.index + 1;
    for (; j < this.lines.length; j++) {
      const l = this.lines[j]!;
      if (l.kind === 'separator') break;
      if (l.kind === 'literal' && l.indent <= owner && !(l.indent === owner && l.dashes[0] === owner && line.key)) break;
      if (l.kind === 'emitter' && l.emitCol !== undefined && l.emitCol < owner) break;
    }
    return { from: line.index + 1, to: j };
  }

  private itemRegion(line: TemplateLine, dash: number): Region {
    let j = line.index + 1;
    for (; j < this.lines.length; j++) {
      const l = this.lines[j]!;
      if (l.kind === 'separator') break;
      if (l.kind === 'literal' && l.indent <= dash) break;
      if (l.kind === 'emitter' && l.emitCol !== undefined && l.emitCol <= dash) break;
    }
    return { from: line.index, to: j };
  }

  // ------------------------------------------------------------------ helpers

  private printing(l: TemplateLine): Action | undefined {
    return l.actions.find((a) => a.kind === 'output');
  }

  private printingIn(l: TemplateLine, span: Span | undefined): Action | undefined {
    if (!span) return undefined;
    return l.actions.find((a) => a.kind === 'output' && a.start >= span.start && a.start < span.end);
  }

  private origin(at: Span | Action, related?: readonly Related[]): Origin & { related?: readonly Related[] } {
    const span = 'kind' in at ? { start: at.start, end: at.end } : at;
    return { uri: this.ctx.template.uri, span, ...(related && related.length ? { related } : {}) };
  }

  private push(node: Node, origin: Origin & { related?: readonly Related[] }): void {
    const r = node.range!;
    const mapping: SourceMapping = { span: { start: r[0], end: Math.max(r[0], r[1]) }, origin: { uri: origin.uri, span: origin.span }, ...(origin.related ? { related: origin.related } : {}) };
    this.out.push(mapping);
  }

  private col(offset: number): number {
    return this.rendered.positionAt(offset).character;
  }

  /** The column of the `-` before an item's content, on the same line. */
  private dashCol(offset: number): number | undefined {
    const text = this.rendered.text;
    let i = offset - 1;
    while (i >= 0 && /\s/.test(text[i]!)) i--;
    if (text[i] !== '-') return undefined;
    return this.col(i);
  }

  private text(n: Node): string {
    return this.rendered.text.slice(n.range![0], n.range![1]);
  }
}

/** The item whose rank is lowest, comparing ranks element by element (the first one on a tie). */
function lowestRank<T>(items: readonly T[], rankOf: (item: T) => readonly number[]): { item: T; rank: readonly number[] } | undefined {
  let best: { item: T; rank: readonly number[] } | undefined;
  for (const item of items) {
    const rank = rankOf(item);
    if (!best || less(rank, best.rank)) best = { item, rank };
  }
  return best;
}

function less(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
