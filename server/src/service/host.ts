/**
 * What the workspace service needs from its environment: list the workspace's manifests, read
 * them, hear of changes, keep the persisted index, and (optionally) model files on other threads.
 * node/nodeHost.ts implements it over the file system for the language server and the CLI; tests
 * implement it in memory. Neither the service nor the core touches `fs` themselves.
 */
import type { StoredFileModel } from '../core/model/fileModel';
import type { DiskView } from '../core/variants/kustomizeVariants';

/** A file as read from disk. `hash` (SHA-1 of its bytes) keys the persisted index. */
export type DiskRead =
  | { readonly type: 'text'; readonly text: string; readonly hash: string }
  | DiskProblem;

/** Why a file has no text: over the size limit, unreadable (binary, not UTF-8, permission denied), or gone. */
export type DiskProblem =
  | { readonly type: 'too-large'; readonly bytes: number }
  | { readonly type: 'unreadable'; readonly reason: string }
  | { readonly type: 'missing' };

export interface Listing {
  /** Every manifest under the roots, minus excluded ones, in walk order, each once. */
  readonly uris: readonly string[];
  /** What could not be walked (a root among them: the root itself could not be read). */
  readonly problems: readonly { readonly uri: string; readonly reason: string }[];
}

/** A change on disk; a deleted folder arrives as one change for the folder. */
export interface FileChange {
  readonly type: 'created' | 'changed' | 'deleted';
  readonly uri: string;
}

/** One file of the persisted index: its model, valid while its content hash is unchanged. */
export interface StoredEntry {
  readonly hash: string;
  readonly stored: StoredFileModel;
}

/** A file read and modelled elsewhere (a worker thread), or why it could not be. */
export type ModelResult =
  | { readonly type: 'model'; readonly text: string; readonly hash: string; readonly stored: StoredFileModel }
  | DiskProblem;

/** Threads that read and model files while the main thread indexes and answers requests. */
export interface ModelPool {
  /** False once a thread has failed: the caller reads on its own thread instead. */
  readonly usable: boolean;
  run(request: { readonly uri: string; readonly maxBytes: number; readonly skipBodies: boolean }): Promise<ModelResult>;
  dispose(): Promise<void>;
}

export interface WorkspaceHost {
  /** The workspace: root folders (or files) by URI, and exclude globs relative to each root. */
  setScope(roots: readonly string[], exclude: readonly string[]): void;
  /** The manifests of the scope. */
  list(): Promise<Listing>;
  /** True when a URI is a manifest file of the scope (or a file outside every root). */
  includes(uri: string): boolean;
  read(uri: string, maxBytes: number): Promise<DiskRead>;
  /** The same read, on this thread: cheaper than a round trip when many small files are read in a row. */
  readSync(uri: string, maxBytes: number): DiskRead;
  /** Subscribes to changes on disk; returns the unsubscribe function. */
  onDidChange(listener: (change: FileChange) => void): () => void;
  /** True when the host keeps a persisted index (loadIndex/saveIndex do something). */
  readonly persistent: boolean;
  /** The persisted index; empty when there is none, or it is damaged or from another version. */
  loadIndex(): Promise<ReadonlyMap<string, StoredEntry>>;
  saveIndex(entries: ReadonlyMap<string, StoredEntry>): Promise<void>;
  /** Worker threads for the first load, when the host has them and they pay off (may throw). */
  createPool?(): ModelPool | undefined;
  /**
   * Files that are not manifests (a kustomization's JSON patches and generator inputs) and
   * directories, for the renderers; absent: only the manifests are known.
   */
  readonly disk?: DiskView;
}
