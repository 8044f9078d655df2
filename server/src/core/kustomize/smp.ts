import { SCHEMA_DEFS, SCHEMA_ROOTS, type Prop } from './schemaData';
import { addRelated, entry, field, isMissingOrNull, isNull, scalarText, type KMap, type KNode, type KScalar, type KSeq } from './tree';

/**
 * Strategic merge as kustomize v5 does it (kyaml's merge2 walker with "prepend" list growth): maps
 * merge key by key, scalars and non-associative lists are replaced, lists the Kubernetes schema marks
 * `patchStrategy: merge` merge element by element on their keys, and the `$patch` directives
 * (`replace`, `delete`, `merge`) apply to maps and lists. The quirks of that walker are kept on
 * purpose (elements the patch names come first; an element whose keys only partly match can be
 * dropped), because what is applied is what kustomize writes. `$setElementOrder` and `$retainKeys`
 * are not understood by kustomize v5 and stay in the output as ordinary keys, as they do there.
 */

export class MergeError extends Error {
  constructor(message: string, readonly at: KNode | undefined) {
    super(message);
  }
}

interface Sch {
  readonly def?: string;
  readonly keys?: readonly string[];
}

const DIRECTIVE = '$patch';

/** Merges `patch` into `dest` (edited in place); undefined when the patch deletes the object. */
export function strategicMerge(dest: KMap, patch: KMap, apiVersion: string, kind: string): KMap | undefined {
  const def = SCHEMA_ROOTS.get(`${apiVersion} ${kind}`);
  const out = walk(dest, patch, def ? { def } : undefined);
  return out?.kind === 'map' ? out : undefined;
}

function propOf(sch: Sch | undefined, key: string): Sch | undefined {
  if (!sch?.def) return undefined;
  const p: Prop | undefined = SCHEMA_DEFS[sch.def]?.[key];
  if (!p) return undefined;
  return { ...(p.def ? { def: p.def } : {}), ...(p.keys ? { keys: p.keys } : {}) };
}

function kindName(n: KNode): string {
  return n.kind === 'map' ? 'MappingNode' : n.kind === 'seq' ? 'SequenceNode' : 'ScalarNode';
}

function walk(dest: KNode | undefined, patch: KNode | undefined, sch: Sch | undefined): KNode | undefined {
  const first = [dest, patch].find((n) => !isMissingOrNull(n));
  if (first) {
    for (const n of [dest, patch]) {
      if (n && !isNull(n) && n.kind !== first.kind) {
        throw new MergeError(`wrong node kind: expected ${kindName(first)} but got ${kindName(n)}`, patch);
      }
    }
  }
  switch (first?.kind) {
    case 'seq':
      return walkList(dest, patch, sch);
    case 'scalar':
      return patch !== undefined ? patch : dest;
    default:
      return walkMap(dest, patch, sch);
  }
}

function mapDirective(patch: KNode | undefined): string | undefined {
  if (patch?.kind !== 'map') return undefined;
  const e = entry(patch, DIRECTIVE);
  if (!e) return undefined;
  const v = scalarText(e.value) ?? '';
  if (v !== 'delete' && v !== 'replace' && v !== 'merge') throw new MergeError(`unknown patch strategy '${v}'`, e.value);
  patch.entries = patch.entries.filter((x) => x !== e);
  return v;
}

