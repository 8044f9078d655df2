import type { Origin } from '../render/types';
import { addRelated, clone, deepEqual, field, kscalar, scalarText, type KMap, type KNode, type KSeq } from './tree';

/**
 * JSON patch (RFC 6902) as kustomize v5 applies it (evanphx/json-patch v4 semantics): `replace` of a
 * missing key in an existing object adds it, negative array indexes count from the end, a path
 * without its leading `/` addresses the last segment only. Inserted values keep the patch's lines.
 */

export interface JsonOp {
  readonly op: string;
  readonly path?: string;
  readonly from?: string;
  readonly value?: KNode;
  /** The operation in the patch (its `- op:` item). */
  readonly at: Origin;
  readonly pathAt: Origin;
}

export class JsonPatchError extends Error {
  constructor(message: string, readonly at: Origin) {
    super(message);
  }
}

/** Reads the operations of a parsed patch document; a message when it is not a list of operations. */
export function readOps(doc: KNode | undefined, fallback: Origin): JsonOp[] | string {
  if (doc?.kind !== 'seq') return `json: cannot unmarshal ${doc?.kind === 'map' ? 'object' : 'string'} into Go value of type jsonpatch.Patch`;
  const out: JsonOp[] = [];
  for (const it of doc.items) {
    if (it.kind !== 'map') return 'json: cannot unmarshal a non-object into a JSON patch operation';
    const at = it.origin ?? fallback;
    const pathNode = field(it, 'path');
    const value = it.entries.find((e) => e.key === 'value')?.value;
    out.push({
      op: scalarText(field(it, 'op')) ?? 'unknown',
      ...(scalarText(pathNode) !== undefined ? { path: scalarText(pathNode)! } : {}),
      ...(scalarText(field(it, 'from')) !== undefined ? { from: scalarText(field(it, 'from'))! } : {}),
      ...(value !== undefined ? { value } : {}),
      at,
      pathAt: pathNode?.origin ?? at,
    });
  }
  return out;
}

function unescape(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

type Container = KMap | KSeq;

function child(c: Container, key: string): KNode | undefined {
  if (c.kind === 'map') return field(c, key);
  const i = index(c, key, false);
  return i === undefined ? undefined : c.items[i];
}

/** An array index as json-patch reads it (negative from the end); undefined when invalid. */
function index(c: KSeq, key: string, forInsert: boolean): number | undefined {
  if (!/^-?\d+$/.test(key)) return undefined;
  let i = Number(key);
  const size = forInsert ? c.items.length + 1 : c.items.length;
  if (i < 0) {
    if (i < -size) return undefined;
    i += size;
  }
  return i >= size ? undefined : i;
}

function findContainer(doc: KMap, path: string): { c: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    const next = child(cur, unescape(part));
    if (next === undefined || next.kind === 'scalar') return undefined;
    cur = next;
  }
  return { c: cur, key: unescape(split[split.length - 1]!) };
}

function valueOf(op: JsonOp): KNode {
  return op.value ? clone(op.value) : kscalar(null, op.at);
}

function add(c: Container, key: string, v: KNode, op: JsonOp, path: string): void {
  if (c.kind === 'map') {
    const e = c.entries.find((x) => x.key === key);
    if (e) e.value = v;
    else c.entries.push({ key, keyOrigin: op.pathAt, value: v });
    return;
  }
  if (key === '-') {
    c.items.push(v);
    return;
  }
  if (!/^-?\d+$/.test(key)) throw new JsonPatchError(`error in add for path: '${path}': value was not a proper array index: '${key}'`, op.pathAt);
  const i = index(c, key, true);
  if (i === undefined) throw new JsonPatchError(`error in add for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`, op.pathAt);
  c.items.splice(i, 0, v);
}

