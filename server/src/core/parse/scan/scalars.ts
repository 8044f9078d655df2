/**
 * Scalars and one-line flow collections for the fast scanner: the YAML 1.2 core schema's
 * resolution of plain scalars, quoted scalars on one line, and a conservative check of a flow
 * collection written on one line. Each reader returns where the construct ends, or -1 when it is
 * something the scanner leaves to the full parser (the caller falls back).
 *
 * The schema is the one the `yaml` package applies by default (tags tried in this order: null,
 * bool, octal, decimal and hexadecimal int, .inf/.nan, exponent float, float; otherwise string).
 */

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** The value of a plain scalar (one line, trimmed) under the core schema. */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most scalars are names: a letter that cannot start null, true/false or a number is a string.
  const maybeSpecial = s.length === 0 || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126
    || c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70;
  if (!maybeSpecial) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return c === 116 || c === 84;
  if (OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

const SP = 32;

/** Characters that cannot start a plain scalar in block context (or only followed by a space: - ? :). */
function plainStartOk(text: string, i: number, flow: boolean): boolean {
  const c = text.charCodeAt(i);
  switch (c) {
    case 45: case 63: case 58: { // - ? :
      const n = text.charCodeAt(i + 1);
      return !(Number.isNaN(n) || n === SP || n === 10 || n === 13 || (flow && isFlowIndicator(n)));
    }
    case 44: case 91: case 93: case 123: case 125: // , [ ] { }
    case 35: case 38: case 42: case 33: case 124: case 62: case 39: case 34: // # & * ! | > ' "
    case 37: case 64: case 96: // % @ `
    case 9: case SP: case 10: case 13:
      return false;
    default:
      return !Number.isNaN(c);
  }
}

const isFlowIndicator = (c: number) => c === 44 || c === 91 || c === 93 || c === 123 || c === 125;

/**
 * End (exclusive, trailing spaces trimmed) of a plain scalar in block context starting at `i` on a
 * line ending at `lineEnd` (before any CR), or -1 when it is not one the scanner takes: a bad first
 * character, `: ` inside (a nested mapping), a `:` at the end. A ` #` ends it (a comment follows).
 */
export function plainEnd(text: string, i: number, lineEnd: number): number {
  if (!plainStartOk(text, i, false)) return -1;
  let end = i + 1;
  for (let j = i + 1; j < lineEnd; j++) {
    const c = text.charCodeAt(j);
    if (c === SP) {
      if (text.charCodeAt(j + 1) === 35 /* # */) return end;
      continue;
    }
    if (c === 58 /* : */) {
      const n = j + 1 < lineEnd ? text.charCodeAt(j + 1) : SP;
      if (n === SP) return -1;
    } else if (c === 9) return -1;
    end = j + 1;
  }
  return end;
}

/**
 * End (trailing spaces trimmed) of a continuation line of a plain scalar, from its first
 * non-space character `i`; -1 for a `: ` or a final `:` (a mapping) or a ` #` (a comment).
 */
export function continuationEnd(text: string, i: number, lineEnd: number): number {
  let end = i;
  for (let j = i; j < lineEnd; j++) {
    const c = text.charCodeAt(j);
    if (c === SP) {
      if (text.charCodeAt(j + 1) === 35) return -1;
      continue;
    }
    if (c === 58 && (j + 1 === lineEnd || text.charCodeAt(j + 1) === SP)) return -1;
    end = j + 1;
  }
  return end;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX = /^[0-9a-fA-F]+$/;

/**
 * The escape sequence at `i` (a backslash) of a double-quoted scalar: its length and what it
 * stands for, or undefined when the parser would report it (or it is a line break, not handled here).
 */
export function escapeAt(text: string, i: number, lineEnd: number): { length: number; value: string } | undefined {
  const e = text[i + 1];
  if (e === undefined || i + 1 >= lineEnd) return undefined;
  const simple = ESCAPES[e];
  if (simple !== undefined) return { length: 2, value: simple };
  if (e !== 'x' && e !== 'u' && e !== 'U') return undefined;
  const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
  const hex = text.substr(i + 2, len);
  if (hex.length !== len || !HEX.test(hex) || i + 2 + len > lineEnd) return undefined;
  const code = parseInt(hex, 16);
  return code > 0x10ffff ? undefined : { length: 2 + len, value: String.fromCodePoint(code) };
}

/** A double-quoted scalar closed on its line: its end (after the quote) and value; undefined when not closed there or not exact. */
export function doubleQuoted(text: string, i: number, lineEnd: number): { end: number; value: string } | undefined {
  let value = '';
  let from = i + 1;
  for (let j = i + 1; j < lineEnd; j++) {
    const c = text.charCodeAt(j);
    if (c === 34) return { end: j + 1, value: value + text.slice(from, j) };
    if (c !== 92 /* \ */) continue;
    const esc = escapeAt(text, j, lineEnd);
    if (!esc) return undefined;
    value += text.slice(from, j) + esc.value;
    j += esc.length - 1;
    from = j + 1;
  }
  return undefined;
}

/** A single-quoted scalar closed on its line: its end and value (`''` is a quote). */
export function singleQuoted(text: string, i: number, lineEnd: number): { end: number; value: string } | undefined {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf("'", j);
    if (q < 0 || q >= lineEnd) return undefined;
    if (text.charCodeAt(q + 1) === 39 && q + 1 < lineEnd) {
      j = q + 2;
      continue;
    }
    const raw = text.slice(i + 1, q);
    return { end: q + 1, value: raw.includes("''") ? raw.replace(/''/g, "'") : raw };
  }
}

/** Skips spaces; returns the next index. */
function spaces(text: string, i: number, lineEnd: number): number {
  while (i < lineEnd && text.charCodeAt(i) === SP) i++;
  return i;
}

/**
 * End (after the closing bracket) of a flow collection written on one line, starting at `i` with
 * `[` or `{`, or -1 when it is not one the scanner can vouch for: spread over lines, a comment
 * inside, pairs in a sequence, keys without `: `, empty entries, anchors, tags, a repeated key.
 */
export function flowEnd(text: string, i: number, lineEnd: number, depth = 0): number {
  if (depth > 20) return -1;
  const map = text.charCodeAt(i) === 123;
  const close = map ? 125 : 93;
  const keys = map ? new Set<string>() : undefined;
  let j = spaces(text, i + 1, lineEnd);
  if (text.charCodeAt(j) === close && j < lineEnd) return j + 1;
  for (;;) {
    if (map) {
      const key = flowScalar(text, j, lineEnd);
      if (!key) return -1;
      const k = String(key.value);
      if (keys!.has(k)) return -1;
      keys!.add(k);
      j = spaces(text, key.end, lineEnd);
      if (text.charCodeAt(j) !== 58 || text.charCodeAt(j + 1) !== SP || j + 1 >= lineEnd) return -1;
      j = spaces(text, j + 1, lineEnd);
    }
    const c = text.charCodeAt(j);
    if (c === 91 || c === 123) {
      j = flowEnd(text, j, lineEnd, depth + 1);
      if (j < 0) return -1;
    } else {
      const v = flowScalar(text, j, lineEnd);
      if (!v) return -1;
      j = v.end;
    }
    j = spaces(text, j, lineEnd);
    if (j >= lineEnd) return -1;
    const d = text.charCodeAt(j);
    if (d === close) return j + 1;
    if (d !== 44) return -1;
    j = spaces(text, j + 1, lineEnd);
    if (j >= lineEnd || isFlowIndicator(text.charCodeAt(j))) return -1; // empty entry or trailing comma
  }
}

/** A scalar inside a flow collection: quoted, or plain up to a flow indicator, `: ` or ` #`. */
function flowScalar(text: string, i: number, lineEnd: number): { end: number; value: unknown } | undefined {
  if (i >= lineEnd) return undefined;
  const c = text.charCodeAt(i);
  if (c === 34) return doubleQuoted(text, i, lineEnd);
  if (c === 39) return singleQuoted(text, i, lineEnd);
  if (!plainStartOk(text, i, true)) return undefined;
  let end = i + 1;
  for (let j = i + 1; j < lineEnd; j++) {
    const d = text.charCodeAt(j);
    if (d === SP) {
      if (text.charCodeAt(j + 1) === 35) return undefined; // a comment inside the collection
      continue;
    }
    if (isFlowIndicator(d)) break;
    if (d === 58) {
      const n = j + 1 < lineEnd ? text.charCodeAt(j + 1) : SP;
      if (n === SP || isFlowIndicator(n)) break;
    }
    if (d === 9) return undefined;
    end = j + 1;
  }
  return { end, value: resolvePlain(text.slice(i, end)) };
}
