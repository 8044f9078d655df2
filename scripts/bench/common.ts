/**
 * What the benchmark's modules share: options, paths, the time budget, statistics and logging.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'server/out/server.js');
export const CLI = path.join(ROOT, 'server/out/cli.js');
export const YAMLLS = path.join(ROOT, 'node_modules/yaml-language-server/bin/yaml-language-server');

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
export const KT_DEBOUNCE_MS = sourceNumber(path.join(ROOT, 'server/src/service/publisher.ts'), /debounceMs\s*=\s*(\d+)/);
export const YAMLLS_DEBOUNCE_MS = sourceNumber(path.join(ROOT, 'node_modules/yaml-language-server/out/server/src/yamlSettings.js'), /validationDelayMs\s*=\s*(\d+)/);

// ---------------------------------------------------------------- options

export const argv = process.argv.slice(2);
export const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
export const QUICK = argv.includes('--quick');
export const OUT = path.resolve(opt('--out') ?? path.join(ROOT, '.kt-tmp/bench-results.json'));
export const EDITS = Number(opt('--edits') ?? 50);
/** Full-text didChange edits per file (half the range series: the same edit, the whole text sent). */
export const FULL_EDITS = Math.max(2, Math.round(EDITS / 2));
export const CROSS_EDITS = 20;
export const PROBES = 200;
export const WITH_YAMLLS = !argv.includes('--no-yamlls');
export const CORPUS = path.resolve(opt('--corpus') ?? path.join(ROOT, '../shared/corpus'));
export const SIZES: Record<string, number> = { '10k': 10000, '50k': 50000, '100k': 100000 };
export const WORKSPACES = (opt('--workspaces') ?? (QUICK ? 'corpus' : 'corpus,10k,50k,100k,kustomize,helm')).split(',').map((s) => s.trim()).filter(Boolean);
/** Whole-run budget in seconds: each workspace gets a share, each measurement a cap within it. */
export const BUDGET_S = Number(opt('--budget') ?? (QUICK ? 120 : 400));
/** Shares of the budget; time a workspace does not use rolls over to the next ones. */
export const WEIGHTS: Record<string, number> = { corpus: 65, '10k': 50, '50k': 60, '100k': 100, kustomize: 40, helm: 40 };

/**
 * Upper caps, so a slow server gives "timeout > X s" rather than a hang. The effective cap of each
 * measurement is also bounded by what is left of its workspace's share of --budget.
 */
export const CAP = {
  indexMs: 150_000,
  publishMs: 10_000,
  passMs: 3_000,
  keystrokeBudgetMs: 20_000,
  crossBudgetMs: 12_000,
  probeBudgetMs: 10_000,
  yamllsBudgetMs: 12_000,
  cliMs: 120_000,
};

export const t0 = performance.now();
export const log = (msg: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}\n`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- time budget

/** End of the running measurement's budget (`m`) and of the current workspace's share (`ws`). */
export const budget = { m: Infinity, ws: Infinity };
/** `ms`, shortened to what is left of the running measurement's budget (plus `grace` for clean-up). */
export const within = (ms: number, grace = 0) => Math.max(0, Math.min(ms, budget.m + grace - performance.now()));
export const overBudget = () => performance.now() >= budget.m;
/** Time left of the current workspace's share of the budget. */
export const left = () => budget.ws - performance.now();
/** A cap: `fraction` of what is left of the workspace's share, at least `min`, at most `max`. */
export const capOf = (fraction: number, max: number, min = 2000) => Math.round(Math.max(min, Math.min(max, left() * fraction)) / 1000) * 1000;

// ---------------------------------------------------------------- statistics

export interface Stats { n: number; p50: number; p95: number; max: number; mean: number }
export function stats(xs: readonly number[]): Stats | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  // Nearest-rank percentiles.
  const pct = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { n: s.length, p50: pct(50), p95: pct(95), max: s[s.length - 1]!, mean: s.reduce((a, b) => a + b, 0) / s.length };
}
export const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
export const fmtStats = (s: Stats | undefined) => (s ? `p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms (n=${s.n})` : '—');

export function kb(f: string): string {
  const b = fs.statSync(f).size;
  return b >= 1048576 ? `${(b / 1048576).toFixed(2)} MB` : `${(b / 1024).toFixed(1)} KB`;
}

// ---------------------------------------------------------------- workspaces

/** `typing`: a keystroke that changes no diagnostic, timed to the end of the server's pass ('ready'). */
export interface Target { readonly label: string; readonly rel: string; readonly typing?: boolean; readonly fullText?: boolean }
export interface CrossPair { readonly workloadFile: string; readonly workloadName: string; readonly serviceFile: string; readonly serviceName: string; readonly labelKey: string }
export interface Workspace {
  readonly id: string;
  readonly dir: string;
  readonly files: string[];
  readonly bytes: number;
  readonly resources?: number;
  readonly keystrokeTargets: Readonly<Record<string, Target | undefined>>;
  readonly cross?: CrossPair;
  /** Kube Traffic settings (kubeTraffic section) for the server; the CLI gets the same as flags. */
  readonly settings?: Record<string, unknown>;
  readonly cliArgs?: readonly string[];
  /** A workspace with variants: its renders are timed on their own (see variants.ts). */
  readonly variants?: 'kustomize' | 'helm';
}
