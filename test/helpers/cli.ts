/**
 * The built CLI (`node server/out/cli.js ARGS`) as a user runs it: in a folder, killed after a
 * timeout (a hang is a failure, not a stuck test), with its exit code, signal, stdout and stderr.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const CLI = path.join(ROOT, 'server/out/cli.js');

/** Fails (the test, or the file's before()) with what to do when the CLI is not built. */
export function assertBuilt(file = CLI): void {
  assert.ok(existsSync(file), 'run `npm run build` first');
}

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs the CLI and waits for it (synchronously): `cwd` defaults to the project root. */
export function runCliSync(args: readonly string[], cwd = ROOT, timeoutMs = 60000): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1048576 });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) throw r.error;
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, timedOut };
}

export interface CliRun extends CliResult {
  readonly ms: number;
  /** Peak RSS of the CLI process (its own process.resourceUsage().maxRSS at exit); undefined when killed. */
  readonly peakRssMb: number | undefined;
}

/**
 * Runs the CLI in `cwd` without blocking this process, killed after `timeoutMs`. Its peak RSS is
 * read through a tiny wrapper that reports the child's resource usage; `asUid` runs it as another
 * user (util-linux setpriv drops to that uid and gid; the tests run as root).
 */
export function runCli(args: readonly string[], cwd: string, timeoutMs = 60000, opts: { asUid?: number } = {}): Promise<CliRun> {
  // Another user may not reach the checkout (a clone in a `mktemp -d` folder is mode 0700): it runs
  // a copy of the built bundles from a folder anyone can read.
  const copy = opts.asUid === undefined ? undefined : readableCopy(path.dirname(CLI));
  const cli = copy ? path.join(copy, path.basename(CLI)) : CLI;
  // The wrapper runs the CLI in-process after recording exit-time resource usage to fd 3.
  const wrapper = `
    const fs = require('node:fs');
    process.on('exit', () => { try { fs.writeSync(3, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS })); } catch {} });
    process.argv.splice(1, 1, ${JSON.stringify(cli)});
    require(${JSON.stringify(cli)});
  `;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const node = [process.execPath, '-e', wrapper, 'cli', ...args];
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
      if (copy) rmSync(copy, { recursive: true, force: true });
      let peakRssMb: number | undefined;
      try { peakRssMb = (JSON.parse(extra) as { maxRSS: number }).maxRSS / 1024; } catch { /* killed */ }
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, peakRssMb, timedOut });
    });
  });
}

/** A copy of a folder in a new temporary folder that every user can read. */
function readableCopy(dir: string): string {
  const to = mkdtempSync(path.join(os.tmpdir(), 'kt-cli-copy-'));
  chmodSync(to, 0o755);
  cpSync(dir, to, { recursive: true });
  return to;
}
