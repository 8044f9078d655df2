import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { NeedsFullParse, OpaqueNode, ScanMap, ScanPair, ScanScalar, ScanSeq, isScanNode, type ScanNode } from '../parse/scan/nodes';
import type { Span } from '../types';

/**
 * Small, total accessors over a parsed document, for the kind homes (core/kinds) to read what they
 * model. They read either tree: the `yaml` package's nodes, or the fast scanner's
 * (parse/scan/nodes.ts), so what a kind extracts is written once. Manifests are hand-written and
 * often half-typed, so every accessor accepts anything and returns undefined instead of throwing;
 * the one exception is a value the scanner checked but did not build: reading it throws
 * NeedsFullParse, and the document is parsed again by the `yaml` package.
 */

export type AnyNode = Node | ScanNode | MapNode | SeqNode | null | undefined;

/** A block or flow mapping of either tree. */
export interface MapNode {
  readonly items: readonly PairNode[];
  /** Written in flow style (`{a: 1}`); the scanner's maps are block maps. */
  readonly flow?: boolean;
}
/** A sequence of either tree. */
export interface SeqNode { readonly items: readonly unknown[] }
/** A key and its value. */
export interface PairNode { readonly key: unknown; readonly value: unknown }
/** The document aliases resolve in: undefined for the scanner's trees, which have no aliases. */
export type DocRef = Document.Parsed | undefined;

/** Resolves an alias to its anchor, once (anchors of anchors are rare and bounded by the parser). */
export function deref(node: unknown, doc: DocRef): AnyNode {
  if (node instanceof OpaqueNode) throw new NeedsFullParse(node.why);
  if (isAlias(node)) {
    if (!doc) return undefined;
    try {
      const target = node.resolve(doc);
      return isAlias(target) ? undefined : (target as Node | undefined);
    } catch {
      return undefined;
    }
  }
  return node as AnyNode;
}

export function asMap(node: AnyNode): MapNode | undefined {
  return node instanceof ScanMap ? node : isMap(node) ? node : undefined;
}

export function asSeq(node: AnyNode): SeqNode | undefined {
  return node instanceof ScanSeq ? node : isSeq(node) ? node : undefined;
}

const isPairNode = (p: unknown): p is PairNode => p instanceof ScanPair || isPair(p);

/** Plain key text of a pair, or undefined for complex keys. */
export function keyText(pair: PairNode): string | undefined {
  const k = pair.key;
  if (k instanceof ScanScalar || isScalar(k)) return k.value === null ? '' : String(k.value);
  return undefined;
}

const MERGE_KEY = '<<';

/**
 * The maps merged into `map` by YAML merge keys (`<<: *base` or `<<: [*a, *b]`), which Kubernetes'
 * decoder (YAML 1.1) resolves. Earlier sources take precedence over later ones.
 */
function mergeSources(map: MapNode, doc: DocRef): MapNode[] {
  // Without a document there is nothing to merge: the scanner leaves `<<` keys to the parser.
  if (!doc) return [];
  const out: MapNode[] = [];
  for (const p of map.items) {
    if (!isPairNode(p) || keyText(p) !== MERGE_KEY) continue;
    const v = deref(p.value, doc);
    const m = asMap(v);
    const s = asSeq(v);
    if (m) out.push(m);
    else if (s) for (const item of s.items) { const mi = asMap(deref(item, doc)); if (mi) out.push(mi); }
  }
  return out;
}

/**
 * Each merged map is visited once per lookup (by identity): a "billion laughs" of merge keys, or a
 * merge cycle, costs as much as the distinct maps it names.
 */
export function findPair(map: MapNode | undefined, key: string, doc?: DocRef, seen?: Set<MapNode>): PairNode | undefined {
  if (!map || seen?.has(map)) return undefined;
  // Last one wins, as with the API server's decoder, when a key is duplicated.
  for (let i = map.items.length - 1; i >= 0; i--) {
    const p = map.items[i]!;
    if (isPairNode(p) && keyText(p) === key) return p;
  }
  // Merge keys need a document (aliases); the set of visited maps is made only then.
  if (!doc) return undefined;
  const visited = seen ?? new Set<MapNode>();
  visited.add(map);
  if (visited.size < 1000) {
    for (const source of mergeSources(map, doc)) {
      const p = findPair(source, key, doc, visited);
      if (p) return p;
    }
  }
  return undefined;
}

