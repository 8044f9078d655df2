/**
 * The performance benchmark of Kube Traffic: `npm run bench` (not part of `npm test`).
 *
 * In one run, on the same files: the single-thread parse floor, the server's cold index and warm
 * start, keystroke latency (small file, largest multi-document file, argo-cd install.yaml), cross-file
 * latency, hover/definition latency, peak RSS, and yaml-language-server's keystroke latency on the
 * same files and edits; on ../shared/corpus and generated workspaces of 10k, 50k and 100k resources.
 * Prints a Markdown table and writes JSON (default .kt-tmp/bench-results.json).
 *
 * Options:
 *   --workspaces corpus,10k,50k,100k   which workspaces (default all)
 *   --out FILE                         JSON path
 *   --edits N                          keystrokes per file (default 50)
 *   --no-yamlls                        skip yaml-language-server
 *   --profile                          instead: --cpu-prof the server's cold index of the corpus (or the first of
 *                                      --workspaces) and print the top self-time functions
 *   --corpus DIR                       corpus folder (default ../shared/corpus)
 *   KT_BENCH_NODE_ARGS="--flag ..."   (environment) extra node flags for the Kube Traffic server process
 *   --budget S                         whole-run time budget in seconds (default 285): each workspace gets a
 *                                      share, a measurement that would overrun it reports "timeout > X s"
 *
 * Keystroke edits: the server publishes a file's diagnostics only when they change, so every edit
 * toggles a diagnostic: one character appended to (then removed from) a Service selector value or a
 * named targetPort where the file has one (argo-cd install.yaml, the generated files), else `//`
 * typed before (then removed from) a top-level `#` comment line, which is a yaml-syntax diagnostic
 * (calico operator-crds.yaml: CRDs only). The latency is from sending the incremental didChange to
 * the publishDiagnostics of that file; "pass" is until the 'ready' status that ends the whole
 * diagnostics pass over the workspace. The next edit is sent after the pass (bounded wait). On the
 * corpus's largest file a second series types in a description (no diagnostic changes), timed to
 * the pass's 'ready': the `//` edit takes the slash-comment recovery path, this one does not.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { DefinitionRequest, HoverRequest, type Range } from 'vscode-languageserver-protocol/node';
import { findManifestsSync } from '../../server/src/node/manifestFiles';
import { GraphRequest } from '../../server/src/protocol/messages';
import { keystrokeCandidates, lineStarts, positionAt, probes, serviceSelector, templateLabelEnd, typingEdit, type Edit, type Probe } from './edits';
import { generateWorkspace } from './generate';
import { LspClient } from './lsp';
import { sourceOf, summariseProfile } from './profile';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'server/out/server.js');
const YAMLLS = path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');
/** A number read from a source file (the servers' debounce), undefined when the pattern is gone. */
function sourceNumber(file: string, pattern: RegExp): number | undefined {
  try {
    const m = pattern.exec(fs.readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
/** The servers' own delay between a change and its validation, as their sources say today. */
const KT_DEBOUNCE_MS = sourceNumber(path.join(ROOT, 'server/src/service/publisher.ts'), /debounceMs\s*=\s*(\d+)/);
const YAMLLS_DEBOUNCE_MS = sourceNumber(path.join(ROOT, 'node_modules/yaml-language-server/out/server/src/yamlSettings.js'), /validationDelayMs\s*=\s*(\d+)/);

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const OUT = path.resolve(opt('--out') ?? path.join(ROOT, '.kt-tmp/bench-results.json'));
const EDITS = Number(opt('--edits') ?? 50);
const CROSS_EDITS = 20;
const PROBES = 200;
const WITH_YAMLLS = !argv.includes('--no-yamlls');
const CORPUS = path.resolve(opt('--corpus') ?? path.join(ROOT, '../shared/corpus'));
const SIZES: Record<string, number> = { '10k': 10000, '50k': 50000, '100k': 100000 };
const WORKSPACES = (opt('--workspaces') ?? 'corpus,10k,50k,100k').split(',').map((s) => s.trim()).filter(Boolean);
/** Whole-run budget in seconds: each workspace gets a share, each measurement a cap within it. */
const BUDGET_S = Number(opt('--budget') ?? 285);
/** Shares of the budget; time a workspace does not use rolls over to the next ones. */
const WEIGHTS: Record<string, number> = { corpus: 65, '10k': 55, '50k': 65, '100k': 100 };

/**
 * Upper caps, so a slow server gives "timeout > X s" rather than a hang. The effective cap of each
 * measurement is also bounded by what is left of its workspace's share of --budget.
 */
const CAP = {
  indexMs: 150_000,
  publishMs: 10_000,
  passMs: 3_000,
  keystrokeBudgetMs: 20_000,
  crossBudgetMs: 12_000,
  probeBudgetMs: 10_000,
  yamllsBudgetMs: 12_000,
};

const t0 = performance.now();
const log = (msg: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);

// ---------------------------------------------------------------- statistics

interface Stats { n: number; p50: number; p95: number; max: number; mean: number }
function stats(xs: readonly number[]): Stats | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  // Nearest-rank percentiles.
  const pct = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { n: s.length, p50: pct(50), p95: pct(95), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

// ---------------------------------------------------------------- workspaces

/** `typing`: a keystroke that changes no diagnostic, timed to the end of the server's pass ('ready'). */
interface Target { readonly label: string; readonly rel: string; readonly typing?: boolean }
interface Workspace {
  readonly id: string;
  readonly dir: string;
  readonly files: string[];
  readonly bytes: number;
  readonly resources?: number;
  readonly keystrokeTargets: { small: Target; large: Target; typing?: Target; argo?: Target };
  readonly cross?: CrossPair;
}
interface CrossPair { readonly workloadFile: string; readonly workloadName: string; readonly serviceFile: string; readonly serviceName: string; readonly labelKey: string }

async function listFiles(dir: string): Promise<string[]> {
  return findManifestsSync([dir]).files;
}

async function corpusWorkspace(): Promise<Workspace> {
  const files = await listFiles(CORPUS);
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  // The small file: the first (by path) 0.5–3 KB file with a Service selector edit.
  const small = files.filter((f) => {
    const size = fs.statSync(f).size;
    if (size < 500 || size > 3000) return false;
    const t = fs.readFileSync(f, 'utf8');
    return /^kind: Service\s*$/m.test(t) && keystrokeCandidates(t)[0]?.text === 'x';
  })[0];
  if (!small) throw new Error('no small Service file in the corpus');
  // The largest multi-document file.
  const multi = files.map((f) => ({ f, size: fs.statSync(f).size })).sort((a, b) => b.size - a.size)
    .find((x) => (fs.readFileSync(x.f, 'utf8').match(/^---/gm) ?? []).length >= 2)!;
  const argo = path.join(CORPUS, 'argoproj__argo-cd/manifests/install.yaml');
  return {
    id: 'corpus', dir: CORPUS, files, bytes,
    keystrokeTargets: {
      small: { label: `small file (${path.relative(CORPUS, small)}, ${kb(small)})`, rel: path.relative(CORPUS, small) },
      large: { label: `largest multi-document file (${path.relative(CORPUS, multi.f)}, ${kb(multi.f)})`, rel: path.relative(CORPUS, multi.f) },
      typing: { label: `largest multi-document file, typing in a description (${path.relative(CORPUS, multi.f)})`, rel: path.relative(CORPUS, multi.f), typing: true },
      ...(fs.existsSync(argo) ? { argo: { label: `argo-cd install.yaml (${kb(argo)})`, rel: path.relative(CORPUS, argo) } } : {}),
    },
  };
}

function kb(f: string): string {
  const b = fs.statSync(f).size;
  return b >= 1048576 ? `${(b / 1048576).toFixed(2)} MB` : `${(b / 1024).toFixed(1)} KB`;
}

async function generatedWorkspace(id: string, n: number): Promise<Workspace> {
  const t = performance.now();
  const g = generateWorkspace(n);
  log(`${id}: ${g.reused ? 'reused' : 'generated'} ${g.dir}: ${g.resources} resources, ${g.files} files, ${(g.bytes / 1048576).toFixed(1)} MB (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const files = await listFiles(g.dir);
  return {
    id, dir: g.dir, files, bytes: g.bytes, resources: g.resources,
    keystrokeTargets: {
      small: { label: `small file (${g.facts.smallFile}, ${kb(path.join(g.dir, g.facts.smallFile))})`, rel: g.facts.smallFile },
      large: { label: `largest multi-document file (${g.facts.largeFile}, ${kb(path.join(g.dir, g.facts.largeFile))})`, rel: g.facts.largeFile },
    },
    cross: g.facts.crossFile,
  };
}

// ---------------------------------------------------------------- measurements

/** End of the running measurement's budget: every wait inside a measurement is bounded by it. */
let mDeadline = Infinity;
/** `ms`, shortened to what is left of the running measurement's budget (plus `grace` for clean-up). */
const within = (ms: number, grace = 0) => Math.max(0, Math.min(ms, mDeadline + grace - performance.now()));
const overBudget = () => performance.now() >= mDeadline;
/** Time left of the current workspace's share of the budget. */
let wsDeadline = Infinity;
const left = () => wsDeadline - performance.now();
/** A cap: `fraction` of what is left of the workspace's share, at least `min`, at most `max`. */
const capOf = (fraction: number, max: number, min = 2000) => Math.round(Math.max(min, Math.min(max, left() * fraction)) / 1000) * 1000;

interface FloorResult { ms: number; files: number; documents: number; mb: number; estimated?: { filesDone: number; capMs: number } }
/** Read + yaml.parseAllDocuments of every file; past `capMs`, stops and extrapolates by bytes. */
function measureFloor(ws: Workspace, capMs: number): FloorResult {
  const t = performance.now();
  let documents = 0;
  let bytes = 0;
  let i = 0;
  for (; i < ws.files.length; i++) {
    if (performance.now() - t > capMs) break;
    const text = fs.readFileSync(ws.files[i]!, 'utf8');
    bytes += Buffer.byteLength(text);
    const d = parseAllDocuments(text);
    documents += Array.isArray(d) ? d.length : 0;
  }
  const ms = performance.now() - t;
  if (i === ws.files.length) return { ms, files: ws.files.length, documents, mb: bytes / 1048576 };
  return { ms: (ms * ws.bytes) / Math.max(1, bytes), files: ws.files.length, documents, mb: ws.bytes / 1048576, estimated: { filesDone: i, capMs } };
}

function startKubeTraffic(ws: Workspace, storage: string, extraNodeArgs: string[] = []): LspClient {
  return new LspClient({
    command: process.execPath,
    args: [...extraNodeArgs, ...(process.env.KT_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), SERVER, '--stdio'],
    folder: ws.dir,
    settings: { kubeTraffic: {}, files: {} },
    // The server may keep a cache there one day; today it ignores the option.
    initializationOptions: { storagePath: storage },
  });
}

interface IndexResult { readyMs?: number; lastPublishMs?: number; serverIndexMs?: number; publishes: number; files?: number; peakRssMb?: number; timeout?: number; skipped?: string }
async function measureIndex(client: LspClient, capMs: number): Promise<IndexResult> {
  await client.initialize();
  const ok = await client.until(() => client.readyCount() > 0, capMs);
  const ready = client.statuses.find((s) => s.params.type === 'ready');
  if (!ok || !ready) return { publishes: client.totalPublishes, peakRssMb: client.peakRssMb(), timeout: capMs };
  return {
    readyMs: ready.at - client.spawnedAt,
    lastPublishMs: client.lastAnyPublishAt ? client.lastAnyPublishAt - client.spawnedAt : undefined,
    serverIndexMs: typeof ready.params.indexMs === 'number' ? ready.params.indexMs : undefined,
    publishes: client.totalPublishes,
    files: typeof ready.params.files === 'number' ? ready.params.files : undefined,
    peakRssMb: client.peakRssMb(),
  };
}

const uriOf = (ws: Workspace, rel: string) => pathToFileURL(path.join(ws.dir, rel)).href;

interface KeystrokeResult {
  file: string; label: string; edit?: string; samples: number[]; pass: number[]; passTimeouts: number; stats?: Stats; passStats?: Stats;
  timeouts: number; note?: string;
}

/** The incremental change that applies `edit` (insert) or reverts it. */
function editRange(starts: number[], e: Edit, insert: boolean): { range: Range; text: string } {
  const from = positionAt(starts, e.offset);
  if (insert) return { range: { start: from, end: from }, text: e.text };
  // The inserted text may contain a newline (the `//` line at the top).
  const insertedLines = e.text.split('\n');
  const end = insertedLines.length > 1
    ? { line: from.line + insertedLines.length - 1, character: insertedLines[insertedLines.length - 1]!.length }
    : { line: from.line, character: from.character + e.text.length };
  return { range: { start: from, end }, text: '' };
}

/** Opens a file and waits until the server has gone through it (Kube Traffic: the pass after the open). */
async function openAndSettle(client: LspClient, uri: string, text: string, kt: boolean): Promise<void> {
  const readies = client.readyCount();
  const pubs = client.publishCount.get(uri) ?? 0;
  client.open(uri, text, 1);
  if (kt) await client.until(() => client.readyCount() > readies, within(CAP.passMs * 3));
  else await client.until(() => (client.publishCount.get(uri) ?? 0) > pubs, within(CAP.publishMs));
}

/**
 * Applies `edit` then its revert, untimed; true when both made `watchUri` publish (its diagnostics
 * changed both ways). Kube Traffic: waits for the end of each pass too.
 */
async function toggleTwice(client: LspClient, uri: string, starts: number[], e: Edit, version: { v: number }, watchUri: string, kt: boolean, timeoutMs: number): Promise<boolean> {
  let ok = true;
  for (const insert of [true, false]) {
    const pubs = client.publishCount.get(watchUri) ?? 0;
    const readies = client.readyCount();
    const { range, text } = editRange(starts, e, insert);
    client.change(uri, ++version.v, range, text);
    if (!await client.until(() => (client.publishCount.get(watchUri) ?? 0) > pubs, within(timeoutMs, insert ? 0 : 1000))) ok = false;
    if (kt) await client.until(() => client.readyCount() > readies, within(CAP.passMs, insert ? 0 : 1000));
  }
  return ok;
}

/** The first candidate keystroke that makes the server publish both ways (a warm-up too). */
async function chooseEdit(client: LspClient, uri: string, text: string, version: { v: number }): Promise<Edit | undefined> {
  const starts = lineStarts(text);
  const candidates = keystrokeCandidates(text, Math.floor(text.length / 2));
  // A few of each kind: Service edits can fail when another workload matches anyway.
  const perKind = new Map<string, number>();
  for (const e of candidates) {
    if (overBudget()) return undefined;
    const kind = e.text;
    if ((perKind.get(kind) ?? 0) >= 4) continue;
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    if (await toggleTwice(client, uri, starts, e, version, uri, true, CAP.passMs)) return e;
  }
  return undefined;
}

async function measureKeystrokes(client: LspClient, ws: Workspace, target: Target, kt: boolean, budgetMs: number, given?: Edit): Promise<KeystrokeResult & { chosen?: Edit }> {
  const uri = uriOf(ws, target.rel);
  const text = fs.readFileSync(path.join(ws.dir, target.rel), 'utf8');
  const starts = lineStarts(text);
  const result: KeystrokeResult & { chosen?: Edit } = { file: target.rel, label: target.label, samples: [], pass: [], passTimeouts: 0, timeouts: 0 };
  const budget = performance.now() + budgetMs;
  mDeadline = budget;
  await openAndSettle(client, uri, text, kt);
  const version = { v: 1 };
  // Completion: the file's next publishDiagnostics, or for a typing edit (no diagnostic changes) the pass's 'ready'.
  const byReady = kt && !!target.typing;
  let edit = given;
  if (byReady) {
    edit = typingEdit(text, Math.floor(text.length / 2));
    if (edit) {
      // Warm-up: once in, once out.
      for (const insert of [true, false]) {
        const readies = client.readyCount();
        const { range, text: t } = editRange(starts, edit, insert);
        client.change(uri, ++version.v, range, t);
        await client.until(() => client.readyCount() > readies, within(CAP.passMs, 1000));
      }
    }
  } else if (!edit) edit = await chooseEdit(client, uri, text, version);
  else if (!kt) await toggleTwice(client, uri, starts, edit, version, uri, false, CAP.publishMs); // warm-up
  if (!edit) {
    result.note = overBudget() ? `no sample in the time budget (${(budgetMs / 1000).toFixed(0)} s): opening and the warm-up took it` : 'no edit toggled a diagnostic';
    client.close(uri);
    mDeadline = Infinity;
    return result;
  }
  result.edit = edit.what;
  if (!byReady) result.chosen = edit;
  for (let i = 0; i < EDITS; i++) {
    if (performance.now() > budget) {
      result.note = `${i} of ${EDITS} edits in the time budget (${(budgetMs / 1000).toFixed(0)} s)`;
      break;
    }
    const { range, text: t } = editRange(starts, edit, i % 2 === 0);
    const pubs = client.publishCount.get(uri) ?? 0;
    const readies = client.readyCount();
    const sent = performance.now();
    client.change(uri, ++version.v, range, t);
    const ok = byReady
      ? await client.until(() => client.readyCount() > readies, within(CAP.publishMs, 1000))
      : await client.until(() => (client.publishCount.get(uri) ?? 0) > pubs, within(CAP.publishMs, 1000));
    if (!ok) {
      if (performance.now() - sent < CAP.publishMs) {
        result.note = `${i} of ${EDITS} edits in the time budget (${(budgetMs / 1000).toFixed(0)} s); the last one took over ${((performance.now() - sent) / 1000).toFixed(1)} s`;
      } else {
        result.timeouts++;
        result.note = `timeout > ${CAP.publishMs / 1000} s`;
      }
      break;
    }
    if (byReady) {
      result.samples.push(client.statuses.filter((x) => x.params.type === 'ready').at(-1)!.at - sent);
      continue;
    }
    result.samples.push(client.lastPublishAt.get(uri)! - sent);
    if (kt) {
      const done = await client.until(() => client.readyCount() > readies, within(CAP.passMs));
      if (done) result.pass.push(client.statuses.filter((s) => s.params.type === 'ready').at(-1)!.at - sent);
      else result.passTimeouts++;
    } else {
      await sleep(5);
    }
  }
  // Leave the document as on disk.
  if (result.samples.length % 2 === 1 || result.timeouts) {
    const readies = client.readyCount();
    const { range, text: t } = editRange(starts, edit, false);
    if (result.samples.length % 2 === 1) client.change(uri, ++version.v, range, t);
    if (kt) await client.until(() => client.readyCount() > readies, within(CAP.passMs, 1000));
  }
  client.close(uri);
  mDeadline = Infinity;
  result.stats = stats(result.samples);
  result.passStats = stats(result.pass);
  return result;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface GraphEdge { from: string; to: string; kind: string; broken: boolean }

/** Services and the one workload each selects, in different files, from the server's own graph (typical sizes first). */
async function crossCandidates(client: LspClient, ws: Workspace): Promise<CrossPair[]> {
  const g = await client.connection.sendRequest(GraphRequest.type, {});
  const nodes = new Map(g.nodes.map((n) => [n.id, n]));
  const bySvc = new Map<string, GraphEdge[]>();
  for (const e of g.edges) if (e.kind === 'selects' && !e.broken) bySvc.set(e.from, [...(bySvc.get(e.from) ?? []), e]);
  const out: { pair: CrossPair; size: number }[] = [];
  for (const [svcId, es] of bySvc) {
    if (es.length !== 1) continue;
    const svc = nodes.get(svcId);
    const wl = nodes.get(es[0]!.to);
    if (!svc?.file?.startsWith('file:') || !wl?.file?.startsWith('file:') || svc.file === wl.file || svc.kind !== 'Service') continue;
    const svcPath = fileURLToPath(svc.file);
    const wlPath = fileURLToPath(wl.file);
    const sel = serviceSelector(fs.readFileSync(svcPath, 'utf8'), svc.name);
    if (!sel) continue;
    const wlText = fs.readFileSync(wlPath, 'utf8');
    const key = Object.keys(sel).find((k) => templateLabelEnd(wlText, wl.name, k) !== undefined);
    if (!key) continue;
    out.push({
      pair: { workloadFile: path.relative(ws.dir, wlPath), workloadName: wl.name, serviceFile: path.relative(ws.dir, svcPath), serviceName: svc.name, labelKey: key },
      size: wlText.length,
    });
  }
  out.sort((a, b) => a.size - b.size || a.pair.workloadFile.localeCompare(b.pair.workloadFile));
  // Start from the median size, then outwards.
  const mid = Math.floor(out.length / 2);
  const order: CrossPair[] = [];
  for (let d = 0; order.length < out.length; d++) {
    if (out[mid + d]) order.push(out[mid + d]!.pair);
    if (d > 0 && out[mid - d]) order.push(out[mid - d]!.pair);
  }
  return order;
}

interface CrossResult { pair?: CrossPair; samples: number[]; stats?: Stats; timeouts: number; note?: string; tried?: number }
async function measureCrossFile(client: LspClient, ws: Workspace, pairs: CrossPair[], budgetMs: number): Promise<CrossResult> {
  const budget = performance.now() + budgetMs;
  mDeadline = budget;
  try {
    return await crossFileWithin(client, ws, pairs, budget);
  } finally {
    mDeadline = Infinity;
  }
}

async function crossFileWithin(client: LspClient, ws: Workspace, pairs: CrossPair[], budget: number): Promise<CrossResult> {
  let tried = 0;
  for (const pair of pairs.slice(0, 6)) {
    if (performance.now() > budget) break;
    tried++;
    const wlUri = uriOf(ws, pair.workloadFile);
    const svcUri = uriOf(ws, pair.serviceFile);
    const text = fs.readFileSync(path.join(ws.dir, pair.workloadFile), 'utf8');
    const starts = lineStarts(text);
    const end = templateLabelEnd(text, pair.workloadName, pair.labelKey);
    if (end === undefined) continue;
    const edit: Edit = { offset: end, text: 'x', what: `one character appended to pod template label ${pair.labelKey}` };
    await openAndSettle(client, wlUri, text, true);
    const version = { v: 1 };
    // Warm-up, and the check that this Service selects nothing else (another workload with the label).
    if (!await toggleTwice(client, wlUri, starts, edit, version, svcUri, true, CAP.passMs)) {
      client.close(wlUri);
      continue;
    }
    const r: CrossResult = { pair, samples: [], timeouts: 0, tried };
    for (let i = 0; i < CROSS_EDITS; i++) {
      if (performance.now() > budget) { r.note = `${i} of ${CROSS_EDITS} edits in the time budget`; break; }
      const { range, text: t } = editRange(starts, edit, i % 2 === 0);
      const pubs = client.publishCount.get(svcUri) ?? 0;
      const readies = client.readyCount();
      const sent = performance.now();
      client.change(wlUri, ++version.v, range, t);
      const ok = await client.until(() => (client.publishCount.get(svcUri) ?? 0) > pubs, within(CAP.publishMs, 1000));
      if (!ok) {
        if (performance.now() - sent < CAP.publishMs) r.note = `${i} of ${CROSS_EDITS} edits in the time budget; the last one took over ${((performance.now() - sent) / 1000).toFixed(1)} s`;
        else { r.timeouts++; r.note = `timeout > ${CAP.publishMs / 1000} s`; }
        break;
      }
      r.samples.push(client.lastPublishAt.get(svcUri)! - sent);
      await client.until(() => client.readyCount() > readies, within(CAP.passMs));
    }
    if (r.samples.length % 2 === 1) {
      const readies = client.readyCount();
      const { range, text: t } = editRange(starts, edit, false);
      client.change(wlUri, ++version.v, range, t);
      await client.until(() => client.readyCount() > readies, within(CAP.passMs, 1000));
    }
    client.close(wlUri);
    r.stats = stats(r.samples);
    return r;
  }
  const note = !pairs.length ? 'no Service/workload pair in different files'
    : performance.now() >= budget ? `no sample in the time budget: opening and the warm-up took it (${tried} pair(s) tried)`
      : `none of ${tried} Service/workload pairs toggled the Service's diagnostics`;
  return { samples: [], timeouts: 0, tried, note };
}

interface ProbeResult { hover: number[]; definition: number[]; hoverStats?: Stats; definitionStats?: Stats; answeredHover: number; answeredDefinition: number; kinds: Record<string, number>; note?: string }
function collectProbes(ws: Workspace): { uri: string; line: number; character: number; kind: string }[] {
  const files = [...ws.files].sort();
  const stride = Math.max(1, Math.floor(files.length / 400));
  const byKind = new Map<string, { uri: string; line: number; character: number; kind: string }[]>();
  let found = 0;
  for (let pass = 0; pass < stride && found < PROBES * 2; pass++) {
    for (let i = pass; i < files.length && found < PROBES * 2; i += stride) {
      const f = files[i]!;
      if (fs.statSync(f).size > 300_000) continue;
      const text = fs.readFileSync(f, 'utf8');
      if (text.includes('{{')) continue;
      let ps: Probe[];
      try { ps = probes(text); } catch { continue; }
      if (!ps.length) continue;
      const starts = lineStarts(text);
      for (const p of ps) {
        const list = byKind.get(p.kind) ?? [];
        list.push({ uri: pathToFileURL(f).href, ...positionAt(starts, p.offset), kind: p.kind });
        byKind.set(p.kind, list);
        found++;
      }
    }
  }
  // Round-robin over the kinds.
  const out: { uri: string; line: number; character: number; kind: string }[] = [];
  const lists = [...byKind.values()].map((l) => ({ l, i: 0 }));
  while (out.length < PROBES && lists.some((x) => x.i < x.l.length)) {
    for (const x of lists) if (x.i < x.l.length && out.length < PROBES) out.push(x.l[x.i++]!);
  }
  return out;
}

async function measureProbes(client: LspClient, ws: Workspace, budgetMs: number): Promise<ProbeResult> {
  const ps = collectProbes(ws);
  const r: ProbeResult = { hover: [], definition: [], answeredHover: 0, answeredDefinition: 0, kinds: {} };
  for (const p of ps) r.kinds[p.kind] = (r.kinds[p.kind] ?? 0) + 1;
  const budget = performance.now() + budgetMs;
  for (const p of ps) {
    if (performance.now() > budget) { r.note = `${r.hover.length} of ${ps.length} positions in the time budget`; break; }
    const params = { textDocument: { uri: p.uri }, position: { line: p.line, character: p.character } };
    let t = performance.now();
    const h = await client.connection.sendRequest(HoverRequest.type, params);
    r.hover.push(performance.now() - t);
    if (h) r.answeredHover++;
    t = performance.now();
    const d = await client.connection.sendRequest(DefinitionRequest.type, params);
    r.definition.push(performance.now() - t);
    if (d && (!Array.isArray(d) || d.length)) r.answeredDefinition++;
  }
  r.hoverStats = stats(r.hover);
  r.definitionStats = stats(r.definition);
  return r;
}

// ---------------------------------------------------------------- one workspace

interface WorkspaceResult {
  id: string; dir: string; files: number; mb: number; resources?: number;
  floor: FloorResult;
  cold: IndexResult; warm: IndexResult;
  keystroke: Record<string, KeystrokeResult>;
  cross: CrossResult;
  probes?: ProbeResult;
  /** What the cold session left in its storagePath (a persisted index). */
  storage?: StorageResult;
  /** VmHWM of the cold session at 'ready', and of the warm session after every measurement. */
  rssAfterIndexMb?: number;
  peakRssMb?: number;
  yamlls: Record<string, KeystrokeResult & { peakRssMb?: number; sameAs?: string }>;
  skipped: string[];
  seconds?: number;
}

interface StorageResult { files: number; bytes: number; waitedMs: number }
/** Waits until the storage folder holds files whose total size is stable (a finished write), at most `capMs`. */
async function waitForStorage(dir: string, capMs: number): Promise<StorageResult> {
  const t = performance.now();
  const measure = () => {
    let files = 0;
    let bytes = 0;
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (!e.name.endsWith('.tmp')) { files++; bytes += fs.statSync(p).size; }
      }
    };
    try { walk(dir); } catch { /* being written */ }
    return { files, bytes };
  };
  let last = measure();
  while (performance.now() - t < capMs) {
    await sleep(250);
    const now = measure();
    if (now.bytes > 0 && now.bytes === last.bytes && now.files === last.files) return { ...now, waitedMs: performance.now() - t };
    last = now;
  }
  return { ...last, waitedMs: performance.now() - t };
}

/** yaml-language-server does not index the workspace: a file with the same content and edit gives the same measurement. */
const yamllsCache = new Map<string, { ws: string; result: KeystrokeResult & { peakRssMb?: number } }>();

async function runWorkspace(ws: Workspace): Promise<WorkspaceResult> {
  const started = performance.now();
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-storage-'));
  log(`${ws.id}: ${(left() / 1000).toFixed(0)} s of the budget for this workspace`);
  const res: WorkspaceResult = {
    id: ws.id, dir: ws.dir, files: ws.files.length, mb: ws.bytes / 1048576, resources: ws.resources,
    floor: measureFloor(ws, capOf(0.1, 60_000, 8_000)), cold: { publishes: 0 }, warm: { publishes: 0 }, keystroke: {}, cross: { samples: [], timeouts: 0 }, yamlls: {}, skipped: [],
  };
  log(`${ws.id}: floor ${res.floor.ms.toFixed(0)} ms${res.floor.estimated ? ` (estimated from ${res.floor.estimated.filesDone} files read in ${res.floor.estimated.capMs / 1000} s)` : ''} (${res.floor.files} files, ${res.floor.documents} documents, ${res.floor.mb.toFixed(1)} MB)`);
  const chosen: Record<string, Edit | undefined> = {};
  try {
    // Cold: a new server process on the workspace.
    const cold = startKubeTraffic(ws, storage);
    res.cold = await measureIndex(cold, capOf(0.85, CAP.indexMs, 10_000));
    res.rssAfterIndexMb = res.cold.peakRssMb;
    log(`${ws.id}: cold index ${fmtIndex(res.cold)}`);
    if (!res.cold.timeout) {
      // A server that persists its index may write it a little after it settles, as it would in
      // an editor session: give it that time before the shutdown.
      res.storage = await waitForStorage(storage, capOf(0.15, 15_000, 3000));
      log(`${ws.id}: storagePath after the cold session: ${res.storage.bytes ? `${(res.storage.bytes / 1048576).toFixed(1)} MB in ${res.storage.files} file(s), written ${(res.storage.waitedMs / 1000).toFixed(1)} s after ready` : `empty after ${(res.storage.waitedMs / 1000).toFixed(1)} s`}`);
    }
    await cold.stop(res.cold.timeout ? 0 : 3000);

    if (res.cold.timeout) {
      res.warm = { publishes: 0, skipped: `the cold index took over ${res.cold.timeout / 1000} s` };
      res.skipped.push(`warm start, keystroke, cross-file, hover/definition: the cold index took over ${res.cold.timeout / 1000} s`);
    } else if (left() < 10_000) {
      res.warm = { publishes: 0, skipped: 'no time left in the budget for a second start' };
      res.skipped.push(`warm start, keystroke, cross-file, hover/definition: ${res.warm.skipped}`);
    } else {
      // Warm: restarted on the unchanged workspace; this session then does the rest.
      const s = startKubeTraffic(ws, storage);
      res.warm = await measureIndex(s, capOf(0.9, CAP.indexMs, 10_000));
      log(`${ws.id}: warm start ${fmtIndex(res.warm)}`);
      if (res.warm.timeout) {
        res.skipped.push(`keystroke, cross-file, hover/definition: the warm start took over ${res.warm.timeout / 1000} s`);
      } else if (left() < 15_000) {
        res.skipped.push(`keystroke, cross-file, hover/definition: no time left in the budget after the warm start (${(Math.max(0, left()) / 1000).toFixed(0)} s)`);
      } else {
        const targets = Object.entries(ws.keystrokeTargets).filter(([, t]) => t) as [string, Target][];
        for (const [i, [key, target]] of targets.entries()) {
          const k = await measureKeystrokes(s, ws, target, true, capOf(0.4 / (targets.length - i), CAP.keystrokeBudgetMs, 3000));
          chosen[key] = k.chosen;
          delete k.chosen;
          res.keystroke[key] = k;
          log(`${ws.id}: keystroke ${key}: ${fmtStats(k.stats)}; pass ${fmtStats(k.passStats)}${k.note ? ` (${k.note})` : ''} — ${k.edit ?? ''}`);
        }
        const pairs = ws.cross ? [ws.cross] : await crossCandidates(s, ws);
        res.cross = await measureCrossFile(s, ws, pairs, capOf(0.35, CAP.crossBudgetMs, 3000));
        log(`${ws.id}: cross-file ${fmtStats(res.cross.stats)}${res.cross.note ? ` (${res.cross.note})` : ''}`);
        // Requests are timed on an idle server: let the last edit's pass finish first.
        await s.until(() => !s.passPending(), capOf(0.2, CAP.passMs, 1000));
        res.probes = await measureProbes(s, ws, capOf(0.3, CAP.probeBudgetMs, 2000));
        log(`${ws.id}: hover ${fmtStats(res.probes.hoverStats)}, definition ${fmtStats(res.probes.definitionStats)} (${res.probes.answeredHover}/${res.probes.hover.length} hovers, ${res.probes.answeredDefinition} definitions answered)`);
      }
      res.peakRssMb = Math.max(res.cold.peakRssMb ?? 0, s.peakRssMb() ?? 0) || undefined;
      await s.stop(res.warm.timeout ? 0 : 3000);
    }
    res.peakRssMb ??= res.cold.peakRssMb;
    log(`${ws.id}: peak RSS after the index ${res.rssAfterIndexMb?.toFixed(0)} MB, over the whole run ${res.peakRssMb?.toFixed(0)} MB`);

    // yaml-language-server: the same files, the same edits (after Kube Traffic has stopped).
    const todo = Object.entries(ws.keystrokeTargets).filter(([key, t]) => t && chosen[key]) as [string, Target][];
    if (WITH_YAMLLS && todo.length) {
      let y: LspClient | undefined;
      for (const [i, [key, target]] of todo.entries()) {
        const content = fs.readFileSync(path.join(ws.dir, target.rel));
        const cacheKey = `${createHash('sha1').update(content).digest('hex')}:${chosen[key]!.offset}:${chosen[key]!.text}`;
        const hit = yamllsCache.get(cacheKey);
        if (hit) {
          res.yamlls[key] = { ...hit.result, sameAs: hit.ws };
          log(`${ws.id}: yaml-language-server keystroke ${key}: same file and edit as in ${hit.ws} (yaml-language-server does not index the workspace): ${fmtStats(hit.result.stats)}`);
          continue;
        }
        if (!y) {
          y = new LspClient({
            command: process.execPath, args: [YAMLLS, '--stdio'], folder: ws.dir,
            settings: {
              yaml: { validate: true, hover: true, completion: true, schemas: {}, schemaStore: { enable: false }, kubernetesCRDStore: { enable: false }, format: { enable: false } },
              http: { proxy: '', proxyStrictSSL: false }, '[yaml]': {}, editor: { tabSize: 2 },
            },
          });
          await y.initialize();
        }
        // The small file is debounce-bound (~200 ms a keystroke): a shorter series is enough.
        const k = await measureKeystrokes(y, ws, target, false, key === 'small' ? 5000 : capOf(0.9 / (todo.length - i), CAP.yamllsBudgetMs, 8000), chosen[key]);
        delete k.chosen;
        res.yamlls[key] = { ...k, peakRssMb: y.peakRssMb() };
        yamllsCache.set(cacheKey, { ws: ws.id, result: res.yamlls[key]! });
        log(`${ws.id}: yaml-language-server keystroke ${key}: ${fmtStats(k.stats)}${k.note ? ` (${k.note})` : ''}`);
      }
      await y?.stop();
    }
  } finally {
    fs.rmSync(storage, { recursive: true, force: true });
  }
  res.seconds = (performance.now() - started) / 1000;
  return res;
}

const fmtStats = (s: Stats | undefined) => (s ? `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (n=${s.n})` : '—');
const fmtIndex = (r: IndexResult) => (r.timeout ? `timeout > ${r.timeout / 1000} s` : `${r.readyMs!.toFixed(0)} ms to ready (server indexMs ${r.serverIndexMs ?? '?'}; last publish ${r.lastPublishMs?.toFixed(0)} ms; ${r.publishes} publishes; files ${r.files}; peak RSS ${r.peakRssMb?.toFixed(0)} MB)`);

// ---------------------------------------------------------------- report

interface Row { measurement: string; cells: Record<string, string>; target: string; met: string }
/** ok null: not measured (no sample in the time budget), left out of the verdict but named. */
type Check = { id: string; ok: boolean | null; detail: string };

const KEYS = ['small', 'large', 'typing', 'argo'] as const;
const KEY_NAMES: Record<string, string> = { small: 'small file', large: 'largest multi-document file', typing: 'largest file, typing in a description (no diagnostic change: to the pass\'s end)', argo: 'argo-cd install.yaml' };

function buildTable(results: WorkspaceResult[]): { rows: Row[]; verdicts: Record<string, { met: boolean | null; detail: string }> } {
  const ids = results.map((r) => r.id);
  const by = (id: string) => results.find((r) => r.id === id);
  const rows: Row[] = [];
  const verdicts: Record<string, { met: boolean | null; detail: string }> = {};
  const ms = (x: number | undefined) => (x === undefined ? '—' : x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
  // A cell: p50 / p95, the sample count when short of the series, or why there is no number (short; the JSON has the whole note).
  const pp = (s: Stats | undefined, wanted: number, note?: string) => (s ? `${ms(s.p50)} / ${ms(s.p95)}${s.n < wanted ? ` (n=${s.n})` : ''}`
    : note ? note.replace(/^no sample in the time budget.*$/, 'no sample in the time budget').replace(/^(\d+) of \d+ edits in the time budget.*$/, 'no sample in the time budget') : '—');
  const verdict = (key: string, all: Check[]) => {
    const checks = all.filter((c) => c.ok !== null);
    const unmeasured = all.filter((c) => c.ok === null).map((c) => c.id);
    const tail = unmeasured.length ? ` (not measured: ${unmeasured.join(', ')})` : '';
    if (!checks.length) { verdicts[key] = { met: null, detail: `not measured${tail}` }; return 'n/a'; }
    const bad = checks.filter((c) => !c.ok);
    verdicts[key] = { met: bad.length === 0, detail: (bad.length ? bad : checks).map((c) => `${c.id}: ${c.detail}`).join('; ') + tail };
    return (bad.length === 0 ? 'yes' : `**no**: ${bad.map((c) => `${c.id} ${c.detail}`).join('; ')}`) + tail;
  };
  const row = (measurement: string, cell: (r: WorkspaceResult) => string, target = '', met = '') => {
    const r: Row = { measurement, cells: Object.fromEntries(ids.map((id) => [id, cell(by(id)!)])), target, met };
    rows.push(r);
    return r;
  };
  const skippedCell = (r: WorkspaceResult) => (r.skipped.length ? 'skipped †' : '—');

  row('files / MB / resources', (r) => `${r.files} / ${r.mb.toFixed(1)} MB${r.resources ? ` / ${r.resources}` : ''}`);
  row('parse floor: read + yaml.parseAllDocuments, 1 thread', (r) => `${ms(r.floor.ms)}${r.floor.estimated ? ' (est.)' : ''}`);
  const idx = (x: IndexResult, floor: number) => (x.timeout ? `timeout > ${x.timeout / 1000} s` : x.skipped ? 'skipped †' : `${ms(x.readyMs)} (${(x.readyMs! / floor).toFixed(2)}× floor)`);
  const overBy = (x: number, limit: number) => (x <= limit ? '' : `, ${(x / limit).toFixed(1)}× the target`);
  row('cold index: spawn → first complete diagnostics', (r) => idx(r.cold, r.floor.ms), '≤ 0.5 × floor',
    verdict('cold', results.map((r) => (r.cold.timeout
      ? { id: r.id, ok: false, detail: `> ${r.cold.timeout / 1000} s (> ${(r.cold.timeout / r.floor.ms).toFixed(1)}× floor)` }
      : { id: r.id, ok: r.cold.readyMs! <= 0.5 * r.floor.ms, detail: `${(r.cold.readyMs! / r.floor.ms).toFixed(2)}×${overBy(r.cold.readyMs!, 0.5 * r.floor.ms)}` }))));
  row('cold index: last publishDiagnostics', (r) => (r.cold.readyMs ? ms(r.cold.lastPublishMs) : '—'));
  row('warm start: restarted, files unchanged', (r) => idx(r.warm, r.floor.ms), '≤ 0.1 × floor',
    verdict('warm', results.filter((r) => !r.warm.skipped).map((r) => (r.warm.timeout
      ? { id: r.id, ok: false, detail: `> ${r.warm.timeout / 1000} s` }
      : { id: r.id, ok: r.warm.readyMs! <= 0.1 * r.floor.ms, detail: `${(r.warm.readyMs! / r.floor.ms).toFixed(2)}×${overBy(r.warm.readyMs!, 0.1 * r.floor.ms)}` }))));

  const keyChecks: Check[] = [];
  const keyRows: Row[] = [];
  for (const key of KEYS) {
    if (!results.some((r) => r.keystroke[key]) && (key === 'argo' || key === 'typing')) continue;
    keyRows.push(row(`keystroke → its diagnostics, p50 / p95: ${KEY_NAMES[key]}`, (r) => (r.keystroke[key] ? pp(r.keystroke[key]!.stats, EDITS, r.keystroke[key]!.note) : key === 'argo' || key === 'typing' ? '—' : skippedCell(r)), 'p95 ≤ 50 ms', '↓'));
    for (const r of results) {
      const k = r.keystroke[key];
      if (k?.stats) keyChecks.push({ id: `${r.id} ${key}`, ok: k.stats.p95 <= 50, detail: `${ms(k.stats.p95)}` });
      else if (k) keyChecks.push({ id: `${r.id} ${key}`, ok: k.timeouts ? false : null, detail: k.note ?? 'not measured' });
    }
  }
  if (keyRows.length) keyRows[keyRows.length - 1]!.met = verdict('keystroke', keyChecks);
  for (const key of KEYS) {
    if (!results.some((r) => r.keystroke[key]?.passStats)) continue;
    row(`keystroke → whole diagnostics pass done, p50 / p95: ${KEY_NAMES[key]}`, (r) => {
      const k = r.keystroke[key];
      if (!k) return '—';
      if (!k.passStats) return k.passTimeouts ? `> ${CAP.passMs / 1000} s (${k.passTimeouts} of ${k.passTimeouts})` : '—';
      return `${pp(k.passStats, k.samples.length)}${k.passTimeouts ? `; ${k.passTimeouts} more > ${CAP.passMs / 1000} s` : ''}`;
    });
  }
  row('cross-file: pod label edit → Service file diagnostics, p50 / p95', (r) => (r.cross.stats || r.cross.note ? pp(r.cross.stats, CROSS_EDITS, r.cross.note) : skippedCell(r)), 'p95 ≤ 100 ms',
    verdict('cross', results.filter((r) => r.cross.stats || r.cross.note).map((r) => ({ id: r.id, ok: r.cross.stats ? r.cross.stats.p95 <= 100 : r.cross.timeouts ? false : null, detail: r.cross.stats ? ms(r.cross.stats.p95) : r.cross.note ?? 'not measured' }))));
  row('hover p50 / p95 (200 positions)', (r) => (r.probes ? pp(r.probes.hoverStats, PROBES, r.probes.note) : skippedCell(r)), 'p95 ≤ 20 ms', '↓');
  row('definition p50 / p95 (same positions)', (r) => (r.probes ? pp(r.probes.definitionStats, PROBES, r.probes.note) : skippedCell(r)), 'p95 ≤ 20 ms',
    verdict('hoverDefinition', results.filter((r) => r.probes).flatMap((r) => [
      { id: `${r.id} hover`, ok: !!r.probes?.hoverStats && r.probes.hoverStats.p95 <= 20, detail: ms(r.probes?.hoverStats?.p95) },
      { id: `${r.id} definition`, ok: !!r.probes?.definitionStats && r.probes.definitionStats.p95 <= 20, detail: ms(r.probes?.definitionStats?.p95) },
    ])));
  const corpus = by('corpus');
  row('server RSS: peak after the cold index (VmHWM)', (r) => (r.rssAfterIndexMb ? `${r.rssAfterIndexMb.toFixed(0)} MB` : '—'), '', '↓');
  row('server RSS: peak over the whole session (VmHWM)', (r) => (r.peakRssMb ? `${r.peakRssMb.toFixed(0)} MB` : '—'), '≤ 250 MB on the corpus',
    verdict('rss', corpus?.peakRssMb ? [{ id: 'corpus', ok: corpus.peakRssMb <= 250, detail: `${corpus.peakRssMb.toFixed(0)} MB${overBy(corpus.peakRssMb, 250)}` }] : []));
  // Growth: cold index relative to 10k (a lower bound when it timed out).
  const r10 = by('10k');
  const growthOf = (r: WorkspaceResult) => (r10?.cold.readyMs ? (r.cold.readyMs ? { x: r.cold.readyMs / r10.cold.readyMs, lower: false } : r.cold.timeout ? { x: r.cold.timeout / r10.cold.readyMs, lower: true } : undefined) : undefined);
  const r100 = by('100k');
  const g100 = r100 ? growthOf(r100) : undefined;
  row('growth: cold index ÷ cold index of 10k (floor ÷ floor of 10k)', (r) => {
    if (r.id === 'corpus' || !r10) return '—';
    const g = growthOf(r);
    return `${g ? `${g.lower ? '> ' : ''}${g.x.toFixed(1)}×` : '—'} (${(r.floor.ms / r10.floor.ms).toFixed(1)}×)`;
  }, '100k ≤ 11 × 10k',
  verdict('growth', g100 ? [{ id: '100k', ok: !g100.lower && g100.x <= 11, detail: `${g100.lower ? '> ' : ''}${g100.x.toFixed(1)}× 10k` }] : []));
  // yaml-language-server.
  const yChecks: Check[] = [];
  const yRows: Row[] = [];
  for (const key of KEYS) {
    if (!results.some((r) => r.yamlls[key])) continue;
    yRows.push(row(`yaml-language-server keystroke p50 / p95: ${KEY_NAMES[key]} (p95 ÷ Kube Traffic's; same ex-debounce)`, (r) => {
      const y = r.yamlls[key];
      const k = r.keystroke[key];
      if (!y) return '—';
      if (!y.stats) return y.note ?? '—';
      const exDebounce = KT_DEBOUNCE_MS !== undefined && YAMLLS_DEBOUNCE_MS !== undefined && k?.stats && k.stats.p95 - KT_DEBOUNCE_MS >= 1
        ? `; ${((y.stats.p95 - YAMLLS_DEBOUNCE_MS) / (k.stats.p95 - KT_DEBOUNCE_MS)).toFixed(1)}×` : '';
      const ratio = k?.stats ? ` (${(y.stats.p95 / k.stats.p95).toFixed(1)}×${exDebounce})` : '';
      return `${pp(y.stats, EDITS, y.note)}${ratio}${y.sameAs ? ` ‡` : ''}`;
    }, key === 'small' ? '' : '≥ 10× (large files)', '↓'));
    if (key === 'small') continue;
    for (const r of results) {
      const y = r.yamlls[key];
      const k = r.keystroke[key];
      if (y?.stats && k?.stats) yChecks.push({ id: `${r.id} ${key}`, ok: y.stats.p95 / k.stats.p95 >= 10, detail: `${(y.stats.p95 / k.stats.p95).toFixed(1)}×` });
    }
  }
  if (yRows.length) yRows[yRows.length - 1]!.met = verdict('vsYamlLanguageServer', yChecks);
  return { rows, verdicts };
}

function renderTable(rows: Row[], ids: string[]): string {
  const head = ['measurement', ...ids, 'target', 'met?'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${[r.measurement, ...ids.map((id) => r.cells[id] ?? '—'), r.target, r.met].join(' | ')} |`);
  return lines.join('\n');
}

// ---------------------------------------------------------------- profile mode

async function profileColdIndex(id: string): Promise<void> {
  const ws = id === 'corpus' ? await corpusWorkspace() : await generatedWorkspace(id, SIZES[id]!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-prof-'));
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-storage-'));
  log(`profiling the cold index of ${ws.dir} (${ws.files.length} files) into ${dir}`);
  const c = startKubeTraffic(ws, storage, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const r = await measureIndex(c, CAP.indexMs);
  log(`cold index under the profiler: ${fmtIndex(r)}`);
  await c.stop(15000);
  // One profile per thread: the main thread and each worker (parse pool).
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (!files.length) throw new Error(`no .cpuprofile written in ${dir}`);
  const bundleOf = (where: string) => {
    const m = /^(.*\/out\/[\w.-]+\.js):(\d+)$/.exec(where);
    return m ? sourceOf(path.resolve(ROOT, m[1]!), Number(m[2])) ?? where : where;
  };
  const merged = new Map<string, { fn: string; where: string; ms: number; threads: Set<number> }>();
  let busy = 0;
  console.log(`\nServer cold index of ${id} under --cpu-prof: ${files.length} thread(s); profiles in ${dir}\n`);
  for (const [i, f] of files.entries()) {
    const p = summariseProfile(path.join(dir, f));
    console.log(`- thread ${i} (${f}): ${(p.totalMs / 1000).toFixed(1)} s sampled, ${((p.totalMs - p.idleMs) / 1000).toFixed(1)} s busy`);
    for (const x of p.rows) {
      if (x.fn === '(idle)') continue;
      busy += x.selfMs;
      const where = bundleOf(x.where);
      const key = `${x.fn}\u0000${where}`;
      const e = merged.get(key) ?? { fn: x.fn, where, ms: 0, threads: new Set<number>() };
      e.ms += x.selfMs;
      e.threads.add(i);
      merged.set(key, e);
    }
  }
  console.log(`\nTop self time over all threads (busy time ${(busy / 1000).toFixed(1)} s; thread 0 is the main thread):\n`);
  console.log('| self ms | % of busy | function | source | threads |\n|---:|---:|---|---|---|');
  for (const x of [...merged.values()].sort((a, b) => b.ms - a.ms).slice(0, 30)) {
    console.log(`| ${x.ms.toFixed(0)} | ${((100 * x.ms) / Math.max(1, busy)).toFixed(1)} | ${x.fn} | ${x.where} | ${[...x.threads].join(',')} |`);
  }
  fs.rmSync(storage, { recursive: true, force: true });
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER)) {
    log('building the server (scripts/build.mjs)');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  if (argv.includes('--profile')) return profileColdIndex(opt('--workspaces') ? WORKSPACES[0]! : 'corpus');
  if (WITH_YAMLLS && !fs.existsSync(YAMLLS)) throw new Error(`${YAMLLS} is missing: run npm ci (yaml-language-server is a devDependency)`);
  const loadBefore = os.loadavg();
  if (loadBefore[0]! > 0.8 * os.cpus().length) log(`warning: load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} cores: other processes compete for the CPU, numbers will be slower and noisier`);
  const globalDeadline = t0 + BUDGET_S * 1000;
  const results: WorkspaceResult[] = [];
  for (const [i, id] of WORKSPACES.entries()) {
    const ws = id === 'corpus' ? await corpusWorkspace() : SIZES[id] ? await generatedWorkspace(id, SIZES[id]!) : undefined;
    if (!ws) throw new Error(`unknown workspace ${id} (corpus, 10k, 50k, 100k)`);
    // This workspace's share of what is left of the budget (time saved earlier rolls over).
    const weights = WORKSPACES.slice(i).map((w) => WEIGHTS[w] ?? 60);
    wsDeadline = performance.now() + Math.max(20_000, (globalDeadline - performance.now()) * weights[0]! / weights.reduce((a, b) => a + b, 0));
    log(`${id}: ${ws.files.length} files, ${(ws.bytes / 1048576).toFixed(1)} MB in ${ws.dir}`);
    results.push(await runWorkspace(ws));
  }
  const totalS = (performance.now() - t0) / 1000;
  const { rows, verdicts } = buildTable(results);
  const table = renderTable(rows, results.map((r) => r.id));
  const git = (...args: string[]) => { try { return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return undefined; } };
  // The server measured is the working tree's (built by `npm run bench`), uncommitted changes included.
  const commit = git('rev-parse', '--short', 'HEAD');
  const serverChanges = git('status', '--porcelain', '--', 'server', 'scripts/build.mjs')?.split('\n').filter(Boolean).length ?? 0;
  const env = {
    node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`,
    commit, serverUncommittedFiles: serverChanges, date: new Date().toISOString(), loadAverageBefore: loadBefore.map((x) => round(x, 2)), loadAverageAfter: os.loadavg().map((x) => round(x, 2)),
  };
  const footnotes: string[] = [];
  for (const r of results) for (const why of r.skipped) footnotes.push(`† ${r.id}: ${why}.`);
  if (results.some((r) => Object.values(r.yamlls).some((y) => y.sameAs))) footnotes.push('‡ The same file content and edit as in an earlier column (the generated small file and platform/install.yaml do not depend on N); yaml-language-server only validates open documents, so that measurement is reused.');
  const notes = [
    `Latencies are wall time in the benchmark client and include each server's debounce: Kube Traffic waits ${KT_DEBOUNCE_MS ?? '?'} ms after a change before its diagnostics pass (server/src/service/publisher.ts), yaml-language-server ${YAMLLS_DEBOUNCE_MS ?? '?'} ms (validationDelayMs, not configurable); "ex-debounce" subtracts them.`,
    'Each keystroke toggles a diagnostic (Kube Traffic publishes only changed diagnostics; yaml-language-server publishes after every validation) and is timed to the file\'s publishDiagnostics, except the "typing" row: a character at the end of a description line, which changes no diagnostic, timed to the \'ready\' status that ends the pass. The next edit is sent once the whole diagnostics pass is done.',
    'Cold: a new server process with an empty initializationOptions.storagePath; warm: a new process on the same storagePath after the cold one shut down (where a server that persists its index can start from it). The OS file cache is warm in both.',
    'yaml-language-server: validation on, no schemas (no network): schemaStore and kubernetesCRDStore disabled.',
    `Budget: ${BUDGET_S} s for the whole run, shared between the workspaces; a measurement that would overrun its share reports "timeout > X s" or the number of samples it got (n=…).`,
  ];
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify({
    env, totalSeconds: round(totalS), budgetSeconds: BUDGET_S, caps: CAP, edits: EDITS, crossEdits: CROSS_EDITS, probes: PROBES,
    debounceMs: { kubeTraffic: KT_DEBOUNCE_MS, yamlLanguageServer: YAMLLS_DEBOUNCE_MS }, verdicts, notes, footnotes, table, results,
  }, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 2) : v), 2));
  console.log(`\n## Kube Traffic benchmark (${env.date.slice(0, 10)}, ${env.cpus} cores, Node ${env.node}${commit ? `, ${commit}${serverChanges ? ` + ${serverChanges} uncommitted server files` : ''}` : ''}; load average before ${env.loadAverageBefore[0]})\n`);
  console.log(table);
  if (footnotes.length) console.log(`\n${footnotes.join('\n')}`);
  console.log('\nEdits:');
  for (const r of results) {
    for (const [k, v] of Object.entries(r.keystroke)) console.log(`- ${r.id} ${k}: ${v.label}: ${v.edit ?? v.note}`);
    if (r.cross.pair) console.log(`- ${r.id} cross-file: ${r.cross.pair.workloadFile} (${r.cross.pair.workloadName}, pod template label ${r.cross.pair.labelKey}) → ${r.cross.pair.serviceFile} (Service ${r.cross.pair.serviceName})`);
  }
  console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`);
  console.log(`\nTotal: ${totalS.toFixed(0)} s (${results.map((r) => `${r.id} ${r.seconds?.toFixed(0)} s`).join(', ')}). JSON: ${path.relative(process.cwd(), OUT) || OUT}`);
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
