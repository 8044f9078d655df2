import type { Origin } from '../render/types';
import { COMMON_ANNOTATIONS, COMMON_LABELS, NAME_PREFIX, NAME_REFERENCE, NAME_SUFFIX, NAMESPACE, REPLICAS, TEMPLATE_LABELS } from './fieldSpecData';
import { parseApiVersion, type Gvk } from './resource';
import { field, isNull, kmap, kscalar, scalarText, type KMap, type KNode } from './tree';

/** Kustomize's FieldSpec: where in objects of a kind a transformer works (`create` adds missing fields). */
export interface FieldSpec extends Gvk {
  readonly path: string;
  readonly create: boolean;
  /** Where a custom spec was written (a `configurations` file), for messages. */
  readonly at?: Origin;
  /** `path` split into keys (computed once). */
  readonly parts?: readonly string[];
}

export interface NameBackReference {
  readonly target: Gvk;
  readonly referrers: readonly FieldSpec[];
}

/** The transformer configuration kustomize accumulates from its defaults and `configurations` files. */
export interface TransformerConfig {
  readonly namePrefix: readonly FieldSpec[];
  readonly nameSuffix: readonly FieldSpec[];
  readonly namespace: readonly FieldSpec[];
  readonly commonLabels: readonly FieldSpec[];
  readonly labels: readonly FieldSpec[];
  readonly templateLabels: readonly FieldSpec[];
  readonly commonAnnotations: readonly FieldSpec[];
  readonly nameReference: readonly NameBackReference[];
  readonly replicas: readonly FieldSpec[];
}

export function parseSpec(s: string): FieldSpec {
  const i = s.indexOf(':');
  const head = s.slice(0, i).split('@');
  let group = '';
  let version = '';
  let create = false;
  for (const h of head.slice(1)) {
    if (h.startsWith('g=')) group = h.slice(2);
    else if (h.startsWith('v=')) version = h.slice(2);
    else if (h === 'create') create = true;
  }
  const path = s.slice(i + 1);
  return { kind: head[0]!, group, version, path, create, parts: splitPath(path) };
}

function parseTarget(s: string): Gvk {
  const f = parseSpec(`${s}:`);
  return { group: f.group, version: f.version, kind: f.kind };
}

export const DEFAULT_CONFIG: TransformerConfig = {
  namePrefix: NAME_PREFIX.map(parseSpec),
  nameSuffix: NAME_SUFFIX.map(parseSpec),
  namespace: NAMESPACE.map(parseSpec),
  commonLabels: COMMON_LABELS.map(parseSpec),
  labels: [],
  templateLabels: TEMPLATE_LABELS.map(parseSpec),
  commonAnnotations: COMMON_ANNOTATIONS.map(parseSpec),
  nameReference: NAME_REFERENCE.map(([t, refs]) => ({ target: parseTarget(t), referrers: refs.map(parseSpec) })),
  replicas: REPLICAS.map(parseSpec),
};

export const EMPTY_CONFIG: TransformerConfig = {
  namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], labels: [], templateLabels: [], commonAnnotations: [], nameReference: [], replicas: [],
};

export class ConfigError extends Error {}

/** Kustomize's FieldSpec.effectivelyEquals: the existing spec is selected by the new one's gvk, same path. */
function sameSpec(existing: FieldSpec, incoming: FieldSpec): boolean {
  return (!incoming.group || existing.group === incoming.group) && (!incoming.version || existing.version === incoming.version)
    && (!incoming.kind || existing.kind === incoming.kind) && existing.path === incoming.path;
}

export function mergeSpecs(list: readonly FieldSpec[], incoming: readonly FieldSpec[]): FieldSpec[] {
  const out = [...list];
  for (const fs of incoming) {
    const old = out.find((x) => sameSpec(x, fs));
    if (old) {
      if (old.create !== fs.create) throw new ConfigError(`conflicting fieldspecs: ${fs.kind || '*'} ${fs.path} is given both with and without create`);
      continue;
    }
    out.push(fs);
  }
  return out;
}

