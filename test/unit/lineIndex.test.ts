import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../../server/src/core/lineIndex';

/**
 * Line starts have a fast path for text without CR (indexOf over the text); it must give what the
 * general scan gives. The reference here walks the characters: LF, CRLF and a lone CR each end a line.
 */
function reference(text: string): { line: number; character: number }[] {
  const out: { line: number; character: number }[] = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    out.push({ line, character: i - start });
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) {
      line++;
      start = i + 1;
    }
  }
  return out;
}

function check(text: string, label: string): void {
  const idx = new LineIndex(text);
  const want = reference(text);
  for (let o = 0; o <= text.length; o++) assert.deepEqual(idx.positionAt(o), want[o], `${label}: offset ${o}`);
  assert.equal(idx.lineCount, want[text.length]!.line + 1, `${label}: line count`);
}

test('line starts: LF-only text (the fast path) and text with CR (the general scan) agree with a character walk', () => {
  const samples = ['', '\n', 'a', 'a\n', '\n\n\n', 'a\nb\nc', 'apiVersion: v1\nkind: Service\n---\n', 'x\r\ny', 'a\rb\r\nc\nd\r', '\r\r\n\n'];
  for (const s of samples) check(s, JSON.stringify(s));
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let k = 0; k < 300; k++) {
    const pool = k % 2 ? ['a', 'b', '\n', ' '] : ['a', '\n', '\r', '\r\n', ' '];
    let s = '';
    for (let n = Math.floor(rnd() * 60); n > 0; n--) s += pool[Math.floor(rnd() * pool.length)];
    check(s, `random ${k}: ${JSON.stringify(s)}`);
  }
});

test('line starts of the seed examples: the same with LF and with every LF turned into CRLF', () => {
  const dir = path.resolve(__dirname, '../../../shared/seed-examples');
  const files: string[] = [];
  const walk = (d: string) => { for (const e of readdirSync(d)) { const p = path.join(d, e); if (statSync(p).isDirectory()) walk(p); else if (/\.ya?ml$/.test(e)) files.push(p); } };
  walk(dir);
  assert.ok(files.length > 0);
  for (const f of files.slice(0, 20)) {
    const text = readFileSync(f, 'utf8').replace(/\r\n?/g, '\n');
    check(text, f);
    check(text.replace(/\n/g, '\r\n'), `${f} (CRLF)`);
  }
});
