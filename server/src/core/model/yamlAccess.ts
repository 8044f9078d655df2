import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq, type Scalar } from 'yaml';
import type { Span } from '../types';

/**
 * Small, total accessors over the `yaml` AST. Manifests are hand-written and often half-typed,
 * so every accessor accepts anything and returns undefined instead of throwing.
 */

export type AnyNode = Node | null | undefined;

/** Resolves an alias to its anchor, once (anchors of anchors are rare and bounded by the parser). */
export function deref(node: unknown, doc: Document.Parsed): AnyNode {
  if (isAlias(node)) {
    try {
      const target = node.resolve(doc);
      return isAlias(target) ? undefined : (target as Node | undefined);
    } catch {
      return undefined;
    }
  }
  return node as AnyNode;
}

export function asMap(node: AnyNode): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function asSeq(node: AnyNode): YAMLSeq | undefined {
  return isSeq(node) ? node : undefined;
}

/** Plain key text of a pair, or undefined for complex keys. */
export function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null ? '' : String(k.value);
  return undefined;
}

const MERGE_KEY = '<<';

/**
 * The maps merged into `map` by YAML merge keys (`<<: *base` or `<<: [*a, *b]`), which Kubernetes'
 * decoder (YAML 1.1) resolves. Earlier sources take precedence over later ones.
 */
function mergeSources(map: YAMLMap, doc: Document.Parsed | undefined): YAMLMap[] {
  if (!doc) return [];
  const out: YAMLMap[] = [];
  for (const p of map.items) {
    if (!isPair(p) || keyText(p) !== MERGE_KEY) continue;
    const v = deref(p.value, doc);
    if (isMap(v)) out.push(v);
    else if (isSeq(v)) for (const item of v.items) { const m = deref(item, doc); if (isMap(m)) out.push(m); }
  }
  return out;
}

/**
 * Each merged map is visited once per lookup (by identity): a "billion laughs" of merge keys, or a
 * merge cycle, costs as much as the distinct maps it names.
 */
export function findPair(map: YAMLMap | undefined, key: string, doc?: Document.Parsed, seen: Set<YAMLMap> = new Set()): Pair | undefined {
  if (!map || seen.has(map)) return undefined;
  seen.add(map);
  // Last one wins, as with the API server's decoder, when a key is duplicated.
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i]!;
    if (isPair(p) && keyText(p) === key) return p;
  }
  if (seen.size < 1000) {
    for (const source of mergeSources(map, doc)) {
      const p = findPair(source, key, doc, seen);
      if (p) return p;
    }
  }
  return undefined;
}

export function get(map: YAMLMap | undefined, key: string, doc: Document.Parsed): AnyNode {
  const p = findPair(map, key, doc);
  return p ? deref(p.value, doc) : undefined;
}

export function getMap(map: YAMLMap | undefined, key: string, doc: Document.Parsed): YAMLMap | undefined {
  return asMap(get(map, key, doc));
}

export function getSeq(map: YAMLMap | undefined, key: string, doc: Document.Parsed): YAMLSeq | undefined {
  return asSeq(get(map, key, doc));
}

export function getPath(map: YAMLMap | undefined, path: readonly string[], doc: Document.Parsed): AnyNode {
  let cur: AnyNode = map;
  for (const k of path) {
    const m = asMap(cur);
    if (!m) return undefined;
    cur = get(m, k, doc);
  }
  return cur;
}

export function seqItems(seq: YAMLSeq | undefined, doc: Document.Parsed): AnyNode[] {
  return seq ? seq.items.map((i) => deref(i, doc)) : [];
}

export function nodeSpan(node: AnyNode | Pair['key']): Span | undefined {
  const n = node as { range?: [number, number, number] } | null | undefined;
  if (!n || !n.range) return undefined;
  return { start: n.range[0], end: n.range[1] };
}

export function keySpan(pair: Pair | undefined): Span | undefined {
  return pair ? nodeSpan(pair.key as Node) : undefined;
}

/** A scalar value with where it is written; `value` is the parsed JS value (string, number, boolean, null). */
export interface ScalarRef<T = unknown> {
  readonly value: T;
  readonly span: Span;
  /** Source style: plain scalars may be YAML 1.1 booleans for Kubernetes' decoder. */
  readonly plain: boolean;
}

export function scalarRef(node: AnyNode): ScalarRef | undefined {
  if (!isScalar(node)) return undefined;
  const span = nodeSpan(node);
  if (!span) return undefined;
  return { value: (node as Scalar).value, span, plain: (node as Scalar).type === 'PLAIN' };
}

export function getScalar(map: YAMLMap | undefined, key: string, doc: Document.Parsed): ScalarRef | undefined {
  return scalarRef(get(map, key, doc));
}

/** A string value (a number is not a string here: callers decide what a wrong type means). */
export function getString(map: YAMLMap | undefined, key: string, doc: Document.Parsed): ScalarRef<string> | undefined {
  const s = getScalar(map, key, doc);
  return s && typeof s.value === 'string' ? (s as ScalarRef<string>) : undefined;
}

/** Like getString but also accepts numbers and booleans, converted to their text. */
export function getText(map: YAMLMap | undefined, key: string, doc: Document.Parsed): ScalarRef<string> | undefined {
  const s = getScalar(map, key, doc);
  if (!s || s.value === null || s.value === undefined || typeof s.value === 'object') return undefined;
  return { value: String(s.value), span: s.span, plain: s.plain };
}

/** Every key/value pair of a map with scalar keys, merge keys resolved (explicit keys win). */
export function entries(map: YAMLMap | undefined, doc: Document.Parsed, seen: Set<YAMLMap> = new Set()): { key: string; pair: Pair; value: AnyNode }[] {
  if (!map || seen.has(map)) return [];
  seen.add(map);
  const byKey = new Map<string, { key: string; pair: Pair; value: AnyNode }>();
  if (seen.size < 1000) {
    // Earlier sources win: apply them last. Each distinct map is expanded once.
    const sources = [...new Set(mergeSources(map, doc))].filter((m) => !seen.has(m));
    for (const source of sources.reverse()) {
      for (const e of entries(source, doc, seen)) byKey.set(e.key, e);
    }
  }
  for (const p of map.items) {
    if (!isPair(p)) continue;
    const k = keyText(p);
    if (k === undefined || k === MERGE_KEY) continue;
    byKey.delete(k); // keep source order for explicit keys
    byKey.set(k, { key: k, pair: p, value: deref(p.value, doc) });
  }
  return [...byKey.values()];
}
