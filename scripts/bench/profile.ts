/**
 * Summarises V8 .cpuprofiles (from `node --cpu-prof`): self time per function, top N; and the
 * benchmark's --profile mode, which profiles the server's cold index (or, with --cli, the CLI's
 * `check`) of one workspace.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CAP, CLI, ROOT, argv, log, type Workspace } from './common';
import { measureIndex, startKubeTraffic } from './measure';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile { nodes: CpuProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] }

export interface SelfTimeRow { readonly fn: string; readonly where: string; readonly selfMs: number; readonly pct: number }

/** Self time per function of one profile, every function (sorted), plus the total and the idle time. */
export function summariseProfile(file: string, top = Infinity): { totalMs: number; idleMs: number; rows: SelfTimeRow[] } {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  // Self time per node from samples × time deltas (more exact than hitCount × mean interval).
  const selfUs = new Map<number, number>();
  if (prof.samples && prof.timeDeltas) {
    for (let i = 0; i < prof.samples.length; i++) {
      const dt = prof.timeDeltas[i + 1] ?? 0;
      selfUs.set(prof.samples[i]!, (selfUs.get(prof.samples[i]!) ?? 0) + Math.max(0, dt));
    }
  } else {
    const interval = (prof.endTime - prof.startTime) / Math.max(1, prof.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0));
    for (const n of prof.nodes) selfUs.set(n.id, (n.hitCount ?? 0) * interval);
  }
  const agg = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    total += us;
    const cf = n.callFrame;
    const fn = cf.functionName || (cf.url ? '(anonymous)' : `(${cf.functionName || 'native'})`);
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${fn}\u0000${where}`;
    const e = agg.get(key) ?? { fn, where, us: 0 };
    e.us += us;
    agg.set(key, e);
  }
  const idle = [...agg.values()].filter((e) => e.fn === '(idle)').reduce((a, e) => a + e.us, 0);
  const rows = [...agg.values()].sort((a, b) => b.us - a.us).slice(0, top)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, pct: (100 * e.us) / Math.max(1, total) }));
  return { totalMs: total / 1000, idleMs: idle / 1000, rows };
}

function shortUrl(url: string): string {
  const p = url.replace(/^file:\/\//, '');
  const i = p.indexOf('/node_modules/');
  if (i >= 0) return p.slice(i + 1);
  return p.startsWith('/') ? path.relative(process.cwd(), p) : p;
}

/** Maps a line of the esbuild bundle to its source through the bundle's .map (names the original file:line). */
export function sourceOf(bundle: string, line: number, column = 0): string | undefined {
  try {
    const map = JSON.parse(fs.readFileSync(`${bundle}.map`, 'utf8')) as { sources: string[]; mappings: string };
    const lines = map.mappings.split(';');
    if (!lines[line - 1]) return undefined;
    // Segments: [genCol, srcIdx, srcLine, srcCol] as VLQ deltas; srcIdx and srcLine are cumulative over the whole map.
    let src = 0;
    let srcLine = 0;
    for (let l = 0; l < line; l++) {
      let genCol = 0;
      let best: string | undefined;
      for (const s of (lines[l] ?? '').split(',')) {
        if (!s) continue;
        const v = decodeVlq(s);
        genCol += v[0] ?? 0;
        if (v.length >= 4) { src += v[1]!; srcLine += v[2]!; }
        if (l === line - 1 && (best === undefined || genCol <= column)) best = `${map.sources[src]}:${srcLine + 1}`;
      }
      if (l === line - 1) return best?.replace(/^(\.\.\/)+/, '');
    }
  } catch { /* no map */ }
  return undefined;
}

function decodeVlq(s: string): number[] {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of s) {
    const d = chars.indexOf(c);
    value += (d & 31) << shift;
    if (d & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >> 1) : value >> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

export async function profileColdIndex(ws: Workspace): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-prof-'));
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-bench-storage-'));
  const cli = argv.includes('--cli');
  const id = ws.id;
  if (cli) {
    log(`profiling \`kube-traffic check\` of ${ws.dir} (${ws.files.length} files) into ${dir}`);
    const t = performance.now();
    try {
      execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, CLI, 'check', '.', '--format', 'json', ...(ws.cliArgs ?? [])], { cwd: ws.dir, stdio: ['ignore', 'ignore', 'ignore'], timeout: CAP.cliMs });
    } catch (e) {
      if ((e as { status?: number }).status !== 1) throw e; // 1: findings at error level
    }
    log(`check under the profiler: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  } else {
    log(`profiling the cold index of ${ws.dir} (${ws.files.length} files) into ${dir}`);
    const c = startKubeTraffic(ws, storage, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const r = await measureIndex(c, CAP.indexMs);
    log(`cold index under the profiler: ${r.timeout ? `timeout > ${r.timeout / 1000} s` : `${r.readyMs!.toFixed(0)} ms to ready`}`);
    await c.stop(15000);
  }
  // One profile per thread: the main thread and each worker (parse pool).
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  if (!files.length) throw new Error(`no .cpuprofile written in ${dir}`);
  const bundleOf = (where: string) => {
    const m = /^(.*\/out\/[\w.-]+\.js):(\d+)$/.exec(where);
    return m ? sourceOf(path.resolve(ROOT, m[1]!), Number(m[2])) ?? where : where;
  };
  const merged = new Map<string, { fn: string; where: string; ms: number; threads: Set<number> }>();
  let busy = 0;
  console.log(`\n${cli ? 'kube-traffic check' : 'Server cold index'} of ${id} under --cpu-prof: ${files.length} thread(s); profiles in ${dir}\n`);
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