export function get(map: MapNode | undefined, key: string, doc: DocRef): AnyNode {
  const p = findPair(map, key, doc);
  return p ? deref(p.value, doc) : undefined;
}

export function getMap(map: MapNode | undefined, key: string, doc: DocRef): MapNode | undefined {
  return asMap(get(map, key, doc));
}

export function getSeq(map: MapNode | undefined, key: string, doc: DocRef): SeqNode | undefined {
  return asSeq(get(map, key, doc));
}

export function getPath(map: MapNode | undefined, path: readonly string[], doc: DocRef): AnyNode {
  let cur: AnyNode = map;
  for (const k of path) {
    const m = asMap(cur);
    if (!m) return undefined;
    cur = get(m, k, doc);
  }
  return cur;
}

export function seqItems(seq: SeqNode | undefined, doc: DocRef): AnyNode[] {
  return seq ? seq.items.map((i) => deref(i, doc)) : [];
}

export function nodeSpan(node: unknown): Span | undefined {
  if (isScanNode(node)) {
    if (node instanceof OpaqueNode) throw new NeedsFullParse(node.why);
    return { start: node.start, end: node.end };
  }
  const n = node as { range?: [number, number, number] } | null | undefined;
  if (!n || !n.range) return undefined;
  return { start: n.range[0], end: n.range[1] };
}

export function keySpan(pair: PairNode | undefined): Span | undefined {
  return pair ? nodeSpan(pair.key) : undefined;
}

/** A scalar value with where it is written; `value` is the parsed JS value (string, number, boolean, null). */
export interface ScalarRef<T = unknown> {
  readonly value: T;
  readonly span: Span;
  /** Source style: plain scalars may be YAML 1.1 booleans for Kubernetes' decoder. */
  readonly plain: boolean;
}

export function scalarRef(node: AnyNode): ScalarRef | undefined {
  if (node instanceof ScanScalar) return { value: node.value, span: { start: node.start, end: node.end }, plain: node.type === 'PLAIN' };
  if (!isScalar(node)) return undefined;
  const span = nodeSpan(node);
  if (!span) return undefined;
  return { value: (node as Scalar).value, span, plain: (node as Scalar).type === 'PLAIN' };
}

export function getScalar(map: MapNode | undefined, key: string, doc: DocRef): ScalarRef | undefined {
  return scalarRef(get(map, key, doc));
}

/** A string value (a number is not a string here: callers decide what a wrong type means). */
export function getString(map: MapNode | undefined, key: string, doc: DocRef): ScalarRef<string> | undefined {
  const s = getScalar(map, key, doc);
  return s && typeof s.value === 'string' ? (s as ScalarRef<string>) : undefined;
}

/** Like getString but also accepts numbers and booleans, converted to their text. */
export function getText(map: MapNode | undefined, key: string, doc: DocRef): ScalarRef<string> | undefined {
  const s = getScalar(map, key, doc);
  if (!s || s.value === null || s.value === undefined || typeof s.value === 'object') return undefined;
  return { value: String(s.value), span: s.span, plain: s.plain };
}

/** Every key/value pair of a map with scalar keys, merge keys resolved (explicit keys win). */
export function entries(map: MapNode | undefined, doc: DocRef, seen: Set<MapNode> = new Set()): { key: string; pair: PairNode; value: AnyNode }[] {
  if (!map || seen.has(map)) return [];
  seen.add(map);
  const byKey = new Map<string, { key: string; pair: PairNode; value: AnyNode }>();
  if (seen.size < 1000) {
    // Earlier sources win: apply them last. Each distinct map is expanded once.
    const sources = [...new Set(mergeSources(map, doc))].filter((m) => !seen.has(m));
    for (const source of sources.reverse()) {
      for (const e of entries(source, doc, seen)) byKey.set(e.key, e);
    }
  }
  for (const p of map.items) {
    if (!isPairNode(p)) continue;
    const k = keyText(p);
    if (k === undefined || k === MERGE_KEY) continue;
    byKey.delete(k); // keep source order for explicit keys
    byKey.set(k, { key: k, pair: p, value: deref(p.value, doc) });
  }
  return [...byKey.values()];
}
