/**
 * Start-up indexing: every manifest of every workspace folder, progress, the status notification,
 * and diagnostics for files that were never opened.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession, codes, msg, statuses, until, waitDiag, waitReady } from '../helpers/lsp';
import { fixture, uriOf } from './lspTestUtils';
import { StatusNotification } from '../../server/src/protocol/messages';

const TRAFFIC = fixture('traffic');
const SHOP = fixture('shop');

function yamlFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

interface ProgressValue { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number }

function progress(s: LspSession): { token: unknown; value: ProgressValue }[] {
  return s.notifications.filter((n) => n.method === '$/progress').map((n) => n.params as { token: unknown; value: ProgressValue });
}

test('diagnostics arrive for every manifest of the workspace, none of them opened', async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    const files = yamlFiles(TRAFFIC).map((f) => pathToFileURL(f).href);
    assert.equal(files.length, 7);
    // Every file is checked; files with problems get them published (clean, never-opened files need
    // no message: a client shows nothing for them, and 'ready' says the whole workspace was checked).
    const withProblems = files.filter((u) => (s.diagnostics.get(u) ?? []).length > 0);
    assert.ok(withProblems.length >= 1);
    const inv = s.diagnostics.get(uriOf(TRAFFIC, 'backend/inventory-service.yaml'))!;
    assert.deepEqual(codes(inv), ['service-selects-nothing']);
    assert.equal(inv[0]!.severity, DiagnosticSeverity.Warning);
    assert.match(msg(inv[0]), /Service `backend\/inventory` selects app=inventory/);
    // Clean files: nothing shown.
    assert.deepEqual(s.diagnostics.get(uriOf(TRAFFIC, 'frontend/service.yaml')) ?? [], []);
    assert.deepEqual(s.diagnostics.get(uriOf(TRAFFIC, 'backend/payments-service.yaml')) ?? [], []);
  } finally {
    await s.stop();
  }
});

test('indexing reports window/workDoneProgress begin, "N/M files" reports, end', async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    const p = progress(s);
    assert.ok(p.length >= 3, `expected begin/report/end, got ${JSON.stringify(p)}`);
    const token = p[0]!.token;
    assert.ok(p.every((x) => x.token === token), 'all $/progress of the index share one token');
    assert.equal(p[0]!.value.kind, 'begin');
    assert.match(p[0]!.value.title ?? '', /index/i);
    assert.equal(p[0]!.value.message, '0/7 files');
    const reports = p.filter((x) => x.value.kind === 'report');
    assert.ok(reports.length >= 1);
    let last = -1;
    for (const r of reports) {
      const m = /^(\d+)\/(\d+) files$/.exec(r.value.message ?? '');
      assert.ok(m, `report message ${JSON.stringify(r.value.message)} is not "N/M files"`);
      assert.equal(Number(m[2]), 7);
      assert.ok(Number(m[1]) >= last, 'files done never goes backwards');
      last = Number(m[1]);
      if (r.value.percentage !== undefined) assert.ok(r.value.percentage >= 0 && r.value.percentage <= 100);
    }
    assert.equal(reports.at(-1)!.value.message, '7/7 files');
    assert.equal(reports.at(-1)!.value.percentage, 100);
    assert.equal(p.at(-1)!.value.kind, 'end');
    assert.equal(p.filter((x) => x.value.kind === 'begin').length, 1);
    assert.equal(p.filter((x) => x.value.kind === 'end').length, 1);
  } finally {
    await s.stop();
  }
});

test(`${StatusNotification.method} goes indexing → ready, with file, resource and problem counts`, async () => {
  const s = await startServer(TRAFFIC);
  try {
    await waitReady(s);
    await new Promise((r) => setTimeout(r, 200)); // nothing else may follow
    const st = statuses(s);
    const indexing = st.filter((x) => x.type === 'indexing');
    assert.ok(indexing.length >= 1, 'at least one indexing status');
    for (const i of indexing) assert.equal(i.total, 7);
    assert.equal(indexing.at(-1)!.done, 7);
    const last = st.at(-1)!;
    assert.equal(last.type, 'ready');
    assert.equal(last.files, 7);
    assert.equal(last.resources, 7);
    assert.equal(last.errors, 0);
    assert.equal(last.warnings, 1);
    assert.equal(last.infos, 0);
    assert.equal(typeof last.indexMs, 'number');
    assert.ok((last.indexMs as number) >= 0 && (last.indexMs as number) < 10000);
    // The counts agree with what was published.
    const all = [...s.diagnostics.values()].flat();
    assert.equal(all.filter((d) => d.severity === DiagnosticSeverity.Warning).length, last.warnings);
    assert.equal(all.filter((d) => d.severity === DiagnosticSeverity.Error).length, last.errors);
    assert.ok(st.indexOf(indexing.at(-1)!) < st.indexOf(last), 'ready comes after the last indexing status');
  } finally {
    await s.stop();
  }
});

test('every workspace folder is indexed (two folders at start)', async () => {
  const s = await startServer([TRAFFIC, SHOP]);
  try {
    const ready = await until('ready of 18 files', () => statuses(s).find((x) => x.type === 'ready' && x.files === 18));
    assert.equal(ready.files, 7 + 11);
    // Both folders' files were checked: each has its problems published.
    assert.deepEqual(codes(s.diagnostics.get(uriOf(SHOP, 'apps/ingress.yaml'))), ['ingress-service-missing']);
    assert.deepEqual(codes(s.diagnostics.get(uriOf(TRAFFIC, 'backend/inventory-service.yaml'))), ['service-selects-nothing']);
  } finally {
    await s.stop();
  }
});

test('a workspace folder added later is indexed; a removed one has its diagnostics cleared', async () => {
  const s = await startServer([TRAFFIC]);
  try {
    await until('ready of 7 files', () => statuses(s).find((x) => x.type === 'ready' && x.files === 7));
    assert.ok(!s.diagnostics.has(uriOf(SHOP, 'apps/ingress.yaml')));
    s.setFolders([TRAFFIC, SHOP]);
    await waitDiag(s, uriOf(SHOP, 'apps/ingress.yaml'), (d) => codes(d).includes('ingress-service-missing'));
    s.setFolders([SHOP]);
    await waitDiag(s, uriOf(TRAFFIC, 'backend/inventory-service.yaml'), (d) => d.length === 0);
  } finally {
    await s.stop();
  }
});

test('indexMs is sent only on the first ready status (protocol: "only on the first \'ready\'")', async () => {
  const s = await startServer(TRAFFIC);
  try {
    const first = await waitReady(s);
    assert.equal(typeof first.indexMs, 'number');
    // An edit makes a new pass and a new ready status.
    const n = s.notifications.length;
    const dep = uriOf(TRAFFIC, 'frontend/deployment.yaml');
    s.open(dep, fs.readFileSync(path.join(TRAFFIC, 'frontend/deployment.yaml'), 'utf8'), 1);
    const next = await waitReady(s, n);
    assert.equal(next.type, 'ready');
    assert.equal(next.files, 7);
    assert.equal(next.indexMs, undefined, `indexMs repeated on a later ready: ${JSON.stringify(next)}`);
  } finally {
    await s.stop();
  }
});
