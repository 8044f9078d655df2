import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Origin } from '../render/types';

/**
 * Where a `.Values` path is set: the values files of one chart level, in Helm's precedence (the
 * variant's `-f` file over the parent chart's values.yaml over the chart's own values.yaml), each
 * with the key prefix under which it holds this chart's values (a subchart's values sit under its
 * name in its parent's file).
 */
export interface ValuesSource {
  readonly uri: string;
  /** For messages: the file's path relative to the chart (`values.yaml`, `values-prod.yaml`). */
  readonly label: string;
  readonly prefix: readonly string[];
  readonly doc: Document.Parsed;
}

export interface ValuesHit extends Origin {
  readonly label: string;
  /** The dotted path found (wildcards replaced by the key or index chosen). */
  readonly path: string;
}

/** A hint for `*` (a `range` item): the rendered key of the pair or the rendered scalar. */
export interface WildcardHint {
  readonly key?: string;
  readonly text?: string;
}

export function valuesSource(uri: string, label: string, text: string, prefix: readonly string[] = []): ValuesSource {
  return { uri, label, prefix, doc: parseDocument(text, { keepSourceTokens: false, uniqueKeys: false }) };
}

export class ValuesLookup {
  constructor(private readonly sources: readonly ValuesSource[]) {}

  /** The highest-precedence file that sets the whole path; undefined when none does. */
  find(path: readonly string[], hint: WildcardHint = {}): ValuesHit | undefined {
    if (path.length === 0) return undefined;
    const global = path[0] === 'global';
    for (const s of this.sources) {
      const full = global ? path : [...s.prefix, ...path];
      const hit = walk(s.doc.contents, full, hint, []);
      if (hit) return { uri: s.uri, span: hit.span, label: s.label, path: hit.path.join('.') };
    }
    return undefined;
  }

  /**
   * Go template truthiness of a path as Helm merges the files: unset, null, false, 0, "" and empty
   * collections are false; maps merge across files, anything else comes from the first file that
   * sets it.
   */
  truthy(path: readonly string[]): boolean {
    let sawMap = false;
    for (const s of this.sources) {
      const full = path[0] === 'global' ? path : [...s.prefix, ...path];
      const node = nodeAt(s.doc.contents, full);
      if (node === undefined) {
        if (!hasPath(s.doc.contents, full)) continue;
        return sawMap;
      }
      if (isMap(node)) {
        if (node.items.length > 0) return true;
        sawMap = true;
        continue;
      }
      if (sawMap) return false;
      if (isSeq(node)) return node.items.length > 0;
      if (isScalar(node)) return !(node.value === null || node.value === false || node.value === 0 || node.value === '');
      return node !== null;
    }
    return false;
  }

  /** The keys of the mapping at a path, over every file (undefined: not a mapping anywhere). */
  keysAt(path: readonly string[]): Set<string> | undefined {
    let out: Set<string> | undefined;
    for (const s of this.sources) {
      const node = nodeAt(s.doc.contents, [...(path[0] === 'global' ? [] : s.prefix), ...path]);
      if (isMap(node)) {
        out ??= new Set();
        for (const p of node.items) if (isScalar(p.key)) out.add(String(p.key.value));
      }
    }
    return out;
  }
}

function nodeAt(node: unknown, path: readonly string[]): unknown {
  let cur = node;
  for (const seg of path) {
    if (isMap(cur)) cur = pairOf(cur.items, seg)?.value;
    else if (isSeq(cur) && /^\d+$/.test(seg)) cur = cur.items[Number(seg)];
    else return undefined;
  }
  return cur;
}

/** Whether the path exists (with a null value included). */
function hasPath(node: unknown, path: readonly string[]): boolean {
  if (path.length === 0) return true;
  const parent = nodeAt(node, path.slice(0, -1));
  return isMap(parent) && pairOf(parent.items, path[path.length - 1]!) !== undefined;
}

function pairOf(items: readonly Pair<unknown, unknown>[], key: string): Pair<unknown, unknown> | undefined {
  // The last one wins, as in Helm's YAML reader.
  for (let i = items.length - 1; i >= 0; i--) {
    const p = items[i]!;
    if (isScalar(p.key) && String(p.key.value) === key) return p;
  }
  return undefined;
}

interface Walked {
  readonly span: { start: number; end: number };
  readonly path: string[];
}

function walk(node: unknown, path: readonly string[], hint: WildcardHint, done: string[]): Walked | undefined {
  if (path.length === 0) return undefined;
  const [seg, ...rest] = path as [string, ...string[]];
  const children: { key: string; pair?: Pair<unknown, unknown>; value: unknown }[] = [];
  if (isMap(node)) {
    if (seg === '*') for (const p of node.items) children.push({ key: isScalar(p.key) ? String(p.key.value) : '?', pair: p, value: p.value });
    else {
      const p = pairOf(node.items, seg);
      if (p) children.push({ key: seg, pair: p, value: p.value });
    }
  } else if (isSeq(node)) {
    if (seg === '*') node.items.forEach((v, i) => children.push({ key: String(i), value: v }));
    else if (/^\d+$/.test(seg) && Number(seg) < node.items.length) children.push({ key: seg, value: node.items[Number(seg)] });
  }
  if (children.length === 0) return undefined;
  if (seg === '*' && children.length > 1) children.sort((a, b) => score(b, rest, hint) - score(a, rest, hint));
  for (const c of children) {
    if (rest.length === 0) {
      const span = spanOf(c.pair ?? c.value);
      if (span) return { span, path: [...done, c.key] };
      continue;
    }
    const hit = walk(c.value, rest, hint, [...done, c.key]);
    if (hit) return hit;
  }
  return undefined;
}

/** How well a `*` candidate fits the rendered text: its key, or a scalar under it equal to the text. */
function score(c: { key: string; value: unknown }, rest: readonly string[], hint: WildcardHint): number {
  if (hint.key !== undefined && c.key === hint.key) return 2;
  if (hint.text === undefined) return 0;
  if (c.key === hint.text.replace(/^["']|["']$/g, '')) return 2;
  const leaf = rest.length === 0 ? c.value : nodeAt(c.value, rest);
  if (isScalar(leaf) && leaf.value !== null && hint.text.includes(String(leaf.value))) return 1;
  return 0;
}

function spanOf(n: unknown): { start: number; end: number } | undefined {
  if (isPair(n)) {
    const k = (n.key as Node | null)?.range;
    const v = (n.value as Node | null)?.range;
    if (k) return { start: k[0], end: v ? v[1] : k[1] };
    return undefined;
  }
  const r = (n as Node | null)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}
