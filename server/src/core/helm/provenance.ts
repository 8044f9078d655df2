import type { SourceMapping } from '../render/types';
import type { Span } from '../types';
import type { Action, Define, ParsedTemplate, TemplateLine } from './template';
import type { ValuesLookup } from './values';

/**
 * Where printed text comes from beyond the template line: which keys an emitter (`include`,
 * `toYaml .Values.x`) can print, and the related lines of a field: the values line of each
 * `.Values` path the action reads (`*` of a `range` resolved by the rendered key or text), the
 * helper line that writes a key, or the helper's `define`.
 */

/** What the mapping of one document needs to know. */
export interface MapContext {
  readonly template: ParsedTemplate;
  readonly helper: (name: string) => { define: Define; template: ParsedTemplate } | undefined;
  readonly values: ValuesLookup;
  /** For messages: the helper file's path relative to the chart. */
  readonly label: (uri: string) => string;
}

export type Related = NonNullable<SourceMapping['related']>[number];

export class Provenance {
  private readonly helperKeys = new Map<string, { keys: Set<string>; open: boolean }>();

  constructor(private readonly ctx: MapContext) {}

  /** 2: the emitter surely prints this key; 1: it may; 0: it surely does not. */
  emitsKey(a: Action, k: string): number {
    let open = a.helpers.length === 0 && a.values.length === 0;
    for (const h of a.helpers) {
      const hk = this.keysOfHelper(h, 0);
      if (hk.keys.has(k)) return 2;
      open ||= hk.open;
    }
    for (const p of a.values) {
      const keys = this.ctx.values.keysAt(p.filter((s) => s !== '*'));
      if (keys?.has(k)) return 2;
      open ||= keys === undefined || p.includes('*');
    }
    return open ? 1 : 0;
  }

  private keysOfHelper(name: string, depth: number): { keys: Set<string>; open: boolean } {
    const known = this.helperKeys.get(name);
    if (known) return known;
    const out = { keys: new Set<string>(), open: false };
    this.helperKeys.set(name, out); // recursion guard
    const h = this.ctx.helper(name);
    if (!h || depth > 8) {
      out.open = true;
      return out;
    }
    for (let i = h.define.from; i < h.define.to; i++) {
      const l = h.template.lines[i]!;
      if (l.key && !l.key.pattern) out.keys.add(l.key.text);
      if (l.key?.pattern) out.open = true;
      for (const a of l.actions) {
        if (a.kind !== 'output') continue;
        for (const inner of a.helpers) {
          const hk = this.keysOfHelper(inner, depth + 1);
          for (const x of hk.keys) out.keys.add(x);
          out.open ||= hk.open;
        }
        if (a.values.length > 0 || /\btoYaml\b|\btpl\b/.test(a.body)) out.open = true;
      }
    }
    return out;
  }

  /** Values lines and helpers read by the actions in a span of a literal line. */
  relatedOf(line: TemplateLine, span: Span, key: string | undefined, text: string | undefined): Related[] {
    const out: Related[] = [];
    for (const a of line.actions) {
      if (a.kind !== 'output' || a.end <= span.start || a.start >= span.end) continue;
      for (const p of a.values) {
        const hit = this.ctx.values.find(p, { ...(key !== undefined ? { key } : {}), ...(text !== undefined ? { text } : {}) });
        if (hit) out.push({ uri: hit.uri, span: hit.span, message: `Value of .Values.${hit.path} (${hit.label})` });
      }
      for (const h of a.helpers) {
        const d = this.ctx.helper(h);
        if (d) out.push({ uri: d.template.uri, span: d.define.span, message: `Helper "${h}" (${this.ctx.label(d.template.uri)})` });
      }
    }
    return out;
  }

  emittedRelated(a: Action, path: readonly string[], text: string | undefined): Related[] {
    const out: Related[] = [];
    for (const p of a.values) {
      const hit = this.ctx.values.find([...p, ...path], text !== undefined ? { text } : {}) ?? (path.length ? undefined : this.ctx.values.find(p));
      if (hit) out.push({ uri: hit.uri, span: hit.span, message: `Value of .Values.${hit.path} (${hit.label})` });
      else {
        const parent = this.ctx.values.find(p);
        if (parent) out.push({ uri: parent.uri, span: parent.span, message: `From .Values.${parent.path} (${parent.label})` });
      }
    }
    const last = [...path].reverse().find((s) => !/^\d+$/.test(s));
    for (const h of a.helpers) {
      const at = last !== undefined ? this.helperLine(h, last, 0) : undefined;
      const d = this.ctx.helper(h);
      if (at) out.push({ uri: at.template.uri, span: at.line.content, message: `Rendered by helper "${at.name}" (${this.ctx.label(at.template.uri)})` });
      else if (d) out.push({ uri: d.template.uri, span: d.define.span, message: `Helper "${h}" (${this.ctx.label(d.template.uri)})` });
    }
    return out;
  }

  /** The line of a helper (or of a helper it includes) that writes a key. */
  private helperLine(name: string, key: string, depth: number): { template: ParsedTemplate; line: TemplateLine; name: string } | undefined {
    const h = this.ctx.helper(name);
    if (!h || depth > 8) return undefined;
    for (let i = h.define.from; i < h.define.to; i++) {
      const l = h.template.lines[i]!;
      if (l.key && !l.key.pattern && l.key.text === key) return { template: h.template, line: l, name };
    }
    for (let i = h.define.from; i < h.define.to; i++) {
      for (const a of h.template.lines[i]!.actions) {
        if (a.kind !== 'output') continue;
        for (const inner of a.helpers) {
          if (inner === name) continue;
          const hit = this.helperLine(inner, key, depth + 1);
          if (hit) return hit;
        }
      }
    }
    return undefined;
  }
}
