import assert from 'node:assert/strict';
import type { Origin, RenderedDocument, SourceMapping } from '../../server/src/core/render/types';
import { KustomizeEngine, type KustomizeRender } from '../../server/src/core/kustomize';
import { MemoryFiles } from './kustomizeFs';
import { parseObjects, type Obj } from './kustomizeOracle';

export const lines = (...l: string[]): string => `${l.join('\n')}\n`;

export interface Rendered {
  readonly r: KustomizeRender;
  readonly files: MemoryFiles;
  readonly engine: KustomizeEngine;
  readonly objects: Obj[];
  /** The rendered object of that kind and (rendered) name; fails the test when missing. */
  get(kind: string, name: string): Obj;
  doc(kind: string, name: string): RenderedDocument;
}

/** Renders the kustomization in `root` of an in-memory workspace (`file:///ws`). */
export function render(files: Record<string, string>, root = 'ov'): Rendered {
  const f = new MemoryFiles(files);
  const engine = new KustomizeEngine(f, f.root);
  const r = engine.render(f.uri(root === '.' ? 'kustomization.yaml' : `${root}/kustomization.yaml`));
  return wrap(r, f, engine);
}

export function wrap(r: KustomizeRender, files: MemoryFiles, engine: KustomizeEngine): Rendered {
  const docs = r.documents ?? [];
  const objects = docs.map((d) => parseObjects(d.text)[0]!);
  const index = (kind: string, name: string) => {
    const i = objects.findIndex((o) => o.kind === kind && (o.metadata as Obj | undefined)?.name === name);
    assert.ok(i >= 0, `no ${kind} ${name} in ${objects.map((o) => `${String(o.kind)} ${String((o.metadata as Obj).name)}`).join(', ')}; problems: ${r.problems.map((p) => p.message).join(' | ')}`);
    return i;
  };
  return { r, files, engine, objects, get: (k, n) => objects[index(k, n)]!, doc: (k, n) => docs[index(k, n)]! };
}

/** A field by path (`spec.template.metadata.labels`, numeric segments index lists). */
export function at(o: unknown, path: string): unknown {
  let cur = o;
  for (const k of path.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = Array.isArray(cur) ? cur[Number(k)] : (cur as Obj)[k];
  }
  return cur;
}

/** The source text an origin points at. */
export function source(files: MemoryFiles, o: Origin): string {
  return (files.read(o.uri) ?? '').slice(o.span.start, o.span.end);
}

/** The innermost mapping that covers the `nth` occurrence of `needle` in the rendered text. */
export function mappingOf(doc: RenderedDocument, needle: string, nth = 0): SourceMapping {
  let pos = -1;
  for (let i = 0; i <= nth; i++) {
    pos = doc.text.indexOf(needle, pos + 1);
    assert.ok(pos >= 0, `${JSON.stringify(needle)} (#${nth}) not in:\n${doc.text}`);
  }
  const covering = doc.map.filter((m) => m.span.start <= pos && pos + needle.length <= m.span.end);
  assert.ok(covering.length > 0, `no mapping covers ${JSON.stringify(needle)}`);
  return covering.reduce((a, b) => (b.span.end - b.span.start <= a.span.end - a.span.start ? b : a));
}

/** Where a rendered piece of text came from: `file:text at origin`. */
export function originOf(r: Rendered, kind: string, name: string, needle: string, nth = 0): string {
  const m = mappingOf(r.doc(kind, name), needle, nth);
  return `${m.origin.uri.slice(r.files.root.length + 1)}:${source(r.files, m.origin)}`;
}

export function errors(r: KustomizeRender): { code: string; message: string; uri: string; span: Origin['span'] }[] {
  return r.problems.filter((p) => p.severity === 'error').map((p) => ({ code: p.code, message: p.message, uri: p.uri, span: p.span }));
}