function walkMap(dest: KNode | undefined, patch: KNode | undefined, sch: Sch | undefined): KNode | undefined {
  let result: KNode | undefined;
  if (isMissingOrNull(dest)) {
    let d: string | undefined;
    try {
      d = mapDirective(patch);
    } catch {
      d = undefined;
    }
    if (d === 'delete') return undefined;
    if (patch === undefined) return dest;
    result = patch;
  } else if (isNull(patch)) {
    return undefined;
  } else {
    const d = mapDirective(patch);
    if (d === 'delete') return undefined;
    result = d === 'replace' ? patch : dest;
  }
  if (result?.kind !== 'map') return result;
  const names = new Set<string>();
  for (const e of result.entries) names.add(e.key);
  if (patch?.kind === 'map') for (const e of patch.entries) names.add(e.key);
  for (const key of [...names].sort()) {
    const destField = field(result, key);
    const patchEntry = patch?.kind === 'map' ? entry(patch, key) : undefined;
    const val = walk(destField, patchEntry?.value, propOf(sch, key));
    const keep = val !== undefined && !(isNull(val) && patchEntry !== undefined);
    const i = result.entries.findIndex((e) => e.key === key);
    if (!keep) {
      if (i >= 0) result.entries.splice(i, 1);
      continue;
    }
    if (i >= 0) {
      const old = result.entries[i]!.value;
      // A patch that repeats a value (a merge key, the object's name) leaves it where it was written.
      if (val !== old && old.kind === 'scalar' && val.kind === 'scalar' && old.value === val.value) continue;
      if (val !== old && old.kind === 'scalar' && val.kind === 'scalar' && old.origin && val.origin) {
        addRelated(val, { ...old.origin, message: `the patch replaces ${JSON.stringify(scalarText(old) ?? null)} set here` });
      }
      result.entries[i]!.value = val;
    } else {
      result.entries.push(patchEntry?.keyOrigin ? { key, keyOrigin: patchEntry.keyOrigin, value: val } : { key, value: val });
    }
  }
  return result;
}

function seqDirective(patch: KSeq): string | undefined {
  const i = patch.items.findIndex((it) => it.kind === 'map' && entry(it, DIRECTIVE) !== undefined);
  if (i < 0) return undefined;
  const el = patch.items[i] as KMap;
  if (el.entries.length > 1) return 'merge';
  const v = scalarText(field(el, DIRECTIVE)) ?? '';
  if (v !== 'delete' && v !== 'replace' && v !== 'merge') throw new MergeError(`unknown patch strategy '${v}'`, el);
  patch.items = patch.items.filter((_, j) => j !== i);
  return v;
}

function walkList(dest: KNode | undefined, patch: KNode | undefined, sch: Sch | undefined): KNode | undefined {
  if (sch?.keys === undefined) return patch !== undefined ? patch : dest;
  let result: KNode | undefined;
  if (isMissingOrNull(dest)) {
    if (patch?.kind === 'seq') seqDirectiveSafe(patch);
    result = patch;
  } else if (isNull(patch)) {
    return undefined;
  } else {
    const d = patch?.kind === 'seq' ? seqDirective(patch) : undefined;
    if (d === 'delete') return undefined;
    result = d === 'replace' ? patch : dest;
  }
  if (result?.kind !== 'seq') return result;
  const p = patch?.kind === 'seq' ? patch : undefined;
  return sch.keys.length === 0 ? mergeScalars(result, p) : mergeByKeys(result, p, sch.keys, sch.def);
}

function seqDirectiveSafe(patch: KSeq): void {
  try {
    seqDirective(patch);
  } catch {
    // kustomize keeps a new list as written
  }
}

/** A list of scalars merged by value: the patch's values first, then the others. */
function mergeScalars(dest: KSeq, patch: KSeq | undefined): KSeq {
  const seen = new Set<string>();
  const out: KNode[] = [];
  for (const src of [patch, dest]) {
    for (const it of src?.items ?? []) {
      const v = it.kind === 'scalar' ? String(it.value ?? '') : '';
      if (seen.has(v)) continue;
      seen.add(v);
      const fromPatch = patch?.items.find((x) => x.kind === 'scalar' && String(x.value ?? '') === v);
      out.push(fromPatch ?? it);
    }
  }
  dest.items = out.filter((n) => !isMissingOrNull(n));
  return dest;
}

function keyValue(el: KNode, key: string): string {
  if (el.kind !== 'map') return '';
  const v = field(el, key);
  if (v === undefined || isNull(v)) return '';
  return v.kind === 'scalar' ? String(v.value) : '';
}

