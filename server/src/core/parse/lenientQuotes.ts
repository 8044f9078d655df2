import { visit, type Document } from 'yaml';
import { lastStartingAtOrBefore } from '../lineIndex';

/**
 * Kubernetes' YAML decoder (go-yaml) accepts continuation lines of a multi-line quoted scalar that
 * are not indented past their key, e.g.
 *
 *     annotations:
 *       example.com/json: '[
 *         {"a": 1}
 *       ]'
 *
 * YAML 1.2 (and the `yaml` package) reject the last line. As kubectl applies such files, they are
 * not errors here: the offending lines are indented in a copy (whitespace at the start of a
 * continuation line is folded away, so values do not change), the copy is parsed, and every range
 * is mapped back to the original text.
 */
export function parseWithLenientQuotes(text: string, docs: Document.Parsed[], parse: (t: string) => Document.Parsed[]): Document.Parsed[] {
  const errorOffsets: number[] = [];
  for (const d of docs) for (const e of d.errors) {
    if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) errorOffsets.push(e.pos[0]);
  }
  if (errorOffsets.length === 0 || errorOffsets.length > 50) return docs;
  const lines = splitLines(text);
  const inserts = new Map<number, number>(); // line index -> spaces to add
  for (const offset of errorOffsets) planFix(lines, offset, inserts);
  if (inserts.size === 0) return docs;

  const insertions = [...inserts].sort((a, b) => a[0] - b[0]).map(([line, count]) => ({ offset: lines[line]!.start, count }));
  let patched = '';
  let last = 0;
  for (const ins of insertions) {
    patched += text.slice(last, ins.offset) + ' '.repeat(ins.count);
    last = ins.offset;
  }
  patched += text.slice(last);
  const relaxed = parse(patched);
  const errors = (ds: Document.Parsed[]) => ds.reduce((n, d) => n + d.errors.length, 0);
  if (errors(relaxed) >= errors(docs)) return docs;

  const toOriginal = offsetMapper(insertions);
  for (const d of relaxed) {
    remap(d.range, toOriginal);
    for (const e of d.errors) remapPair(e.pos, toOriginal);
    visit(d, (_key, node) => {
      const n = node as { range?: [number, number, number] };
      if (n && Array.isArray(n.range)) remap(n.range, toOriginal);
    });
  }
  return relaxed;
}

interface Line { start: number; text: string }

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      out.push({ start, text: text.slice(start, i).replace(/\r$/, '') });
      start = i + 1;
    }
  }
  return out;
}

function lineOf(lines: Line[], offset: number): number {
  return lastStartingAtOrBefore(lines, offset);
}

const indentOf = (s: string) => s.length - s.trimStart().length;

/** Finds the quoted scalar that the error cut short and plans indentation for its continuation lines. */
function planFix(lines: Line[], errorOffset: number, inserts: Map<number, number>): void {
  const errLine = lineOf(lines, errorOffset);
  for (let l = errLine; l >= Math.max(0, errLine - 500); l--) {
    const m = /^(\s*)(?:-\s+)?[^'"#\s][^'"#]*:\s+(['"])/.exec(lines[l]!.text) ?? /^(\s*)-\s+(['"])/.exec(lines[l]!.text);
    if (!m) continue;
    const quote = m[2]!;
    const opening = lines[l]!.text.slice(m[0].length);
    if (closes(opening, quote)) return; // a scalar closed on its own line: not the culprit
    const min = m[1]!.length + 1;
    for (let k = l + 1; k < lines.length && k < l + 10000; k++) {
      const t = lines[k]!.text;
      if (t.trim() !== '' && indentOf(t) < min) inserts.set(k, Math.max(inserts.get(k) ?? 0, min - indentOf(t)));
      if (closes(t, quote)) return;
    }
    return;
  }
}

function closes(s: string, quote: string): boolean {
  if (quote === "'") return s.replace(/''/g, '').includes("'");
  return /(^|[^\\])(\\\\)*"/.test(s);
}

function offsetMapper(insertions: readonly { offset: number; count: number }[]): (p: number) => number {
  // Patched position of each insertion.
  let shift = 0;
  const at = insertions.map((ins) => {
    const patchedStart = ins.offset + shift;
    shift += ins.count;
    return { patchedStart, count: ins.count, before: shift - ins.count };
  });
  return (p: number) => {
    let removed = 0;
    for (const a of at) {
      if (p >= a.patchedStart + a.count) removed = a.before + a.count;
      else if (p >= a.patchedStart) return a.patchedStart - a.before;
      else break;
    }
    return p - removed;
  };
}

function remap(range: [number, number, number] | number[], f: (p: number) => number): void {
  for (let i = 0; i < range.length; i++) range[i] = f(range[i]!);
}

function remapPair(pos: [number, number], f: (p: number) => number): void {
  pos[0] = f(pos[0]);
  pos[1] = f(pos[1]);
}

