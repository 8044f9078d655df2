import type { Origin, RenderProblem } from '../render/types';
import type { Span } from '../types';
import { baseName, displayPath, isWithin, type KustomizeFiles } from './files';
import { parseYaml, type YamlCache, type YamlFile } from './parse';
import { fail, type KustomizeCode } from './problems';
import { idKey, idString, Resource } from './resource';
import { clone, field, scalarText, type KMap, type KNode } from './tree';

/** What one render shares: the workspace, the parse cache, what was read, non-fatal problems. */
export interface BuildContext {
  readonly files: KustomizeFiles;
  readonly cache: YamlCache;
  /** Every URI the render read or probed (a change to one re-renders). */
  readonly inputs: Set<string>;
  readonly problems: RenderProblem[];
  /** Kustomization directories being built (cycle detection), outermost first. */
  readonly stack: string[];
  /** True once something that may add objects is not modelled (remote bases, generators, Helm). */
  incomplete: boolean;
}

/** Reads a file that a kustomization names, failing as kustomize does when it is missing or outside the root. */
export function loadFile(ctx: BuildContext, uri: string, rootDir: string, at: Origin, what: string, code: KustomizeCode = 'kustomize-resource-missing'): string {
  ctx.inputs.add(uri);
  if (!ctx.files.exists(uri) || ctx.files.isDirectory(uri)) {
    fail(code, at, `${what} ${baseName(uri)} does not exist (${displayPath(uri)})`);
  }
  if (!isWithin(uri, rootDir)) {
    fail('kustomize-build-failed', at, `security: ${what} ${displayPath(uri)} is not in or below ${displayPath(rootDir)}; kustomize only loads files from inside the kustomization's directory (directories with a kustomization may be anywhere)`);
  }
  const text = ctx.files.read(uri);
  if (text === undefined) fail('kustomize-build-failed', at, `${what} ${displayPath(uri)} cannot be read`);
  return text;
}

/** Parses a file (cached), failing on invalid YAML at the offending token. */
export function parseFile(ctx: BuildContext, uri: string, text: string): YamlFile {
  const parsed = ctx.cache.parse(uri, text);
  if (parsed.error) fail('kustomize-build-failed', { uri, span: parsed.error.span }, `invalid YAML: ${parsed.error.message}`);
  return parsed;
}

/**
 * Text written inside a kustomization (an inline patch under `patch: |`), parsed so that each value
 * keeps the line of the kustomization it is on. Block literals map line by line; other scalar
 * styles map to the scalar's first line.
 */
export function parseEmbedded(fileText: string, node: KNode, uri: string, version: '1.1' | '1.2' = '1.2'): YamlFile {
  const value = scalarText(node) ?? '';
  const span = node.origin?.span ?? { start: 0, end: 0 };
  const parsed = parseYaml(uri, value, 0, version);
  const header = fileText.slice(span.start, span.end);
  let mapOffset: (o: number) => number = () => span.start;
  if (/^[|>]/.test(header)) {
    const firstNl = fileText.indexOf('\n', span.start);
    const lineStarts: number[] = [];
    let pos = firstNl + 1;
    while (pos > 0 && pos <= span.end) {
      lineStarts.push(pos);
      const nl = fileText.indexOf('\n', pos);
      if (nl < 0 || nl >= span.end) break;
      pos = nl + 1;
    }
    const firstContent = lineStarts.find((s) => /\S/.test(fileText.slice(s, fileText.indexOf('\n', s) < 0 ? undefined : fileText.indexOf('\n', s))));
    const indent = firstContent === undefined ? 0 : /^ */.exec(fileText.slice(firstContent))![0].length;
    const valueLineStarts = [0];
    for (let i = 0; i < value.length; i++) if (value[i] === '\n') valueLineStarts.push(i + 1);
    mapOffset = (o) => {
      let line = 0;
      while (line + 1 < valueLineStarts.length && valueLineStarts[line + 1]! <= o) line++;
      const base = lineStarts[line];
      return base === undefined ? span.start : base + indent + (o - valueLineStarts[line]!);
    };
  }
  const remap = (s: Span): Span => ({ start: mapOffset(s.start), end: Math.max(mapOffset(s.start), mapOffset(Math.max(s.start, s.end - 1)) + 1) });
  const walk = (n: KNode | undefined): void => {
    if (!n) return;
    if (n.origin) n.origin = { uri: n.origin.uri, span: remap(n.origin.span) };
    if (n.kind === 'seq') n.items.forEach(walk);
    if (n.kind === 'map') {
      for (const e of n.entries) {
        if (e.keyOrigin) e.keyOrigin = { uri: e.keyOrigin.uri, span: remap(e.keyOrigin.span) };
        walk(e.value);
      }
    }
  };
  for (const d of parsed.docs) walk(d.node);
  const docs = parsed.docs.map((d) => ({ node: d.node, span: remap(d.span) }));
  return parsed.error ? { docs, error: { span: remap(parsed.error.span), message: parsed.error.message } } : { docs };
}

/** The objects of a YAML file as kustomize reads resources: List kinds inlined, kind and name required. */
export function resourcesFromFile(parsed: YamlFile, uri: string, what: string): Resource[] {
  const out: Resource[] = [];
  const queue: { node: KNode; span: Span }[] = [];
  for (const d of parsed.docs) if (d.node && !(d.node.kind === 'scalar' && d.node.value === null)) queue.push({ node: d.node, span: d.span });
  while (queue.length > 0) {
    const { node, span } = queue.shift()!;
    const at: Origin = { uri, span: node.origin?.span ?? span };
    if (node.kind !== 'map') fail('kustomize-build-failed', at, `${what}: a document is not a YAML mapping, so it is not a Kubernetes object`);
    const kind = scalarText(field(node, 'kind'));
    if (kind?.endsWith('List')) {
      const items = field(node, 'items');
      if (items?.kind === 'seq') for (const it of items.items) queue.push({ node: it, span: { start: it.origin?.span.start ?? span.start, end: it.origin?.span.end ?? span.end } });
      else if (items !== undefined && !(items.kind === 'scalar' && items.value === null)) fail('kustomize-build-failed', at, `${what}: expected a list in ${kind}/items`);
      continue;
    }
    if (!kind) fail('kustomize-build-failed', at, `${what}: missing kind in object`);
    const copy = clone(node as KMap);
    const r = new Resource(copy, at);
    if (!r.name) fail('kustomize-build-failed', field(field(copy, 'metadata'), 'name')?.origin ?? at, `${what}: missing metadata.name in object ${kind}`);
    out.push(r);
  }
  return out;
}

/** Adds resources to a list, failing on an id that is already there (kustomize's Append). */
export function appendAll(list: Resource[], add: readonly Resource[], at: (r: Resource) => Origin): void {
  const byKey = new Map(list.map((o) => [idKey(o.curId()), o]));
  for (const r of add) {
    const cur = r.curId();
    const key = idKey(cur);
    const other = byKey.get(key);
    byKey.set(key, r);
    if (other) {
      fail('kustomize-build-failed', at(r), `may not add resource with an already registered id: ${idString(cur)} is defined twice`, [
        { ...other.source, message: `${idString(cur)} is also defined here` },
      ]);
    }
    list.push(r);
  }
}
