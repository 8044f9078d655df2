/**
 * Plain data types shared by the whole core. They are structurally identical to the LSP types of
 * the same names so adapters can pass them through, but the core does not depend on any LSP package.
 */

export interface Position {
  /** 0-based line. */
  readonly line: number;
  /** 0-based UTF-16 code unit offset in the line, as in LSP. */
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A half-open span of UTF-16 offsets into one file's text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export function severityRank(s: Severity): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : s === 'information' ? 2 : 3;
}

export interface RelatedInformation {
  readonly uri: string;
  readonly range: Range;
  readonly message: string;
}

/** One diagnostic produced by a rule. */
export interface Finding {
  readonly uri: string;
  readonly range: Range;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly related: readonly RelatedInformation[];
  /** Machine-readable payload for code actions (e.g. the nearest-miss label). */
  readonly data?: FindingData;
  /**
   * The variants (Kustomize roots, Helm values files) in which the finding holds, sorted; absent
   * for the plain view (contracts.md).
   */
  readonly variants?: readonly string[];
}

export type FindingData =
  | { readonly type: 'replace'; readonly span: Range; readonly newText: string; readonly title: string }
  | { readonly type: 'slash-comment' };

/** Cooperative cancellation, structurally compatible with the LSP CancellationToken. */
export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: CancellationToken = { isCancellationRequested: false };
