/**
 * Helm chart discovery from the workspace's file list (no I/O): a chart is a folder with a
 * `Chart.yaml` beside `templates/` (or beside `charts/`, an umbrella chart). Local subcharts in
 * `charts/` render with their parent and are not variants of their own. Each chart has one variant
 * per values file: the default (`values.yaml`, name `charts/podinfo`), every `values-*.yaml` /
 * `values.*.yaml` beside Chart.yaml and every extra file of `kubeTraffic.helm.valuesFiles`
 * (`charts/podinfo:values-prod.yaml`: the part after `:` is relative to the chart folder).
 */

export interface HelmVariant {
  /** contracts.md: `charts/podinfo`, `charts/podinfo:values-prod.yaml`. */
  readonly name: string;
  /** The chart folder's URI. */
  readonly chart: string;
  /** The `-f` file (its URI); undefined for the chart's own values.yaml alone. */
  readonly valuesFile?: string;
}

export interface HelmChart {
  /** Folder URI, without a trailing slash. */
  readonly uri: string;
  /** Relative to the workspace root, `/`-separated; `.` when the root is the chart. */
  readonly path: string;
  readonly chartYaml: string;
  /** Local subchart folders (`charts/x` with a Chart.yaml), at any depth. */
  readonly subcharts: readonly string[];
  /** Workspace files the chart's variants are made of: everything under its folder, plus extra values files. */
  readonly members: ReadonlySet<string>;
  readonly variants: readonly HelmVariant[];
}

export interface HelmDiscovery {
  readonly charts: readonly HelmChart[];
  readonly variants: readonly HelmVariant[];
  /** Entries of `kubeTraffic.helm.valuesFiles` that apply to no chart, and why. */
  readonly unassignedValues: readonly { readonly entry: string; readonly reason: string }[];
  /** The (top-level) chart a file belongs to. */
  chartOf(uri: string): HelmChart | undefined;
  /** Why a templated file outside every chart cannot be rendered (for its `template-skipped`). */
  skipReason(uri: string): string | undefined;
}

export interface DiscoveryOptions {
  /** Workspace root URI: variant names are relative to it. */
  readonly root: string;
  /** `kubeTraffic.helm.valuesFiles`: paths relative to the root (or file URIs), optionally `chartPath:valuesPath`. */
  readonly valuesFiles?: readonly string[];
}

const VALUES_VARIANT = /^values[-.].+\.ya?ml$/i;

