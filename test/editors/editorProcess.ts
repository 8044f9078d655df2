/**
 * Runs a real editor headless for the editor tests: fails at once, with what to install, when the
 * editor is missing; gives it a private home (no user configuration read, nothing written to the
 * user's); kills it, and the language server it started, when it does not finish in time.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER = path.join(ROOT, 'server/out/server.js');

/** The first line of `<exe> --version`, or a thrown Error that says how to install it. */
export function requireEditor(exe: string, install: string): string {
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 10000 });
  if (r.error || r.status !== 0) {
    const why = r.error ? (r.error as NodeJS.ErrnoException).code ?? r.error.message : `exit code ${r.status}`;
    throw new Error(`${exe} is not usable (${why}). The editor tests need it: ${install} (the project's test setup step installs it).`);
  }
  if (!fs.existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first.`);
  return r.stdout.split('\n')[0]!.trim();
}

/** A throwaway copy of examples/ (editors may write buffers, swap or backup files next to them). */
export function examplesCopy(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-editor-')));
  fs.cpSync(path.join(ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  return dir;
}

export interface EditorRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs the editor in its own process group with HOME and XDG folders inside `home`, and waits for
 * it; after `timeoutMs` the whole group (the editor and the server it spawned) is killed and the
 * promise rejects. The group is killed in any case once the editor is gone, so no server stays.
 */
export async function runEditor(exe: string, args: readonly string[], home: string, env: Record<string, string>, timeoutMs: number): Promise<EditorRun> {
  for (const d of ['config', 'cache', 'data', 'state']) fs.mkdirSync(path.join(home, d), { recursive: true });
  const started = Date.now();
  const child = spawn(exe, args, {
    cwd: home,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache'),
      XDG_DATA_HOME: path.join(home, 'data'), XDG_STATE_HOME: path.join(home, 'state'),
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => { stdout += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<EditorRun>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
      timer = setTimeout(() => reject(new Error(`${exe} did not finish within ${timeoutMs / 1000} s; killed it.\nstderr: ${stderr.slice(-2000)}`)), timeoutMs);
    });
  } finally {
    clearTimeout(timer);
    killGroup(child.pid);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already gone
  }
}

/** 0-based line of the `occurrence`-th line equal to `line` (after trimming the end). */
export function lineIndex(text: string, line: string, occurrence = 0): number {
  const lines = text.split('\n');
  let seen = -1;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trimEnd() === line && ++seen === occurrence) return i;
  }
  throw new Error(`line ${JSON.stringify(line)} #${occurrence} not found`);
}
