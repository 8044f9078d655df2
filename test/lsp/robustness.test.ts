/**
 * Robustness: requests on empty files, files with YAML errors, positions outside any resource,
 * non-Kubernetes YAML, templates, unknown URIs, half-typed edits. Nothing crashes; answers are
 * null or empty.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeActionRequest, CodeLensRequest, DefinitionRequest, DocumentHighlightRequest, HoverRequest, ReferencesRequest,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { serverPerFile, close, codes, has, sleep, waitDiag } from '../helpers/lsp';
import { fixture, posOf, read, uriOf } from './lspTestUtils';

const ROBUST = fixture('robust');
const s = serverPerFile(ROBUST);

const u = (rel: string) => uriOf(ROBUST, rel);

/** hover, definition, references, highlights at one position. */
async function all(uri: string, position: Position) {
  const td = { uri };
  const [hover, def, refs, hl] = await Promise.all([
    s.connection.sendRequest(HoverRequest.type, { textDocument: td, position }),
    s.connection.sendRequest(DefinitionRequest.type, { textDocument: td, position }),
    s.connection.sendRequest(ReferencesRequest.type, { textDocument: td, position, context: { includeDeclaration: true } }),
    s.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: td, position }),
  ]);
  return { hover, def, refs, hl };
}

function assertNothing(r: Awaited<ReturnType<typeof all>>, where: string): void {
  assert.equal(r.hover, null, `hover at ${where}`);
  assert.ok(r.def === null || (Array.isArray(r.def) && r.def.length === 0), `definition at ${where}: ${JSON.stringify(r.def)}`);
  assert.ok(r.refs === null || r.refs.length === 0, `references at ${where}: ${JSON.stringify(r.refs)}`);
  assert.ok(r.hl === null || r.hl.length === 0, `highlights at ${where}: ${JSON.stringify(r.hl)}`);
}

async function alive(): Promise<void> {
  const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: u('service.yaml') }, position: posOf(read(ROBUST, 'service.yaml'), 'name: queue', 0, 7) });
  assert.match((h?.contents as { value: string }).value, /Service `jobs\/queue`/);
  assert.equal(s.process.exitCode, null);
}

test('requests on an empty file answer null / [] (and it gets an empty diagnostics list)', async () => {
  assert.deepEqual(s.diagnostics.get(u('empty.yaml')) ?? [], [], 'a clean file shows nothing');
  for (const p of [{ line: 0, character: 0 }, { line: 3, character: 10 }]) assertNothing(await all(u('empty.yaml'), p), `empty.yaml ${JSON.stringify(p)}`);
  assert.deepEqual(await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u('empty.yaml') } }), []);
  // The same for an empty document opened in an editor.
  s.open(u('comments-only.yaml'), '', 1);
  await sleep(150);
  assertNothing(await all(u('comments-only.yaml'), { line: 0, character: 0 }), 'opened empty document');
  close(s, u('comments-only.yaml'));
  await alive();
});

test('positions outside any resource answer null / []: comments, separators, past the end of a line or of the file', async () => {
  const text = read(ROBUST, 'service.yaml');
  const positions: [string, Position][] = [
    ['leading comment', { line: 0, character: 4 }],
    ['document separator', posOf(text, '---', 1, 1)],
    ['trailing separator', posOf(text, '---', 2, 0)],
    ['apiVersion value (no traffic element)', posOf(text, 'apiVersion: v1', 0, 13)],
    ['image value', posOf(text, 'rabbitmq:3.13', 0, 3)],
    ['past the end of a line', { line: 2, character: 400 }],
    ['past the end of the file', { line: 500, character: 3 }],
  ];
  for (const [what, p] of positions) assertNothing(await all(u('service.yaml'), p), what);
  assertNothing(await all(u('comments-only.yaml'), { line: 2, character: 5 }), 'comments-only file');
  // Non-Kubernetes YAML is ignored: no hover, no lens, no diagnostics.
  assertNothing(await all(u('ci/workflow.yaml'), posOf(read(ROBUST, 'ci/workflow.yaml'), 'runs-on', 0, 2)), 'CI workflow');
  assert.deepEqual(await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u('ci/workflow.yaml') } }), []);
  assert.deepEqual(s.diagnostics.get(u('ci/workflow.yaml')) ?? [], []);
  await alive();
});

