import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { RenderProblem } from '../render/types';
import type { Span } from '../types';

/**
 * Chart dependencies (`dependencies` in Chart.yaml, or requirements.yaml for `apiVersion: v1`
 * charts). `helm template` refuses a chart whose declared dependency is not vendored in `charts/`
 * (whatever its `condition`), and fetching it (`helm dependency build`) needs the network, which a
 * render never uses. So a missing dependency is one `helm-dependency-missing` error at its
 * declaration, and the chart is rendered from a copy without that declaration: its own templates
 * are analysed; the dependency's resources are absent.
 */

export interface DeclaredDependency {
  readonly name: string;
  readonly alias?: string;
  readonly version?: string;
  readonly repository?: string;
  readonly condition?: string;
  /** The file that declares it and the span of its list item. */
  readonly uri: string;
  readonly span: Span;
}

/** What `charts/` holds: the names of unpacked subcharts (from their Chart.yaml) and archive file names. */
export interface Vendored {
  readonly names: ReadonlySet<string>;
  readonly archives: readonly string[];
}

export function declaredDependencies(uri: string, text: string): DeclaredDependency[] {
  const doc = parseDocument(text, { uniqueKeys: false });
  const root = doc.contents;
  if (!isMap(root)) return [];
  const list = root.items.find((p) => isScalar(p.key) && p.key.value === 'dependencies')?.value;
  if (!isSeq(list)) return [];
  const out: DeclaredDependency[] = [];
  for (const item of list.items) {
    if (!isMap(item) || !(item as Node).range) continue;
    const get = (k: string): string | undefined => {
      const v = item.items.find((p) => isScalar(p.key) && p.key.value === k)?.value;
      return isScalar(v) && v.value !== null ? String(v.value) : undefined;
    };
    const name = get('name');
    if (!name) continue;
    const r = (item as Node).range!;
    const dep: DeclaredDependency = { name, uri, span: { start: r[0], end: r[1] } };
    out.push({ ...dep, ...opt('alias', get('alias')), ...opt('version', get('version')), ...opt('repository', get('repository')), ...opt('condition', get('condition')) });
  }
  return out;
}

function opt<K extends string>(k: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
}

/** Dependencies `helm template` would find missing, as Helm checks them: by chart name. */
export function missingDependencies(deps: readonly DeclaredDependency[], vendored: Vendored): DeclaredDependency[] {
  return deps.filter((d) => !vendored.names.has(d.name) && !vendored.archives.some((a) => archiveHolds(a, d.name)));
}

function archiveHolds(file: string, name: string): boolean {
  if (!file.endsWith('.tgz') && !file.endsWith('.tar.gz')) return false;
  const stem = file.replace(/\.(tgz|tar\.gz)$/, '');
  return stem === name || (stem.startsWith(`${name}-`) && /^v?\d/.test(stem.slice(name.length + 1)));
}

export function dependencyProblems(missing: readonly DeclaredDependency[], chartPath: string): RenderProblem[] {
  return missing.map((d) => {
    const from = d.repository ? ` from ${d.repository}` : '';
    const version = d.version ? ` ${d.version}` : '';
    return {
      code: 'helm-dependency-missing',
      severity: 'error',
      uri: d.uri,
      span: d.span,
      message: `Dependency ${d.name}${version}${from} is not vendored in ${chartPath}/charts/: \`helm template\` and \`helm install\` fail until \`helm dependency build\` fetches it (network). Kube Traffic renders the chart without it: the chart's own templates are analysed, the resources of ${d.alias ?? d.name} are missing.`,
    };
  });
}

/** The declaring file without the given dependencies (for the render's private copy of the chart). */
export function withoutDependencies(text: string, names: ReadonlySet<string>): string {
  const doc = parseDocument(text, { uniqueKeys: false });
  const root = doc.contents;
  if (!isMap(root)) return text;
  const list = root.items.find((p) => isScalar(p.key) && p.key.value === 'dependencies')?.value;
  if (!isSeq(list)) return text;
  list.items = list.items.filter((item) => {
    if (!isMap(item)) return true;
    const n = item.items.find((p) => isScalar(p.key) && p.key.value === 'name')?.value;
    return !(isScalar(n) && names.has(String(n.value)));
  });
  return doc.toString();
}