function remove(c: Container, key: string, op: JsonOp, path: string): KNode {
  if (c.kind === 'map') {
    const i = c.entries.findIndex((x) => x.key === key);
    if (i < 0) throw new JsonPatchError(`error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`, op.pathAt);
    return c.entries.splice(i, 1)[0]!.value;
  }
  const i = index(c, key, false);
  if (i === undefined) throw new JsonPatchError(`error in remove for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`, op.pathAt);
  return c.items.splice(i, 1)[0]!;
}

function get(doc: KMap, path: string, op: JsonOp, what: string): KNode {
  const f = findContainer(doc, path);
  const v = f ? child(f.c, f.key) : undefined;
  if (!f || v === undefined) throw new JsonPatchError(`${what} operation does not apply: doc is missing path: ${path}: missing value`, op.pathAt);
  return v;
}

/** Applies the operations to `doc` in place (the document root is a map). */
export function applyJsonPatch(doc: KMap, ops: readonly JsonOp[]): void {
  for (const op of ops) {
    const path = op.path;
    const needPath = () => {
      if (path === undefined) throw new JsonPatchError(`${op.op} operation failed to decode path: operation missing path field`, op.at);
      return path;
    };
    switch (op.op) {
      case 'add': {
        const p = needPath();
        const f = findContainer(doc, p);
        if (!f) throw new JsonPatchError(`add operation does not apply: doc is missing path: "${p}": missing value`, op.pathAt);
        add(f.c, f.key, valueOf(op), op, p);
        break;
      }
      case 'remove': {
        const p = needPath();
        const f = findContainer(doc, p);
        if (!f) throw new JsonPatchError(`remove operation does not apply: doc is missing path: "${p}": missing value`, op.pathAt);
        remove(f.c, f.key, op, p);
        break;
      }
      case 'replace': {
        const p = needPath();
        const f = findContainer(doc, p);
        if (!f) throw new JsonPatchError(`replace operation does not apply: doc is missing path: ${p}: missing value`, op.pathAt);
        const v = valueOf(op);
        if (f.c.kind === 'seq') {
          const i = index(f.c, f.key, false);
          if (i === undefined) throw new JsonPatchError(`replace operation does not apply: doc is missing key: ${p}: missing value`, op.pathAt);
          noteReplaced(f.c.items[i]!, v);
          f.c.items[i] = v;
        } else {
          const old = field(f.c, f.key);
          if (old) noteReplaced(old, v);
          add(f.c, f.key, v, op, p);
        }
        break;
      }
      case 'move': {
        const p = needPath();
        const from = op.from ?? '';
        get(doc, from, op, 'move');
        const f = findContainer(doc, from)!;
        const moved = remove(f.c, f.key, op, from);
        const t = findContainer(doc, p);
        if (!t) throw new JsonPatchError(`move operation does not apply: doc is missing destination path: ${p}: missing value`, op.pathAt);
        add(t.c, t.key, moved, op, p);
        break;
      }
      case 'copy': {
        const p = needPath();
        const v = clone(get(doc, op.from ?? '', op, 'copy'));
        const t = findContainer(doc, p);
        if (!t) throw new JsonPatchError(`copy operation does not apply: doc is missing destination path: ${p}: missing value`, op.pathAt);
        add(t.c, t.key, v, op, p);
        break;
      }
      case 'test': {
        const p = needPath();
        const f = findContainer(doc, p);
        const v = f ? child(f.c, f.key) : undefined;
        const expected = op.value;
        const ok = v === undefined ? expected === undefined || (expected.kind === 'scalar' && expected.value === null) : expected !== undefined && deepEqual(v, expected);
        if (!ok) throw new JsonPatchError(`testing value ${p} failed: test failed`, op.at);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${op.op}`, op.at);
    }
  }
}

function noteReplaced(old: KNode, v: KNode): void {
  if (old.kind === 'scalar' && v.kind === 'scalar' && old.origin && old.value !== v.value) {
    addRelated(v, { ...old.origin, message: `the JSON patch replaces ${JSON.stringify(old.value)} set here` });
  }
}
