import type { Span } from '../types';

/**
 * A Helm template read line by line, without evaluating it: where its `{{ }}` actions are, which
 * lines are literal YAML (a key, a list item, a value), which emit text (an `include`, a
 * `toYaml`), which only steer (`if`, `range`, `end`), and which `.Values` paths and helpers each
 * action reads. The source mapping follows rendered YAML paths through these lines.
 */

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
  readonly key?: { readonly text: string; readonly pattern?: RegExp; readonly span: Span };
  /** The value text after `key: ` (or the item's scalar), as a pattern over rendered source text. */
  readonly value?: { readonly pattern: RegExp; readonly span: Span; readonly literal: string };
  /** From the first non-space character to the end of the line, trailing spaces trimmed. */
  readonly content: Span;
  /** Actions that start on this line. */
  readonly actions: readonly Action[];
  /** The column an emitter's output starts at, when `nindent`/`indent` or the line says it. */
  readonly emitCol?: number;
  readonly blockScalar: boolean;
  /** For literal lines: the whole rendered line, actions as wildcards (for line alignment). */
  readonly pattern?: RegExp;
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

const CONTROL = new Set(['if', 'else', 'range', 'with', 'end', 'define', 'block', 'break', 'continue']);
const BUILTIN_OBJECTS = new Set(['Release', 'Chart', 'Capabilities', 'Template', 'Files', 'Subcharts']);
const PLACEHOLDER = '\u0000';

interface RawAction {
  readonly start: number;
  readonly end: number;
  readonly body: string;
  readonly trimLeft: boolean;
  readonly comment: boolean;
}

/** Finds the `{{ … }}` actions of a template (strings and comments inside them respected). */
export function lexActions(text: string): RawAction[] {
  const out: RawAction[] = [];
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let j = open + 2;
    const trimLeft = text[j] === '-' && /\s/.test(text[j + 1] ?? '');
    if (trimLeft) j++;
    let k = j;
    while (k < text.length && /\s/.test(text[k]!)) k++;
    let close: number;
    const comment = text.startsWith('/*', k);
    if (comment) {
      const c = text.indexOf('*/', k + 2);
      close = c < 0 ? -1 : text.indexOf('}}', c + 2);
    } else {
      close = findClose(text, j);
    }
    const end = close < 0 ? text.length : close + 2;
    const inner = text.slice(j, close < 0 ? text.length : close);
    const body = inner.replace(/\s+-$/, '').trim();
    out.push({ start: open, end, body, trimLeft, comment });
    i = end;
  }
  return out;
}

function findClose(text: string, from: number): number {
  let q: string | undefined;
  for (let k = from; k < text.length; k++) {
    const c = text[k]!;
    if (q) {
      if (c === '\\' && q !== '`') k++;
      else if (c === q) q = undefined;
      else if (c === '\n' && q !== '`') q = undefined; // an unclosed quote does not swallow the file
      continue;
    }
    if (c === '"' || c === '`') q = c;
    else if (c === '}' && text[k + 1] === '}') return k;
  }
  return text.indexOf('}}', from);
}

type Dot = { readonly kind: 'root' } | { readonly kind: 'values'; readonly path: readonly string[] } | undefined;

/** A condition a line's output depends on: `if .Values.x` (truthy), `if not .Values.x`, `with`, `range`. */
export interface Condition {
  readonly path: readonly string[];
  readonly truthy: boolean;
}

interface Frame {
  readonly keyword: string;
  /** Every condition of the enclosing blocks (this one's included). */
  readonly conds: readonly Condition[];
  /** This block's condition when it is exactly one path (its `else` runs when it is false). */
  readonly own?: Condition;
  readonly dot: Dot;
  readonly vars: ReadonlyMap<string, readonly string[]>;
  readonly define?: string;
}

