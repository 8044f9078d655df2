/**
 * Code lenses sit on the first line of their object (its `apiVersion`/`kind` line, or the first
 * key of the mapping), never on the document's leading comment, a blank line or the `---`: an
 * editor draws a lens above its line, so a lens on the comment would float above the comment,
 * away from the object it describes. Checked on files read from disk and after an edit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeLensRequest, type CodeLens } from 'vscode-languageserver-protocol/node';
import { serverPerFile, sleep } from '../helpers/lsp';
import { fixture, read, uriOf } from './lspTestUtils';

const DIR = fixture('lens-comments');
const s = serverPerFile(DIR);

async function lenses(uri: string): Promise<CodeLens[]> {
  return (await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
}

/**
 * The line of each object's first key, found in the text itself: after each `---` (or the file
 * start), the first line that is neither blank, nor a comment, nor a document marker. For a
 * List, the first line of each item (`- apiVersion:`).
 */
function objectLines(text: string): number[] {
  const lines = text.split('\n');
  const out: number[] = [];
  let inDoc = false;
  lines.forEach((l, i) => {
    if (l.startsWith('---')) { inDoc = false; return; }
    if (!inDoc && l.trim() && !l.trim().startsWith('#')) { inDoc = true; out.push(i); }
  });
  return out;
}

test('on disk: every lens is on its object\'s first key line, below the leading comments', async () => {
  const text = read(DIR, 'app.yaml');
  const lines = text.split('\n');
  const expected = objectLines(text);
  assert.deepEqual(expected.map((i) => lines[i]), ['apiVersion: apps/v1', 'apiVersion: v1', 'kind: Ingress'], 'the fixture has three objects');
  const ls = await lenses(uriOf(DIR, 'app.yaml'));
  const at = [...new Set(ls.map((l) => l.range.start.line))].sort((a, b) => a - b);
  assert.deepEqual(at.map((i) => lines[i]), expected.map((i) => lines[i]), JSON.stringify(ls.map((l) => [l.range.start.line, l.command?.title])));
  assert.deepEqual(at, expected);
  // Each object has its own lenses, starting at column 0 of that line.
  const titles = (line: number): string[] => ls.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
  assert.ok(titles(expected[0]!).some((t) => /^reached by 1 Service, 1 Ingress/.test(t)), JSON.stringify(titles(expected[0]!)));
  assert.ok(titles(expected[1]!).some((t) => /^selects 1 workload/.test(t)));
  assert.ok(titles(expected[2]!).some((t) => /^routes to 1 Service/.test(t)));
  for (const l of ls) assert.equal(l.range.start.character, 0);
});

test('in a List, each item\'s lens is on its `- apiVersion` line, not on the comment above it', async () => {
  const text = read(DIR, 'list.yaml');
  const lines = text.split('\n');
  const items = lines.flatMap((l, i) => (/^\s+- apiVersion:/.test(l) ? [i] : []));
  assert.equal(items.length, 2);
  const ls = await lenses(uriOf(DIR, 'list.yaml'));
  const at = [...new Set(ls.map((l) => l.range.start.line))].sort((a, b) => a - b);
  assert.deepEqual(at, items, JSON.stringify(ls.map((l) => [l.range.start.line, l.command?.title])));
  for (const l of ls) assert.ok(!lines[l.range.start.line]!.trim().startsWith('#'));
});

test('after an edit that adds leading comments, the lenses move with their objects', async () => {
  const uri = uriOf(DIR, 'app.yaml');
  const edited = `# A new first line.\n#\n${read(DIR, 'app.yaml').replace('---\n# The Service', '---\n\n# Inserted above the Service.\n# The Service')}`;
  s.open(uri, edited, 2);
  const expected = objectLines(edited);
  const lines = edited.split('\n');
  // The open editor's text wins over the file on disk once the server has taken the edit.
  let at: number[] = [];
  const end = Date.now() + 5000;
  do {
    at = [...new Set((await lenses(uri)).map((l) => l.range.start.line))].sort((a, b) => a - b);
    if (at.join() === expected.join()) break;
    await sleep(50);
  } while (Date.now() < end);
  assert.deepEqual(at.map((i) => lines[i]), ['apiVersion: apps/v1', 'apiVersion: v1', 'kind: Ingress']);
  assert.deepEqual(at, expected);
});
