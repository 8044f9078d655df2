/**
 * `npm run fuzz`: seeded, bounded fuzzing of the analysis core on ../shared/corpus (not part of
 * `npm test`; a slice of it is, in test/robustness/fuzz-slice.test.ts).
 *
 *   npm run fuzz -- [--seed N] [--mutations 10000] [--time-limit 240] [--prefixes all|lines|sample|none]
 *                   [--only I] [--only-prefix REL@OFFSET] [--projects a,b] [--out DIR] [--corpus DIR] [--hang-ms 30000]
 *
 * Phase 1, prefixes (as while typing): every line-boundary prefix of every file up to 64 KB, a
 * seeded sample of 200 prefixes of each larger file, and every character prefix of a few small
 * files (`all`, the default); `lines`: only the first; `sample`: 20 seeded prefixes per file.
 * Each prefix is set as the file's text in an analyzer holding the file's folder (skipBodies true;
 * every fourth file also with skipBodies false).
 *
 * Phase 2, mutations: case i mutates a random corpus file or `---` document with 1–3 operators
 * (lib.ts OPERATORS), sets the result as the file's text in an analyzer of the file's whole
 * project (every fourth case with skipBodies false), then puts the file back.
 *
 * Every case checks: no exception escapes updateFile/findings/takeDirty or the features (hover,
 * definition, references, highlights at 4 positions, code lenses, quick fixes; the same, at 2
 * positions, on up to 3 files the change made dirty); every finding of
 * the file and of the files the change made dirty has a known code, a severity and ranges inside
 * their documents; no document is silently dropped by the model's exception guard; no call takes
 * more than 2 s. A watchdog thread ends the run with a `hang-*.json` record if a case blocks 30 s (--hang-ms).
 *
 * Bounded by count and time: the prefix phase gets at most 45 % of --time-limit, mutations the
 * rest; the summary says how many ran. Failures go to .kt-tmp/fuzz-failures/ (JSON with the seed,
 * case and operators, and the input text next to it). Exit code 1 on any failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { Analyzer } from '../../server/src/core/analyzer';
import {
  Contexts, ROOT, Rng, analyseText, caseSeed, describeText, loadCorpus, makeMutationCase, prefixOffsets, runMutationCase,
  OPERATOR_NAMES, type CaseResult, type Corpus, type CorpusFile, type Violation, CORPUS,
} from './lib';

interface Options {
  seed: number;
  mutations: number;
  timeLimitS: number;
  prefixes: 'all' | 'lines' | 'sample' | 'none';
  only?: number;
  onlyPrefix?: { rel: string; offset: number };
  projects?: string[];
  out: string;
  corpus: string;
  hangMs: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seed: 1, mutations: 10000, timeLimitS: 240, prefixes: 'all', out: path.join(ROOT, '.kt-tmp/fuzz-failures'), corpus: CORPUS, hangMs: 30000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const val = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(val());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a non-negative number`);
      return v;
    };
    switch (flag) {
      case '--seed': o.seed = num() >>> 0; break;
      case '--mutations': o.mutations = Math.floor(num()); break;
      case '--time-limit': o.timeLimitS = num(); break;
      case '--prefixes': {
        const v = val();
        if (!['all', 'lines', 'sample', 'none'].includes(v)) throw new Error('--prefixes must be all, lines, sample or none');
        o.prefixes = v as Options['prefixes'];
        break;
      }
      case '--only': o.only = Math.floor(num()); break;
      case '--only-prefix': {
        const v = val();
        const at = v.lastIndexOf('@');
        if (at < 0) throw new Error('--only-prefix REL@OFFSET');
        o.onlyPrefix = { rel: v.slice(0, at), offset: Number(v.slice(at + 1)) };
        break;
      }
      case '--projects': o.projects = val().split(',').filter(Boolean); break;
      case '--out': o.out = path.resolve(val()); break;
      case '--corpus': o.corpus = path.resolve(val()); break;
      case '--hang-ms': o.hangMs = Math.max(100, num()); break;
      case '-h': case '--help':
        process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0]!.replace(/^\/\*\*?|^ \* ?/gm, '') + '\n');
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${a}`);
    }
  }
  return o;
}

// ---------------------------------------------------------------------------------------------

interface Failure {
  phase: 'prefix' | 'mutation';
  label: string;
  violations: Violation[];
  record: Record<string, unknown>;
  text: string;
}

interface Worst { ms: number; call: string; label: string }

class Stats {
  cases = 0;
  analyses = 0;
  findings = 0;
  failures: Failure[] = [];
  worst: Worst = { ms: 0, call: '', label: '' };
  worstCase: Worst = { ms: 0, call: 'whole case', label: '' };
  note(r: CaseResult, label: string): void {
    this.analyses++;
    this.findings += r.findings;
    if (r.timing.maxMs > this.worst.ms) this.worst = { ms: r.timing.maxMs, call: r.timing.maxCall, label };
    if (r.timing.totalMs > this.worstCase.ms) this.worstCase = { ms: r.timing.totalMs, call: 'whole case', label };
  }
}

let peakHeap = 0;
let peakHeapAt = '';
function sampleHeap(label: string): void {
  const h = process.memoryUsage().heapUsed;
  if (h > peakHeap) { peakHeap = h; peakHeapAt = label; }
}

/** A watchdog thread: if the main thread stops beating for `hangMs`, it records the case and kills the process. */
function startWatchdog(outDir: string, seed: number, hangMs: number, labels: SharedArrayBuffer, beat: Int32Array): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const fs = require('node:fs');
    const path = require('node:path');
    const beat = new Int32Array(workerData.beat);
    const labels = new Uint8Array(workerData.labels);
    let last = Atomics.load(beat, 0), since = Date.now();
    setInterval(() => {
      const now = Atomics.load(beat, 0);
      if (now !== last) { last = now; since = Date.now(); return; }
      if (Date.now() - since < ${hangMs}) return;
      const end = labels.indexOf(0);
      const label = Buffer.from(labels.subarray(0, end < 0 ? labels.length : end)).toString('utf8');
      fs.mkdirSync(workerData.out, { recursive: true });
      const file = path.join(workerData.out, 'hang-' + workerData.seed + '.json');
      fs.writeFileSync(file, JSON.stringify({ kind: 'hang', seed: workerData.seed, case: label, blockedMs: Date.now() - since }, null, 2));
      // The main thread is blocked, so this thread's process.stderr would never flush: write directly.
      fs.writeSync(2, '\\nfuzz: HANG: ' + label + ' blocked for ' + (Date.now() - since) + ' ms; recorded in ' + file + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }, 1000);
  `;
  const w = new Worker(code, { eval: true, workerData: { out: outDir, seed, labels, beat: beat.buffer } });
  w.unref();
  return w;
}

function main(): void {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const started = performance.now();
  const deadline = started + opts.timeLimitS * 1000;
  const prefixDeadline = opts.mutations > 0 ? started + opts.timeLimitS * 1000 * 0.45 : deadline;
  const corpus = loadCorpus(opts.corpus, opts.projects);
  if (!corpus.files.length) { process.stderr.write(`fuzz: no YAML files under ${opts.corpus}\n`); process.exit(2); }

  const labelBuf = new SharedArrayBuffer(512);
  const labelBytes = new Uint8Array(labelBuf);
  const beat = new Int32Array(new SharedArrayBuffer(4));
  startWatchdog(opts.out, opts.seed, opts.hangMs, labelBuf, beat);
  const setCurrent = (label: string) => {
    const b = Buffer.from(label.slice(0, 500), 'utf8');
    labelBytes.fill(0);
    labelBytes.set(b.subarray(0, 511));
    Atomics.add(beat, 0, 1);
  };

  const log = (s: string) => process.stderr.write(s);
  log(`fuzz: seed ${opts.seed}, ${corpus.files.length} files / ${corpus.units.length} units from ${path.relative(process.cwd(), corpus.root) || '.'}, ` +
    `prefixes ${opts.prefixes}, ${opts.mutations} mutations, time limit ${opts.timeLimitS} s\n`);

  const prefix = new Stats();
  const mutation = new Stats();
  let prefixPlanned = 0;
  let prefixFilesDone = 0;
  let prefixStopped = false;
  const replay = opts.only !== undefined || opts.onlyPrefix !== undefined;

  // ---- Phase 1: prefixes
  if (opts.onlyPrefix || (!replay && opts.prefixes !== 'none')) {
    const plan = planPrefixes(corpus, opts);
    prefixPlanned = plan.reduce((n, p) => n + p.offsets.length, 0);
    log(`fuzz: prefixes: ${prefixPlanned} in ${plan.length} files\n`);
    const dirs = new DirContexts(corpus);
    let lastReport = performance.now();
    outer: for (const p of plan) {
      for (const skipBodies of p.bothModes ? [true, false] : [true]) {
        const a = dirs.get(p.file, skipBodies);
        let version = 1;
        for (const off of p.offsets) {
          if (performance.now() > prefixDeadline) { prefixStopped = true; break outer; }
          const label = `prefix ${p.file.rel}@${off} (${p.kind}, skipBodies ${skipBodies})`;
          setCurrent(label);
          const text = p.file.text.slice(0, off);
          const r = analyseText(a, p.file.uri, ++version, text, new Rng(caseSeed(opts.seed, off) ^ p.fileIndex), { positions: 2, dirty: true, maxDirty: 100 });
          prefix.cases += skipBodies ? 1 : 0;
          prefix.note(r, label);
          if (r.violations.length) {
            prefix.failures.push({
              phase: 'prefix', label, violations: r.violations, text,
              record: { file: p.file.rel, offset: off, kind: p.kind, skipBodies, reproduce: `npm run fuzz -- --only-prefix ${p.file.rel}@${off}` },
            });
          }
          if ((prefix.analyses & 63) === 0) sampleHeap(label);
          if (performance.now() - lastReport > 5000) {
            lastReport = performance.now();
            log(`fuzz: prefixes ${prefix.cases}/${prefixPlanned}, failures ${prefix.failures.length}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
          }
        }
        // Back to the file's full text, so the folder is whole for the next file.
        a.updateFile(p.file.uri, 'restored', p.file.text);
        a.takeDirty();
      }
      prefixFilesDone++;
    }
    sampleHeap('after prefixes');
  }

  // ---- Phase 2: mutations
  const ctx = new Contexts(corpus);
  const opCounts = new Map<string, number>(OPERATOR_NAMES.map((o) => [o, 0]));
  let mutationStopped = false;
  const mutationIndices = opts.only !== undefined ? [opts.only] : opts.onlyPrefix ? [] : Array.from({ length: opts.mutations }, (_, i) => i);
  if (mutationIndices.length) {
    let lastReport = performance.now();
    for (const i of mutationIndices) {
      if (!replay && performance.now() > deadline) { mutationStopped = true; break; }
      const c = makeMutationCase(corpus, opts.seed, i);
      const label = `mutation #${i} of ${c.file.rel}${c.unit.whole ? '' : ` [doc ${c.unit.start}-${c.unit.end}]`} ${c.applied.map((m) => `${m.op}(${m.detail})`).join(' + ')} (skipBodies ${c.skipBodies})`;
      setCurrent(label);
      for (const m of c.applied) opCounts.set(m.op, (opCounts.get(m.op) ?? 0) + 1);
      const r = runMutationCase(ctx, c, { graph: i % 97 === 0 });
      mutation.cases++;
      mutation.note(r, label);
      if (r.violations.length) {
        mutation.failures.push({
          phase: 'mutation', label, violations: r.violations, text: c.text,
          record: {
            seed: opts.seed, index: i, caseSeed: c.seed, file: c.file.rel, unit: c.unit, operators: c.applied, skipBodies: c.skipBodies,
            reproduce: `npm run fuzz -- --seed ${opts.seed} --only ${i}`,
          },
        });
      }
      if ((i & 31) === 0) sampleHeap(label);
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        log(`fuzz: mutations ${mutation.cases}/${mutationIndices.length}, failures ${mutation.failures.length}, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
      }
    }
    sampleHeap('after mutations');
  }
  setCurrent('summary');

  // ---- Failures on disk
  const all = [...prefix.failures, ...mutation.failures];
  fs.mkdirSync(opts.out, { recursive: true });
  let written = 0;
  for (const f of all) {
    if (written >= 300) break;
    const base = f.phase === 'mutation'
      ? `mutation-seed${opts.seed}-${String(f.record.index).padStart(5, '0')}`
      : `prefix-${String(f.record.file).replace(/[^\w.-]+/g, '_')}-${String(f.record.offset)}${f.record.skipBodies ? '' : '-full'}`;
    fs.writeFileSync(path.join(opts.out, `${base}.yaml`), f.text);
    fs.writeFileSync(path.join(opts.out, `${base}.json`), JSON.stringify({ ...f.record, label: f.label, violations: f.violations, input: describeText(f.text), inputFile: `${base}.yaml` }, null, 2));
    written++;
  }

  // ---- Summary
  const secs = (performance.now() - started) / 1000;
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  const retained = process.memoryUsage().heapUsed;
  const rss = process.resourceUsage().maxRSS * 1024;
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  const signatures = new Map<string, { count: number; example: Failure; v: Violation }>();
  for (const f of all) for (const v of f.violations) {
    const top = v.stack?.split('\n').slice(1).find((l) => /server\/src/.test(l))?.trim().replace(/:\d+\)?$/, '') ?? '';
    const key = `${v.kind} | ${v.where.replace(/\d+:\d+|\(dirty .*\)/g, '…')} | ${v.message.replace(/\d+/g, 'N').slice(0, 160)} | ${top}`;
    const s = signatures.get(key);
    if (s) s.count++;
    else signatures.set(key, { count: 1, example: f, v });
  }
  const out: string[] = [];
  out.push('', '## Kube Traffic fuzz summary', '');
  out.push(`seed ${opts.seed} · ${secs.toFixed(1)} s (limit ${opts.timeLimitS} s) · corpus ${corpus.files.length} files, ${corpus.units.length} units`);
  out.push('');
  out.push('| phase | inputs tried | planned | analyses | findings checked | failing inputs | slowest call | slowest whole case |');
  out.push('|---|---|---|---|---|---|---|---|');
  if (prefixPlanned) {
    out.push(`| prefixes (${opts.prefixes}) | ${prefix.cases}${prefixStopped ? ' (time limit)' : ''} | ${prefixPlanned} in ${prefixFilesDone} files | ${prefix.analyses} | ${prefix.findings} | ${prefix.failures.length} | ${prefix.worst.ms.toFixed(0)} ms ${prefix.worst.call} | ${prefix.worstCase.ms.toFixed(0)} ms |`);
  }
  if (mutationIndices.length) {
    out.push(`| mutations | ${mutation.cases}${mutationStopped ? ' (time limit)' : ''} | ${mutationIndices.length} | ${mutation.analyses} | ${mutation.findings} | ${mutation.failures.length} | ${mutation.worst.ms.toFixed(0)} ms ${mutation.worst.call} | ${mutation.worstCase.ms.toFixed(0)} ms |`);
  }
  out.push('');
  if (prefix.worst.label) out.push(`slowest prefix call: ${prefix.worst.ms.toFixed(1)} ms in ${prefix.worst.call} on ${prefix.worst.label}`);
  if (mutation.worst.label) out.push(`slowest mutation call: ${mutation.worst.ms.toFixed(1)} ms in ${mutation.worst.call} on ${mutation.worst.label}`);
  if (mutation.worstCase.label) out.push(`slowest mutation case (all calls): ${mutation.worstCase.ms.toFixed(1)} ms on ${mutation.worstCase.label}`);
  out.push(`heap: peak used ${mb(peakHeap)} (sampled, garbage included) at ${peakHeapAt}; retained after a full GC at the end ${mb(retained)} (the project analyzers still loaded); peak RSS ${mb(rss)}; project contexts loaded in ${(ctx.loadMs / 1000).toFixed(1)} s`);
  if (mutation.cases) out.push(`operators applied: ${[...opCounts].map(([o, n]) => `${o} ${n}`).join(', ')}`);
  out.push('');
  if (signatures.size) {
    out.push(`### ${all.length} failing inputs, ${signatures.size} distinct problems (details in ${path.relative(process.cwd(), opts.out)}/${written < all.length ? `, first ${written} written` : ''})`, '');
    for (const [key, s] of [...signatures].sort((x, y) => y[1].count - x[1].count)) {
      out.push(`- ${s.count} × ${key}`);
      out.push(`  e.g. ${s.example.label}`);
      out.push(`  ${s.v.where}: ${s.v.message}`);
      if (s.v.stack) out.push(`  ${s.v.stack.split('\n').slice(0, 4).join('\n  ')}`);
      out.push(`  reproduce: ${String(s.example.record.reproduce)}`);
    }
  } else out.push('No failures.');
  process.stdout.write(out.join('\n') + '\n');
  process.exit(all.length ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------

interface PrefixPlan {
  file: CorpusFile;
  fileIndex: number;
  kind: 'lines' | 'chars' | 'sample';
  offsets: number[];
  bothModes: boolean;
}

function planPrefixes(corpus: Corpus, opts: Options): PrefixPlan[] {
  const plan: PrefixPlan[] = [];
  if (opts.onlyPrefix) {
    const i = corpus.files.findIndex((f) => f.rel === opts.onlyPrefix!.rel);
    if (i < 0) throw new Error(`no corpus file ${opts.onlyPrefix.rel}`);
    return [{ file: corpus.files[i]!, fileIndex: i, kind: 'lines', offsets: [opts.onlyPrefix.offset], bothModes: true }];
  }
  const rng = new Rng(caseSeed(opts.seed, -1));
  corpus.files.forEach((file, i) => {
    const small = file.text.length <= 64 * 1024;
    const bothModes = i % 4 === 3;
    if (opts.prefixes === 'sample') plan.push({ file, fileIndex: i, kind: 'sample', offsets: prefixOffsets(file.text, 'sample', rng, 20), bothModes });
    else if (small) plan.push({ file, fileIndex: i, kind: 'lines', offsets: prefixOffsets(file.text, 'lines'), bothModes });
    else if (opts.prefixes === 'all') plan.push({ file, fileIndex: i, kind: 'sample', offsets: prefixOffsets(file.text, 'sample', rng, 200), bothModes: false });
  });
  if (opts.prefixes === 'all') {
    // Every character prefix of a few small, real manifests (with Services, workloads, Ingresses).
    const candidates = corpus.files.map((f, i) => ({ f, i })).filter(({ f }) => f.text.length >= 600 && f.text.length <= 2500 && /kind:\s*(Service|Deployment|Ingress|HTTPRoute|StatefulSet)/.test(f.text));
    const chosen = new Set<number>();
    while (chosen.size < Math.min(6, candidates.length)) chosen.add(rng.int(candidates.length));
    for (const k of [...chosen].sort((a, b) => a - b)) {
      const { f, i } = candidates[k]!;
      plan.push({ file: f, fileIndex: i, kind: 'chars', offsets: prefixOffsets(f.text, 'chars'), bothModes: false });
    }
  }
  return plan;
}

/** Analyzers holding one corpus folder (the folder of the file being typed), per mode; the last one is kept. */
class DirContexts {
  private readonly current = new Map<boolean, { dir: string; a: Analyzer }>();
  constructor(private readonly corpus: Corpus) {}
  get(file: CorpusFile, skipBodies: boolean): Analyzer {
    const dir = path.dirname(file.path);
    const hit = this.current.get(skipBodies);
    if (hit && hit.dir === dir) return hit.a;
    const a = new Analyzer({}, { skipBodies });
    for (const f of this.corpus.files) if (path.dirname(f.path) === dir) a.updateFile(f.uri, 0, f.text);
    for (const u of a.index.uris()) a.findings(u);
    a.takeDirty();
    this.current.set(skipBodies, { dir, a });
    return a;
  }
}

main();