/** Reads one template file. */
export function parseTemplate(uri: string, text: string): ParsedTemplate {
  const raw = lexActions(text);
  const actions: Action[] = [];
  const defines: Define[] = [];
  const stack: Frame[] = [{ keyword: 'root', conds: [], dot: { kind: 'root' }, vars: new Map() }];
  const condsAt: (readonly Condition[])[] = []; // per action: the conditions before it
  const openDefines: { name: string; start: number; span: Span }[] = [];
  const defineEnds: { name: string; start: number; end: number; span: Span }[] = [];
  const insideDefine: boolean[] = []; // per action: before it, inside a define

  for (const a of raw) {
    const top = stack[stack.length - 1]!;
    insideDefine.push(stack.some((f) => f.define !== undefined));
    condsAt.push(top.conds);
    if (a.comment) {
      actions.push({ ...a, kind: 'comment', values: [], helpers: [] });
      continue;
    }
    const word = /^([a-z]+)\b/.exec(a.body)?.[1];
    const keyword = word && CONTROL.has(word) ? word : undefined;
    const refs = readRefs(a.body, top);
    const kind: ActionKind = keyword ? 'control' : /^\$[A-Za-z_]\w*\s*:?=/.test(a.body) ? 'assign' : 'output';
    actions.push({ start: a.start, end: a.end, body: a.body, trimLeft: a.trimLeft, kind, keyword: keyword ?? (word === 'template' ? 'template' : undefined), values: refs.values, helpers: refs.helpers });
    if (kind === 'assign') {
      const m = /^(\$[A-Za-z_]\w*)\s*:?=\s*([\s\S]*)$/.exec(a.body);
      const path = m ? singlePath(m[2]!, top) : undefined;
      if (m && path) (top.vars as Map<string, readonly string[]>).set(m[1]!, path);
      continue;
    }
    switch (keyword) {
      case 'if': {
        const own = conditionsOf(a.body.slice(2), top);
        stack.push({ keyword, conds: [...top.conds, ...own.conds], ...single(own), dot: top.dot, vars: new Map(top.vars) });
        break;
      }
      case 'with': {
        const path = singlePath(a.body.slice(4), top);
        const own = path && !path.includes('*') ? [{ path, truthy: true }] : [];
        stack.push({ keyword, conds: [...top.conds, ...own], ...single({ conds: own, exact: true }), dot: path ? { kind: 'values', path } : undefined, vars: new Map(top.vars) });
        break;
      }
      case 'range': {
        const m = /^range\s+(?:(\$[A-Za-z_]\w*)\s*(?:,\s*(\$[A-Za-z_]\w*))?\s*:?=\s*)?([\s\S]*)$/.exec(a.body);
        const path = m ? singlePath(m[3]!, top) : undefined;
        const item = path ? [...path, '*'] : undefined;
        const vars = new Map(top.vars);
        if (m && item) {
          vars.set(m[2] ?? m[1] ?? '', item);
          if (m[2] && m[1]) vars.set(m[1], item); // the key (or index): the same entry
        }
        const own = path && !path.includes('*') ? [{ path, truthy: true }] : [];
        stack.push({ keyword, conds: [...top.conds, ...own], ...single({ conds: own, exact: true }), dot: item ? { kind: 'values', path: item } : undefined, vars });
        break;
      }
      case 'define':
      case 'block': {
        const name = /^(?:define|block)\s+"([^"]*)"/.exec(a.body)?.[1] ?? '';
        stack.push({ keyword, conds: [], dot: undefined, vars: new Map(), define: name });
        openDefines.push({ name, start: a.end, span: { start: a.start, end: a.end } });
        break;
      }
      case 'else': {
        // `else` of a `with`/`range` runs with the outer dot.
        if (stack.length > 1) {
          const outer = stack[stack.length - 2]!;
          const cur = stack.pop()!;
          const elseWith = /^else\s+with\s+([\s\S]*)$/.exec(a.body);
          const elseIf = /^else\s+if\s+([\s\S]*)$/.exec(a.body);
          const path = elseWith ? singlePath(elseWith[1]!, outer) : undefined;
          // The branches before were false: a single condition flips; several (`and`) tell nothing.
          const flipped = cur.own ? [{ path: cur.own.path, truthy: !cur.own.truthy }] : [];
          const more = elseIf ? conditionsOf(elseIf[1]!, outer) : { conds: path && !path.includes('*') ? [{ path, truthy: true }] : [], exact: true };
          const conds = [...outer.conds, ...flipped, ...more.conds];
          // After `else if B`, a later `else` knows only that B was false (when B is one path).
          stack.push({ keyword: cur.keyword, conds, vars: cur.vars, ...single(more), dot: elseWith ? (path ? { kind: 'values', path } : undefined) : outer.dot });
        }
        break;
      }
      case 'end': {
        if (stack.length > 1) {
          const f = stack.pop()!;
          if (f.define !== undefined) {
            const d = openDefines.pop();
            if (d) defineEnds.push({ name: d.name, start: d.start, end: a.start, span: d.span });
          }
        }
        break;
      }
      default:
        break;
    }
  }

  const lines = splitLines(text, raw, actions, { insideDefine, condsAt, finalInside: stack.some((f) => f.define !== undefined), finalConds: stack[stack.length - 1]!.conds });
  for (const d of defineEnds) {
    const from = lineOf(lines, d.start);
    defines.push({ name: d.name, uri, line: lineOf(lines, d.span.start), span: d.span, from, to: lineOf(lines, d.end) + 1 });
  }
  markBlockScalars(lines);
  return { uri, text, lines, actions, defines };
}

