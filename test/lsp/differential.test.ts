/**
 * Differential test of the language server: seeded random sequences of what editors and disks do
 * (edits of open documents, whole or ranged; open; close; files created, deleted, renamed and
 * changed on disk with their watched-file events, open or not) against a real server on a temp
 * folder of generated manifests with a Kustomize base and two overlays. After every step (one to
 * three operations), once the server has taken them in (an open sentinel document is changed last;
 * its new finding is published, then a 'ready' status follows), every diagnostic published (per
 * file: code, range, severity, message, related locations) must equal a fresh analysis of the
 * effective texts (an open editor's text wins over disk): a new WorkspaceService on an in-memory
 * host holding them. Documents of kinds no rule reads are first indexed by their identity and read
 * in full once the server is idle: between checkpoints a file may show either state; at every
 * CHECKPOINT-th step and the last, the full one within 10 s.
 *
 * KT_DIFF_SEEDS=4,5,6 and KT_DIFF_STEPS=N run other or longer sequences; a failure names the seed,
 * the step, the operations so far and the differing files with their text. KT_DIFF_TRACE=FILE
 * appends the effective texts of every step (JSON lines), to replay a sequence without the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol/node';
import { NODE_DISK } from '../../server/src/node/nodeHost';
import { toDiagnostic } from '../../server/src/lsp/convert';
import { WorkspaceService } from '../../server/src/service/workspaceService';
import { removeDir, tempDir, write } from '../helpers/disk';
import { deployment, service } from '../helpers/fixtures';
import { APPS, PORTS, genFile, rng } from '../helpers/generate';
import { FileChangeType, close, msg, sleep, startServer, waitReady, watched, type LspSession } from '../helpers/lsp';
import { MemoryHost } from '../helpers/workspace';

const SEEDS = (process.env.KT_DIFF_SEEDS ?? '1,2,3').split(',').map(Number);
const STEPS = Number(process.env.KT_DIFF_STEPS ?? 30);
const CHECKPOINT = 10;
const SENTINEL = 'sentinel.yaml';
/** An open document changed at the end of every step: a Service whose finding names the step. */
const sentinel = (step: number) => service('sentinel', { app: `sentinel-${step}` }, { ns: 'sentinel' });
const LABELS = [...APPS, 'web-v2'];

