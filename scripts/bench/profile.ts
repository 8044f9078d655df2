/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, top N.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

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
