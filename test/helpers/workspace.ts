/**
 * In-memory workspaces: files by name under `file:///ws`, analysed by the Analyzer (the plain
 * view), by the variant-aware Workspace with its Kustomize driver, or by the workspace service on
 * a WorkspaceHost in memory (files by URI, a persisted index in a Map, changes reported like the
 * editor's file watcher). Also the small assertions on findings the rules tests share.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Analyzer } from '../../server/src/core/analyzer';
import { hover } from '../../server/src/core/features/hover';
import type { AnalysisSettings } from '../../server/src/core/rules/context';
import type { Finding } from '../../server/src/core/types';
import { KustomizeVariants, NO_DISK, type DiskView } from '../../server/src/core/variants/kustomizeVariants';
import { Workspace } from '../../server/src/core/variants/workspace';
import type { DiskRead, FileChange, Listing, StoredEntry, WorkspaceHost } from '../../server/src/service/host';
import type { EditorDocument, OpenDocuments } from '../../server/src/service/types';

export const ROOT = 'file:///ws';
export const WS = `${ROOT}/`;

/** The URI of a file of the in-memory workspace. */
export function uri(name: string): string {
  return `${ROOT}/${name}`;
}

/** A finding with its file name relative to the in-memory workspace root. */
export interface TestFinding extends Finding {
  readonly file: string;
}

/** Every finding of an analysis, each with its file name relative to `root`. */
export function findingsOf(analysis: { allFindings(): ReadonlyMap<string, readonly Finding[]> }, root = WS): TestFinding[] {
  const out: TestFinding[] = [];
  for (const [u, list] of analysis.allFindings()) {
    for (const f of list) out.push({ ...f, file: u.slice(root.length) });
  }
  return out;
}

/** Analyses in-memory files (name → text) as one workspace, plain (no variants). */
export function analyze(files: Record<string, string>, settings: Partial<AnalysisSettings> = {}): { analyzer: Analyzer; findings: TestFinding[] } {
  const analyzer = new Analyzer(settings);
  for (const [name, text] of Object.entries(files)) analyzer.updateFile(uri(name), 1, text);
  return { analyzer, findings: findingsOf(analyzer) };
}

/** What analyses take edits: the Analyzer and the Workspace. */
interface Editable {
  updateFile(uri: string, version: number | string, text: string): unknown;
  removeFile(uri: string): void;
  takeDirty(): Iterable<string>;
}

/** Writes (or, with undefined, removes) a file; returns the names of the files to re-publish. */
export function editFile(a: Editable, name: string, text: string | undefined, changed?: (uris: string[]) => void): string[] {
  if (text === undefined) a.removeFile(uri(name));
  else a.updateFile(uri(name), Math.random(), text);
  changed?.([uri(name)]);
  return [...a.takeDirty()].map((u) => u.slice(WS.length)).sort();
}

export interface LoadedWorkspace {
  readonly ws: Workspace;
  readonly k: KustomizeVariants;
  /** Writes (or, with undefined, removes) a file; returns the names of the files to re-publish. */
  edit(name: string, text: string | undefined): string[];
  all(): TestFinding[];
}

/** Analyses in-memory files as applied: the Workspace with its Kustomize variants rendered. */
export function loadWorkspace(files: Record<string, string>, settings: Partial<AnalysisSettings> = {}): LoadedWorkspace {
  const ws = new Workspace(settings);
  for (const [name, text] of Object.entries(files)) ws.updateFile(uri(name), 1, text);
  const k = new KustomizeVariants(ws, NO_DISK, ROOT);
  k.refresh();
  return { ws, k, edit: (name, text) => editFile(ws, name, text, (u) => k.changed(u)), all: () => findingsOf(ws) };
}

/** Findings of one code. */
export function withCode(findings: readonly TestFinding[], code: string): TestFinding[] {
  return findings.filter((f) => f.code === code);
}

/** Exactly one finding of this code; fails with the findings' messages otherwise. */
export function one(findings: readonly TestFinding[], code: string): TestFinding {
  const list = withCode(findings, code);
  assert.equal(list.length, 1, `expected one ${code}, got ${list.length}: ${JSON.stringify(list.map((f) => f.message))}`);
  return list[0]!;
}

/** No finding of this code (fails listing them). */
export function none(findings: readonly TestFinding[], code: string): void {
  assert.deepEqual(withCode(findings, code).map((f) => `${f.file}:${f.range.start.line}: ${f.message}`), []);
}

/** 0-based line of the first line containing `needle` (after `from`). */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split(/\r?\n/);
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i;
  throw new Error(`${needle} not in text`);
}

/** The text a finding's range covers. */
export function covered(files: Record<string, string>, f: TestFinding): string {
  const lines = files[f.file]!.split(/\r?\n/);
  if (f.range.start.line === f.range.end.line) return lines[f.range.start.line]!.slice(f.range.start.character, f.range.end.character);
  return lines[f.range.start.line]!.slice(f.range.start.character);
}

