/**
 * Helpers of the robustness tests (not a test file): measuring time and memory of one hostile
 * input, temp folders, running the built CLI, and a figures table printed at the end of a file.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'server/out/cli.js');
export const SERVER_JS = path.join(ROOT, 'server/out/server.js');

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

export function tempDir(name: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `kt-robust-${name}-`)));
}

export function write(dir: string, rel: string, content: string | Uint8Array): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** Peak RSS of the CLI process (its own process.resourceUsage().maxRSS at exit); undefined when killed. */
  readonly peakRssMb: number | undefined;
  readonly timedOut: boolean;
}

/**
 * Runs `node server/out/cli.js ARGS` in `cwd`, killed after `timeoutMs` (a hang is a failure, not a
 * stuck test). Its peak RSS is read through a tiny wrapper that reports the child's resource usage.
 */
export function runCli(args: string[], cwd: string, timeoutMs = 60000, opts: { asUid?: number } = {}): Promise<CliRun> {
  // The wrapper runs the CLI in-process after recording exit-time resource usage to fd 3.
  const wrapper = `
    const fs = require('node:fs');
    process.on('exit', () => { try { fs.writeSync(3, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })); } catch {} });
    process.argv.splice(1, 1, ${JSON.stringify(CLI)});
    require(${JSON.stringify(CLI)});
  `;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const node = [process.execPath, '-e', wrapper, 'cli', ...args];
    // As another user (when the tests run as root): util-linux setpriv drops to that uid and gid.
    const argv = opts.asUid === undefined ? node : ['setpriv', `--reuid=${opts.asUid}`, `--regid=${opts.asUid}`, '--clear-groups', ...node];
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let extra = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    (child.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => { extra += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let peakRssMb: number | undefined;
      try { peakRssMb = (JSON.parse(extra) as { maxRSS: number }).maxRSS / 1024; } catch { /* killed */ }
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, peakRssMb, timedOut });
    });
  });
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

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Shuts a session's server down and waits for its process to exit before disposing the
 * connection (the session helper's stop() disposes at once, so a late write can reject after the
 * test has ended).
 */
export async function stopServer(s: { connection: { sendRequest(t: unknown): Promise<unknown>; sendNotification(t: unknown): Promise<void>; dispose(): void }; process: import('node:child_process').ChildProcess }): Promise<void> {
  const { ShutdownRequest, ExitNotification } = await import('vscode-languageserver-protocol/node');
  try {
    await Promise.race([s.connection.sendRequest(ShutdownRequest.type), sleep(5000)]);
    await s.connection.sendNotification(ExitNotification.type);
  } catch {
    // already gone
  }
  await new Promise<void>((resolve) => {
    if (s.process.exitCode !== null || s.process.signalCode !== null) return resolve();
    s.process.once('exit', () => resolve());
    setTimeout(() => s.process.kill('SIGKILL'), 3000).unref();
  });
  s.connection.dispose();
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
