/**
 * The built CLI (`node server/out/cli.js ARGS`) as a user runs it: in a folder, killed after a
 * timeout (a hang is a failure, not a stuck test), with its exit code, signal, stdout and stderr.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
