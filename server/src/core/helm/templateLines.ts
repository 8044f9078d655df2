import type { Span } from '../types';
import { PLACEHOLDER, type Action, type Condition, type Glob, type RawAction, type TemplateLine } from './templateTypes';

/**
 * Lexing a template into actions, and its lines into literal YAML structure (indentation, `- `
 * markers, key, value pattern), emitters and control lines.
 */

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


export interface BlockState {
  readonly insideDefine: readonly boolean[];
  readonly condsAt: readonly (readonly Condition[])[];
  readonly finalInside: boolean;
  readonly finalConds: readonly Condition[];
}

export function splitLines(text: string, raw: readonly RawAction[], actions: readonly Action[], state: BlockState): TemplateLine[] {
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
    lines.push(describeLine(index, start, end, text, lit, litOffsets, own, hidden, conditions));
    start = next;
  }
  return lines;
}

interface LineParts {
  readonly dashes?: readonly number[];
  readonly key?: TemplateLine['key'];
  readonly value?: TemplateLine['value'];
  readonly emitCol?: number;
  readonly blockScalar?: boolean;
  readonly literal?: string;
}

const NO_DASHES: readonly number[] = [];

/** Every line object has the same shape (built in one place): thousands of them stay fast. */
function makeLine(index: number, start: number, end: number, actions: Action[], conditions: readonly Condition[], kind: TemplateLine['kind'], indent: number, col: number, content: Span, p: LineParts = {}): TemplateLine {
  return {
    index, start, end, actions, conditions, kind, indent, col, content,
    dashes: p.dashes ?? NO_DASHES, key: p.key, value: p.value, emitCol: p.emitCol, blockScalar: p.blockScalar ?? false, literal: p.literal,
  };
}

function describeLine(index: number, start: number, end: number, text: string, lit: string, at: number[], own: Action[], hidden: boolean, conditions: readonly Condition[]): TemplateLine {
  const trimmed = lit.trim();
  const bare = lit.split(PLACEHOLDER).join('').trim();
  const firstNonSpace = text.slice(start, end).search(/\S/);
  const contentStart = firstNonSpace < 0 ? end : start + firstNonSpace;
  const content = { start: contentStart, end: start + text.slice(start, end).trimEnd().length };
  const indent = lit.length - lit.trimStart().length;
  const line = (kind: TemplateLine['kind'], col: number, c: Span = content, p?: LineParts) => makeLine(index, start, end, own, conditions, kind, indent, col, c, p);
  if (bare === '') {
    const printing = own.find((x) => x.kind === 'output');
    if (hidden) return line('hidden', indent);
    if (!printing) return line(own.length ? 'control' : 'blank', indent);
    const rawIndent = lit.length > 0 ? indent : 0;
    return line('emitter', indent, { start: printing.start, end: content.end }, { emitCol: emitColumn(printing, rawIndent) });
  }
  if (hidden && trimmed.startsWith('#')) return line('hidden', indent);
  if (/^---(\s|$)/.test(trimmed) && indent === 0 && !hidden) return line('separator', 0);
  if (trimmed.startsWith('#')) return line('comment', indent);

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
    key = { text: k, span: span(col, keyEnd), pattern: k.includes(PLACEHOLDER) ? toPattern(k) : undefined };
    valueFrom = col + colon + 1;
    while (lit[valueFrom] === ' ') valueFrom++;
  }
  const valueText = lit.slice(valueFrom).replace(/\s+#.*$/, '').trimEnd();
  const valueEnd = valueFrom + valueText.length;
  const value = valueText === '' ? undefined : { literal: valueText, pattern: toPattern(valueText), span: span(valueFrom, valueEnd) };
  const blockScalar = !!value && /^[|>][0-9+-]*$/.test(valueText);
  // Lines of a define keep their structure: the mapping looks for keys in helper bodies.
  return line(hidden ? 'hidden' : 'literal', col, content, { dashes, key, value, blockScalar, literal: lit.trimEnd() });
}

/** A literal line as a whole, actions as wildcards, trailing spaces allowed (for line alignment). */
export function linePattern(l: TemplateLine): Glob | undefined {
  return l.literal === undefined ? undefined : toPattern(l.literal, true);
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

const globs = new Map<string, Glob>();

/** The literal as a glob, placeholders as wildcards (memoised: lines repeat). */
function toPattern(literal: string, trailingSpaces = false): Glob {
  const key = trailingSpaces ? `${literal}\u0001` : literal;
  let g = globs.get(key);
  if (!g) {
    g = new WildcardText(literal.split(PLACEHOLDER), trailingSpaces);
    if (globs.size > 20_000) globs.clear();
    globs.set(key, g);
  }
  return g;
}

/**
 * `P0*P1*…*Pn` over literal pieces: the text starts with P0, ends with Pn, and holds the middle
 * pieces in order (leftmost matches are enough), so matching is linear and cannot blow up on
 * hostile text as nested lazy regular expressions can.
 */
class WildcardText implements Glob {
  constructor(private readonly parts: readonly string[], private readonly trailingSpaces: boolean) {}

  test(input: string): boolean {
    const text = this.trailingSpaces ? input.replace(/\s+$/, '') : input;
    const parts = this.parts;
    const first = parts[0]!;
    if (parts.length === 1) return text === first;
    const last = parts[parts.length - 1]!;
    if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
    let at = first.length;
    const end = text.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const p = parts[i]!;
      if (p === '') continue;
      const j = text.indexOf(p, at);
      if (j < 0 || j + p.length > end) return false;
      at = j + p.length;
    }
    return true;
  }
}

function emitColumn(a: Action, leading: number): number | undefined {
  const n = /\bnindent\s+(\d+)/.exec(a.body);
  if (n) return Number(n[1]);
  const i = /\bindent\s+(\d+)/.exec(a.body);
  if (i) return Number(i[1]) + (a.trimLeft ? 0 : leading);
  return a.trimLeft ? undefined : leading;
}

/** Lines under a `key: |` (or `- |`) belong to the scalar until the indentation returns. */
export function markBlockScalars(lines: TemplateLine[]): void {
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
