import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RenderProblem, VariantRender } from '../../core/render/types';
import {
  declaredDependencies, dependencyProblems, helmFailedRender, helmVariantRender, missingDependencies, withoutDependencies,
  type DeclaredDependency, type HelmChart, type HelmVariant,
} from '../../core/helm/index';
import { runHelm } from './process';

/**
 * Renders one variant of a chart (`helm template` with one values file) into a `VariantRender`.
 * The chart is copied into a private temp folder first (with the editor's unsaved text, and
 * without the declarations of dependencies that are not vendored), so helm never reads or writes
 * the workspace and never needs the network; the copy and helm's HOME are removed afterwards.
 * Results are cached by a hash of the chart's files, the values file and the options.
 */

export interface HelmRenderOptions {
  /** The helm binary (findHelm). */
  readonly helm: string;
  /** Default `release-name`, as `helm template` names a release it is not given. */
  readonly releaseName?: string;
  /** Default `default`: `.Release.Namespace` never comes from the machine's kube context. */
  readonly namespace?: string;
  /** `--kube-version` (Helm's own default when unset). */
  readonly kubeVersion?: string;
  /** `--api-versions`, each passed once (charts branch on `.Capabilities.APIVersions`). */
  readonly apiVersions?: readonly string[];
  /** Default 20 s. */
  readonly timeoutMs?: number;
  /** Default 16 MiB of output (stdout or stderr): helm is killed beyond it. */
  readonly maxOutputBytes?: number;
  /** Unsaved editor text by file URI: rendered instead of the file on disk. */
  readonly overlays?: ReadonlyMap<string, string>;
  readonly signal?: AbortSignal;
}

export const HELM_DEFAULTS = {
  releaseName: 'release-name',
  namespace: 'default',
  timeoutMs: 20_000,
  maxOutputBytes: 16 * 1024 * 1024,
} as const;

export type HelmRenderOutcome =
  | { readonly status: 'rendered'; readonly render: VariantRender; readonly cached: boolean; readonly ms: number }
  | { readonly status: 'cancelled' };

/** A chart larger than this is not copied nor rendered (one problem says so). */
const MAX_FILES = 5000;
const MAX_BYTES = 64 * 1024 * 1024;
const TEXT_FILE = /\.(ya?ml|tpl|txt|json)$/i;

interface ChartFile {
  readonly uri: string;
  readonly rel: string;
  readonly data: Buffer;
}

export class HelmRenderer {
  private readonly cache = new Map<string, VariantRender>();

  constructor(private readonly options: { readonly cacheEntries?: number; readonly tempRoot?: string } = {}) {}

  clear(): void {
    this.cache.clear();
  }

  async render(chart: HelmChart, variant: HelmVariant, options: HelmRenderOptions): Promise<HelmRenderOutcome> {
    const started = Date.now();
    if (options.signal?.aborted) return { status: 'cancelled' };
    const root = fileURLToPath(chart.uri);
    const read = await readChart(root, chart.uri, options.overlays);
    const inputs = new Set(read.files.map((f) => f.uri));
    const valuesUri = variant.valuesFile;
    let valuesData: Buffer | undefined;
    if (valuesUri) {
      inputs.add(valuesUri);
      valuesData = await readOverlaid(valuesUri, options.overlays).catch(() => undefined);
    }
    const chartYaml = read.files.find((f) => f.rel === 'Chart.yaml')?.data.toString('utf8');
    if (read.problem) return this.done(helmFailedRender(variant, chartYaml, read.problem, inputs), false, started);
    if (valuesUri && !valuesData) return this.done(helmFailedRender(variant, chartYaml, `The values file ${variant.name.slice(variant.name.lastIndexOf(':') + 1)} cannot be read.`, inputs), false, started);

    const texts = new Map<string, string>();
    for (const f of read.files) if (TEXT_FILE.test(f.rel) || f.rel.startsWith('templates/') || f.rel.includes('/templates/')) texts.set(f.uri, f.data.toString('utf8'));
    if (valuesUri && valuesData) texts.set(valuesUri, valuesData.toString('utf8'));

    // The binary is part of the key: an upgraded helm renders again.
    const bin = await fs.stat(options.helm).then((st) => `${st.size}:${st.mtimeMs}`, () => 'missing');
    const key = cacheKey(variant, options, bin, read.files, valuesData);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return { status: 'rendered', render: hit, cached: true, ms: Date.now() - started };
    }

