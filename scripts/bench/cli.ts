/**
 * `kube-traffic check` on a workspace: spawn → exit, with its peak RSS and CPU time read from
 * /proc while it runs (sampled every 50 ms, so a little of the last 50 ms may be missing).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { CLI, type Workspace } from './common';

export interface CliResult {
  ms?: number;
  exitCode?: number | null;
  peakRssMb?: number;
  cpuMs?: number;
  findings?: number;
  timeout?: number;
  error?: string;
}

const TICK_MS = 1000 / 100; // USER_HZ on Linux

function sample(pid: number, into: CliResult): void {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    if (m) into.peakRssMb = Math.max(into.peakRssMb ?? 0, Number(m[1]) / 1024);
    // utime and stime are fields 14 and 15, after the command name in parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    into.cpuMs = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch { /* exited */ }
}

/** Runs `check .` in the workspace folder (JSON output, counted); `extraArgs` such as --no-helm. */
export function measureCli(ws: Workspace, capMs: number, extraArgs: readonly string[] = []): Promise<CliResult> {
  return new Promise((resolve) => {
    const r: CliResult = {};
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'json', ...(ws.cliArgs ?? []), ...extraArgs], { cwd: ws.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { err = (err + b.toString()).slice(-2000); });
    const poll = setInterval(() => sample(child.pid!, r), 50);
    const timer = setTimeout(() => {
      r.timeout = capMs;
      child.kill('SIGKILL');
    }, capMs);
    child.on('error', (e) => { r.error = e.message; });
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (r.timeout === undefined) r.ms = performance.now() - started;
      r.exitCode = code;
      if (code === 2) r.error = `exit code 2: ${err.trim().split('\n').at(-1) ?? ''}`;
      try {
        const json = JSON.parse(out) as unknown;
        const list = Array.isArray(json) ? json : (json as { findings?: unknown[] }).findings;
        if (Array.isArray(list)) r.findings = list.length;
      } catch { /* killed, or not JSON */ }
      resolve(r);
    });
  });
}
