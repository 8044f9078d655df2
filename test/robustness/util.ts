/**
 * Helpers of the robustness tests (not a test file): measuring time and memory of one hostile
 * input, generated workspaces, and a figures table printed at the end of a file. Temp folders are
 * test/helpers/disk.ts, the CLI test/helpers/cli.ts, LSP sessions test/helpers/lsp.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

const ROOT = path.resolve(__dirname, '../..');

v8.setFlagsFromString('--expose-gc');
/** A real gc() even without --expose-gc on the command line. */
export const gc: () => void = vm.runInNewContext('gc') as () => void;

export interface Measure<T> {
  readonly value: T;
  readonly ms: number;
  /** CPU time of this process while it ran (user + system): what bounds assert, as a busy machine does not inflate it. */
  readonly cpuMs: number;
  /** Heap still used after the call (with its result alive), minus before, after a full GC. */
  readonly heapDeltaMb: number;
  /** How much the process's peak RSS grew while it ran (0 when it stayed under an earlier peak). */
  readonly rssGrowthMb: number;
}

/** Runs `fn` once, measuring wall time, retained heap and growth of the process's peak RSS. */
export function measure<T>(fn: () => T): Measure<T> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const rss1 = process.resourceUsage().maxRSS;
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  return { value, ms, cpuMs: (c.user + c.system) / 1000, heapDeltaMb: (heap1 - heap0) / 1048576, rssGrowthMb: (rss1 - rss0) / 1024 };
}

export async function measureAsync<T>(fn: () => Promise<T>): Promise<Measure<T>> {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const rss1 = process.resourceUsage().maxRSS;
  gc();
  const heap1 = process.memoryUsage().heapUsed;
  return { value, ms, cpuMs: (c.user + c.system) / 1000, heapDeltaMb: (heap1 - heap0) / 1048576, rssGrowthMb: (rss1 - rss0) / 1024 };
}

/** Figures of one test file, printed as a table when the file's tests end. */
export class Figures {
  private readonly rows: string[][] = [];
  constructor(private readonly title: string, private readonly header: string[]) {}
  add(...cells: (string | number)[]): void {
    this.rows.push(cells.map((c) => (typeof c === 'number' ? (Number.isInteger(c) ? String(c) : c.toFixed(1)) : c)));
  }
  print(): void {
    if (!this.rows.length) return;
    const lines = [`\n${this.title}`, `| ${this.header.join(' | ')} |`, `|${this.header.map(() => '---').join('|')}|`, ...this.rows.map((r) => `| ${r.join(' | ')} |`)];
    process.stdout.write(lines.join('\n') + '\n');
    // Also kept for the report (git-ignored).
    try {
      const dir = path.join(ROOT, '.kt-tmp/robustness');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${this.title.replace(/[^\w]+/g, '-').toLowerCase()}.md`), lines.join('\n') + '\n');
    } catch {
      // figures are informative only
    }
  }
}

/** `count` small, valid, consistent manifests (a Deployment and its Service) named NNNNN.yaml in `dir`. */
export function generateManifests(dir: string, count: number, opts: { broken?: (i: number) => boolean; prefix?: string } = {}): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const app = `app${i}`;
    const broken = opts.broken?.(i) ?? false;
    const text = i % 2 === 0
      ? `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: main\n          image: nginx\n          ports:\n            - name: http\n              containerPort: 8080\n`
      : `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector:\n    app: ${broken ? `nothing-${i}` : `app${i - 1}`}\n  ports:\n    - port: 80\n      targetPort: http\n`;
    const p = path.join(dir, `${opts.prefix ?? ''}${String(i).padStart(5, '0')}.yaml`);
    fs.writeFileSync(p, text);
    out.push(p);
  }
  return out;
}

/** Peak resident memory (VmHWM) of a live process, in MB (Linux; undefined elsewhere). */
export function peakRssOf(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
