/**
 * A WorkspaceHost in memory, for tests of the workspace service without a file system or LSP:
 * files by URI, a persisted index in a Map, and changes reported like the editor's file watcher.
 */
import { createHash } from 'node:crypto';
import type { DiskRead, FileChange, Listing, StoredEntry, WorkspaceHost } from '../../server/src/service/host';
import type { EditorDocument, OpenDocuments } from '../../server/src/service/types';

export const ROOT = 'file:///ws';

export function uri(name: string): string {
  return `${ROOT}/${name}`;
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

  constructor(files: Record<string, string> = {}, options: { persistent?: boolean } = {}) {
    for (const [name, text] of Object.entries(files)) this.files.set(uri(name), text);
    if (options.persistent) this.store = new Map();
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
