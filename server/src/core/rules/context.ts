import type { IndexReads } from '../index/workspaceIndex';
import type { Resolver } from '../resolve/resolver';
import type { Finding, FindingData, RelatedInformation, Severity, Span } from '../types';
import { RULES_BY_CODE } from './catalogue';

export interface AnalysisSettings {
  /** Inclusive nodePort range of the target cluster (default 30000–32767). */
  readonly nodePortRange: { readonly min: number; readonly max: number };
  /** Severity override per code; 'off' disables the rule. */
  readonly severity: Readonly<Record<string, Severity | 'off'>>;
}

export const DEFAULT_SETTINGS: AnalysisSettings = {
  nodePortRange: { min: 30000, max: 32767 },
  severity: {},
};

/** A place in some file: its URI and offsets. */
export interface Location {
  readonly uri: string;
  readonly span: Span;
}

/**
 * Collects the findings of one file. Rules say what and where in offsets; the reporter turns
 * offsets into ranges with the right file's line index and applies severity overrides.
 */
/** At most this many relatedInformation entries per finding. */
export const MAX_RELATED = 20;

export class Reporter {
  readonly findings: Finding[] = [];

  /** The codes the running check registered (rules/registry.ts); undefined: any. */
  codes: ReadonlySet<string> | undefined;

  constructor(
    readonly uri: string,
    /** Reads only: every lookup is recorded as a dependency of the running check. */
    readonly index: IndexReads,
    readonly resolver: Resolver,
    readonly settings: AnalysisSettings,
  ) {}

  report(
    code: string, span: Span, message: string,
    options: { related?: readonly (Location & { message: string })[]; severity?: Severity; data?: FindingData; wholeSpan?: boolean } = {},
  ): void {
    const rule = RULES_BY_CODE.get(code);
    if (!rule) throw new Error(`unknown rule code ${code}`);
    if (this.codes && !this.codes.has(code)) throw new Error(`a check reported \`${code}\`, which it did not register (rules/registry.ts)`);
    const override = this.settings.severity[code];
    if (override === 'off') return;
    // Ranges depend on the lines of the documents the spans are in, and on nothing else of the file.
    const lines = this.index.linesAt(this.uri, span.start);
    if (!lines) return;
    const related: RelatedInformation[] = [];
    // Bounded: 1,000 Services sharing a nodePort would otherwise carry a million related entries.
    // The message names how many there are; the list shows the first MAX_RELATED.
    for (const r of (options.related ?? []).slice(0, MAX_RELATED)) {
      const rl = this.index.linesAt(r.uri, r.span.start);
      if (rl) related.push({ uri: r.uri, range: rl.headRange(r.span), message: r.message });
    }
    this.findings.push({
      uri: this.uri,
      range: options.wholeSpan ? lines.range(span) : lines.headRange(span),
      severity: override ?? options.severity ?? rule.severity,
      code,
      message,
      related,
      ...(options.data ? { data: options.data } : {}),
    });
  }

  rangeOf(uri: string, span: Span) {
    return this.index.linesAt(uri, span.start)?.headRange(span);
  }
}
