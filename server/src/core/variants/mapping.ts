import type { Analyzer } from '../analyzer';
import type { LineIndex } from '../lineIndex';
import type { RenderedDocument, RenderProblem, SourceMapping } from '../render/types';
import { RULES_BY_CODE } from '../rules/catalogue';
import type { AnalysisSettings } from '../rules/context';
import type { Finding, Range, RelatedInformation } from '../types';
import { originAt } from './sourceMap';

/** The scheme of rendered documents: never a file, never shown to the user. */
export const RENDER_SCHEME = 'kube-traffic-render:';

export function isRendered(uri: string): boolean {
  return uri.startsWith(RENDER_SCHEME);
}

/** What the mapping needs of one variant: its analysis and its documents by URI. */
export interface MappedVariant {
  readonly name: string;
  readonly analyzer: Analyzer;
  readonly docs: ReadonlyMap<string, RenderedDocument>;
}

/** A rendered location and the source location it maps to. */
interface Mapped {
  readonly uri: string;
  readonly range: Range;
  readonly mapping?: SourceMapping;
}

/**
 * Maps rendered locations to the lines people wrote. `sourceLines` gives the line index of a
 * workspace file (the plain analysis holds every file's text).
 */
export class FindingMapper {
  constructor(private readonly sourceLines: (uri: string) => LineIndex | undefined) {}

  location(v: MappedVariant, uri: string, range: Range): Mapped | undefined {
    if (!isRendered(uri)) return { uri, range };
    const doc = v.docs.get(uri);
    const lines = v.analyzer.index.file(uri)?.parsed.lines;
    if (!doc || !lines) return undefined;
    const m = originAt(doc, lines.offsetAt(range.start));
    const src = m && this.sourceLines(m.origin.uri);
    return m && src ? { uri: m.origin.uri, range: src.headRange(m.origin.span), mapping: m } : undefined;
  }

  /** A finding of a rendered document, at its source line; undefined when it maps nowhere. */
  finding(v: MappedVariant, f: Finding): Finding | undefined {
    const at = this.location(v, f.uri, f.range);
    if (!at) return undefined;
    const related: RelatedInformation[] = [];
    for (const r of f.related) {
      const to = this.location(v, r.uri, r.range);
      if (to) related.push({ uri: to.uri, range: to.range, message: r.message });
    }
    for (const r of at.mapping?.related ?? []) {
      const src = this.sourceLines(r.uri);
      if (src) related.push({ uri: r.uri, range: src.headRange(r.span), message: r.message });
    }
    return { ...f, uri: at.uri, range: at.range, related, ...this.mappedData(v, f, at), variants: [v.name] };
  }

  /** A quick fix survives the mapping only when the source text is the rendered text it replaces. */
  private mappedData(v: MappedVariant, f: Finding, at: Mapped): { data?: Finding['data'] } {
    const data = f.data;
    if (!data || data.type !== 'replace' || !at.mapping) return {};
    const lines = v.analyzer.index.file(f.uri)?.parsed.lines;
    const src = this.sourceLines(at.uri);
    if (!lines || !src) return {};
    const rendered = lines.text.slice(lines.offsetAt(data.span.start), lines.offsetAt(data.span.end));
    const o = at.mapping.origin.span;
    if (src.text.slice(o.start, o.end) !== rendered) return {};
    return { data: { ...data, span: src.headRange(o) } };
  }

  /** A render problem as a finding of its source file (severity overrides apply). */
  problem(variant: string, p: RenderProblem, settings: AnalysisSettings): Finding | undefined {
    const src = this.sourceLines(p.uri);
    const rule = RULES_BY_CODE.get(p.code);
    const override = settings.severity[p.code];
    if (!src || !rule || override === 'off') return undefined;
    const related: RelatedInformation[] = [];
    for (const r of p.related ?? []) {
      const rs = this.sourceLines(r.uri);
      if (rs) related.push({ uri: r.uri, range: rs.headRange(r.span), message: r.message });
    }
    return {
      uri: p.uri, range: src.headRange(p.span), severity: override ?? p.severity ?? rule.severity, code: p.code,
      message: p.message, related, variants: [variant],
    };
  }
}

/**
 * One finding per source location and code, however many variants share it (contracts.md): the
 * variants listed, sorted; where their messages differ, the first variant's message, saying how
 * many others share the problem.
 */
export function mergeVariantFindings(list: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of list) {
    const key = `${f.code}\u0000${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(f);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const byVariant = new Map<string, Finding>();
    for (const f of g) for (const v of f.variants ?? []) if (!byVariant.has(v)) byVariant.set(v, f);
    const variants = [...byVariant.keys()].sort();
    const first = byVariant.get(variants[0]!)!;
    const others = variants.length - 1;
    const same = g.every((f) => f.message === first.message);
    out.push({
      ...first,
      message: same || others === 0 ? first.message : `${first.message} (The same problem holds in ${others} other variant${others === 1 ? '' : 's'}.)`,
      variants,
    });
  }
  return out;
}
