/**
 * The performance benchmark of Kube Traffic: `npm run bench` (not part of `npm test`).
 *
 * In one run, on the same files: the single-thread parse floor, the server's cold index and warm
 * start, `kube-traffic check`, keystroke latency (small file, largest multi-document file: in the
 * generated workspaces an edit in the middle of the 2,000-document bundle; the same edit sent as a
 * full-text didChange; argo-cd install.yaml), cross-file latency, hover/definition latency, peak
 * RSS, and yaml-language-server's keystroke latency on the same files and edits; on
 * ../shared/corpus, generated workspaces of 10k, 50k and 100k resources, and a Kustomize and a Helm
 * workspace (variants.ts: their render cost is measured on its own too). See README.md.
 *
 * Options:
 *   --quick                            the corpus alone (a 120 s budget)
 *   --workspaces corpus,10k,50k,100k,kustomize,helm   which workspaces (default all)
 *   --out FILE                         JSON path
 *   --edits N                          keystrokes per file (default 50; the full-text series half)
 *   --no-yamlls                        skip yaml-language-server
 *   --profile [--cli]                  instead: --cpu-prof the server's cold index (with --cli: `kube-traffic
 *                                      check`) of the corpus (or the first of --workspaces), top self time
 *   --corpus DIR                       corpus folder (default ../shared/corpus)
 *   --budget S                         whole-run time budget in seconds (default 400): each workspace gets a
 *                                      share, a measurement that would overrun it reports "timeout > X s"
 *   KT_BENCH_NODE_ARGS="--flag ..."   (environment) extra node flags for the Kube Traffic server process
 *   KT_FAST_SCAN=0                     (environment) the server and CLI read every document with the `yaml`
 *                                      package, not the fast scanner first (the A/B of the scanner)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureCli } from './cli';
import {
  BUDGET_S, CAP, CROSS_EDITS, EDITS, OUT, PROBES, ROOT, SERVER, SIZES, WEIGHTS, WITH_YAMLLS, WORKSPACES, YAMLLS, argv,
  budget, capOf, fmtStats, left, log, opt, round, t0, KT_DEBOUNCE_MS, YAMLLS_DEBOUNCE_MS, type Target, type Workspace,
} from './common';
import type { Edit } from './edits';
import { measureKeystrokes, type KeystrokeResult } from './keystrokes';
import { LspClient } from './lsp';
import { crossCandidates, measureCrossFile, measureIndex, measureProbes, measureSettled, startKubeTraffic, waitForStorage, type IndexResult } from './measure';
import { profileColdIndex } from './profile';
import { buildTable, renderTable, type WorkspaceResult } from './report';
import { helmBinary, helmWorkspace, kustomizeWorkspace, renderHelm, renderKustomize } from './variants';
import { corpusWorkspace, generatedWorkspace, measureFloor } from './workspaces';

const fmtIndex = (r: IndexResult) => (r.timeout ? `timeout > ${r.timeout / 1000} s` : `${r.readyMs!.toFixed(0)} ms to ready (server indexMs ${r.serverIndexMs ?? '?'}; last publish ${r.lastPublishMs?.toFixed(0)} ms; ${r.publishes} publishes; files ${r.files}; peak RSS ${r.peakRssMb?.toFixed(0)} MB)`);

function workspaceOf(id: string): Workspace | { error: string } {
  if (id === 'corpus') return corpusWorkspace();
  if (SIZES[id]) return generatedWorkspace(id, SIZES[id]!);
  if (id === 'kustomize') return kustomizeWorkspace();
  if (id === 'helm') {
    const helm = helmBinary();
    return 'error' in helm ? { error: `the Helm workspace needs the real helm: ${helm.error}` } : helmWorkspace(helm.path);
  }
  return { error: `unknown workspace ${id} (corpus, 10k, 50k, 100k, kustomize, helm)` };
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
  if (ws.variants === 'kustomize') {
    const k = renderKustomize(ws.dir);
    res.render = { what: 'kustomize', ms: k.ms, detail: `${k.roots} roots, ${k.objects} objects` };
  } else if (ws.variants === 'helm') {
    const h = renderHelm(ws.dir, (ws.settings!.helm as { path: string }).path);
    res.render = { what: 'helm', ms: h.ms, detail: `${h.variants} variants, ${(h.bytes / 1024).toFixed(0)} KB rendered`, ...(h.error ? { error: h.error } : {}) };
  }
  if (res.render) log(`${ws.id}: render on its own ${res.render.ms.toFixed(0)} ms (${res.render.detail})${res.render.error ? ` error: ${res.render.error}` : ''}`);
  const chosen: Record<string, Edit | undefined> = {};
  try {
    // The CLI first (its own process, nothing else running).
    res.cli = await measureCli(ws, capOf(0.25, CAP.cliMs, 10_000));
    log(`${ws.id}: kube-traffic check ${res.cli.ms !== undefined ? `${res.cli.ms.toFixed(0)} ms (${(res.cli.ms / res.floor.ms).toFixed(2)}× floor), CPU ${res.cli.cpuMs?.toFixed(0)} ms, peak RSS ${res.cli.peakRssMb?.toFixed(0)} MB, ${res.cli.findings} findings` : res.cli.error ?? `timeout > ${res.cli.timeout! / 1000} s`}`);
    if (ws.variants === 'helm') {
      res.cliNoHelm = await measureCli(ws, capOf(0.2, CAP.cliMs, 10_000), ['--no-helm']);
      log(`${ws.id}: kube-traffic check --no-helm ${res.cliNoHelm.ms?.toFixed(0)} ms`);
    }
    // Cold: a new server process on the workspace.
    const cold = startKubeTraffic(ws, storage);
    res.cold = await measureIndex(cold, capOf(0.85, CAP.indexMs, 10_000));
    res.rssAfterIndexMb = res.cold.peakRssMb;
    log(`${ws.id}: cold index ${fmtIndex(res.cold)}`);
    if (!res.cold.timeout && ws.variants) {
      res.settledMs = await measureSettled(cold, capOf(0.3, 60_000, 5000));
      log(`${ws.id}: every render landed ${res.settledMs?.toFixed(0)} ms after the spawn`);
    }
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
        if (ws.variants) await measureSettled(s, capOf(0.2, 30_000, 3000)); // renders land before the edits
        const targets = Object.entries(ws.keystrokeTargets).filter(([, t]) => t) as [string, Target][];
        for (const [i, [key, target]] of targets.entries()) {
          // The full-text series repeats the edit of the range series on the same file.
          const given = target.fullText ? chosen[Object.keys(chosen).find((k) => ws.keystrokeTargets[k]?.rel === target.rel && !ws.keystrokeTargets[k]?.fullText) ?? ''] : undefined;
          const k = await measureKeystrokes(s, ws, target, true, capOf(0.4 / (targets.length - i), CAP.keystrokeBudgetMs, 3000), given);
          if (!target.fullText) chosen[key] = k.chosen;
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
    if (WITH_YAMLLS) await runYamlls(ws, res, chosen);
  } finally {
    fs.rmSync(storage, { recursive: true, force: true });
  }
  res.seconds = (performance.now() - started) / 1000;
  return res;
}

/** yaml-language-server: the same files, the same edits (after Kube Traffic has stopped). */
async function runYamlls(ws: Workspace, res: WorkspaceResult, chosen: Record<string, Edit | undefined>): Promise<void> {
  const todo = Object.entries(ws.keystrokeTargets).filter(([key, t]) => t && !t.fullText && chosen[key]) as [string, Target][];
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

async function main(): Promise<void> {
  if (!fs.existsSync(SERVER)) {
    log('building the server (scripts/build.mjs)');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  if (argv.includes('--profile')) {
    const ws = workspaceOf(opt('--workspaces') ? WORKSPACES[0]! : 'corpus');
    if ('error' in ws) throw new Error(ws.error);
    return profileColdIndex(ws);
  }
  if (WITH_YAMLLS && !fs.existsSync(YAMLLS)) throw new Error(`${YAMLLS} is missing: run npm ci (yaml-language-server is a devDependency)`);
  const loadBefore = os.loadavg();
  if (loadBefore[0]! > 0.8 * os.cpus().length) log(`warning: load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} cores: other processes compete for the CPU, numbers will be slower and noisier`);
  const fastScan = process.env.KT_FAST_SCAN !== '0';
  if (!fastScan) log('KT_FAST_SCAN=0: the server and the CLI read every document with the yaml package');
  const globalDeadline = t0 + BUDGET_S * 1000;
  const results: WorkspaceResult[] = [];
  const notRun: string[] = [];
  for (const [i, id] of WORKSPACES.entries()) {
    const ws = workspaceOf(id);
    if ('error' in ws) {
      if (id !== 'helm') throw new Error(ws.error);
      log(`helm: skipped: ${ws.error}`);
      notRun.push(`helm: ${ws.error}`);
      continue;
    }
    // This workspace's share of what is left of the budget (time saved earlier rolls over).
    const weights = WORKSPACES.slice(i).map((w) => WEIGHTS[w] ?? 60);
    budget.ws = performance.now() + Math.max(20_000, (globalDeadline - performance.now()) * weights[0]! / weights.reduce((a, b) => a + b, 0));
    log(`${id}: ${ws.files.length} files, ${(ws.bytes / 1048576).toFixed(1)} MB in ${ws.dir}`);
    results.push(await runWorkspace(ws));
  }
  report(results, notRun, fastScan, loadBefore);
}

function report(results: WorkspaceResult[], notRun: string[], fastScan: boolean, loadBefore: number[]): void {
  const totalS = (performance.now() - t0) / 1000;
  const { rows, verdicts } = buildTable(results);
  const table = renderTable(rows, results.map((r) => r.id));
  const git = (...args: string[]) => { try { return execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { return undefined; } };
  // The server measured is the working tree's (built by `npm run bench`), uncommitted changes included.
  const commit = git('rev-parse', '--short', 'HEAD');
  const serverChanges = git('status', '--porcelain', '--', 'server', 'scripts/build.mjs')?.split('\n').filter(Boolean).length ?? 0;
  const env = {
    node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.release()}`,
    commit, serverUncommittedFiles: serverChanges, date: new Date().toISOString(), fastScan, loadAverageBefore: loadBefore.map((x) => round(x, 2)), loadAverageAfter: os.loadavg().map((x) => round(x, 2)),
  };
  const footnotes: string[] = [];
  for (const r of results) for (const why of r.skipped) footnotes.push(`† ${r.id}: ${why}.`);
  for (const why of notRun) footnotes.push(`Not run: ${why}.`);
  if (results.some((r) => Object.values(r.yamlls).some((y) => y.sameAs))) footnotes.push('‡ The same file content and edit as in an earlier column (the generated small file and platform/install.yaml do not depend on N); yaml-language-server only validates open documents, so that measurement is reused.');
  const notes = [
    `Latencies are wall time in the benchmark client and include each server's debounce: Kube Traffic waits ${KT_DEBOUNCE_MS ?? '?'} ms after a change before its diagnostics pass (server/src/service/publisher.ts), yaml-language-server ${YAMLLS_DEBOUNCE_MS ?? '?'} ms (validationDelayMs, not configurable); "ex-debounce" subtracts them.`,
    'Each keystroke toggles a diagnostic (Kube Traffic publishes only changed diagnostics; yaml-language-server publishes after every validation) and is timed to the file\'s publishDiagnostics, except the "typing" row: a character at the end of a description line, which changes no diagnostic, timed to the \'ready\' status that ends the pass. The next edit is sent once the whole diagnostics pass is done. The full-text series sends the same edit as the whole new text (no range).',
    'Cold: a new server process with an empty initializationOptions.storagePath; warm: a new process on the same storagePath after the cold one shut down (where a server that persists its index can start from it). The OS file cache is warm in both. `kube-traffic check` runs first, alone, with --format json.',
    'Variants: the Kustomize render is the core\'s engine in the benchmark process; the Helm render is `helm template` of every variant, one after the other; the CLI of the Helm workspace runs with --helm and again with --no-helm.',
    'yaml-language-server: validation on, no schemas (no network): schemaStore and kubernetesCRDStore disabled.',
    `Budget: ${BUDGET_S} s for the whole run, shared between the workspaces; a measurement that would overrun its share reports "timeout > X s" or the number of samples it got (n=…).`,
  ];
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify({
    env, totalSeconds: round(totalS), budgetSeconds: BUDGET_S, caps: CAP, edits: EDITS, crossEdits: CROSS_EDITS, probes: PROBES,
    debounceMs: { kubeTraffic: KT_DEBOUNCE_MS, yamlLanguageServer: YAMLLS_DEBOUNCE_MS }, verdicts, notes, footnotes, table, results,
  }, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? round(v, 2) : v), 2));
  console.log(`\n## Kube Traffic benchmark (${env.date.slice(0, 10)}, ${env.cpus} cores, Node ${env.node}${commit ? `, ${commit}${serverChanges ? ` + ${serverChanges} uncommitted server files` : ''}` : ''}; ${fastScan ? '' : 'KT_FAST_SCAN=0; '}load average before ${env.loadAverageBefore[0]}, after ${env.loadAverageAfter[0]})\n`);
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