export function discoverCharts(files: Iterable<string>, options: DiscoveryOptions): HelmDiscovery {
  const root = trimSlash(options.root);
  const all = [...new Set(files)].sort();
  const chartDirs = new Set(all.filter((u) => basename(u) === 'Chart.yaml').map(dirname));
  const isChart = (dir: string) => chartDirs.has(dir) && all.some((u) => u.startsWith(`${dir}/templates/`) || u.startsWith(`${dir}/charts/`));
  const isSubchart = (dir: string) => basename(dirname(dir)) === 'charts' && chartDirs.has(dirname(dirname(dir)));
  const tops = [...chartDirs].filter((d) => isChart(d) && !isSubchart(d)).sort();

  const unassigned: { entry: string; reason: string }[] = [];
  const extra = new Map<string, string[]>(); // chart → extra values files
  for (const entry of options.valuesFiles ?? []) {
    const resolved = resolveEntry(entry, root, tops);
    if ('reason' in resolved) {
      unassigned.push({ entry, reason: resolved.reason });
      continue;
    }
    const file = all.find((u) => safeDecode(u) === safeDecode(resolved.file));
    if (!file) {
      unassigned.push({ entry, reason: `${relative(root, resolved.file)} is not in the workspace` });
      continue;
    }
    resolved.file = file;
    const chart = resolved.chart ?? tops.find((d) => resolved.file.startsWith(`${d}/`)) ?? (tops.length === 1 ? tops[0] : undefined);
    if (!chart) {
      unassigned.push({ entry, reason: tops.length === 0 ? 'no Helm chart in the workspace' : `it is in no chart folder and the workspace has ${tops.length} charts: write it as \`<chart folder>:<values file>\`` });
      continue;
    }
    const list = extra.get(chart) ?? [];
    if (!list.includes(resolved.file)) list.push(resolved.file);
    extra.set(chart, list);
  }

  const charts: HelmChart[] = tops.map((dir) => {
    const path = relative(root, dir) || '.';
    const members = new Set(all.filter((u) => u.startsWith(`${dir}/`)));
    const own = all.filter((u) => dirname(u) === dir && VALUES_VARIANT.test(basename(u)));
    const valuesFiles = [...own, ...(extra.get(dir) ?? []).filter((u) => !own.includes(u) && u !== `${dir}/values.yaml`)];
    for (const v of valuesFiles) members.add(v);
    const variants: HelmVariant[] = [{ name: path, chart: dir }];
    for (const v of valuesFiles) variants.push({ name: `${path}:${relative(dir, v)}`, chart: dir, valuesFile: v });
    const subcharts = [...chartDirs].filter((d) => d.startsWith(`${dir}/charts/`)).sort();
    return { uri: dir, path, chartYaml: `${dir}/Chart.yaml`, subcharts, members, variants };
  });

  return {
    charts,
    variants: charts.flatMap((c) => c.variants),
    unassignedValues: unassigned,
    chartOf: (uri) => charts.find((c) => uri.startsWith(`${c.uri}/`) || c.members.has(uri)),
    skipReason: (uri) => {
      if (charts.some((c) => uri.startsWith(`${c.uri}/`))) return undefined;
      const i = uri.lastIndexOf('/templates/');
      if (i >= 0) {
        const folder = relative(root, uri.slice(0, i)) || '.';
        return `${folder}/templates/ has no Chart.yaml beside it: not a whole Helm chart, so it cannot be rendered.`;
      }
      return 'Not part of a Helm chart (no Chart.yaml beside a templates/ folder above it), so it cannot be rendered.';
    },
  };
}

/** The `template-skipped` message for a file of a chart that is not rendered (helm missing, Restricted Mode, rendering off). */
export function notRenderedMessage(chartPath: string, reason: 'helm-not-found' | 'untrusted' | 'disabled', detail?: string): string {
  const why = reason === 'helm-not-found'
    ? `${detail ?? 'helm was not found on PATH'}. Install Helm 3 or set \`kubeTraffic.helm.path\` (CLI: \`--helm PATH\`) to analyse the chart as rendered.`
    : reason === 'untrusted'
      ? 'rendering runs helm on workspace content, which Restricted Mode does not allow. Trust the workspace to analyse the chart as rendered.'
      : 'Helm rendering is turned off.';
  return `Template of the Helm chart ${chartPath}, not rendered: ${why}`;
}

function safeDecode(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}

function resolveEntry(entry: string, root: string, tops: readonly string[]): { file: string; chart?: string } | { reason: string } {
  const colon = entry.indexOf(':');
  if (colon > 0 && !entry.startsWith('file:')) {
    const chartPart = entry.slice(0, colon);
    const chart = tops.find((d) => (relative(root, d) || '.') === normalize(chartPart));
    if (!chart) return { reason: `${chartPart} is not a chart folder (Chart.yaml beside templates/)` };
    return { file: join(chart, entry.slice(colon + 1)), chart };
  }
  return { file: entry.startsWith('file:') ? entry : join(root, entry) };
}

// ------------------------------------------------------------------ URI paths

export function dirname(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? uri : uri.slice(0, i);
}

export function basename(uri: string): string {
  return decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
}

function trimSlash(uri: string): string {
  return uri.endsWith('/') ? uri.slice(0, -1) : uri;
}

function normalize(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(seg);
  }
  return out.join('/') || '.';
}

/** A path (`/`-separated, `..` allowed) appended to a folder URI. */
export function join(dirUri: string, rel: string): string {
  const parts = trimSlash(dirUri).split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(encodeURIComponent(seg));
  }
  return parts.join('/');
}

/** `to` relative to the folder `from`, decoded, `/`-separated ('' when equal). */
export function relative(from: string, to: string): string {
  const a = trimSlash(from).split('/');
  const b = trimSlash(to).split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i).map(decodeURIComponent)].join('/');
}