test('files with YAML errors: diagnostics at the errors, and every position answers without an error', async () => {
  assert.ok(has('yaml-syntax')(s.diagnostics.get(u('broken.yaml'))!));
  assert.ok(has('yaml-syntax')(s.diagnostics.get(u('garbage.yaml'))!));
  // The broken tokens themselves resolve to nothing.
  const broken = read(ROBUST, 'broken.yaml');
  assertNothing(await all(u('broken.yaml'), posOf(broken, '[unclosed', 0, 2)), '[unclosed');
  assertNothing(await all(u('broken.yaml'), posOf(broken, 'bad-indent', 0, 2)), 'bad-indent');
  // Every position of both files: requests resolve (null or a well-formed answer), never an error response.
  for (const rel of ['broken.yaml', 'garbage.yaml']) {
    const lines = read(ROBUST, rel).split('\n');
    for (let line = 0; line < lines.length; line++) {
      for (let character = 0; character <= lines[line]!.length; character += 2) {
        const r = await all(u(rel), { line, character });
        if (r.hover) assert.equal((r.hover.contents as { kind: string }).kind, 'markdown');
        assert.ok(r.def === null || Array.isArray(r.def));
      }
    }
    await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u(rel) } });
  }
  await alive();
});

test('a templated (Helm) file: one template-skipped diagnostic, no hover, no lenses', async () => {
  const rel = 'chart/templates/service.yaml';
  assert.deepEqual(codes(s.diagnostics.get(u(rel))), ['template-skipped']);
  assertNothing(await all(u(rel), posOf(read(ROBUST, rel), 'kind: Service', 0, 7)), 'template');
  assert.deepEqual(await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u(rel) } }), []);
});

test('a request for an unknown URI answers null (hover) and empty (definition, references, highlights, lenses, actions)', async () => {
  const ghost = uriOf(ROBUST, 'does/not/exist.yaml');
  assertNothing(await all(ghost, { line: 0, character: 0 }), 'unknown file URI');
  assertNothing(await all('untitled:Untitled-9', { line: 1, character: 1 }), 'unknown untitled URI');
  assertNothing(await all('file:///nowhere/at/all.yaml', { line: 2, character: 2 }), 'outside the workspace');
  const lens = await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: ghost } });
  assert.ok(lens === null || lens.length === 0);
  const actions = await s.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: ghost }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    context: { diagnostics: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x', code: 'yaml-syntax' }] },
  });
  assert.ok(actions === null || actions.length === 0);
  await alive();
});

test('half-typed edits (every prefix of a manifest) never break the server; the final text is analysed', async () => {
  const uri = u('typing.yaml');
  const final = read(ROBUST, 'service.yaml').replace(/queue/g, 'typed');
  s.open(uri, '', 1);
  let v = 1;
  for (let i = 7; i < final.length; i += 7) {
    s.change(uri, final.slice(0, i), ++v);
    if (v % 10 === 0) await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: Math.floor(v / 10), character: 3 } });
  }
  s.change(uri, final, ++v);
  // The finished manifest (a Service whose targetPort names the container port) is clean.
  await waitDiag(s, uri, (d) => d.length === 0);
  const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: posOf(final, 'name: typed', 0, 7) });
  assert.match((h?.contents as { value: string }).value, /Service `jobs\/typed`/);
  await alive();
});

test('an untitled (unsaved) document is analysed with the workspace', async () => {
  const uri = 'untitled:Untitled-1';
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: queue-admin\n  namespace: jobs\nspec:\n  selector:\n    app: queue\n  ports:\n    - port: 15672\n      targetPort: amqp\n';
  s.open(uri, text, 1);
  await waitDiag(s, uri, (d) => d.length === 0);
  const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: posOf(text, 'app: queue', 0, 6) });
  assert.match((h?.contents as { value: string }).value, /matches 1 workload · 2 pods/);
});
