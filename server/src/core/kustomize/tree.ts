import type { Origin } from '../render/types';

/**
 * The engine's YAML tree: plain mutable nodes that remember where each value and key was written.
 * Kustomize's transformers edit such a tree in place; every edit sets the origin of what it writes
 * (a patch line, a kustomization line), so the rendered text can be mapped back to source lines.
 */

/** A place that also took part in a value (shown as related information). */
export interface Note extends Origin {
  readonly message: string;
}

interface Base {
  /** Where this value was written (a base line, a patch line, a kustomization line). */
  origin?: Origin;
  /** Other places involved (the base line a namePrefix changed, …). */
  related?: Note[];
}

export interface KMap extends Base {
  readonly kind: 'map';
  entries: KEntry[];
}

export interface KEntry {
  key: string;
  keyOrigin?: Origin;
  value: KNode;
}

export interface KSeq extends Base {
  readonly kind: 'seq';
  items: KNode[];
}

export type ScalarValue = string | number | boolean | null;

export interface KScalar extends Base {
  readonly kind: 'scalar';
  value: ScalarValue;
}

export type KNode = KMap | KSeq | KScalar;

export function kmap(entries: KEntry[] = [], origin?: Origin): KMap {
  return origin ? { kind: 'map', entries, origin } : { kind: 'map', entries };
}

export function kseq(items: KNode[] = [], origin?: Origin): KSeq {
  return origin ? { kind: 'seq', items, origin } : { kind: 'seq', items };
}

export function kscalar(value: ScalarValue, origin?: Origin, related?: Note[]): KScalar {
  const s: KScalar = { kind: 'scalar', value };
  if (origin) s.origin = origin;
  if (related && related.length > 0) s.related = related;
  return s;
}

export function isMap(n: KNode | undefined): n is KMap {
  return n?.kind === 'map';
}

export function isSeq(n: KNode | undefined): n is KSeq {
  return n?.kind === 'seq';
}

export function isScalar(n: KNode | undefined): n is KScalar {
  return n?.kind === 'scalar';
}

/** An explicit `null` (or `~`, or an empty value). */
export function isNull(n: KNode | undefined): boolean {
  return n?.kind === 'scalar' && n.value === null;
}

/** Missing, or an explicit null. */
export function isMissingOrNull(n: KNode | undefined): boolean {
  return n === undefined || isNull(n);
}

/** The text of a scalar as kustomize reads it (numbers and booleans as written). */
export function scalarText(n: KNode | undefined): string | undefined {
  if (n?.kind !== 'scalar' || n.value === null) return undefined;
  return String(n.value);
}

export function entry(m: KMap, key: string): KEntry | undefined {
  for (const e of m.entries) if (e.key === key) return e;
  return undefined;
}

export function field(n: KNode | undefined, key: string): KNode | undefined {
  return n?.kind === 'map' ? entry(n, key)?.value : undefined;
}

/** The node at a `/`- or array-given path of map keys, or undefined. */
export function lookup(n: KNode | undefined, path: readonly string[]): KNode | undefined {
  let cur = n;
  for (const k of path) {
    cur = field(cur, k);
    if (cur === undefined) return undefined;
  }
  return cur;
}

export function stringAt(n: KNode | undefined, path: readonly string[]): string | undefined {
  return scalarText(lookup(n, path));
}

/** Sets (replaces in place, or appends) a key of a map. */
export function setField(m: KMap, key: string, value: KNode, keyOrigin?: Origin): KEntry {
  const e = entry(m, key);
  if (e) {
    e.value = value;
    return e;
  }
  const created: KEntry = keyOrigin ? { key, keyOrigin, value } : { key, value };
  m.entries.push(created);
  return created;
}

export function deleteField(m: KMap, key: string): boolean {
  const i = m.entries.findIndex((e) => e.key === key);
  if (i < 0) return false;
  m.entries.splice(i, 1);
  return true;
}

/** The map at `key`, created (with `origin`) when missing or null. Undefined when another kind is there. */
export function ensureMap(m: KMap, key: string, origin?: Origin): KMap | undefined {
  const v = field(m, key);
  if (v?.kind === 'map') return v;
  if (v === undefined || isNull(v)) {
    const created = kmap([], origin);
    setField(m, key, created, origin);
    return created;
  }
  return undefined;
}

export function clone<T extends KNode>(n: T): T {
  switch (n.kind) {
    case 'scalar':
      return { ...n, related: n.related ? [...n.related] : undefined } as T;
    case 'seq':
      return { ...n, items: n.items.map(clone), related: n.related ? [...n.related] : undefined } as T;
    case 'map':
      return {
        ...n,
        entries: n.entries.map((e) => ({ ...e, value: clone(e.value) })),
        related: n.related ? [...n.related] : undefined,
      } as T;
  }
}

/** The node as plain JavaScript data (for JSON-patch `test` and label selectors). */
export function toPlain(n: KNode | undefined): unknown {
  if (n === undefined) return undefined;
  switch (n.kind) {
    case 'scalar':
      return n.value;
    case 'seq':
      return n.items.map(toPlain);
    case 'map': {
      const o: Record<string, unknown> = {};
      for (const e of n.entries) o[e.key] = toPlain(e.value);
      return o;
    }
  }
}

/** A string→string map (labels, annotations) of a node, ignoring non-scalar values. */
export function stringMap(n: KNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (n?.kind !== 'map') return out;
  for (const e of n.entries) {
    const t = scalarText(e.value);
    if (t !== undefined) out.set(e.key, t);
  }
  return out;
}

export function deepEqual(a: KNode | undefined, b: KNode | undefined): boolean {
  return JSON.stringify(toPlain(a)) === JSON.stringify(toPlain(b));
}

/** Adds a related note to a node (deduplicated by place and message). */
export function addRelated(n: KNode, note: Note): void {
  const list = (n.related ??= []);
  if (!list.some((r) => r.uri === note.uri && r.span.start === note.span.start && r.message === note.message)) list.push(note);
}
