import type { Origin } from '../render/types';
import type { KNode } from './tree';

/**
 * The shape of a kustomization file as kustomize v5 decodes it (Go structs, strict: unknown fields
 * are errors, and a value of the wrong JSON type fails the whole build). Only the shape is kept
 * here; the meaning is read elsewhere.
 */
type Shape = 'string' | 'bool' | 'int' | 'any' | { readonly list: Shape } | { readonly map: Shape } | { readonly obj: string; readonly fields: Readonly<Record<string, Shape>> };

const str = 'string' as const;
const bool = 'bool' as const;
const strs = { list: str } as const;
const strMap = { map: str } as const;
const obj = (name: string, fields: Record<string, Shape>): Shape => ({ obj: name, fields });

const gvk = { group: str, version: str, kind: str };
const fieldSpec = obj('FieldSpec', { ...gvk, path: str, create: bool });
const selector = obj('Selector', { ...gvk, name: str, namespace: str, annotationSelector: str, labelSelector: str });
const generatorOptions = obj('GeneratorOptions', { labels: strMap, annotations: strMap, disableNameSuffixHash: bool, immutable: bool });
const generatorArgs = {
  namespace: str, name: str, behavior: str, literals: strs, files: strs, envs: strs, env: str, options: generatorOptions,
};
const fieldOptions = obj('FieldOptions', { delimiter: str, index: 'int', encoding: str, create: bool });
const replacementFields: Record<string, Shape> = {
  source: obj('SourceSelector', { ...gvk, name: str, namespace: str, fieldPath: str, options: fieldOptions }),
  targets: { list: obj('TargetSelector', { select: selector, reject: { list: selector }, fieldPaths: strs, options: fieldOptions }) },
};
const patch = obj('Patch', { path: str, patch: str, target: selector, options: { map: bool } });
const helmChart = obj('HelmChart', {
  name: str, version: str, repo: str, releaseName: str, namespace: str, additionalValuesFiles: strs, valuesFile: str,
  valuesInline: 'any', valuesMerge: str, includeCRDs: bool, skipHooks: bool, apiVersions: strs, kubeVersion: str,
  nameTemplate: str, skipTests: bool,
});

export const KUSTOMIZATION_SHAPE = obj('Kustomization', {
  apiVersion: str, kind: str,
  metadata: obj('ObjectMeta', { name: str, namespace: str, labels: strMap, annotations: strMap }),
  openapi: strMap,
  namePrefix: str, nameSuffix: str, namespace: str,
  commonLabels: strMap,
  labels: { list: obj('Label', { pairs: strMap, includeSelectors: bool, includeTemplates: bool, fields: { list: fieldSpec } }) },
  commonAnnotations: strMap,
  patchesStrategicMerge: strs,
  patchesJson6902: { list: patch },
  patches: { list: patch },
  images: { list: obj('Image', { name: str, newName: str, tagSuffix: str, newTag: str, digest: str }) },
  imageTags: { list: obj('Image', { name: str, newName: str, tagSuffix: str, newTag: str, digest: str }) },
  replacements: { list: obj('ReplacementField', { ...replacementFields, path: str }) },
  replicas: { list: obj('Replica', { name: str, count: 'int' }) },
  vars: { list: obj('Var', { name: str, objref: obj('Target', { ...gvk, apiVersion: str, name: str, namespace: str }), fieldref: obj('FieldSelector', { fieldPath: str }) }) },
  sortOptions: obj('SortOptions', { order: str, legacySortOptions: obj('LegacySortOptions', { orderFirst: strs, orderLast: strs }) }),
  resources: strs, components: strs, crds: strs, bases: strs,
  configMapGenerator: { list: obj('ConfigMapArgs', generatorArgs) },
  secretGenerator: { list: obj('SecretArgs', { ...generatorArgs, type: str }) },
  helmGlobals: obj('HelmGlobals', { chartHome: str, configHome: str }),
  helmCharts: { list: helmChart },
  helmChartInflationGenerator: { list: 'any' },
  generatorOptions,
  configurations: strs, generators: strs, transformers: strs, validators: strs,
  buildMetadata: strs,
});

export interface ShapeError {
  readonly at: Origin | undefined;
  readonly message: string;
}

function jsonType(n: KNode): string {
  if (n.kind === 'map') return 'object';
  if (n.kind === 'seq') return 'array';
  const v = n.value;
  return typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'string';
}

function goType(s: Shape): string {
  if (s === 'string') return 'string';
  if (s === 'bool') return 'bool';
  if (s === 'int') return 'int64';
  if (s === 'any') return 'interface {}';
  if ('list' in s) return `[]${goType(s.list)}`;
  if ('map' in s) return `map[string]${goType(s.map)}`;
  return `types.${s.obj}`;
}

/** The first decoding error kustomize would report for this kustomization document, if any. */
export function checkShape(root: KNode): ShapeError | undefined {
  return check(root, KUSTOMIZATION_SHAPE, 'Kustomization', '');
}

function check(n: KNode, s: Shape, struct: string, path: string): ShapeError | undefined {
  if (n.kind === 'scalar' && n.value === null) return undefined; // null leaves the zero value
  const mismatch = (): ShapeError => ({
    at: n.origin,
    message: `json: cannot unmarshal ${jsonType(n)} into Go struct field ${struct}${path ? `.${path}` : ''} of type ${goType(s)}`,
  });
  if (s === 'any') return undefined;
  if (s === 'string') return n.kind === 'scalar' && typeof n.value === 'string' ? undefined : mismatch();
  if (s === 'bool') return n.kind === 'scalar' && typeof n.value === 'boolean' ? undefined : mismatch();
  if (s === 'int') return n.kind === 'scalar' && typeof n.value === 'number' && Number.isInteger(n.value) ? undefined : mismatch();
  if ('list' in s) {
    if (n.kind !== 'seq') return mismatch();
    for (const it of n.items) {
      const e = check(it, s.list, struct, path);
      if (e) return e;
    }
    return undefined;
  }
  if ('map' in s) {
    if (n.kind !== 'map') return mismatch();
    for (const e of n.entries) {
      const err = check(e.value, s.map, struct, path);
      if (err) return err;
    }
    return undefined;
  }
  if (n.kind !== 'map') return mismatch();
  for (const e of n.entries) {
    const f = s.fields[e.key];
    if (f === undefined) return { at: e.keyOrigin, message: `json: unknown field "${e.key}"` };
    const err = check(e.value, f, struct, path ? `${path}.${e.key}` : e.key);
    if (err) return err;
  }
  return undefined;
}
