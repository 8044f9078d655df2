import type { Origin } from '../render/types';
import { dirOf } from './files';
import { checkShape } from './kustSchema';
import type { YamlCache } from './parse';
import { fail } from './problems';
import { entry, field, scalarText, type KMap, type KNode } from './tree';

/** A string written in a kustomization, with the place of its value. */
export interface Str {
  readonly value: string;
  readonly at: Origin;
  /** The scalar node (inline patches and replacements are parsed from it). */
  readonly node: KNode;
}

export interface Pair {
  readonly key: string;
  readonly value: string;
  /** The `key: value` line. */
  readonly at: Origin;
}

export interface LabelsEntry {
  readonly pairs: readonly Pair[];
  readonly includeSelectors: boolean;
  readonly includeTemplates: boolean;
  readonly fields: readonly KNode[];
  readonly at: Origin;
}

export interface PatchEntry {
  readonly path?: Str;
  readonly patch?: Str;
  readonly target?: KMap;
  readonly options: ReadonlyMap<string, boolean>;
  readonly at: Origin;
}

export interface GeneratorEntry {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name?: string;
  readonly namespace?: string;
  readonly behavior?: string;
  readonly files: readonly Str[];
  readonly envs: readonly Str[];
  readonly at: Origin;
}

/** A kustomization (or Component) file as kustomize reads it, with the place of every entry. */
export interface Kustomization {
  readonly uri: string;
  readonly dir: string;
  readonly text: string;
  readonly isComponent: boolean;
  readonly root: KMap;
  readonly resources: readonly Str[];
  readonly components: readonly Str[];
  readonly crds: readonly Str[];
  readonly namespace?: Str;
  readonly namePrefix?: Str;
  readonly nameSuffix?: Str;
  readonly commonLabels: readonly Pair[];
  readonly commonAnnotations: readonly Pair[];
  readonly labels: readonly LabelsEntry[];
  readonly patches: readonly PatchEntry[];
  readonly patchesStrategicMerge: readonly Str[];
  readonly patchesJson6902: readonly PatchEntry[];
  readonly replacements: readonly KNode[];
  readonly replicas: readonly { readonly name: string; readonly count: number; readonly at: Origin; readonly countAt: Origin }[];
  readonly configurations: readonly Str[];
  readonly generators: readonly GeneratorEntry[];
  /** Entries present but not modelled (key → place of the key). */
  readonly unmodelled: readonly { readonly key: string; readonly at: Origin; readonly count: number }[];
  /** Origin of a top-level key's `key: value` (or of the key) for messages. */
  keyAt(key: string): Origin;
}

const UNMODELLED = ['vars', 'images', 'imageTags', 'helmCharts', 'helmChartInflationGenerator', 'helmGlobals', 'generators', 'transformers', 'validators', 'openapi', 'sortOptions', 'buildMetadata'];

function at(n: KNode | undefined, fallback: Origin): Origin {
  return n?.origin ?? fallback;
}

function strs(n: KNode | undefined, fallback: Origin): Str[] {
  if (n?.kind !== 'seq') return [];
  const out: Str[] = [];
  for (const it of n.items) {
    const v = scalarText(it);
    if (v !== undefined) out.push({ value: v, at: at(it, fallback), node: it });
  }
  return out;
}

function str(n: KNode | undefined, fallback: Origin): Str | undefined {
  const v = scalarText(n);
  return v === undefined || v === '' ? undefined : { value: v, at: at(n, fallback), node: n! };
}

function pairs(n: KNode | undefined, fallback: Origin): Pair[] {
  if (n?.kind !== 'map') return [];
  return n.entries.map((e) => {
    const start = e.keyOrigin?.span.start ?? e.value.origin?.span.start ?? fallback.span.start;
    const end = e.value.origin?.span.end ?? e.keyOrigin?.span.end ?? fallback.span.end;
    return { key: e.key, value: scalarText(e.value) ?? '', at: { uri: fallback.uri, span: { start, end } } };
  });
}

