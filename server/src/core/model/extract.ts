import type { ParsedFile } from '../parse/parseFile';
import type { Span } from '../types';
import type { ModelCatalog } from './catalog';
import type { KeyedField, LabelEntry, LabelSelector, Resource, ResourceBase } from './resources';
import {
  asMap, entries, findPair, get, getMap, getScalar, getSeq, getString, getText, keySpan, nodeSpan,
  scalarRef, seqItems, type AnyNode, type ScalarRef, type MapNode, type DocRef,
} from './yamlAccess';

/** Builds the resource model of every Kubernetes object in a parsed file. */
export function extractResources(file: ParsedFile, catalog: ModelCatalog): Resource[] {
  const out: Resource[] = [];
  for (const d of file.documents ?? []) extractFromRoot(file.uri, d.index, d.doc.contents as AnyNode, d.doc, catalog, out);
  return out;
}

/** The objects of one document, given its root node (of either tree, see yamlAccess.ts). */
export function extractFromRoot(uri: string, docIndex: number, rootNode: AnyNode, doc: DocRef, catalog: ModelCatalog, out: Resource[]): void {
  const root = asMap(rootNode);
  if (root) collect(uri, docIndex, root, doc, out, 0, catalog);
}

function collect(uri: string, docIndex: number, root: MapNode, doc: DocRef, out: Resource[], depth: number, catalog: ModelCatalog): void {
  const apiVersion = getString(root, 'apiVersion', doc);
  const kind = getString(root, 'kind', doc);
  // Not a Kubernetes object (kustomization, patch, CI config, values file): ignored silently.
  if (!apiVersion || !kind) return;
  // `kind: List` (and FooList) wraps objects in `items`.
  if ((kind.value === 'List' || kind.value.endsWith('List')) && depth < 2) {
    const items = getSeq(root, 'items', doc);
    if (items) {
      for (const item of seqItems(items, doc)) {
        const m = asMap(item);
        if (m) collect(uri, docIndex, m, doc, out, depth + 1, catalog);
      }
      return;
    }
  }
  const base = baseOf(uri, docIndex, root, doc, apiVersion.value, kind.value, kind.span);
  out.push(catalog.modelOf(base, root, doc));
}

function baseOf(
  uri: string, docIndex: number, root: MapNode, doc: DocRef, apiVersion: string, kind: string, kindSpan: Span,
): ResourceBase {
  const metadata = getMap(root, 'metadata', doc);
  const nameRef = getScalar(metadata, 'name', doc) ?? recoveredName(getMap(metadata, 'name', doc));
  const namespaceRef = getString(metadata, 'namespace', doc);
  const name = nameRef && (typeof nameRef.value === 'string' || typeof nameRef.value === 'number')
    ? String(nameRef.value) : undefined;
  return {
    uri, docIndex, apiVersion, kind, name,
    namespace: namespaceRef && namespaceRef.value !== '' ? namespaceRef.value : undefined,
    kindSpan, nameRef, namespaceRef,
    span: nodeSpan(root) ?? kindSpan,
    labels: labelEntries(getMap(metadata, 'labels', doc), doc),
  };
}

/**
 * `name: web` followed by a key indented under it (`  annotations:`) parses as a map whose key is
 * "web annotations" (and is reported as a YAML error). The name is still `web`.
 */
function recoveredName(map: MapNode | undefined): ScalarRef | undefined {
  const first = map?.items[0];
  const key = first ? scalarRef(first.key as AnyNode) : undefined;
  if (!key || typeof key.value !== 'string' || !key.plain) return undefined;
  const m = /^(\S+)\s+\S/.exec(key.value);
  if (!m) return undefined;
  return { value: m[1]!, span: { start: key.span.start, end: key.span.start + m[1]!.length }, plain: true };
}


// ---------------------------------------------------------------- labels

/** YAML 1.1 booleans: Kubernetes' decoder (go-yaml) reads these plain scalars as booleans. */
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

export function labelEntries(map: MapNode | undefined, doc: DocRef): LabelEntry[] {
  const out: LabelEntry[] = [];
  for (const { key, pair, value } of entries(map, doc)) {
    const keySpanV = nodeSpan(pair.key as AnyNode);
    if (!keySpanV) continue;
    const s = scalarRef(value);
    let text = '';
    let notString: string | undefined;
    if (s) {
      if (typeof s.value === 'string') {
        text = s.value;
        if (s.plain && YAML11_BOOL.test(s.value)) notString = 'a boolean for Kubernetes (YAML 1.1)';
      } else if (s.value === null) {
        text = '';
      } else {
        text = String(s.value);
        notString = typeof s.value === 'number' ? 'a number' : typeof s.value === 'boolean' ? 'a boolean' : typeof s.value;
      }
    } else if (value) {
      text = '';
      notString = 'not a scalar';
    }
    out.push({
      key, value: text, keySpan: keySpanV, valueSpan: s?.span ?? nodeSpan(value) ?? keySpanV,
      ...(notString ? { valueNotString: notString } : {}),
    });
  }
  return out;
}

/** A label selector under `key` (matchLabels/matchExpressions; or a plain map for `plainMap`). */
export function selectorOf(spec: MapNode | undefined, doc: DocRef, plainMap: boolean, key = 'selector'): LabelSelector | undefined {
  const pair = findPair(spec, key, doc);
  if (!pair) return undefined;
  const keySpanV = keySpan(pair)!;
  const node = get(spec, key, doc);
  const m = asMap(node);
  if (plainMap) return { matchLabels: labelEntries(m, doc), matchExpressions: [], keySpan: keySpanV };
  const matchExpressions = seqItems(getSeq(m, 'matchExpressions', doc), doc).flatMap((item) => {
    const e = asMap(item);
    const key = getText(e, 'key', doc);
    const op = getText(e, 'operator', doc);
    if (!e || !key || !op) return [];
    const values = seqItems(getSeq(e, 'values', doc), doc)
      .map((v) => scalarRef(v)).filter((v): v is ScalarRef => !!v && v.value !== null).map((v) => String(v.value));
    return [{ key: key.value, operator: op.value, values, span: nodeSpan(e)! }];
  });
  return { matchLabels: labelEntries(getMap(m, 'matchLabels', doc), doc), matchExpressions, keySpan: keySpanV };
}

/** A key of `map` as written (undefined when absent): its span, its scalar value or its list's scalar items. */
export function keyedField(map: MapNode | undefined, key: string, doc: DocRef): KeyedField | undefined {
  const pair = findPair(map, key, doc);
  const keySpanV = keySpan(pair);
  if (!pair || !keySpanV) return undefined;
  const node = get(map, key, doc);
  return {
    keySpan: keySpanV,
    value: scalarRef(node),
    items: seqItems(getSeq(map, key, doc), doc).map((n) => scalarRef(n)).filter((r): r is ScalarRef => !!r),
  };
}
