/**
 * Hostile workspaces and protocol races through the built language server (over stdio, as an
 * editor drives it): an over-limit file, big documents, files deleted and renamed while indexing,
 * symlink loops, a request cancelled mid-flight (20,000 files: scale.test.ts), a document closed
 * right after a big change, settings changed during indexing. The server must keep answering, end
 * consistent (the same diagnostics as a fresh server on the final state), and never crash.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource, LSPErrorCodes, HoverRequest, ReferencesRequest, ResponseError, type Diagnostic, type Hover,
} from 'vscode-languageserver-protocol/node';
import {
  startServer, type LspSession, FileChangeType, close, configChanged, settle, sleep, statuses, until, watched, type StatusReady,
} from '../helpers/lsp';
import { GraphRequest } from '../../server/src/protocol/messages';
import { removeDir, tempDir, write } from '../helpers/disk';
import { deployment, service } from '../helpers/fixtures';
import { Figures, generateManifests, peakRssOf } from './util';

const figures = new Figures('Hostile workspaces through the language server', ['case', 'measure', 'value']);
after(() => figures.print());

const uri = (dir: string, rel: string) => pathToFileURL(path.join(dir, rel)).href;

const DEPLOYMENT = (name: string, app = name) => deployment(name, { app }, { container: 'main', image: 'nginx' });
const SERVICE = (name: string, app = name) => service(name, { app });

/** The server's peak RSS, as one figure per test. */
function noteRss(s: LspSession, what: string): void {
  figures.add(what, 'server peak RSS', `${peakRssOf(s.process.pid)?.toFixed(0) ?? '?'} MB`);
}

const alive = (s: LspSession) => assert.equal(s.process.exitCode, null, 'the server process is still running');

async function hoverAt(s: LspSession, docUri: string, line: number, character: number): Promise<{ hover: Hover | null; ms: number }> {
  const t0 = performance.now();
  const hover = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: docUri }, position: { line, character } });
  return { hover, ms: performance.now() - t0 };
}

