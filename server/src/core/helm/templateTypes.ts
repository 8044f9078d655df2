import type { Span } from '../types';

/**
 * The line model of a Helm template (see template.ts): its actions, its lines, its helpers.
 */

/** Literal text with wildcards where actions printed something (matched in linear time, no regex). */
export interface Glob {
  test(text: string): boolean;
}

export type ActionKind = 'comment' | 'control' | 'assign' | 'output';

export interface Action {
  /** Offsets of `{{` and just after `}}`. */
  readonly start: number;
  readonly end: number;
  readonly body: string;
  readonly kind: ActionKind;
  readonly keyword?: string;
  readonly trimLeft: boolean;
  /** `.Values` paths the action reads, resolved through `with` and `range` (`*` = any list item or map entry). */
  readonly values: readonly (readonly string[])[];
  /** Helpers it includes (`include "x"`, `template "x"`). */
  readonly helpers: readonly string[];
}

export type LineKind =
  | 'blank' // whitespace only
  | 'control' // only actions that print nothing (if, end, comments, assignments)
  | 'emitter' // only actions, and one of them prints (include, toYaml, .Values.x)
  | 'literal' // YAML text, possibly with actions inside
  | 'comment' // a YAML comment line
  | 'scalar' // inside a block scalar (`|`, `>`) of the line above
  | 'separator' // `---`
  | 'hidden'; // inside a `define`: not output where it is written

export interface TemplateLine {
  readonly index: number;
  /** Raw offsets of the line (without its line break). */
  readonly start: number;
  readonly end: number;
  kind: LineKind;
  /** Leading spaces of the literal text (actions that print nothing removed). */
  readonly indent: number;
  /** Columns of `- ` item markers. */
  readonly dashes: readonly number[];
  /** Column of the content after the markers. */
  readonly col: number;
  /** A `key:`; `pattern` when part of the key is an action (`{{ $k }}: …`). */
  readonly key?: { readonly text: string; readonly pattern?: Glob; readonly span: Span };
  /** The value text after `key: ` (or the item's scalar), as a pattern over rendered source text. */
  readonly value?: { readonly pattern: Glob; readonly span: Span; readonly literal: string };
  /** From the first non-space character to the end of the line, trailing spaces trimmed. */
  readonly content: Span;
  /** Actions that start on this line. */
  readonly actions: readonly Action[];
  /** The column an emitter's output starts at, when `nindent`/`indent` or the line says it. */
  readonly emitCol?: number;
  readonly blockScalar: boolean;
  /** For literal lines: the line's literal text, printing actions as placeholders (see linePattern). */
  readonly literal?: string;
  /** The simple `.Values` conditions the line is printed under. */
  readonly conditions: readonly Condition[];
}

export interface Define {
  readonly name: string;
  readonly uri: string;
  /** Line of the `define` action, and the body lines [from, to). */
  readonly line: number;
  readonly span: Span;
  readonly from: number;
  readonly to: number;
}

export interface ParsedTemplate {
  readonly uri: string;
  readonly text: string;
  readonly lines: readonly TemplateLine[];
  readonly actions: readonly Action[];
  readonly defines: readonly Define[];
}

/** A condition a line's output depends on: `if .Values.x` (truthy), `if not .Values.x`, `with`, `range`. */
export interface Condition {
  readonly path: readonly string[];
  readonly truthy: boolean;
}


export interface RawAction {
  readonly start: number;
  readonly end: number;
  readonly body: string;
  readonly trimLeft: boolean;
  readonly comment: boolean;
}


/** What a printing action becomes in a line's literal text. */
export const PLACEHOLDER = '\u0000';