type Rng = () => number;
const pick = <T>(r: Rng, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;

/** New text for a file, by where it is: Kustomize files stay Kustomize files of the same role. */
function textFor(r: Rng, rel: string, i: number): string {
  const base = path.posix.basename(rel);
  if (rel === 'base/kustomization.yaml') {
    const res = ['svc.yaml', 'deploy.yaml', 'extra.yaml'].filter((_, k) => k < 2 ? r() < 0.9 : r() < 0.4);
    return `resources:\n${res.map((x) => `  - ${x}\n`).join('')}${r() < 0.3 ? 'labels:\n  - pairs:\n      tier: web\n    includeSelectors: true\n' : ''}`;
  }
  if (base === 'kustomization.yaml' && rel.startsWith('overlays/')) {
    return `resources:\n  - ${r() < 0.9 ? '../../base' : '../../nothing'}\n`
      + (r() < 0.5 ? `namespace: ${pick(r, ['shop', 'pay', 'staging'])}\n` : '')
      + (r() < 0.3 ? 'namePrefix: p-\n' : '')
      + (r() < 0.6 ? `patches:\n  - path: ${pick(r, ['patch.yaml', 'patch.yaml', 'patch2.yaml'])}\n` : '');
  }
  if (base.startsWith('patch')) {
    return r() < 0.7
      ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${pick(r, LABELS)}\n`
      : `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n      targetPort: ${pick(r, [...PORTS, '8080'])}\n`;
  }
  if (rel.startsWith('base/')) {
    return r() < 0.5
      ? service('web', { app: pick(r, LABELS) }, { targetPort: pick(r, [...PORTS, 8080]) })
      : deployment('web', { app: pick(r, LABELS) }, { ports: [[pick(r, PORTS), 8080]] });
  }
  return genFile(r, i)[1];
}

/** The folder: generated manifests in apps/ (patch-only kustomizations among them), a base and two overlays. */
function initialFiles(r: Rng): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < 14; i++) {
    const [name, text] = genFile(r, i);
    files.set(`apps/${name}`, text);
  }
  files.set('base/kustomization.yaml', 'resources:\n  - svc.yaml\n  - deploy.yaml\n');
  files.set('base/svc.yaml', service('web', { app: 'web' }));
  files.set('base/deploy.yaml', deployment('web', { app: 'web' }));
  files.set('overlays/prod/kustomization.yaml', 'resources:\n  - ../../base\nnamespace: shop\npatches:\n  - path: patch.yaml\n');
  files.set('overlays/prod/patch.yaml', textFor(() => 0.1, 'overlays/prod/patch.yaml', 0));
  files.set('overlays/staging/kustomization.yaml', 'resources:\n  - ../../base\nnamespace: staging\n');
  return files;
}

/** Offset → LSP position (the generated texts are ASCII: UTF-16 units are characters). */
function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** A random ranged change of `text`: a label swapped, a line inserted (sometimes breaking YAML), or a line removed. */
function rangedChange(r: Rng, text: string): { change: TextDocumentContentChangeEvent; next: string } {
  const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1).filter((o) => o < text.length)];
  const kind = r();
  let start: number;
  let end: number;
  let insert: string;
  const tokens = [...text.matchAll(new RegExp(`\\b(${[...LABELS, ...PORTS].join('|')})\\b`, 'g'))];
  if (kind < 0.55 && tokens.length) {
    const t = pick(r, tokens);
    [start, end, insert] = [t.index!, t.index! + t[0].length, pick(r, [...LABELS, ...PORTS])];
  } else if (kind < 0.8) {
    start = end = pick(r, lineStarts);
    insert = pick(r, ['# edited\n', '---\n', 'bogus: [\n', '  extra: 1\n', 'kind: Service\n']);
  } else {
    const k = Math.floor(r() * lineStarts.length);
    [start, end, insert] = [lineStarts[k]!, lineStarts[k + 1] ?? text.length, ''];
  }
  const change = { range: { start: position(text, start), end: position(text, end) }, text: insert };
  return { change, next: text.slice(0, start) + insert + text.slice(end) };
}

/** The state the editor and the disk are in; the effective text of a file is the editor's when open. */
class World {
  readonly disk = new Map<string, string>();
  readonly open = new Map<string, { text: string; version: number }>();
  readonly log: string[] = [];
  private counter = 100;

  constructor(readonly dir: string, readonly s: LspSession, private readonly r: Rng) {}

  uri(rel: string): string {
    return pathToFileURL(path.join(this.dir, rel)).href;
  }

  effective(): Map<string, string> {
    const out = new Map(this.disk);
    for (const [rel, d] of this.open) out.set(rel, d.text);
    return out;
  }

  writeDisk(rel: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, rel), text);
    this.disk.set(rel, text);
  }

  deleteDisk(rel: string): void {
    fs.rmSync(path.join(this.dir, rel));
    this.disk.delete(rel);
  }

  openDoc(rel: string, text: string): void {
    this.open.set(rel, { text, version: 1 });
    this.s.open(this.uri(rel), text, 1);
  }

  closeDoc(rel: string): void {
    this.open.delete(rel);
    close(this.s, this.uri(rel));
  }

  /** One random operation; returns what it did. */
  step(): string {
    const r = this.r;
    const closed = [...this.disk.keys()].filter((f) => !this.open.has(f) && f !== SENTINEL);
    const opened = [...this.open.keys()].filter((f) => f !== SENTINEL);
    const x = r();
    if (x < 0.3 && opened.length) {
      const rel = pick(r, opened);
      const doc = this.open.get(rel)!;
      doc.version++;
      if (r() < 0.25) {
        doc.text = textFor(r, rel, this.counter++);
        this.s.change(this.uri(rel), doc.text, doc.version);
        return `edit ${rel} (whole text)`;
      }
      const changes: TextDocumentContentChangeEvent[] = [];
      for (let n = r() < 0.2 ? 2 : 1; n > 0; n--) {
        const { change, next } = rangedChange(r, doc.text);
        changes.push(change);
        doc.text = next;
      }
      this.s.edit(this.uri(rel), doc.version, changes);
      return `edit ${rel} ${JSON.stringify(changes)}`;
    }
    if (x < 0.42 && closed.length) {
      const rel = pick(r, closed);
      const text = r() < 0.3 ? textFor(r, rel, this.counter++) : this.disk.get(rel)!;
      this.openDoc(rel, text);
      return `open ${rel}${text === this.disk.get(rel) ? '' : ' (unsaved text)'}`;
    }
    if (x < 0.52 && opened.length) {
      const rel = pick(r, opened);
      this.closeDoc(rel);
      return `close ${rel}`;
    }
    if (x < 0.64) {
      const folder = pick(r, ['apps', 'apps', 'base', 'overlays/prod', 'overlays/staging']);
      const name = folder === 'base' ? pick(r, ['extra.yaml', `n${this.counter}.yaml`]) : folder.startsWith('overlays') ? pick(r, ['patch.yaml', 'patch2.yaml', 'kustomization.yaml']) : `n${this.counter}.yaml`;
      const rel = `${folder}/${name}`;
      if (this.disk.has(rel) || this.open.has(rel)) return this.changeOnDisk(rel);
      this.writeDisk(rel, textFor(r, rel, this.counter++));
      watched(this.s, [{ uri: this.uri(rel), type: FileChangeType.Created }]);
      return `create ${rel}`;
    }
    if (x < 0.74 && this.disk.size > 8) {
      const rel = pick(r, [...this.disk.keys()].filter((f) => f !== SENTINEL));
      this.deleteDisk(rel);
      watched(this.s, [{ uri: this.uri(rel), type: FileChangeType.Deleted }]);
      return `delete ${rel}${this.open.has(rel) ? ' (open)' : ''}`;
    }
    if (x < 0.84) {
      const rel = pick(r, [...this.disk.keys()].filter((f) => f !== SENTINEL));
      const dir = path.posix.dirname(rel);
      const to = `${dir}/${dir.startsWith('overlays') ? pick(r, ['patch.yaml', 'patch2.yaml', 'kustomization.yaml']) : dir === 'base' ? pick(r, ['svc.yaml', 'deploy.yaml', 'extra.yaml']) : `r${this.counter++}.yaml`}`;
      if (to === rel || this.disk.has(to) || this.open.has(to)) return this.changeOnDisk(rel);
      const text = this.disk.get(rel)!;
      const wasOpen = this.open.get(rel);
      // An editor follows a rename: it closes the old document (before or after the watcher's
      // events arrive) and opens the new one with the same text.
      const closeFirst = wasOpen !== undefined && r() < 0.5;
      if (closeFirst) this.closeDoc(rel);
      this.deleteDisk(rel);
      this.writeDisk(to, text);
      watched(this.s, [{ uri: this.uri(rel), type: FileChangeType.Deleted }, { uri: this.uri(to), type: FileChangeType.Created }]);
      if (wasOpen) {
        if (!closeFirst) this.closeDoc(rel);
        this.openDoc(to, wasOpen.text);
      }
      return `rename ${rel} → ${to}${wasOpen ? ' (open)' : ''}`;
    }
    return this.changeOnDisk(pick(r, [...this.disk.keys()].filter((f) => f !== SENTINEL)));
  }

  private changeOnDisk(rel: string): string {
    const existed = this.disk.has(rel);
    this.writeDisk(rel, textFor(this.r, rel, this.counter++));
    watched(this.s, [{ uri: this.uri(rel), type: existed ? FileChangeType.Changed : FileChangeType.Created }]);
    return `${existed ? 'change' : 'create'} on disk ${rel}${this.open.has(rel) ? ' (open: the editor wins)' : ''}`;
  }
}

/** A diagnostic as compared: what the user sees of it. */
function shown(d: Diagnostic): string {
  const at = (x: Diagnostic['range']) => `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}`;
  const related = (d.relatedInformation ?? []).map((r) => ` [${r.location.uri.replace(/^.*\/kt-lsp-diff-[^/]*\//, '')} ${at(r.location.range)} ${r.message}]`).join('');
  return `${at(d.range)} ${d.severity} ${String(d.code)} ${msg(d)}${related}`;
}

/**
 * A fresh analysis of the effective texts: what a consistent server publishes, per file. With
 * `skipBodies`, as the server first reads them: documents of kinds no rule reads are indexed by
 * their identity, and the YAML errors in their bodies come when the server, idle, reads them in full.
 */
async function fresh(root: string, texts: ReadonlyMap<string, string>, skipBodies: boolean): Promise<Map<string, string[]>> {
  const host = new MemoryHost({}, { disk: NODE_DISK });
  for (const [rel, text] of texts) host.files.set(pathToFileURL(path.join(root, rel)).href, text);
  const service = new WorkspaceService(host, {}, { skipBodies });
  try {
    service.setFolders([pathToFileURL(root).href]);
    await service.reindex();
    const out = new Map<string, string[]>();
    for (const [uri, findings] of service.workspace.allFindings()) if (findings.length) out.set(uri, findings.map((f) => shown(toDiagnostic(f))));
    return out;
  } finally {
    service.dispose();
  }
}

/**
 * Files whose published diagnostics are neither those of the fresh analysis nor (between two
 * checkpoints, `partial` given) those of the fresh analysis as first read; with both sides and the text.
 */
function differences(s: LspSession, root: string, texts: ReadonlyMap<string, string>, full: Map<string, string[]>, partial?: Map<string, string[]>): string[] {
  const out: string[] = [];
  const uris = new Set([...full.keys(), ...(partial?.keys() ?? []), ...[...s.diagnostics].filter(([, d]) => d.length).map(([u]) => u)]);
  const lines = (l: string[]) => l.map((x) => `    ${x}`).join('\n') || '    (nothing)';
  for (const uri of [...uris].sort()) {
    const got = JSON.stringify((s.diagnostics.get(uri) ?? []).map(shown));
    const want = full.get(uri) ?? [];
    const first = partial?.get(uri) ?? [];
    if (got === JSON.stringify(want) || (partial && got === JSON.stringify(first))) continue;
    const rel = path.relative(root, new URL(uri).pathname);
    const text = texts.get(rel);
    out.push(`${rel}:\n  published:\n${lines(JSON.parse(got) as string[])}\n  fresh analysis:\n${lines(want)}`
      + (partial && JSON.stringify(first) !== JSON.stringify(want) ? `\n  fresh analysis, bodies not yet read:\n${lines(first)}` : '')
      + `\n  text:\n${text === undefined ? '    (none)' : text.replace(/^/gm, '    | ')}`);
  }
  return out;
}

async function runSeed(seed: number): Promise<void> {
  const r = rng(seed);
  const dir = tempDir(`lsp-diff-${seed}`);
  const files = initialFiles(r);
  files.set(SENTINEL, sentinel(0));
  for (const [rel, text] of files) write(dir, rel, text);
  const s = await startServer(dir);
  try {
    const world = new World(dir, s, r);
    for (const [rel, text] of files) world.disk.set(rel, text);
    world.openDoc(SENTINEL, files.get(SENTINEL)!);
    for (let step = 0; step <= STEPS; step++) {
      if (step > 0) {
        for (let n = 1 + Math.floor(r() * 3); n > 0; n--) world.log.push(`${step}: ${world.step()}`);
        const doc = world.open.get(SENTINEL)!;
        doc.text = sentinel(step);
        s.change(world.uri(SENTINEL), doc.text, ++doc.version);
      }
      // The step is over when the sentinel's new finding is published and a 'ready' follows it:
      // the server has taken in every message before it, and finished the pass.
      await s.waitForDiagnostics(world.uri(SENTINEL), (d) => d.some((x) => msg(x).includes(`app=sentinel-${step}`)), 20000);
      await waitReady(s, s.notifications.length, 20000);
      const texts = world.effective();
      if (process.env.KT_DIFF_TRACE) fs.appendFileSync(process.env.KT_DIFF_TRACE, `${JSON.stringify({ seed, step, texts: Object.fromEntries(texts) })}\n`);
      const full = await fresh(dir, texts, false);
      let diff: string[];
      if (step % CHECKPOINT === 0 || step === STEPS) {
        // A checkpoint: once idle (about 400 ms) the server reads every document in full; until
        // then the only change to come is the YAML errors of bodies not yet read.
        const end = Date.now() + 10000;
        while ((diff = differences(s, dir, texts, full)).length && Date.now() < end) await sleep(50);
      } else {
        // In between, a file whose document is still read by its identity only may show that state.
        diff = differences(s, dir, texts, full);
        if (diff.length) diff = differences(s, dir, texts, full, await fresh(dir, texts, true));
      }
      assert.deepEqual(diff, [], `seed ${seed}, step ${step}: the published diagnostics differ from a fresh analysis of the same texts.\n`
        + `Operations so far:\n${world.log.join('\n')}\n\n${diff.join('\n')}`);
    }
  } finally {
    await s.stop();
    removeDir(dir);
  }
}

for (const seed of SEEDS) {
  test(`the server's diagnostics equal a fresh analysis after each of ${STEPS} random steps of edits, opens, closes and disk changes (seed ${seed})`, { timeout: 120_000 }, async () => {
    await runSeed(seed);
  });
}
