import { execFile } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Running helm: `execFile` (no shell), an environment cleaned of the user's cluster and Helm
 * context (no KUBECONFIG, no HELM_*; HOME and XDG folders in a private temp folder, so no
 * repository or registry configuration is read), a timeout, cancellation and an output cap (the
 * process is killed when its output passes it).
 */

export interface RunLimits {
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  readonly signal?: AbortSignal;
}

export type HelmRun =
  | { readonly kind: 'exited'; readonly code: number; readonly stdout: string; readonly stderr: string; readonly ms: number }
  | { readonly kind: 'timeout'; readonly ms: number }
  | { readonly kind: 'too-large'; readonly ms: number }
  | { readonly kind: 'cancelled'; readonly ms: number }
  | { readonly kind: 'spawn-failed'; readonly message: string; readonly ms: number };

/** Only what helm needs to run: PATH, and a private HOME with its XDG folders. */
export function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    XDG_DATA_HOME: path.join(home, 'data'),
    TMPDIR: home,
  };
  if (process.platform === 'win32') {
    for (const k of ['SystemRoot', 'TEMP', 'TMP', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA']) env[k] = k.startsWith('SystemRoot') ? process.env[k] : home;
  }
  return env;
}

export function runHelm(helm: string, args: readonly string[], home: string, limits: RunLimits): Promise<HelmRun> {
  const started = Date.now();
  const ms = () => Date.now() - started;
  if (limits.signal?.aborted) return Promise.resolve({ kind: 'cancelled', ms: 0 });
  return new Promise((resolve) => {
    let child: ReturnType<typeof execFile>;
    try {
      child = execFile(helm, [...args], {
        env: cleanEnv(home),
        cwd: home,
        encoding: 'utf8',
        maxBuffer: limits.maxOutputBytes,
        timeout: limits.timeoutMs,
        killSignal: 'SIGKILL',
        windowsHide: true,
        ...(limits.signal ? { signal: limits.signal } : {}),
      }, (err, stdout, stderr) => {
        if (!err) return resolve({ kind: 'exited', code: 0, stdout, stderr, ms: ms() });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: string | number };
        // Node may report an abort before the process is gone, and kills an aborted one with
        // SIGTERM (execFile does not pass killSignal on): SIGKILL it, and wait for the exit (bounded)
        // so that nothing of this render outlives it, even on a loaded machine.
        const after = (run: HelmRun) => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          void exited(child, 10_000).then(() => resolve({ ...run, ms: ms() }));
        };
        if (e.name === 'AbortError' || limits.signal?.aborted) return after({ kind: 'cancelled', ms: 0 });
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return after({ kind: 'too-large', ms: 0 });
        if (e.killed) return after({ kind: 'timeout', ms: 0 });
        if (typeof e.code === 'number') return resolve({ kind: 'exited', code: e.code, stdout, stderr, ms: ms() });
        return resolve({ kind: 'spawn-failed', message: e.message, ms: ms() });
      });
    } catch (e) {
      resolve({ kind: 'spawn-failed', message: (e as Error).message, ms: ms() });
      return;
    }
    child.stdin?.end();
  });
}

function exited(child: ReturnType<typeof execFile>, maxMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const t = setTimeout(done, maxMs);
    child.once('exit', () => {
      clearTimeout(t);
      done();
    });
  });
}

// ------------------------------------------------------------------ the binary

export type HelmBinary =
  | { readonly found: true; readonly path: string; readonly version: string }
  | { readonly found: false; readonly reason: 'not-found' | 'not-executable' | 'not-helm' | 'unsupported-version'; readonly message: string };

const versions = new Map<string, Promise<HelmBinary>>();

/**
 * The helm to run: the configured path (`kubeTraffic.helm.path`, the CLI's `--helm`) or `helm`
 * on PATH, checked to be Helm 3 or 4 (`helm version --short`). "Not found" is a typed result the
 * caller turns into its `template-skipped` message.
 */
export async function findHelm(options: { readonly configured?: string; readonly envPath?: string; readonly home?: string } = {}): Promise<HelmBinary> {
  const configured = options.configured?.trim();
  let candidate: string | undefined;
  if (configured) {
    candidate = path.resolve(configured);
    if (!(await exists(candidate))) return { found: false, reason: 'not-found', message: `kubeTraffic.helm.path is ${configured}, which does not exist` };
  } else {
    const names = process.platform === 'win32' ? ['helm.exe', 'helm.cmd', 'helm'] : ['helm'];
    for (const dir of (options.envPath ?? process.env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      for (const n of names) {
        const p = path.join(dir, n);
        if (await executable(p)) {
          candidate = p;
          break;
        }
      }
      if (candidate) break;
    }
    if (!candidate) return { found: false, reason: 'not-found', message: 'helm was not found on PATH' };
  }
  if (!(await executable(candidate))) return { found: false, reason: 'not-executable', message: `${candidate} is not executable` };
  const st = await fs.stat(candidate);
  const key = `${candidate}\u0000${st.mtimeMs}\u0000${st.size}`;
  let v = versions.get(key);
  if (!v) {
    v = checkVersion(candidate, options.home);
    versions.set(key, v);
  }
  return v;
}

async function checkVersion(helm: string, home: string | undefined): Promise<HelmBinary> {
  const dir = home ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'kt-helm-version-')));
  try {
    const run = await runHelm(helm, ['version', '--short'], dir, { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
    if (run.kind !== 'exited' || run.code !== 0) {
      const why = run.kind === 'exited' ? run.stderr.trim().split('\n')[0] : run.kind;
      return { found: false, reason: 'not-helm', message: `${helm} does not answer \`helm version\` (${why})` };
    }
    const m = /^v(\d+)\.\d+\.\d+\S*/.exec(run.stdout.trim());
    if (!m) return { found: false, reason: /Client: &version/.test(run.stdout) ? 'unsupported-version' : 'not-helm', message: `${helm} is not Helm 3 or 4 (\`helm version --short\`: ${run.stdout.trim().slice(0, 80)})` };
    if (Number(m[1]) < 3) return { found: false, reason: 'unsupported-version', message: `${helm} is Helm ${m[0]}; Helm 3 or later is needed` };
    return { found: true, path: helm, version: m[0] };
  } finally {
    if (!home) await fs.rm(dir, { recursive: true, force: true });
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

async function executable(p: string): Promise<boolean> {
  try {
    const st = await fs.stat(p);
    if (!st.isFile()) return false;
    await fs.access(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