/** Non-empty diagnostics per URI, as sorted "code line:char" lists: what a user sees. */
function snapshot(s: LspSession, within: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [u, ds] of [...s.diagnostics].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!u.startsWith(pathToFileURL(within).href) || !ds.length) continue;
    out[u.slice(pathToFileURL(within).href.length)] = ds.map((d: Diagnostic) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}`).sort();
  }
  return out;
}

/** A fresh server on the same folder and settings: what a consistent server must end up with. */
async function fresh(dir: string, settings: LspSession['settings']): Promise<{ ready: StatusReady; snap: Record<string, string[]> }> {
  const s = await startServer(dir, { kubeTraffic: { ...settings.kubeTraffic }, files: { ...settings.files } });
  try {
    const ready = await settle(s, 0, 800);
    return { ready, snap: snapshot(s, dir) };
  } finally {
    noteRss(s, 'fresh reference server (for consistency checks)');
    await s.stop();
  }
}

const counts = (r: StatusReady) => ({ files: r.files, resources: r.resources, errors: r.errors, warnings: r.warnings, infos: r.infos });

// ---------------------------------------------------------------------------------------------

test('files over kubeTraffic.maxFileSize (3.5 MB, 50 MB) get exactly one file-skipped diagnostic each; a big opened document too; hover elsewhere stays quick', async () => {
  const dir = tempDir('lsp-big');
  const s0 = { kubeTraffic: { maxFileSize: 1 }, files: {} };
  write(dir, 'app.yaml', DEPLOYMENT('web') + '---\n' + SERVICE('web'));
  const big = [SERVICE('big', 'nothing'), ...Array.from({ length: 20000 }, (_, i) => SERVICE(`big-${i}`, 'web'))].join('---\n');
  write(dir, 'big.yaml', big); // ~3.5 MB
  const fifty = Buffer.alloc(50 * 1048576, 'x: y\n');
  write(dir, 'fifty.yaml', fifty);
  const s = await startServer(dir, s0);
  try {
    const t0 = performance.now();
    await settle(s, 0, 500);
    figures.add('3.5 MB and 50 MB files over a 1 MB limit on disk', 'time to ready', `${(performance.now() - t0).toFixed(0)} ms`);
    const d = s.diagnostics.get(uri(dir, 'big.yaml')) ?? [];
    assert.deepEqual(d.map((x) => x.code), ['file-skipped'], JSON.stringify(d));
    assert.match(typeof d[0]!.message === 'string' ? d[0]!.message : '', /over kubeTraffic\.maxFileSize/);
    assert.deepEqual(d[0]!.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const d50 = s.diagnostics.get(uri(dir, 'fifty.yaml')) ?? [];
    assert.deepEqual(d50.map((x) => x.code), ['file-skipped'], JSON.stringify(d50));
    assert.match(String(d50[0]!.message), /50\.0 MB, over kubeTraffic\.maxFileSize \(1\.0 MB\)/);

    // A 12 MB document opened in the editor (over the limit): one file-skipped; a hover sent right
    // behind it is answered quickly.
    const huge = `${big}---\n${big}---\n${big}---\n${big}`;
    const hugeUri = uri(dir, 'huge.yaml');
    s.open(hugeUri, huge, 1);
    const h = await hoverAt(s, uri(dir, 'app.yaml'), 3, 9);
    figures.add('12 MB document opened (over the limit)', 'hover on another file sent right behind didOpen', `${h.ms.toFixed(0)} ms`);
    assert.ok(h.hover, 'hover answered');
    assert.ok(h.ms < 2000, `hover took ${h.ms.toFixed(0)} ms`);
    const dd = await until('file-skipped for the opened document', () => {
      const x = s.diagnostics.get(hugeUri);
      return x && x.length ? x : undefined;
    }, 20000);
    assert.deepEqual(dd.map((x) => x.code), ['file-skipped']);

    // A 0.9 MB document of 5,000 objects under the limit: parsed over several turns, so a hover
    // sent right behind its didOpen is answered meanwhile (it waited 1.1–1.5 s for the whole parse);
    // then the document is analysed: its last Service answers a hover, and selects nothing.
    const under = Array.from({ length: 5000 }, (_, i) => SERVICE(`u-${i}`, i === 4999 ? 'nothing-here' : 'web')).join('---\n');
    assert.ok(under.length < 1048576);
    const underUri = uri(dir, 'under.yaml');
    const opened = performance.now();
    s.open(underUri, under, 1);
    const h2 = await hoverAt(s, uri(dir, 'app.yaml'), 3, 9);
    figures.add(`${(under.length / 1048576).toFixed(1)} MB document of 5,000 objects opened (under the limit)`, 'hover on another file sent right behind didOpen', `${h2.ms.toFixed(0)} ms`);
    assert.ok(h2.hover);
    assert.ok(h2.ms < 600, `hover took ${h2.ms.toFixed(0)} ms`);
    const d2 = await until('service-selects-nothing in the 5,000-object document', () => s.diagnostics.get(underUri)?.find((x) => x.code === 'service-selects-nothing'), 20000);
    figures.add('the same document', 'didOpen → its diagnostics', `${(performance.now() - opened).toFixed(0)} ms`);
    assert.equal(d2.range.start.line, under.split('\n').lastIndexOf('  selector:'), 'on the last Service\'s selector');
    const lastName = under.split('\n').findIndex((l) => l === '  name: u-4999');
    const h3 = await hoverAt(s, underUri, lastName, 9);
    assert.match(JSON.stringify(h3.hover), /u-4999/);
    alive(s);
  } finally {
    noteRss(s, '3.5 MB + 50 MB over the limit, 12 MB and 0.6 MB documents opened');
    await s.stop();
    removeDir(dir);
  }
});

test('binary, invalid UTF-8, NUL and BOM/CRLF files in the workspace: one file-skipped each for the first three, the rest analysed', async () => {
  const dir = tempDir('lsp-bin');
  write(dir, 'app.yaml', DEPLOYMENT('web'));
  write(dir, 'svc.yaml', '\uFEFF' + SERVICE('web', 'wbe').replace(/\n/g, '\r\n'));
  const bin = Buffer.alloc(8192);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 2654435761) >>> 24;
  write(dir, 'binary.yaml', bin);
  write(dir, 'latin1.yaml', Buffer.from('kind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'));
  write(dir, 'nul.yaml', 'kind: Service\0\n');
  const s = await startServer(dir);
  try {
    await settle(s, 0, 500);
    for (const [f, why] of [['binary.yaml', /binary/], ['latin1.yaml', /UTF-8/], ['nul.yaml', /binary/]] as const) {
      const d = s.diagnostics.get(uri(dir, f)) ?? [];
      assert.deepEqual(d.map((x) => x.code), ['file-skipped'], f);
      assert.match(String(d[0]!.message), why, f);
    }
    const svc = s.diagnostics.get(uri(dir, 'svc.yaml')) ?? [];
    assert.deepEqual(svc.map((x) => `${String(x.code)} ${x.range.start.line}:${x.range.start.character}`), ['service-selects-nothing 5:2']);
    alive(s);
  } finally {
    noteRss(s, 'binary, invalid UTF-8, NUL, BOM/CRLF files');
    await s.stop();
    removeDir(dir);
  }
});

// ---------------------------------------------------------------------------------------------

test('files deleted while the server indexes 2,000 files: ready arrives, no diagnostics for deleted files, same state as a fresh server', async () => {
  const dir = tempDir('lsp-delete');
  // Even files: Deployments; odd: their Services; every 10th Service selects nothing.
  const files = generateManifests(dir, 2000, { broken: (i) => i % 10 === 1 });
  const s = await startServer(dir);
  try {
    await until('first indexing status', () => statuses(s).some((x) => x.type === 'indexing'), 20000);
    const readyBefore = statuses(s).some((x) => x.type === 'ready');
    // Delete 10 % of the files, spread over the order (some indexed already, most not yet).
    const deleted = files.filter((_, i) => i % 10 === 4 || i % 10 === 1);
    for (const f of deleted) fs.unlinkSync(f);
    watched(s, deleted.map((f) => ({ uri: pathToFileURL(f).href, type: FileChangeType.Deleted })));
    const t0 = performance.now();
    const ready = await settle(s, 0, 1000);
    figures.add('2,000 files, 400 deleted while indexing', 'until consistent', `${(performance.now() - t0).toFixed(0)} ms`);
    figures.add('2,000 files, 400 deleted while indexing', 'deleted before the first ready', String(!readyBefore));
    for (const f of deleted) assert.deepEqual(s.diagnostics.get(pathToFileURL(f).href) ?? [], [], `deleted ${path.basename(f)}`);
    const h = await hoverAt(s, pathToFileURL(files[3]!).href, 3, 9);
    assert.ok(h.hover, 'hover on a remaining Service');
    const ref = await fresh(dir, { kubeTraffic: {}, files: {} });
    assert.deepEqual(counts(ready), counts(ref.ready));
    assert.deepEqual(snapshot(s, dir), ref.snap);
    alive(s);
  } finally {
    noteRss(s, 'files deleted while the server indexes 2,000 files');
    await s.stop();
    removeDir(dir);
  }
});

test('a file renamed (didChangeWatchedFiles delete + create), and one renamed without any event: diagnostics follow the file', async () => {
  const dir = tempDir('lsp-rename');
  write(dir, 'app.yaml', DEPLOYMENT('web'));
  write(dir, 'old.yaml', SERVICE('web', 'wbe'));
  const s = await startServer(dir);
  try {
    await settle(s, 0, 300);
    assert.equal((s.diagnostics.get(uri(dir, 'old.yaml')) ?? []).length, 1);
    fs.renameSync(path.join(dir, 'old.yaml'), path.join(dir, 'new.yaml'));
    watched(s, [{ uri: uri(dir, 'old.yaml'), type: FileChangeType.Deleted }, { uri: uri(dir, 'new.yaml'), type: FileChangeType.Created }]);
    await until('new.yaml diagnostics', () => (s.diagnostics.get(uri(dir, 'new.yaml')) ?? []).length === 1 || undefined);
    assert.deepEqual(s.diagnostics.get(uri(dir, 'old.yaml')), []);
    // A rename of the Deployment's file: the Service keeps selecting it.
    fs.renameSync(path.join(dir, 'app.yaml'), path.join(dir, 'sub-app.yaml'));
    watched(s, [{ uri: uri(dir, 'sub-app.yaml'), type: FileChangeType.Created }, { uri: uri(dir, 'app.yaml'), type: FileChangeType.Deleted }]);
    await settle(s, 0, 500);
    const ref = await fresh(dir, { kubeTraffic: {}, files: {} });
    assert.deepEqual(snapshot(s, dir), ref.snap);
    alive(s);
  } finally {
    noteRss(s, 'files renamed');
    await s.stop();
    removeDir(dir);
  }
});

test('a symlink loop (folder → its parent) and a dangling symlink in the workspace: ready arrives, each file indexed once', async () => {
  const dir = tempDir('lsp-links');
  write(dir, 'a/app.yaml', DEPLOYMENT('web'));
  write(dir, 'a/b/svc.yaml', SERVICE('web', 'nope'));
  fs.symlinkSync('..', path.join(dir, 'a/b/up'));
  fs.symlinkSync('missing.yaml', path.join(dir, 'a/dangling.yaml'));
  fs.symlinkSync('self.yaml', path.join(dir, 'a/self.yaml'));
  const s = await startServer(dir);
  try {
    const ready = await settle(s, 0, 300, 20000);
    assert.equal(ready.files, 2);
    assert.equal(ready.warnings, 1);
    alive(s);
  } finally {
    noteRss(s, 'symlink loop + dangling symlink');
    await s.stop();
    removeDir(dir);
  }
});

// ---------------------------------------------------------------------------------------------

test('requests cancelled mid-flight ($/cancelRequest): each answers or fails with RequestCancelled, and the server keeps answering', async () => {
  const dir = tempDir('lsp-cancel');
  generateManifests(dir, 600);
  const s = await startServer(dir);
  const outcomes: string[] = [];
  const expectAnswerOrCancelled = (req: Promise<unknown>) => req.then(
    () => { outcomes.push('answered'); },
    (e: unknown) => {
      assert.ok(e instanceof ResponseError, `rejected with ${String(e)}`);
      assert.equal(e.code, LSPErrorCodes.RequestCancelled, `error ${e.code} ${e.message}`);
      outcomes.push('cancelled');
    },
  );
  try {
    // The topology graph request waits for indexing (it is asynchronous): cancel it while it waits.
    await until('first indexing status', () => statuses(s).some((x) => x.type === 'indexing'), 20000);
    for (const delay of [0, 2, 20]) {
      const src = new CancellationTokenSource();
      const req = s.connection.sendRequest(GraphRequest.type, {}, src.token);
      setTimeout(() => src.cancel(), delay);
      await expectAnswerOrCancelled(req as Promise<unknown>);
    }
    await settle(s, 0, 300);
    const svcUri = uri(dir, '00001.yaml');
    const big = Array.from({ length: 2000 }, (_, i) => SERVICE(`s${i}`, 'app0')).join('---\n');
    for (let round = 0; round < 3; round++) {
      // Keep the server busy with a big document change, then cancel requests queued behind it.
      s.open(uri(dir, `busy-${round}.yaml`), big, 1);
      const pending: Promise<void>[] = [];
      for (const [k, delay] of [[0, 0], [1, 1], [2, 5], [3, 20]] as const) {
        const src = new CancellationTokenSource();
        const req = k % 2 === 0
          ? s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: svcUri }, position: { line: 3, character: 9 } }, src.token)
          : s.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: uri(dir, '00000.yaml') }, position: { line: 11, character: 14 }, context: { includeDeclaration: true } }, src.token);
        if (delay === 0) src.cancel();
        else setTimeout(() => src.cancel(), delay);
        pending.push(expectAnswerOrCancelled(req as Promise<unknown>));
      }
      await Promise.all(pending);
      close(s, uri(dir, `busy-${round}.yaml`));
    }
    figures.add('3 graph requests cancelled while indexing, 12 hover/references cancelled behind a busy server', 'answered / cancelled', `${outcomes.filter((o) => o === 'answered').length} / ${outcomes.filter((o) => o === 'cancelled').length}`);
    const h = await hoverAt(s, svcUri, 3, 9);
    assert.match(JSON.stringify(h.hover), /Service/);
    alive(s);
  } finally {
    noteRss(s, 'requests cancelled mid-flight ($/cancelRequest)');
    await s.stop();
    removeDir(dir);
  }
});

test('didClose right after didChange of a big document: the file goes back to its disk content; an untitled one is cleared', async () => {
  const dir = tempDir('lsp-close');
  const body = Array.from({ length: 1000 }, (_, i) => SERVICE(`s${i}`, 'web')).join('---\n');
  const onDisk = `${SERVICE('odd', 'nothing')}---\n${body}`;
  write(dir, 'app.yaml', DEPLOYMENT('web'));
  write(dir, 'big.yaml', onDisk);
  const s = await startServer(dir);
  try {
    await settle(s, 0, 300);
    const bigUri = uri(dir, 'big.yaml');
    const diskSnap = snapshot(s, dir);
    assert.equal(diskSnap['/big.yaml']?.length, 1);
    for (let round = 0; round < 2; round++) {
      s.open(bigUri, onDisk, 1);
      // The edit breaks every Service (1,000 new warnings) and is closed at once, unsaved.
      s.change(bigUri, onDisk.replace(/app: web/g, 'app: wbe'), 2);
      close(s, bigUri);
      const untitled = `untitled:Untitled-${round}`;
      s.open(untitled, body, 1);
      s.change(untitled, body.replace(/app: web/g, 'app: wbe'), 2);
      close(s, untitled);
    }
    await sleep(100);
    await settle(s, 0, 1000);
    assert.deepEqual(snapshot(s, dir), diskSnap, 'back to the disk state');
    for (let round = 0; round < 2; round++) assert.deepEqual(s.diagnostics.get(`untitled:Untitled-${round}`) ?? [], [], `untitled ${round}`);
    alive(s);
  } finally {
    noteRss(s, 'didClose right after didChange of a big document');
    await s.stop();
    removeDir(dir);
  }
});

test('settings changed during indexing (exclude, maxFileSize) on 1,420 files: the server ends as a fresh server with those settings', async () => {
  const dir = tempDir('lsp-settings');
  generateManifests(path.join(dir, 'gen'), 1200, { broken: (i) => i % 50 === 1 });
  generateManifests(path.join(dir, 'skip'), 200, { broken: (i) => i % 2 === 1 });
  // Files over 20 KB, each with a problem unless skipped.
  for (let k = 0; k < 20; k++) write(dir, `large/l${k}.yaml`, [SERVICE(`large-${k}`, 'nothing'), ...Array.from({ length: 120 }, (_, i) => SERVICE(`l${k}-${i}`, 'app0'))].join('---\n'));
  const s = await startServer(dir);
  try {
    await until('first indexing status', () => statuses(s).some((x) => x.type === 'indexing'), 20000);
    const readyBefore = statuses(s).some((x) => x.type === 'ready');
    s.settings.kubeTraffic = { exclude: ['skip/**'], maxFileSize: 0.02 };
    configChanged(s);
    const mark = s.notifications.length;
    const t0 = performance.now();
    const ready = await settle(s, mark, 1500, 90000);
    figures.add('1,420 files, settings changed while indexing', 'until consistent', `${(performance.now() - t0).toFixed(0)} ms`);
    figures.add('1,420 files, settings changed while indexing', 'changed before the first ready', String(!readyBefore));
    const ref = await fresh(dir, { kubeTraffic: { exclude: ['skip/**'], maxFileSize: 0.02 }, files: {} });
    assert.deepEqual(counts(ready), counts(ref.ready));
    assert.deepEqual(snapshot(s, dir), ref.snap);
    assert.ok(Object.keys(ref.snap).some((k) => k.startsWith('/large/')), 'the large files are skipped with a diagnostic');
    assert.ok(!Object.keys(ref.snap).some((k) => k.startsWith('/skip/')), 'the excluded folder shows nothing');
    alive(s);
  } finally {
    noteRss(s, 'settings changed during indexing (1,420 files)');
    await s.stop();
    removeDir(dir);
  }
});
