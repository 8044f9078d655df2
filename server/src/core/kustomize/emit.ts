import type { SourceMapping } from '../render/types';
import type { KMap, KNode, KScalar } from './tree';

/**
 * Writes an engine tree as a block-style YAML document and records, for every key, scalar value,
 * mapping and sequence, the span of the text it became and where it was written. Strings are quoted
 * whenever a YAML 1.1 or 1.2 reader could take them for anything but a string.
 */

const NON_STRING_WORDS = new Set([
  '', '~', 'null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '.inf', '.Inf', '.INF', '-.inf', '-.Inf', '-.INF', '+.inf', '+.Inf', '+.INF', '.nan', '.NaN', '.NAN', '<<', '=',
]);

function looksNumeric(s: string): boolean {
  // Integers and floats of YAML 1.1 and 1.2 (underscores, 0x/0o/0b, sexagesimal), and dates.
  return /^[-+]?(\.[0-9]|[0-9])/.test(s) && /^[-+]?(0[xob][0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|\.[0-9_]+([eE][-+]?[0-9]+)?|\d{4}-\d\d?-\d\d?([Tt ].*)?)$/.test(s);
}

function needsQuotes(s: string): boolean {
  if (NON_STRING_WORDS.has(s) || looksNumeric(s)) return true;
  if (/^[\s]|[\s]$/.test(s)) return true;
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s)) return true;
  if (/^[?:,[\]{}#&*!|>'"%@`]/.test(s)) return true;
  if (s.startsWith('-') && (s.length === 1 || s[1] === ' ' || s.startsWith('---'))) return true;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':')) return true;
  return false;
}

export function quoteString(s: string): string {
  if (!needsQuotes(s)) return s;
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function scalarText(n: KScalar): string {
  const v = n.value;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '.nan';
    if (!Number.isFinite(v)) return v > 0 ? '.inf' : '-.inf';
    return String(v);
  }
  return quoteString(v);
}

class Writer {
  text = '';
  readonly map: SourceMapping[] = [];

  mark(node: { origin?: SourceMapping['origin']; related?: SourceMapping['related'] } | undefined, start: number, end: number, keyOrigin?: SourceMapping['origin']): void {
    const origin = keyOrigin ?? node?.origin;
    if (!origin || end <= start) return;
    const related = keyOrigin ? undefined : node?.related;
    this.map.push(related && related.length > 0 ? { span: { start, end }, origin, related } : { span: { start, end }, origin });
  }

  /** Writes the value after `key:` or `- ` (the caller has written the prefix). */
  inlineValue(n: KNode, indent: number, afterDash: boolean): void {
    if (n.kind === 'scalar') {
      const start = this.text.length;
      this.text += scalarText(n);
      this.mark(n, start, this.text.length);
      this.text += '\n';
      return;
    }
    if (n.kind === 'map' && n.entries.length === 0) {
      this.emptyCollection(n, '{}');
      return;
    }
    if (n.kind === 'seq' && n.items.length === 0) {
      this.emptyCollection(n, '[]');
      return;
    }
    if (afterDash) {
      // The first entry (or item) goes on the dash's line.
      if (n.kind === 'map') this.mapBody(n, indent + 2, true);
      else this.seqBody(n, indent + 2, true);
      return;
    }
    this.text += '\n';
    if (n.kind === 'map') this.mapBody(n, indent + 2, false);
    else this.seqBody(n, indent, false);
  }

  private emptyCollection(n: KNode, text: string): void {
    const start = this.text.length;
    this.text += text;
    this.mark(n, start, this.text.length);
    this.text += '\n';
  }

  mapBody(m: KMap, indent: number, firstInline: boolean): void {
    const start = this.text.length + (firstInline ? 0 : indent);
    m.entries.forEach((e, i) => {
      if (i > 0 || !firstInline) this.text += ' '.repeat(indent);
      const keyStart = this.text.length;
      this.text += quoteString(e.key);
      this.mark(e.value, keyStart, this.text.length, e.keyOrigin ?? e.value.origin);
      this.text += ':';
      if (e.value.kind === 'scalar' || (e.value.kind === 'map' && e.value.entries.length === 0) || (e.value.kind === 'seq' && e.value.items.length === 0)) this.text += ' ';
      this.inlineValue(e.value, indent, false);
    });
    this.mark(m, start, this.text.length - 1);
  }

  seqBody(s: Extract<KNode, { kind: 'seq' }>, indent: number, firstInline: boolean): void {
    const start = this.text.length + (firstInline ? 0 : indent);
    s.items.forEach((it, i) => {
      if (i > 0 || !firstInline) this.text += ' '.repeat(indent);
      this.text += '- ';
      this.inlineValue(it, indent, true);
    });
    this.mark(s, start, this.text.length - 1);
  }
}

/** The document's text and its source map (sorted by span start, outer spans first). */
export function emitDocument(root: KMap): { text: string; map: SourceMapping[] } {
  const w = new Writer();
  if (root.entries.length === 0) {
    w.text = '{}\n';
    w.mark(root, 0, 2);
  } else {
    w.mapBody(root, 0, false);
  }
  const map = w.map.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  return { text: w.text, map };
}