function bool(n: KNode | undefined): boolean {
  return n?.kind === 'scalar' && n.value === true;
}

/** The span of `key: value` of a map entry. */
export function pairOrigin(m: KMap, key: string, fallback: Origin): Origin {
  const e = entry(m, key);
  if (!e) return fallback;
  const start = e.keyOrigin?.span.start ?? fallback.span.start;
  const end = e.value.origin?.span.end ?? e.keyOrigin?.span.end ?? start;
  return { uri: fallback.uri, span: { start, end: Math.max(start, end) } };
}

function patchEntries(n: KNode | undefined, fallback: Origin): PatchEntry[] {
  if (n?.kind !== 'seq') return [];
  const out: PatchEntry[] = [];
  for (const it of n.items) {
    if (it.kind !== 'map') continue;
    const target = field(it, 'target');
    const opts = new Map<string, boolean>();
    const o = field(it, 'options');
    if (o?.kind === 'map') for (const e of o.entries) opts.set(e.key, bool(e.value));
    const p: PatchEntry = {
      ...(str(field(it, 'path'), fallback) ? { path: str(field(it, 'path'), fallback)! } : {}),
      ...(str(field(it, 'patch'), fallback) ? { patch: str(field(it, 'patch'), fallback)! } : {}),
      ...(target?.kind === 'map' ? { target } : {}),
      options: opts,
      at: at(it, fallback),
    };
    out.push(p);
  }
  return out;
}

function generatorEntries(n: KNode | undefined, kind: 'ConfigMap' | 'Secret', fallback: Origin): GeneratorEntry[] {
  if (n?.kind !== 'seq') return [];
  return n.items.filter((it): it is KMap => it.kind === 'map').map((it) => {
    const envs = strs(field(it, 'envs'), fallback);
    const env = str(field(it, 'env'), fallback);
    const g: GeneratorEntry = {
      kind,
      files: strs(field(it, 'files'), fallback),
      envs: env ? [...envs, env] : envs,
      at: at(it, fallback),
      ...(scalarText(field(it, 'name')) !== undefined ? { name: scalarText(field(it, 'name'))! } : {}),
      ...(scalarText(field(it, 'namespace')) !== undefined ? { namespace: scalarText(field(it, 'namespace'))! } : {}),
      ...(scalarText(field(it, 'behavior')) !== undefined ? { behavior: scalarText(field(it, 'behavior'))! } : {}),
    };
    return g;
  });
}

/**
 * Reads a kustomization file, failing as kustomize does: invalid YAML, an unknown field or a value of
 * the wrong type, an empty file, a wrong kind or apiVersion.
 */
