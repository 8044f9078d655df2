import { parseAllDocuments, isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node as YNode } from 'yaml';
import type { Span } from '../types';
import { kmap, kscalar, kseq, type KEntry, type KMap, type KNode } from './tree';

/** One `---` document of a YAML file, as an engine tree. */
export interface YamlDoc {
  /** Undefined for an empty document (only comments, or nothing). */
  readonly node: KNode | undefined;
  readonly span: Span;
}

export interface YamlFile {
  readonly docs: readonly YamlDoc[];
  /** The first syntax error, if any (kustomize refuses the whole file then). */
  readonly error?: { readonly span: Span; readonly message: string };
}

/**
 * Parses YAML files into engine trees, once per text: an instance keeps the last parse of each URI
 * and returns it while the text is the same string. Callers clone before editing.
 */
export class YamlCache {
  private readonly byUri = new Map<string, { text: string; file: YamlFile }>();

  /**
   * `version` 1.1 is how kustomize reads kustomization files (`yes`, `on`, `y` are booleans there);
   * resources are read as YAML 1.2.
   */
  parse(uri: string, text: string, version: '1.1' | '1.2' = '1.2'): YamlFile {
    const key = `${version} ${uri}`;
    const hit = this.byUri.get(key);
    if (hit && hit.text === text) return hit.file;
    const file = parseYaml(uri, text, 0, version);
    this.byUri.set(key, { text, file });
    return file;
  }

  /** Forgets URIs that are not in `keep` (call after a workspace change to bound memory). */
  retain(keep: (uri: string) => boolean): void {
    for (const key of [...this.byUri.keys()]) if (!keep(key.slice(key.indexOf(' ') + 1))) this.byUri.delete(key);
  }
}

/** Most nodes one document may expand to (aliases included): a guard against alias bombs. */
const MAX_NODES = 200_000;

class TooLarge extends Error {}

export function parseYaml(uri: string, text: string, offset = 0, version: '1.1' | '1.2' = '1.2'): YamlFile {
  const docs: YamlDoc[] = [];
  let error: YamlFile['error'];
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, version });
  } catch (e) {
    return { docs: [], error: { span: { start: offset, end: offset }, message: `cannot parse the YAML: ${(e as Error).message}` } };
  }
  for (const d of parsed) {
    const err = d.errors[0];
    if (err && !error) {
      error = { span: { start: offset + err.pos[0], end: offset + err.pos[1] }, message: err.message.split('\n')[0]! };
    }
    const span = { start: offset + (d.range?.[0] ?? 0), end: offset + (d.range?.[1] ?? 0) };
    let node: KNode | undefined;
    try {
      node = d.contents ? convert(d, d.contents as YNode, uri, offset, 0, { count: 0, v11: version === '1.1' }) : undefined;
    } catch (e) {
      if (!(e instanceof TooLarge)) throw e;
      error ??= { span, message: `the document expands to more than ${MAX_NODES} nodes (aliases)` };
    }
    docs.push({ node, span });
  }
  return error ? { docs, error } : { docs };
}

function nodeSpan(n: YNode, offset: number): Span {
  const r = n.range;
  return r ? { start: offset + r[0], end: offset + r[1] } : { start: offset, end: offset };
}

function convert(doc: Document, n: YNode, uri: string, offset: number, depth: number, budget: { count: number; readonly v11: boolean }): KNode {
  if (++budget.count > MAX_NODES) throw new TooLarge();
  if (depth > 200) return kscalar(null, { uri, span: nodeSpan(n, offset) });
  if (isAlias(n)) {
    const target = n.resolve(doc);
    if (!target) return kscalar(null, { uri, span: nodeSpan(n, offset) });
    return convert(doc, target as YNode, uri, offset, depth + 1, budget);
  }
  const origin = { uri, span: nodeSpan(n, offset) };
  if (isScalar(n)) {
    const v = n.value;
    let value: string | number | boolean | null;
    if (v === null || v === undefined) value = null;
    else if (typeof v === 'number' && budget.v11 && n.type === 'PLAIN' && typeof n.source === 'string' && !isGoYaml11Number(n.source)) value = n.source;
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') value = v;
    else if (typeof v === 'bigint') value = Number(v);
    else value = String(v);
    return kscalar(value, origin);
  }
  if (isSeq(n)) {
    return kseq(n.items.map((it) => (it ? convert(doc, it as YNode, uri, offset, depth + 1, budget) : kscalar(null, origin))), origin);
  }
  if (isMap(n)) {
    const m: KMap = kmap([], origin);
    const merges: KNode[] = [];
    for (const p of n.items) {
      if (!isPair(p)) continue;
      const keyNode = p.key as YNode | null;
      const key = keyNode && isScalar(keyNode) ? String(keyNode.value ?? '') : keyNode ? String(keyNode) : '';
      const keyOrigin = keyNode ? { uri, span: nodeSpan(keyNode, offset) } : origin;
      const valueNode = p.value as YNode | null;
      const value = valueNode ? convert(doc, valueNode, uri, offset, depth + 1, budget) : kscalar(null, { uri, span: { start: keyOrigin.span.end, end: keyOrigin.span.end } });
      if (key === '<<' && keyNode && isScalar(keyNode) && keyNode.source === '<<') {
        merges.push(value);
        continue;
      }
      const e: KEntry = { key, keyOrigin, value };
      m.entries.push(e);
    }
    // YAML merge keys: entries of the merged maps that the map does not set itself.
    for (const src of merges) {
      const maps = src.kind === 'seq' ? src.items : [src];
      for (const s of maps) {
        if (s.kind !== 'map') continue;
        for (const e of s.entries) if (!m.entries.some((x) => x.key === e.key)) m.entries.push(e);
      }
    }
    return m;
  }
  return kscalar(null, origin);
}

/**
 * Whether go-yaml v2 (how kustomize reads kustomization files and JSON patches) reads a plain scalar
 * as a number: Go integer literals (with `_`, `0x`, `0o`, `0b`, leading-zero octal), YAML floats and
 * `.inf`/`.nan`. The YAML 1.1 schema of the `yaml` package is wider (`.`, sexagesimal `12:30`).
 */
export function isGoYaml11Number(source: string): boolean {
  if (/^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(source)) return true;
  const plain = source.replace(/_/g, '');
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.test(plain)) return true;
  return /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain);
}
