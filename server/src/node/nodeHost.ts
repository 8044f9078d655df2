import { existsSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import type { DiskView } from '../core/variants/kustomizeVariants';
import type { DiskRead, FileChange, Listing, ModelPool, StoredEntry, WorkspaceHost } from '../service/host';
import { IndexStore } from './indexStore';
import { MANIFEST_EXTENSIONS, findManifestsSync, readManifest, readManifestSync } from './manifestFiles';
import { ParsePool } from './parsePool';

export interface NodeHostOptions {
  /** Folder of the persisted index; none without it. */
  readonly storageDir?: string;
  /** The persisted index is thrown away when it was written by another version. */
  readonly engineVersion?: string;
  /** Worker threads for the first load: a number, or undefined for the default (KT_PARSE_WORKERS, else by cores). */
  readonly workers?: number;
  /** The bundled worker (default: parseWorker.js beside this bundle). */
  readonly workerScript?: string;
}

interface Root {
  readonly folder: string;
  readonly isExcluded: (rel: string) => boolean;
}

/**
 * The workspace on the local file system, for the language server and the CLI. Changes are not
 * polled: in an editor the client's file watcher reports them (workspace/didChangeWatchedFiles),
 * and the LSP layer hands them to notify().
 */
/** Non-manifest files a render reads (a JSON patch, a generator input) are read up to this size. */
const MAX_DISK_READ = 4 * 1048576;

/** Files and folders as the renderers see them: synchronous, never throwing, `file:` URIs only. */
export const NODE_DISK: DiskView = {
  read(uri) {
    const p = toPath(uri);
    if (!p) return undefined;
    try {
      const st = statSync(p);
      return st.isFile() && st.size <= MAX_DISK_READ ? readFileSync(p, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  exists: (uri) => {
    const p = toPath(uri);
    return p !== undefined && existsSync(p);
  },
  isDirectory(uri) {
    const p = toPath(uri);
    try {
      return p !== undefined && statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
};

export class NodeHost implements WorkspaceHost {
  readonly disk: DiskView = NODE_DISK;
  private roots: Root[] = [];
  private excludes = false;
  private readonly listeners = new Set<(change: FileChange) => void>();
  private readonly store: IndexStore | undefined;

  constructor(private readonly options: NodeHostOptions = {}) {
    this.store = options.storageDir ? new IndexStore(options.storageDir, options.engineVersion ?? 'dev') : undefined;
  }

  setScope(roots: readonly string[], exclude: readonly string[]): void {
    this.excludes = exclude.length > 0;
    const m = exclude.length ? picomatch(exclude.map((g) => g.replace(/^\.\//, '')), { dot: true }) : () => false;
    this.roots = roots.filter((u) => u.startsWith('file:')).map((u) => ({
      folder: fileURLToPath(u),
      isExcluded: (rel: string) => m(rel) || m(`${rel}/`),
    }));
  }

  async list(): Promise<Listing> {
    const byFolder = new Map(this.roots.map((r) => [r.folder, r]));
    const walk = findManifestsSync(this.roots.map((r) => r.folder), this.excludes ? (abs, root) => excluded(byFolder.get(root)!, abs) : undefined);
    return {
      uris: walk.files.map((f) => pathToFileURL(f).href),
      problems: walk.problems.map((p) => ({ uri: pathToFileURL(p.path).href, reason: p.reason })),
    };
  }

  includes(uri: string): boolean {
    if (!uri.startsWith('file:') || !MANIFEST_EXTENSIONS.test(uri)) return false;
    const p = fileURLToPath(uri);
    const owner = this.roots.find((r) => p === r.folder || p.startsWith(r.folder + path.sep));
    if (!owner) return true; // a file opened from outside the workspace folders
    return !excluded(owner, p);
  }

  read(uri: string, maxBytes: number): Promise<DiskRead> {
    const file = toPath(uri);
    return file === undefined ? Promise.resolve(notAFile(uri)) : readManifest(file, maxBytes);
  }

  readSync(uri: string, maxBytes: number): DiskRead {
    const file = toPath(uri);
    return file === undefined ? notAFile(uri) : readManifestSync(file, maxBytes);
  }

  onDidChange(listener: (change: FileChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reports a change on disk (from the editor's file watcher) to the subscribers. */
  notify(change: FileChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  get persistent(): boolean {
    return this.store !== undefined;
  }

  async loadIndex(): Promise<ReadonlyMap<string, StoredEntry>> {
    return this.store ? this.store.load() : new Map();
  }

  async saveIndex(entries: ReadonlyMap<string, StoredEntry>): Promise<void> {
    await this.store?.save(entries);
  }

  createPool(): ModelPool | undefined {
    // KT_PARSE_WORKERS: number of worker threads (0 = index on the main thread); default one per core.
    const env = process.env.KT_PARSE_WORKERS;
    // Measured on 2 cores: the main thread alone indexes as fast as with workers, with less memory
    // (duplicated JIT warm-up and heaps), so workers start only where there are more cores.
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const size = this.options.workers
      ?? (env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.max(0, Math.min(4, cores - 1)) * Number(cores > 2));
    if (size === 0) return undefined;
    return new ParsePool(this.options.workerScript ?? path.join(__dirname, 'parseWorker.js'), size);
  }
}

/** A glob may name the file or any folder above it, relative to the root. */
function excluded(root: Root, p: string): boolean {
  const rel = path.relative(root.folder, p).split(path.sep).join('/');
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) if (root.isExcluded(parts.slice(0, i).join('/'))) return true;
  return false;
}

function toPath(uri: string): string | undefined {
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function notAFile(uri: string): DiskRead {
  return { type: 'unreadable', reason: `not a file on disk: ${uri}` };
}
