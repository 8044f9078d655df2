import type { Origin } from '../render/types';
import { baseName, displayPath, isRemote, kustomizationIn, resolvePath } from './files';
import { ConfigError, configFromNode, DEFAULT_CONFIG, EMPTY_CONFIG, FieldSpecError, mergeConfigs, mergeSpecs, specFromNode, type FieldSpec, type TransformerConfig } from './fieldSpecs';
import { readKustomization, type Kustomization, type LabelsEntry } from './kustomization';
import { appendAll, loadFile, parseFile, resourcesFromFile, type BuildContext } from './load';
import { applyPatches, applyPatchesJson6902, applyPatchesStrategicMerge } from './patches';
import { fail, KustomizeFailure, problem } from './problems';
import { applyReplacements } from './replacements';
import { idKey, idString, Resource } from './resource';
import { labelTransform, namespaceTransform, renameTransform, replicaTransform } from './transformers';
import { kmap, kscalar } from './tree';

/** Resources accumulated by a kustomization (and the transformer configuration they carry up). */
export interface Accumulation {
  resources: Resource[];
  config: TransformerConfig;
}

const NOT_MODELLED: Readonly<Record<string, string>> = {
  vars: '`vars` are not modelled: `$(VAR)` references stay as written',
  images: '`images` are not modelled: container images stay as written',
  imageTags: '`imageTags` are not modelled: container images stay as written',
  helmCharts: '`helmCharts` are not modelled (and plain `kustomize build` needs `--enable-helm` for them): the chart\'s objects are missing from this render',
  helmChartInflationGenerator: '`helmChartInflationGenerator` is not modelled: the chart\'s objects are missing from this render',
  helmGlobals: '`helmGlobals` is not modelled',
  generators: 'generator plugins are not modelled: the objects they would add are missing from this render',
  transformers: 'transformer plugins are not modelled: their changes are missing from this render',
  validators: 'validator plugins are not modelled',
  openapi: 'a custom `openapi` schema is not modelled: strategic merges use the built-in Kubernetes schema',
  sortOptions: '`sortOptions` is not modelled: objects are listed in kustomize\'s default (legacy) order',
  buildMetadata: '`buildMetadata` is not modelled: no origin annotations are added',
};

const path = displayPath;

/**
 * Builds the kustomization in `dir`: the root (`top`, which may be a Component), a base named under
 * `resources`, or a Component applied to the accumulation `into`.
 */
export function buildDirectory(ctx: BuildContext, dir: string, at: Origin, into?: Accumulation, top = false): Accumulation {
  if (ctx.stack.includes(dir)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(dir)), dir].map(path).join(' → ');
    fail('kustomize-cycle', at, `cycle of kustomizations: ${chain}`);
  }
  const found = kustomizationIn(ctx.files, dir);
  for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) ctx.inputs.add(`${dir}/${name}`);
  if (found.several) fail('kustomize-build-failed', at, `found multiple kustomization files under ${path(dir)}: ${found.several.map(baseName).join(', ')}`);
  if (!found.uri) fail('kustomize-resource-missing', at, `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory ${path(dir)}`);
  const text = ctx.files.read(found.uri);
  if (text === undefined) fail('kustomize-build-failed', at, `cannot read ${path(found.uri)}`);
  const k = readKustomization(found.uri, text, ctx.cache);
  if (into && !k.isComponent) fail('kustomize-build-failed', at, `expected kind 'Component' for path ${path(dir)} but got 'Kustomization': only Components go under \`components\``);
  if (!into && !top && k.isComponent) fail('kustomize-build-failed', at, `expected kind != 'Component' for path ${path(dir)}: a Component goes under \`components\`, not \`resources\``);
  ctx.stack.push(dir);
  try {
    return accumulate(ctx, k, into ?? { resources: [], config: EMPTY_CONFIG });
  } catch (e) {
    // A failure inside a base or component: say where the including kustomization reached it.
    if (e instanceof KustomizeFailure && !top && !e.related.some((r) => r.uri === at.uri && r.span.start === at.span.start)) {
      throw new KustomizeFailure(e.code, e.at, e.message, [...e.related, { ...at, message: `${path(dir)} is included here` }]);
    }
    throw e;
  } finally {
    ctx.stack.pop();
  }
}