    // Dependencies that are declared but not vendored: one problem each; the copy goes without them.
    const declared: DeclaredDependency[] = [];
    for (const name of ['Chart.yaml', 'requirements.yaml']) {
      const text = texts.get(`${chart.uri}/${name}`);
      if (text !== undefined) declared.push(...declaredDependencies(`${chart.uri}/${name}`, text));
    }
    const missing = missingDependencies(declared, vendored(read.files, texts));

    const tmp = await fs.mkdtemp(path.join(this.options.tempRoot ?? os.tmpdir(), 'kt-helm-'));
    try {
      const copy = path.join(tmp, 'chart');
      const home = path.join(tmp, 'home');
      await fs.mkdir(home, { recursive: true });
      const missingNames = new Set(missing.map((d) => d.name));
      for (const f of read.files) {
        const dest = path.join(copy, ...f.rel.split('/'));
        await fs.mkdir(path.dirname(dest), { recursive: true });
        const strip = missingNames.size > 0 && (f.rel === 'Chart.yaml' || f.rel === 'requirements.yaml');
        await fs.writeFile(dest, strip ? withoutDependencies(f.data.toString('utf8'), missingNames) : f.data);
      }
      const valuesPath = valuesUri ? path.join(tmp, 'values', path.basename(fileURLToPath(valuesUri))) : undefined;
      if (valuesPath && valuesData) {
        await fs.mkdir(path.dirname(valuesPath), { recursive: true });
        await fs.writeFile(valuesPath, valuesData);
      }
      const args = templateArgs(copy, valuesPath, options);
      const run = await runHelm(options.helm, args, home, {
        timeoutMs: options.timeoutMs ?? HELM_DEFAULTS.timeoutMs,
        maxOutputBytes: options.maxOutputBytes ?? HELM_DEFAULTS.maxOutputBytes,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (run.kind === 'cancelled') return { status: 'cancelled' };
      const depProblems: RenderProblem[] = dependencyProblems(missing, chart.path);
      const failed = (msg: string) => helmFailedRender(variant, chartYaml, msg, inputs, depProblems);
      let render: VariantRender;
      if (run.kind === 'timeout') render = failed(`helm template did not finish within ${seconds(options.timeoutMs ?? HELM_DEFAULTS.timeoutMs)} and was stopped: a template loops or renders too much.`);
      else if (run.kind === 'too-large') render = failed(`helm template printed more than ${mib(options.maxOutputBytes ?? HELM_DEFAULTS.maxOutputBytes)} and was stopped: the rendered output is too large to analyse.`);
      else if (run.kind === 'spawn-failed') render = failed(`helm could not be started (${options.helm}): ${run.message}`);
      else {
        const fileOf = (p: string): string | undefined => {
          const abs = path.resolve(tmp, p);
          if (valuesPath && abs === valuesPath) return valuesUri;
          const rel = path.relative(copy, abs);
          return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : `${chart.uri}/${rel.split(path.sep).map(encodeURIComponent).join('/')}`;
        };
        // Messages name the workspace's files, never the private copy.
        const clean = (s: string) => s.split(`${copy}${path.sep}`).join(`${chart.path}/`).split(copy).join(chart.path).split(valuesPath ?? '\u0000').join(variant.name.slice(variant.name.lastIndexOf(':') + 1));
        render = helmVariantRender({
          variant, chartPath: chart.path, files: texts, missing,
          helm: { ok: run.code === 0, stdout: run.stdout, stderr: run.stderr }, fileOf, inputs,
        });
        // The chart's texts, so that source maps and related information may point into helpers (`_helpers.tpl`).
        render = { ...render, problems: render.problems.map((p) => ({ ...p, message: clean(p.message) })), sources: texts };
      }
      // A helm that could not start may be installed a moment later: that result is not kept.
      if (run.kind !== 'spawn-failed') this.remember(key, render);
      return this.done(render, false, started);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  private done(render: VariantRender, cached: boolean, started: number): HelmRenderOutcome {
    return { status: 'rendered', render, cached, ms: Date.now() - started };
  }

  private remember(key: string, render: VariantRender): void {
    this.cache.set(key, render);
    const max = this.options.cacheEntries ?? 64;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** `helm template` arguments: the chart folder explicit, release, namespace, no tests, no network. */
export function templateArgs(chartDir: string, valuesFile: string | undefined, o: HelmRenderOptions): string[] {
  const args = ['template', o.releaseName ?? HELM_DEFAULTS.releaseName, chartDir, '--namespace', o.namespace ?? HELM_DEFAULTS.namespace, '--skip-tests', '--debug'];
  if (valuesFile) args.push('--values', valuesFile);
  if (o.kubeVersion) args.push('--kube-version', o.kubeVersion);
  for (const v of o.apiVersions ?? []) args.push('--api-versions', v);
  return args;
}

/** What `charts/` holds: unpacked subcharts by their Chart.yaml name, and archives. */
function vendored(files: readonly ChartFile[], texts: ReadonlyMap<string, string>): { names: Set<string>; archives: string[] } {
  const names = new Set<string>();
  const archives: string[] = [];
  for (const f of files) {
    const m = /^charts\/([^/]+)(\/Chart\.yaml)?$/.exec(f.rel);
    if (!m) continue;
    if (m[2]) {
      const name = /^name\s*:\s*["']?([^"'\s#]+)/m.exec(texts.get(f.uri) ?? '')?.[1];
      names.add(name ?? m[1]!);
    } else if (/\.(tgz|tar\.gz)$/.test(m[1]!)) archives.push(m[1]!);
  }
  return { names, archives };
}

async function readChart(root: string, rootUri: string, overlays: ReadonlyMap<string, string> | undefined): Promise<{ files: ChartFile[]; problem?: string }> {
  const files: ChartFile[] = [];
  let bytes = 0;
  const seen = new Set<string>();
  const walk = async (dir: string, rel: string): Promise<string | undefined> => {
    const real = await fs.realpath(dir).catch(() => dir);
    if (seen.has(real)) return undefined;
    seen.add(real);
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      const st = await fs.stat(abs).catch(() => undefined);
      if (!st) continue;
      if (st.isDirectory()) {
        const p = await walk(abs, r);
        if (p) return p;
      } else if (st.isFile()) {
        if (files.length >= MAX_FILES) return `The chart has more than ${MAX_FILES} files; it is not rendered.`;
        const uri = `${rootUri}/${r.split('/').map(encodeURIComponent).join('/')}`;
        const over = overlays?.get(uri) ?? overlays?.get(pathToFileURL(abs).href);
        const data = over !== undefined ? Buffer.from(over, 'utf8') : await fs.readFile(abs).catch(() => undefined);
        if (!data) continue;
        bytes += data.length;
        if (bytes > MAX_BYTES) return `The chart is larger than ${mib(MAX_BYTES)}; it is not rendered.`;
        files.push({ uri, rel: r, data });
      }
    }
    return undefined;
  };
  const problem = await walk(root, '');
  return problem ? { files, problem } : { files };
}

async function readOverlaid(uri: string, overlays: ReadonlyMap<string, string> | undefined): Promise<Buffer> {
  const over = overlays?.get(uri);
  return over !== undefined ? Buffer.from(over, 'utf8') : fs.readFile(fileURLToPath(uri));
}

function cacheKey(v: HelmVariant, o: HelmRenderOptions, bin: string, files: readonly ChartFile[], values: Buffer | undefined): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([v.name, v.chart, v.valuesFile ?? '', o.helm, bin, o.releaseName ?? '', o.namespace ?? '', o.kubeVersion ?? '', o.apiVersions ?? [], o.timeoutMs ?? 0, o.maxOutputBytes ?? 0]));
  for (const f of files) h.update(`\u0000${f.rel}\u0000${f.data.length}\u0000`).update(f.data);
  if (values) h.update('\u0000values\u0000').update(values);
  return h.digest('hex');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