/** Hover markdown at the `occurrence`-th `needle` (+ delta characters) of a file; undefined without a hover. */
export function hoverAt(files: Record<string, string>, file: string, needle: string, delta = 1, occurrence = 0): string | undefined {
  const { analyzer } = analyze(files);
  const text = files[file]!;
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`${needle} (#${occurrence}) not in ${file}`);
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return hover(analyzer, uri(file), { line, character: before.length - before.lastIndexOf('\n') - 1 })?.contents;
}

/** Joins YAML documents; keeps tests readable. */
export function yaml(...docs: string[]): string {
  return docs.map((d) => d.replace(/^\n/, '')).join('---\n');
}

export class MemoryHost implements WorkspaceHost {
  readonly files = new Map<string, string>();
  /** Files that exist but cannot be read, with the reason. */
  readonly unreadable = new Map<string, string>();
  /** The persisted index (undefined: the host keeps none). */
  store: Map<string, StoredEntry> | undefined;
  /** How often each file was read. */
  readonly reads = new Map<string, number>();
  private roots: readonly string[] = [];
  private exclude: readonly string[] = [];
  private readonly listeners = new Set<(c: FileChange) => void>();

  /** Files and folders for the renderers (Kustomize JSON patches…); none by default. */
  readonly disk?: DiskView;

  constructor(files: Record<string, string> = {}, options: { persistent?: boolean; disk?: DiskView } = {}) {
    for (const [name, text] of Object.entries(files)) this.files.set(uri(name), text);
    if (options.persistent) this.store = new Map();
    if (options.disk) this.disk = options.disk;
  }

  setScope(roots: readonly string[], exclude: readonly string[]): void {
    this.roots = roots;
    this.exclude = exclude;
  }

  async list(): Promise<Listing> {
    const uris = [...this.files.keys(), ...this.unreadable.keys()].filter((u) => this.includes(u) && this.roots.some((r) => u.startsWith(`${r}/`))).sort();
    return { uris, problems: [] };
  }

  /** Exclude globs are folder or file names relative to a root (`charts`, `a.yaml`): enough for these tests. */
  includes(u: string): boolean {
    if (!/\.ya?ml$/.test(u)) return false;
    const root = this.roots.find((r) => u.startsWith(`${r}/`));
    if (!root) return true;
    const parts = u.slice(root.length + 1).split('/');
    return !parts.some((_, i) => this.exclude.includes(parts.slice(0, i + 1).join('/')));
  }

  async read(u: string, maxBytes: number): Promise<DiskRead> {
    return this.readSync(u, maxBytes);
  }

  readSync(u: string, maxBytes: number): DiskRead {
    this.reads.set(u, (this.reads.get(u) ?? 0) + 1);
    const reason = this.unreadable.get(u);
    if (reason !== undefined) return { type: 'unreadable', reason };
    const text = this.files.get(u);
    if (text === undefined) return { type: 'missing' };
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > maxBytes) return { type: 'too-large', bytes };
    return { type: 'text', text, hash: hashOf(text) };
  }

  onDidChange(listener: (c: FileChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get persistent(): boolean {
    return this.store !== undefined;
  }

  async loadIndex(): Promise<ReadonlyMap<string, StoredEntry>> {
    return new Map(this.store ?? []);
  }

  async saveIndex(entries: ReadonlyMap<string, StoredEntry>): Promise<void> {
    this.store = new Map(entries);
  }

  /** Writes a file and reports it, as a file watcher would. */
  write(name: string, text: string): void {
    const u = uri(name);
    const type = this.files.has(u) ? 'changed' : 'created';
    this.files.set(u, text);
    this.notify({ type, uri: u });
  }

  /** Deletes a file, or a folder (every file under it) with one change for the folder. */
  delete(name: string): void {
    const u = uri(name);
    for (const k of [...this.files.keys()]) if (k === u || k.startsWith(`${u}/`)) this.files.delete(k);
    this.notify({ type: 'deleted', uri: u });
  }

  notify(change: FileChange): void {
    for (const l of [...this.listeners]) l(change);
  }
}

export function hashOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Open editor documents, as the LSP layer's TextDocuments keeps them. */
export class MemoryDocuments implements OpenDocuments {
  private readonly docs = new Map<string, EditorDocument>();

  get(u: string): EditorDocument | undefined {
    return this.docs.get(u);
  }

  all(): EditorDocument[] {
    return [...this.docs.values()];
  }

  set(u: string, text: string, version: number): EditorDocument {
    const doc = { uri: u, version, getText: () => text };
    this.docs.set(u, doc);
    return doc;
  }

  close(u: string): void {
    this.docs.delete(u);
  }
}