function accumulate(ctx: BuildContext, k: Kustomization, acc: Accumulation): Accumulation {
  for (const u of k.unmodelled) {
    if (u.key === 'generators' || u.key === 'transformers' || u.key === 'validators') checkPluginFiles(ctx, k, u.key);
    if (u.key === 'helmCharts' || u.key === 'helmChartInflationGenerator' || u.key === 'generators') ctx.incomplete = true;
    ctx.problems.push(problem('kustomize-not-modelled', u.at, `${NOT_MODELLED[u.key] ?? `\`${u.key}\` is not modelled`}; the rest of the kustomization is rendered.`));
  }
  for (const s of k.resources) {
    if (isRemote(s.value)) {
      ctx.incomplete = true;
      ctx.problems.push(problem('kustomize-not-modelled', s.at, `Remote base ${s.value} is not fetched: its objects are missing from this render.`));
      continue;
    }
    const uri = resolvePath(k.dir, s.value);
    if (!uri) fail('kustomize-resource-missing', s.at, `${s.value} is not a path kustomize can load`);
    ctx.inputs.add(uri);
    if (ctx.files.isDirectory(uri)) {
      const sub = buildDirectory(ctx, uri, s.at);
      appendAll(acc.resources, sub.resources, (r) => r.source);
      acc.config = merge(acc.config, sub.config, s.at);
    } else if (ctx.files.exists(uri)) {
      const text = loadFile(ctx, uri, k.dir, s.at, 'resource');
      appendAll(acc.resources, resourcesFromFile(parseFile(ctx, uri, text), uri, `resource ${s.value}`), (r) => r.source);
    } else {
      fail('kustomize-resource-missing', s.at, `resource ${s.value} does not exist: no file or directory ${path(uri)}`);
    }
  }
  let config = DEFAULT_CONFIG;
  for (const c of k.configurations) {
    const uri = resolvePath(k.dir, c.value) ?? k.dir;
    const parsed = parseFile(ctx, uri, loadFile(ctx, uri, k.dir, c.at, 'configurations file'));
    try {
      config = mergeConfigs(config, configFromNode(parsed.docs[0]?.node));
    } catch (e) {
      if (e instanceof ConfigError) fail('kustomize-build-failed', c.at, `configurations file ${c.value}: ${e.message}`);
      throw e;
    }
  }
  acc.config = merge(acc.config, config, k.keyAt('configurations'));
  for (const c of k.crds) {
    const uri = resolvePath(k.dir, c.value) ?? k.dir;
    loadFile(ctx, uri, k.dir, c.at, 'CRD file');
    ctx.problems.push(problem('kustomize-not-modelled', c.at, 'Field specs from `crds` are not modelled: name references inside these custom resources are not rewritten here.'));
  }
  generate(ctx, k, acc);
  for (const s of k.components) {
    if (isRemote(s.value)) {
      ctx.incomplete = true;
      ctx.problems.push(problem('kustomize-not-modelled', s.at, `Remote component ${s.value} is not fetched: its changes are missing from this render.`));
      continue;
    }
    const uri = resolvePath(k.dir, s.value);
    if (!uri || !ctx.files.isDirectory(uri)) {
      if (uri) ctx.inputs.add(uri);
      fail('kustomize-resource-missing', s.at, `component ${s.value} is not a directory with a kustomization`);
    }
    const sub = buildDirectory(ctx, uri, s.at, acc);
    acc.resources = sub.resources;
    acc.config = sub.config;
  }
  transform(ctx, k, acc);
  return acc;
}

function merge(a: TransformerConfig, b: TransformerConfig, at: Origin): TransformerConfig {
  try {
    return mergeConfigs(a, b);
  } catch (e) {
    if (e instanceof ConfigError) fail('kustomize-build-failed', at, `merging configurations: ${e.message}`);
    throw e;
  }
}

function checkPluginFiles(ctx: BuildContext, k: Kustomization, key: string): void {
  const node = k.root.entries.find((e) => e.key === key)?.value;
  if (node?.kind !== 'seq') return;
  for (const it of node.items) {
    if (it.kind !== 'scalar' || typeof it.value !== 'string' || it.value.includes('\n') || isRemote(it.value)) continue;
    const uri = resolvePath(k.dir, it.value);
    if (!uri) continue;
    ctx.inputs.add(uri);
    if (ctx.files.isDirectory(uri)) continue;
    loadFile(ctx, uri, k.dir, it.origin ?? k.keyAt(key), `${key} entry`);
  }
}

/** configMapGenerator / secretGenerator: inputs are checked; the objects are kept but not rendered. */
function generate(ctx: BuildContext, k: Kustomization, acc: Accumulation): void {
  if (k.generators.length === 0) return;
  for (const g of k.generators) {
    for (const s of [...g.files, ...g.envs]) {
      const rel = g.files.includes(s) && s.value.includes('=') ? s.value.slice(s.value.indexOf('=') + 1) : s.value;
      const uri = resolvePath(k.dir, rel) ?? k.dir;
      loadFile(ctx, uri, k.dir, s.at, `${g.kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'} input`);
    }
    const name = g.name ?? '';
    const meta = kmap([{ key: 'name', keyOrigin: g.at, value: kscalar(name, g.at) }], g.at);
    if (g.namespace) meta.entries.push({ key: 'namespace', keyOrigin: g.at, value: kscalar(g.namespace, g.at) });
    const node = kmap([
      { key: 'apiVersion', keyOrigin: g.at, value: kscalar('v1', g.at) },
      { key: 'kind', keyOrigin: g.at, value: kscalar(g.kind, g.at) },
      { key: 'metadata', keyOrigin: g.at, value: meta },
    ], g.at);
    const r = new Resource(node, g.at);
    const behavior = g.behavior || 'create';
    r.generated = { kind: g.kind, behavior };
    const existing = acc.resources.filter((o) => o.matchesAnyId(r.curId()));
    if (behavior === 'create') {
      if (existing.length > 0) fail('kustomize-build-failed', g.at, `${g.kind} ${name} already exists: a generator with behavior create cannot add it again (use behavior: merge or replace)`);
      acc.resources.push(r);
    } else if (behavior === 'merge' || behavior === 'replace') {
      if (existing.length === 0) fail('kustomize-build-failed', g.at, `${idString(r.curId())} does not exist; cannot ${behavior} it`);
      if (existing.length > 1) fail('kustomize-build-failed', g.at, `found multiple objects that could accept the ${behavior} of ${idString(r.curId())}`);
    } else {
      fail('kustomize-build-failed', g.at, `unknown generator behavior ${JSON.stringify(behavior)}`);
    }
  }
  ctx.problems.push(problem('kustomize-not-modelled', k.keyAt(k.generators[0]!.kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'), 'Generated ConfigMaps and Secrets are not rendered (their inputs are checked); kustomize also appends a content hash to their names and to the references to them.'));
}

function labelSpecs(l: LabelsEntry, config: TransformerConfig): FieldSpec[] {
  let fss = l.fields.map((f) => {
    try {
      return specFromNode(f);
    } catch (e) {
      return fail('kustomize-build-failed', f.origin ?? l.at, `labels fields: ${(e as Error).message}`);
    }
  });
  fss = mergeSpecs(fss, config.labels);
  if (l.includeSelectors) return mergeSpecs(fss, config.commonLabels);
  if (l.includeTemplates) fss = mergeSpecs(fss, config.templateLabels);
  return mergeSpecs(fss, [{ group: '', version: '', kind: '', path: 'metadata/labels', create: true }]);
}

/** The built-in transformers, in kustomize's order. */
function transform(ctx: BuildContext, k: Kustomization, acc: Accumulation): void {
  const res = acc.resources;
  const cfg = acc.config;
  try {
    applyPatchesStrategicMerge(ctx, k, res);
    applyPatches(ctx, k, res);
    if (k.namespace) namespaceTransform(res, k.namespace, k.keyAt('namespace'), cfg.namespace);
    if (k.namePrefix) renameTransform(res, k.namePrefix, k.keyAt('namePrefix'), cfg.namePrefix, 'prefix');
    if (k.nameSuffix) renameTransform(res, k.nameSuffix, k.keyAt('nameSuffix'), cfg.nameSuffix, 'suffix');
    for (const l of k.labels) {
      try {
        labelTransform(res, l.pairs, labelSpecs(l, cfg), l.at, 'label');
      } catch (e) {
        if (e instanceof ConfigError) fail('kustomize-build-failed', l.at, `labels: ${e.message}`);
        throw e;
      }
    }
    labelTransform(res, k.commonLabels, cfg.commonLabels, k.keyAt('commonLabels'), 'label');
    labelTransform(res, k.commonAnnotations, cfg.commonAnnotations, k.keyAt('commonAnnotations'), 'annotation');
    applyPatchesJson6902(ctx, k, res);
    for (const r of k.replicas) replicaTransform(res, r, cfg.replicas);
    applyReplacements(ctx, k, res);
  } catch (e) {
    if (e instanceof FieldSpecError) fail('kustomize-build-failed', k.keyAt('resources'), e.message);
    throw e;
  }
}

/** Kustomize's final duplicate check (two objects that end up with the same id). */
export function checkUniqueIds(resources: readonly Resource[]): void {
  const seen = new Map<string, Resource>();
  for (const r of resources) {
    const key = idKey(r.curId());
    const other = seen.get(key);
    if (other) {
      throw new KustomizeFailure('kustomize-build-failed', r.source, `two objects end up as ${idString(r.curId())}`, [
        { ...other.source, message: 'the other one' },
      ]);
    }
    seen.set(key, r);
  }
}