function sameTuple(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** kyaml's pairwise completion of partial key tuples ([80,""] and [80,"TCP"] both become [80,"TCP"]). */
function completeTuples(list: string[][]): void {
  for (let i = 0; i < list.length; i++) {
    for (let j = 0; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      if (a.length !== b.length) continue;
      let common = false;
      const res: string[] = [];
      let ok = true;
      for (let k = 0; k < a.length; k++) {
        if (a[k] === b[k]) {
          common = true;
          res.push(a[k]!);
        } else if (a[k] !== '' && b[k] !== '') {
          ok = false;
          break;
        } else res.push(a[k] !== '' ? a[k]! : b[k]!);
      }
      if (ok && common) {
        list[i] = res;
        list[j] = [...res];
      }
    }
  }
}

function validKeys(all: readonly string[][], values: readonly string[], keys: readonly string[]): [string[], string[]] {
  const used = new Set<string>();
  for (const vs of all) vs.forEach((v, i) => { if (v !== '') used.add(keys[i]!); });
  if (used.size === 0) return [[...keys], [...values]];
  const ks = keys.filter((k) => used.has(k));
  const vs = values.filter((v, i) => v !== '' || used.has(keys[i]!));
  return [ks, vs];
}

/** kyaml's FieldMatcher: the field exists (any value when `value` is empty) and equals `value`. */
function fieldMatches(el: KNode, key: string, value: string): boolean {
  if (isMissingOrNull(el) || el.kind !== 'map') return false;
  const f = field(el, key);
  if (f === undefined) return false;
  if (value === '') return true;
  return f.kind === 'scalar' && f.value !== null && String(f.value) === value;
}

function findElement(list: KSeq | undefined, keys: readonly string[], values: readonly string[]): KNode | undefined {
  if (!list) return undefined;
  for (const el of list.items) {
    if (el.kind !== 'map') continue;
    if (keys.every((k, i) => fieldMatches(el, k, values[i] ?? ''))) return el;
  }
  return undefined;
}

function isEmptyMap(n: KNode | undefined): boolean {
  return n?.kind === 'map' && n.entries.length === 0;
}

/** kyaml's ElementSetter: replaces (or, without `element`, removes) the matching elements, else appends. */
function setElement(list: KSeq, element: KNode | undefined, keys: readonly string[], values: readonly string[]): void {
  const mappingSetter = keys.length > 0 && keys[0] !== '' && values.length > 0 && values[0] !== '';
  const out: KNode[] = [];
  let matched = false;
  for (const el of list.items) {
    if (isMissingOrNull(el) || isEmptyMap(el)) continue;
    if (el.kind !== 'map' && mappingSetter) {
      out.push(el);
      continue;
    }
    let found = true;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length && !fieldMatches(el, keys[j]!, values[j]!)) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) out.push(el);
      continue;
    }
    matched = true;
    if (element === undefined) continue;
    out.push(element);
  }
  list.items = out;
  if (element === undefined || isMissingOrNull(element)) return;
  if (!matched) list.items.push(element);
}

function mergeByKeys(dest: KSeq, patch: KSeq | undefined, keys: readonly string[], elemDef: string | undefined): KSeq {
  const tuples: string[][] = [];
  for (const src of [patch, dest]) {
    for (const el of src?.items ?? []) {
      const t = keys.map((k) => keyValue(el, k));
      if (!tuples.some((x) => sameTuple(x, t))) tuples.push(t);
    }
  }
  if (keys.length > 1) completeTuples(tuples);
  const toAdd: KSeq = { kind: 'seq', items: [] };
  let lastKeys: string[] = [...keys];
  for (const values of tuples) {
    const [ks, vs] = validKeys(tuples, values, keys);
    lastKeys = ks;
    const [eks, evs] = validKeys([values], values, keys);
    const destEl = findElement(dest, eks, evs);
    const patchEl = findElement(patch, eks, evs);
    const val = walk(destEl, patchEl, elemDef ? { def: elemDef } : undefined);
    if (isMissingOrNull(val) || isEmptyMap(val)) {
      setElement(dest, undefined, ks, vs);
      continue;
    }
    if (val!.kind === 'map') {
      ks.forEach((k, i) => {
        if (field(val, k) === undefined && vs[i] !== '') (val as KMap).entries.push({ key: k, value: { kind: 'scalar', value: vs[i]! } as KScalar });
      });
    }
    setElement(toAdd, val, ks, vs);
  }
  if (tuples.length > 0) {
    for (const el of [...dest.items]) {
      const vals: string[] = [];
      for (const k of lastKeys) {
        const f = el.kind === 'map' ? field(el, k) : undefined;
        if (f === undefined) {
          toAdd.items.push(el);
          continue;
        }
        vals.push(f.kind === 'scalar' ? String(f.value ?? '') : '');
      }
      if (lastKeys.length > 1) setElement(toAdd, undefined, lastKeys, vals);
      setElement(toAdd, el, lastKeys, vals);
    }
    dest.items = toAdd.items;
  }
  return dest;
}
