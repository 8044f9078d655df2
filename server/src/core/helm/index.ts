import type { RenderProblem, VariantRender } from '../render/types';
import { relative, type HelmVariant } from './charts';
import { ChartTree } from './chartTree';
import { dependencyProblems, type DeclaredDependency } from './dependencies';
import { renderErrorProblems } from './errors';
import { mapHelmOutput } from './output';

/**
 * The core of Helm rendering (no I/O): given what `helm template` printed for one variant and the
 * chart's files, the `VariantRender` the variant layer analyses.
 */
export { discoverCharts, notRenderedMessage, type DiscoveryOptions, type HelmChart, type HelmDiscovery, type HelmVariant } from './charts';
export { declaredDependencies, dependencyProblems, missingDependencies, withoutDependencies, type DeclaredDependency, type Vendored } from './dependencies';
export { parseHelmOutput } from './output';
export { ChartTree } from './chartTree';

export interface HelmOutcomeInput {
  readonly variant: HelmVariant;
  /** The chart's path relative to the workspace (HelmChart.path), for messages. */
  readonly chartPath: string;
  /** Text of every file of the chart (and of the variant's values file), by workspace URI. */
  readonly files: ReadonlyMap<string, string>;
  /** Declared dependencies not vendored in charts/ (the render went without them). */
  readonly missing: readonly DeclaredDependency[];
  /** What helm printed; `ok` when it exited 0. */
  readonly helm: { readonly ok: boolean; readonly stdout: string; readonly stderr: string };
  /** The workspace URI of a path Helm printed (its private copy of the chart maps back). */
  readonly fileOf: (path: string) => string | undefined;
  readonly inputs: ReadonlySet<string>;
}

export function helmVariantRender(input: HelmOutcomeInput): VariantRender {
  const { variant, files } = input;
  const valuesFile = variant.valuesFile ? { uri: variant.valuesFile, label: valuesLabel(variant) } : undefined;
  const tree = new ChartTree(variant.chart, files, valuesFile);
  const problems: RenderProblem[] = dependencyProblems(input.missing, input.chartPath);
  if (!input.helm.ok) {
    problems.push(...renderErrorProblems(input.helm.stderr, input.helm.stdout, { tree, chartPath: input.chartPath, fileOf: input.fileOf, text: (u) => files.get(u) }));
    return { name: variant.name, documents: undefined, problems, inputs: input.inputs };
  }
  return { name: variant.name, documents: mapHelmOutput(variant.name, tree, input.helm.stdout), problems, inputs: input.inputs };
}

/** A render that did not happen or did not finish (timeout, output cap, helm could not start): one problem at Chart.yaml. */
export function helmFailedRender(variant: HelmVariant, chartYamlText: string | undefined, message: string, inputs: ReadonlySet<string>, extra: readonly RenderProblem[] = []): VariantRender {
  const text = chartYamlText ?? '';
  const m = /^name\s*:.*$/m.exec(text);
  const span = m ? { start: m.index, end: m.index + m[0].length } : { start: 0, end: Math.max(0, text.indexOf('\n')) };
  const problem: RenderProblem = { code: 'helm-render-failed', severity: 'error', uri: `${variant.chart}/Chart.yaml`, span, message };
  return { name: variant.name, documents: undefined, problems: [...extra, problem], inputs };
}

/** The values file as messages name it: its path relative to the chart folder. */
function valuesLabel(v: HelmVariant): string {
  return v.valuesFile ? relative(v.chart, v.valuesFile) : 'values.yaml';
}