function sameGvk(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

export function mergeConfigs(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (a === b) return a;
  const nameReference: NameBackReference[] = a.nameReference.map((n) => ({ ...n }));
  for (const nb of b.nameReference) {
    const i = nameReference.findIndex((x) => sameGvk(x.target, nb.target));
    if (i >= 0) nameReference[i] = { target: nameReference[i]!.target, referrers: mergeSpecs(nameReference[i]!.referrers, nb.referrers) };
    else nameReference.push(nb);
  }
  return {
    namePrefix: mergeSpecs(a.namePrefix, b.namePrefix),
    nameSuffix: mergeSpecs(a.nameSuffix, b.nameSuffix),
    namespace: mergeSpecs(a.namespace, b.namespace),
    commonLabels: mergeSpecs(a.commonLabels, b.commonLabels),
    labels: mergeSpecs(a.labels, b.labels),
    templateLabels: mergeSpecs(a.templateLabels, b.templateLabels),
    commonAnnotations: mergeSpecs(a.commonAnnotations, b.commonAnnotations),
    nameReference,
    replicas: mergeSpecs(a.replicas, b.replicas),
  };
}

const SPEC_KEYS = new Set(['group', 'version', 'kind', 'path', 'create']);
const CONFIG_KEYS = new Set(['namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'templateLabels', 'commonAnnotations', 'nameReference', 'varReference', 'images', 'replicas']);

/** Reads a field spec written in YAML (a `configurations` file, a `labels[].fields` entry). */
export function specFromNode(n: KNode): FieldSpec {
  if (n.kind !== 'map') throw new ConfigError('a field spec must be a mapping');
  for (const e of n.entries) if (!SPEC_KEYS.has(e.key)) throw new ConfigError(`unknown field "${e.key}" in a field spec`);
  const s = (k: string) => scalarText(field(n, k)) ?? '';
  const create = field(n, 'create');
  const spec: FieldSpec = { group: s('group'), version: s('version'), kind: s('kind'), path: s('path'), create: create?.kind === 'scalar' && create.value === true, parts: splitPath(s('path')) };
  return n.origin ? { ...spec, at: n.origin } : spec;
}

function specs(n: KNode | undefined): FieldSpec[] {
  if (n === undefined || isNull(n)) return [];
  if (n.kind !== 'seq') throw new ConfigError('expected a list of field specs');
  return n.items.map(specFromNode);
}

/** A `configurations` file (kustomize unmarshals it strictly). */
export function configFromNode(n: KNode | undefined): TransformerConfig {
  if (n === undefined || isNull(n)) return EMPTY_CONFIG;
  if (n.kind !== 'map') throw new ConfigError('a transformer configuration must be a mapping');
  for (const e of n.entries) if (!CONFIG_KEYS.has(e.key)) throw new ConfigError(`unknown field "${e.key}"`);
  const refs = field(n, 'nameReference');
  const nameReference: NameBackReference[] = [];
  if (refs?.kind === 'seq') {
    for (const r of refs.items) {
      if (r.kind !== 'map') throw new ConfigError('a nameReference entry must be a mapping');
      const s = (k: string) => scalarText(field(r, k)) ?? '';
      nameReference.push({ target: { group: s('group'), version: s('version'), kind: s('kind') }, referrers: specs(field(r, 'fieldSpecs')) });
    }
  }
  return {
    namePrefix: specs(field(n, 'namePrefix')), nameSuffix: specs(field(n, 'nameSuffix')), namespace: specs(field(n, 'namespace')),
    commonLabels: specs(field(n, 'commonLabels')), labels: specs(field(n, 'labels')), templateLabels: specs(field(n, 'templateLabels')),
    commonAnnotations: specs(field(n, 'commonAnnotations')), nameReference, replicas: specs(field(n, 'replicas')),
  };
}

/** Splits a field spec path on `/`, keeping `\/` as a slash inside a key. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (path[i] === '/') {
      out.push(cur);
      cur = '';
    } else cur += path[i];
  }
  out.push(cur);
  return out;
}

/** Kustomize's fieldspec gvk match against the object's current kind and apiVersion. */
export function specMatches(fs: Gvk, obj: KMap): boolean {
  const kind = scalarText(field(obj, 'kind')) ?? '';
  if (fs.kind && fs.kind !== kind) return false;
  const { group, version } = parseApiVersion(scalarText(field(obj, 'apiVersion')) ?? '');
  if (fs.group && fs.group !== group) return false;
  if (fs.version && fs.version !== version) return false;
  return true;
}

/** A place in the tree a transformer may read and replace. */
export interface Slot {
  get(): KNode;
  set(n: KNode): void;
}

export class FieldSpecError extends Error {}

/**
 * Visits the fields a spec designates in an object (sequences on the way are traversed element by
 * element, as kustomize does), creating missing ones when the spec says `create` and `createKind` is
 * given. `origin` marks what is created.
 */
export function visitSpec(obj: KMap, fs: FieldSpec, createKind: 'scalar' | 'map' | undefined, origin: Origin | undefined, visit: (slot: Slot) => void): void {
  if (!specMatches(fs, obj)) return;
  const parts = fs.parts ?? splitPath(fs.path);
  const walk = (slot: Slot, i: number): void => {
    const node = slot.get();
    if (i === parts.length) {
      visit(slot);
      return;
    }
    if (isNull(node)) return;
    if (node.kind === 'seq') {
      node.items.forEach((_, j) => walk({ get: () => node.items[j]!, set: (n) => { node.items[j] = n; } }, i));
      return;
    }
    if (node.kind !== 'map') throw new FieldSpecError(`considering field '${fs.path}': expected sequence or mapping node`);
    const raw = parts[i]!;
    const isSeq = raw.endsWith('[]');
    const name = isSeq ? raw.slice(0, -2) : raw;
    if (name === '') throw new FieldSpecError('cannot set or create an empty field name');
    let e = node.entries.find((x) => x.key === name);
    const create = fs.create && createKind !== undefined && !isSeq;
    if (!e) {
      if (!create) return;
      const kind = i === parts.length - 1 ? createKind : 'map';
      e = { key: name, value: kind === 'map' ? kmap([], origin) : kscalar('', origin), ...(origin ? { keyOrigin: origin } : {}) };
      node.entries.push(e);
    } else if (isNull(e.value) && create) {
      const kind = i === parts.length - 1 ? createKind : 'map';
      e.value = kind === 'map' ? kmap([], origin) : kscalar('', origin);
    }
    const entry = e;
    walk({ get: () => entry.value, set: (n) => { entry.value = n; } }, i + 1);
  };
  walk({ get: () => obj, set: () => undefined }, 0);
}