function lineOf(lines: readonly TemplateLine[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ------------------------------------------------------------------ references

/** The one `.Values` path an expression such as `.Values.a.b`, `.x` (under `with`) or `$v` denotes. */
function singlePath(expr: string, frame: Frame): readonly string[] | undefined {
  const e = expr.trim().replace(/^\(|\)$/g, '').trim();
  const m = /^(\$[A-Za-z_]\w*|\$)?((?:\.[A-Za-z_]\w*)*|\.)$/.exec(e);
  if (!m) return undefined;
  return resolve(m[1], m[2]!, frame);
}

/**
 * `X`, `not X`, `and X Y …` over plain `.Values` paths: conditions that hold where the block is
 * printed (`exact` when they are the whole condition); anything else tells nothing.
 */
function conditionsOf(expr: string, frame: Frame): { conds: Condition[]; exact: boolean } {
  const e = expr.trim().replace(/^\((.*)\)$/s, '$1').trim();
  const not = /^not\s+(.+)$/s.exec(e);
  if (not) {
    const p = singlePath(not[1]!, frame);
    return p && !p.includes('*') ? { conds: [{ path: p, truthy: false }], exact: true } : { conds: [], exact: false };
  }
  const and = /^and\s+(.+)$/s.exec(e);
  const parts = and ? and[1]!.trim().split(/\s+/) : [e];
  const conds: Condition[] = [];
  for (const part of parts) {
    const p = singlePath(part, frame);
    if (!p || p.includes('*')) return { conds: and ? conds : [], exact: false };
    conds.push({ path: p, truthy: true });
  }
  return { conds, exact: true };
}

function single(c: { conds: readonly Condition[]; exact: boolean }): { own?: Condition } {
  return c.exact && c.conds.length === 1 ? { own: c.conds[0]! } : {};
}

function resolve(variable: string | undefined, chain: string, frame: Frame): readonly string[] | undefined {
  const fields = chain === '.' ? [] : chain.slice(1).split('.');
  if (variable === '$' || (!variable && fields[0] === 'Values')) {
    return fields[0] === 'Values' ? fields.slice(1) : undefined;
  }
  if (variable) {
    const base = frame.vars.get(variable);
    return base ? [...base, ...fields] : undefined;
  }
  const dot = frame.dot;
  if (dot?.kind === 'values') return [...dot.path, ...fields];
  return undefined; // root: .Release, .Chart …; unknown dot inside a define
}

function readRefs(body: string, frame: Frame): { values: string[][]; helpers: string[] } {
  const helpers = [...body.matchAll(/\b(?:include|template)\s+"([^"]+)"/g)].map((m) => m[1]!);
  const values: string[][] = [];
  const seen = new Set<string>();
  const add = (p: readonly string[] | undefined) => {
    if (!p || p.length === 0) return;
    const k = p.join('\u0000');
    if (!seen.has(k)) {
      seen.add(k);
      values.push([...p]);
    }
  };
  // `index .Values.a "b" "c"` reads a.b.c
  for (const m of body.matchAll(/\bindex\s+(\$[A-Za-z_]\w*|\$)?((?:\.[A-Za-z_]\w*)+|\.)((?:\s+"[^"]*")+)/g)) {
    const base = resolve(m[1], m[2]!, frame);
    if (base) add([...base, ...[...m[3]!.matchAll(/"([^"]*)"/g)].map((x) => x[1]!)]);
  }
  const code = body.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, (s) => ' '.repeat(s.length));
  for (const m of code.matchAll(/(?<![\w)\].$])(\$[A-Za-z_]\w*|\$)?((?:\.[A-Za-z_]\w*)+|\.(?![\w.]))/g)) {
    const chain = m[2]!;
    if (!m[1] && frame.dot?.kind !== 'values' && BUILTIN_OBJECTS.has(chain.slice(1).split('.')[0]!)) continue;
    add(resolve(m[1], chain, frame));
  }
  return { values, helpers };
}

// ------------------------------------------------------------------ lines

interface BlockState {
  readonly insideDefine: readonly boolean[];
  readonly condsAt: readonly (readonly Condition[])[];
  readonly finalInside: boolean;
  readonly finalConds: readonly Condition[];
}

function splitLines(text: string, raw: readonly RawAction[], actions: readonly Action[], state: BlockState): TemplateLine[] {
  const lines: TemplateLine[] = [];
  let a = 0; // the first action that ends after the current line's start
  let start = 0;
  for (let index = 0; start <= text.length; index++) {
    let end = text.indexOf('\n', start);
    const next = end < 0 ? text.length + 1 : end + 1;
    if (end < 0) end = text.length;
    if (end > start && text[end - 1] === '\r') end--;
    while (a < raw.length && raw[a]!.end <= start) a++;
    // Inside a define at the line's start: the state before the next action (or after the last).
    const hidden = a < raw.length ? state.insideDefine[a]! : state.finalInside;
    const conditions = a < raw.length ? state.condsAt[a]! : state.finalConds;
    // Literal text of the line: printing actions become one placeholder, others vanish.
    let lit = '';
    const litOffsets: number[] = [];
    const own: Action[] = [];
    let pos = start;
    for (let b = a; b < raw.length && raw[b]!.start < end; b++) {
      const r = raw[b]!;
      const act = actions[b]!;
      for (let p = Math.max(pos, start); p < r.start; p++) {
        lit += text[p];
        litOffsets.push(p);
      }
      if (r.start >= start) own.push(act);
      if (act.kind === 'output') {
        lit += PLACEHOLDER;
        litOffsets.push(Math.max(r.start, start));
      }
      pos = r.end;
    }
    for (let p = Math.max(pos, start); p < end; p++) {
      lit += text[p];
      litOffsets.push(p);
    }
    litOffsets.push(end);
    lines.push({ ...describeLine(index, start, end, text, lit, litOffsets, own, hidden), conditions });
    start = next;
  }
  return lines;
}

function describeLine(index: number, start: number, end: number, text: string, lit: string, at: number[], own: Action[], hidden: boolean): Omit<TemplateLine, 'conditions'> {
  const base = { index, start, end, actions: own, blockScalar: false };
  const trimmed = lit.trim();
  const bare = lit.split(PLACEHOLDER).join('').trim();
  const firstNonSpace = text.slice(start, end).search(/\S/);
  const contentStart = firstNonSpace < 0 ? end : start + firstNonSpace;
  const content = { start: contentStart, end: start + text.slice(start, end).trimEnd().length };
  const indent = lit.length - lit.trimStart().length;
  if (bare === '') {
    const printing = own.find((x) => x.kind === 'output');
    if (hidden) return { ...base, kind: 'hidden', indent, dashes: [], col: indent, content };
    if (!printing) return { ...base, kind: own.length ? 'control' : 'blank', indent, dashes: [], col: indent, content };
    const rawIndent = lit.length > 0 ? indent : 0;
    return { ...base, kind: 'emitter', indent, dashes: [], col: indent, content: { start: printing.start, end: content.end }, emitCol: emitColumn(printing, rawIndent) };
  }
  if (hidden && trimmed.startsWith('#')) return { ...base, kind: 'hidden', indent, dashes: [], col: indent, content };
  if (/^---(\s|$)/.test(trimmed) && indent === 0 && !hidden) return { ...base, kind: 'separator', indent, dashes: [], col: 0, content };
  if (trimmed.startsWith('#')) return { ...base, kind: 'comment', indent, dashes: [], col: indent, content };

  let i = indent;
  const dashes: number[] = [];
  while (lit[i] === '-' && (i + 1 === lit.length || lit[i + 1] === ' ')) {
    dashes.push(i);
    i++;
    while (lit[i] === ' ') i++;
  }
  const col = i;
  const rest = lit.slice(col);
  const colon = keyColon(rest);
  const span = (from: number, to: number): Span => ({ start: at[from]!, end: at[to]! });
  let key: TemplateLine['key'];
  let valueFrom = col;
  if (colon >= 0) {
    let k = rest.slice(0, colon).trimEnd();
    if ((k.startsWith('"') && k.endsWith('"')) || (k.startsWith("'") && k.endsWith("'"))) k = k.slice(1, -1);
    const keyEnd = col + rest.slice(0, colon).trimEnd().length;
    key = { text: k, span: span(col, keyEnd), ...(k.includes(PLACEHOLDER) ? { pattern: toPattern(k) } : {}) };
    valueFrom = col + colon + 1;
    while (lit[valueFrom] === ' ') valueFrom++;
  }
  const valueText = lit.slice(valueFrom).replace(/\s+#.*$/, '').trimEnd();
  const valueEnd = valueFrom + valueText.length;
  const value = valueText === '' ? undefined : { literal: valueText, pattern: toPattern(valueText), span: span(valueFrom, valueEnd) };
  const blockScalar = !!value && /^[|>][0-9+-]*$/.test(valueText);
  // Lines of a define keep their structure: the mapping looks for keys in helper bodies.
  const whole = lit.trimEnd();
  return {
    ...base, kind: hidden ? 'hidden' : 'literal', indent, dashes, col, key, value, content, blockScalar,
    get pattern() {
      return toPattern(whole, true);
    },
  };
}

/** Where `key:` ends in a line's content (outside quotes and flow brackets), or -1. */
function keyColon(s: string): number {
  let q: string | undefined;
  let depth = 0;
  if (s.startsWith('{') || s.startsWith('[')) return -1; // flow collection item
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = undefined;
      continue;
    }
    if ((c === '"' || c === "'") && (i === 0)) q = c;
    else if (c === '#' && (i === 0 || s[i - 1] === ' ')) return -1;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === ':' && depth <= 0 && (i + 1 === s.length || s[i + 1] === ' ' || s[i + 1] === '\t')) return i;
  }
  return -1;
}

const patterns = new Map<string, RegExp>();

/** The literal as a regular expression, placeholders as wildcards (memoised: lines repeat). */
function toPattern(literal: string, trailingSpaces = false): RegExp {
  const key = trailingSpaces ? `${literal}\u0001` : literal;
  let re = patterns.get(key);
  if (!re) {
    const parts = literal.split(PLACEHOLDER).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    re = new RegExp(`^${parts.join('[\\s\\S]*?')}${trailingSpaces ? '\\s*' : ''}$`);
    if (patterns.size > 20_000) patterns.clear();
    patterns.set(key, re);
  }
  return re;
}

function emitColumn(a: Action, leading: number): number | undefined {
  const n = /\bnindent\s+(\d+)/.exec(a.body);
  if (n) return Number(n[1]);
  const i = /\bindent\s+(\d+)/.exec(a.body);
  if (i) return Number(i[1]) + (a.trimLeft ? 0 : leading);
  return a.trimLeft ? undefined : leading;
}

/** Lines under a `key: |` (or `- |`) belong to the scalar until the indentation returns. */
function markBlockScalars(lines: TemplateLine[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.kind !== 'literal' || !l.blockScalar) continue;
    const owner = l.key ? l.col : (l.dashes[l.dashes.length - 1] ?? l.col);
    let j = i + 1;
    for (; j < lines.length; j++) {
      const n = lines[j]!;
      if (n.kind === 'hidden') break;
      if ((n.kind === 'literal' || n.kind === 'separator' || n.kind === 'comment') && n.indent <= owner) break;
      if (n.kind === 'literal' || n.kind === 'comment' || n.kind === 'emitter') n.kind = 'scalar';
    }
    i = j - 1;
  }
}