export function readKustomization(uri: string, text: string, cache: YamlCache): Kustomization {
  const whole: Origin = { uri, span: { start: 0, end: Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')) } };
  const parsed = cache.parse(uri, text, '1.1');
  if (parsed.error) fail('kustomize-build-failed', { uri, span: parsed.error.span }, `invalid Kustomization: ${parsed.error.message}`);
  const node = parsed.docs[0]?.node;
  if (node !== undefined && node.kind !== 'map' && !(node.kind === 'scalar' && node.value === null)) {
    fail('kustomize-build-failed', at(node, whole), 'invalid Kustomization: the file is not a YAML mapping');
  }
  const root: KMap = node?.kind === 'map' ? node : { kind: 'map', entries: [] };
  const shapeError = checkShape(root);
  if (shapeError) fail('kustomize-build-failed', shapeError.at ?? whole, `invalid Kustomization: ${shapeError.message}`);
  const kind = scalarText(field(root, 'kind')) ?? '';
  const apiVersion = scalarText(field(root, 'apiVersion')) ?? '';
  if (root.entries.every((e) => e.key === 'kind' || e.key === 'apiVersion' || isZero(e.value))) {
    fail('kustomize-build-failed', whole, 'kustomization.yaml is empty');
  }
  if (kind !== '' && kind !== 'Kustomization' && kind !== 'Component') {
    fail('kustomize-build-failed', at(field(root, 'kind'), whole), 'kind should be Kustomization or Component');
  }
  const required = kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (apiVersion !== '' && apiVersion !== required) {
    fail('kustomize-build-failed', at(field(root, 'apiVersion'), whole), `apiVersion for ${kind || 'Kustomization'} should be ${required}`);
  }
  const keyAt = (key: string): Origin => pairOrigin(root, key, whole);
  const labels: LabelsEntry[] = [];
  const labelsNode = field(root, 'labels');
  if (labelsNode?.kind === 'seq') {
    for (const it of labelsNode.items) {
      if (it.kind !== 'map') continue;
      const fieldsNode = field(it, 'fields');
      labels.push({
        pairs: pairs(field(it, 'pairs'), whole),
        includeSelectors: bool(field(it, 'includeSelectors')),
        includeTemplates: bool(field(it, 'includeTemplates')),
        fields: fieldsNode?.kind === 'seq' ? fieldsNode.items : [],
        at: at(it, whole),
      });
    }
  }
  const replicas: Kustomization['replicas'][number][] = [];
  const replicasNode = field(root, 'replicas');
  if (replicasNode?.kind === 'seq') {
    for (const it of replicasNode.items) {
      const count = field(it, 'count');
      replicas.push({
        name: scalarText(field(it, 'name')) ?? '',
        count: count?.kind === 'scalar' && typeof count.value === 'number' ? count.value : 0,
        at: at(it, whole),
        countAt: at(count, at(it, whole)),
      });
    }
  }
  const replacementsNode = field(root, 'replacements');
  const unmodelled = UNMODELLED.filter((k) => entry(root, k) && !isEmptyValue(field(root, k)!)).map((k) => {
    const v = field(root, k)!;
    return { key: k, at: keyAt(k), count: v.kind === 'seq' ? v.items.length : v.kind === 'map' ? v.entries.length : 1 };
  });
  return {
    uri, dir: dirOf(uri), text, isComponent: kind === 'Component', root,
    resources: [...strs(field(root, 'resources'), whole), ...strs(field(root, 'bases'), whole)],
    components: strs(field(root, 'components'), whole),
    crds: strs(field(root, 'crds'), whole),
    ...(str(field(root, 'namespace'), whole) ? { namespace: str(field(root, 'namespace'), whole)! } : {}),
    ...(str(field(root, 'namePrefix'), whole) ? { namePrefix: str(field(root, 'namePrefix'), whole)! } : {}),
    ...(str(field(root, 'nameSuffix'), whole) ? { nameSuffix: str(field(root, 'nameSuffix'), whole)! } : {}),
    commonLabels: pairs(field(root, 'commonLabels'), whole),
    commonAnnotations: pairs(field(root, 'commonAnnotations'), whole),
    labels,
    patches: patchEntries(field(root, 'patches'), whole),
    patchesStrategicMerge: strs(field(root, 'patchesStrategicMerge'), whole),
    patchesJson6902: patchEntries(field(root, 'patchesJson6902'), whole),
    replacements: replacementsNode?.kind === 'seq' ? replacementsNode.items : [],
    replicas,
    configurations: strs(field(root, 'configurations'), whole),
    generators: [
      ...generatorEntries(field(root, 'configMapGenerator'), 'ConfigMap', whole),
      ...generatorEntries(field(root, 'secretGenerator'), 'Secret', whole),
    ],
    unmodelled,
    keyAt,
  };
}

function isEmptyValue(n: KNode): boolean {
  return (n.kind === 'scalar' && (n.value === null || n.value === '' || n.value === false))
    || (n.kind === 'seq' && n.items.length === 0) || (n.kind === 'map' && n.entries.length === 0);
}

/** A value Go decodes to its zero value (what CheckEmpty compares against). */
function isZero(n: KNode): boolean {
  return n.kind === 'scalar' && (n.value === null || n.value === '' || n.value === false || n.value === 0);
}
