/**
 * The benchmark's workspaces (the corpus and the generated ones; variants.ts adds the Kustomize
 * and Helm ones) and the single-thread parse floor every ratio is relative to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findManifestsSync } from '../../server/src/node/manifestFiles';
import { keystrokeCandidates } from './edits';
import { generateWorkspace } from './generate';
import { CORPUS, kb, log, type Workspace } from './common';

export function listFiles(dir: string): string[] {
  return findManifestsSync([dir]).files;
}

export function corpusWorkspace(): Workspace {
  const files = listFiles(CORPUS);
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  // The small file: the first (by path) 0.5–3 KB file with a Service selector edit.
  const small = files.filter((f) => {
    const size = fs.statSync(f).size;
    if (size < 500 || size > 3000) return false;
    const t = fs.readFileSync(f, 'utf8');
    return /^kind: Service\s*$/m.test(t) && keystrokeCandidates(t)[0]?.text === 'x';
  })[0];
  if (!small) throw new Error('no small Service file in the corpus');
  // The largest multi-document file.
  const multi = files.map((f) => ({ f, size: fs.statSync(f).size })).sort((a, b) => b.size - a.size)
    .find((x) => (fs.readFileSync(x.f, 'utf8').match(/^---/gm) ?? []).length >= 2)!;
  const argo = path.join(CORPUS, 'argoproj__argo-cd/manifests/install.yaml');
  const rel = (f: string) => path.relative(CORPUS, f);
  return {
    id: 'corpus', dir: CORPUS, files, bytes,
    keystrokeTargets: {
      small: { label: `small file (${rel(small)}, ${kb(small)})`, rel: rel(small) },
      large: { label: `largest multi-document file (${rel(multi.f)}, ${kb(multi.f)})`, rel: rel(multi.f) },
      full: { label: `largest multi-document file, full-text didChange (${rel(multi.f)})`, rel: rel(multi.f), fullText: true },
      typing: { label: `largest multi-document file, typing in a description (${rel(multi.f)})`, rel: rel(multi.f), typing: true },
      ...(fs.existsSync(argo) ? { argo: { label: `argo-cd install.yaml (${kb(argo)})`, rel: rel(argo) } } : {}),
    },
  };
}

export function generatedWorkspace(id: string, n: number): Workspace {
  const t = performance.now();
  const g = generateWorkspace(n);
  log(`${id}: ${g.reused ? 'reused' : 'generated'} ${g.dir}: ${g.resources} resources, ${g.files} files, ${(g.bytes / 1048576).toFixed(1)} MB (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  const files = listFiles(g.dir);
  const large = path.join(g.dir, g.facts.largeFile);
  const docs = (fs.readFileSync(large, 'utf8').match(/^---$/gm) ?? []).length + 1;
  return {
    id, dir: g.dir, files, bytes: g.bytes, resources: g.resources,
    keystrokeTargets: {
      small: { label: `small file (${g.facts.smallFile}, ${kb(path.join(g.dir, g.facts.smallFile))})`, rel: g.facts.smallFile },
      large: { label: `edit in the middle of a ${docs.toLocaleString('en')}-document file (${g.facts.largeFile}, ${kb(large)})`, rel: g.facts.largeFile },
      full: { label: `the same, full-text didChange (${g.facts.largeFile})`, rel: g.facts.largeFile, fullText: true },
    },
    cross: g.facts.crossFile,
  };
}

export interface FloorResult { ms: number; files: number; documents: number; mb: number; estimated?: { filesDone: number; capMs: number } }

/** Read + yaml.parseAllDocuments of every file; past `capMs`, stops and extrapolates by bytes. */
export function measureFloor(ws: Workspace, capMs: number): FloorResult {
  const t = performance.now();
  let documents = 0;
  let bytes = 0;
  let i = 0;
  for (; i < ws.files.length; i++) {
    if (performance.now() - t > capMs) break;
    const text = fs.readFileSync(ws.files[i]!, 'utf8');
    bytes += Buffer.byteLength(text);
    const d = parseAllDocuments(text);
    documents += Array.isArray(d) ? d.length : 0;
  }
  const ms = performance.now() - t;
  if (i === ws.files.length) return { ms, files: ws.files.length, documents, mb: bytes / 1048576 };
  return { ms: (ms * ws.bytes) / Math.max(1, bytes), files: ws.files.length, documents, mb: ws.bytes / 1048576, estimated: { filesDone: i, capMs } };
}
