/**
 * 20,000 small manifests in one folder (generated once, in os.tmpdir()): the CLI checks them and
 * the language server cold-indexes them in bounded time, and the server answers a hover while
 * it indexes. Figures are printed (they depend on the machine; the bounds are generous).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer, statuses, until, waitReady } from '../helpers/lsp';
import { runCli } from '../helpers/cli';
import { removeDir, tempDir } from '../helpers/disk';
import { Figures, generateManifests, peakRssOf } from './util';

const N = 20000;
const figures = new Figures('20,000 files in one folder', ['what', 'time ms', 'peak RSS MB', 'note']);
let dir: string;

before(() => {
  dir = tempDir('20k');
  const t0 = performance.now();
  // Every 1,000th Service selects nothing: 20 warnings.
  generateManifests(dir, N, { broken: (i) => i % 1000 === 1 });
  figures.add('generate', performance.now() - t0, '', `${os.cpus().length} cores`);
});
after(() => {
  figures.print();
  removeDir(dir);
});

test('the CLI checks 20,000 files in one folder in bounded time, every file read', async () => {
  const r = await runCli(['check', '.', '--format', 'json'], dir, 120000);
  figures.add('CLI check', r.ms, r.peakRssMb ?? -1, `exit ${r.code}`);
  assert.ok(!r.timedOut, 'killed after 120 s');
  assert.equal(r.code, 0, r.stderr.slice(0, 2000));
  const findings = JSON.parse(r.stdout) as { code: string }[];
  assert.equal(findings.filter((f) => f.code === 'service-selects-nothing').length, 20);
  assert.ok(r.ms < 60000, `${r.ms} ms`);
});

test('the language server cold-indexes 20,000 files in one folder in bounded time, and answers a hover while indexing', async () => {
  const t0 = performance.now();
  const s = await startServer(dir);
  try {
    await until('first indexing status', () => statuses(s).some((x) => x.type === 'indexing'), 60000);
    const h0 = performance.now();
    const hover = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: pathToFileURL(path.join(dir, '00001.yaml')).href }, position: { line: 3, character: 9 } });
    const hoverMs = performance.now() - h0;
    const indexingWhenHovered = !statuses(s).some((x) => x.type === 'ready');
    const ready = await waitReady(s, 0, 120000);
    const coldMs = performance.now() - t0;
    figures.add('server start → ready', coldMs, peakRssOf(s.process.pid)?.toFixed(0) ?? '?', `indexMs ${String(ready.indexMs)}`);
    figures.add('hover during indexing', hoverMs, '', `answered ${hover ? 'with a hover' : 'null (file not indexed yet)'}, still indexing: ${indexingWhenHovered}`);
    assert.equal(ready.files, N);
    assert.equal(ready.warnings, 20);
    assert.ok(coldMs < 90000, `${coldMs} ms`);
    assert.ok(hoverMs < 5000, `hover during indexing took ${hoverMs.toFixed(0)} ms`);
    assert.equal(s.process.exitCode, null);
  } finally {
    await s.stop();
  }
});
