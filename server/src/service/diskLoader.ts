import type { Workspace } from '../core/variants/workspace';
import { fromStored, toStored } from '../core/model/fileModel';
import type { DiskProblem, DiskRead, ModelPool, StoredEntry, WorkspaceHost } from './host';

export interface DiskLoaderContext {
  readonly maxFileBytes: () => number;
  /** An open editor wins over disk: a read that finishes after the document opened is dropped. */
  readonly isOpen: (uri: string) => boolean;
  /** The file is gone: out of the analysis, its findings cleared. */
  readonly drop: (uri: string) => void;
  readonly log: (level: 'warning' | 'error', message: string) => void;
  readonly skipBodies: boolean;
  readonly workers: boolean;
  readonly syncReads: boolean;
  readonly unreadable: 'finding' | 'report';
}

/**
 * Reads files of the workspace through the host into the analyzer: the first load (from the
 * persisted index when a file's content hash is unchanged, else modelled by a worker thread or
 * here), single files later (a watched change, an editor closed), and the persisted index itself.
 */
export class DiskLoader {
  /** Content hash of each file as read from disk, for the persisted index. */
  private readonly diskHashes = new Map<string, string>();
  private stored: ReadonlyMap<string, StoredEntry> | undefined;
  private pool: ModelPool | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  /** Files left out of the analysis because they could not be read ('report' mode). */
  readonly skipped = new Map<string, DiskProblem>();
  /** The latest read of each file being read again: an older one that finishes later is dropped. */
  private readonly reloads = new Map<string, number>();
  private reloadCount = 0;

  constructor(private readonly host: WorkspaceHost, private readonly analyzer: Workspace, private readonly ctx: DiskLoaderContext) {}

  /** Before a first load: the persisted index (once), and the worker threads. */
  async prepare(): Promise<void> {
    if (this.host.persistent && !this.stored) this.stored = await this.host.loadIndex();
    if (this.ctx.workers && !this.pool) {
      try {
        this.pool = this.host.createPool?.();
      } catch (e) {
        this.ctx.log('warning', `Kube Traffic: no worker threads (${String(e)}); indexing on the main thread.`);
      }
    }
  }

  /** After a first load: the workers' heaps are freed (edits are modelled here); the index is saved. */
  finish(): void {
    void this.pool?.dispose();
    this.pool = undefined;
    this.scheduleSave();
  }

  /**
   * First load of a file: from the persisted index when its content hash is unchanged, otherwise
   * modelled by a worker thread, or here when there are none. With `syncReads`, reads on this
   * thread are synchronous (small reads are much cheaper than round trips; the caller yields
   * between batches).
   */
  async loadInitial(uri: string): Promise<void> {
    const cached = this.stored?.get(uri);
    const pool = this.pool?.usable ? this.pool : undefined;
    if (cached || !pool) {
      const read = this.ctx.syncReads ? this.host.readSync(uri, this.ctx.maxFileBytes()) : await this.host.read(uri, this.ctx.maxFileBytes());
      if (!this.ctx.syncReads && this.ctx.isOpen(uri)) return; // opened meanwhile: the editor wins
      if (read.type === 'text' && cached && read.hash === cached.hash) {
        this.skipped.delete(uri);
        this.diskHashes.set(uri, read.hash);
        this.analyzer.addFileModel(uri, fromStored(uri, read.text, cached.stored));
        return;
      }
      if (!pool || read.type !== 'text') {
        this.apply(uri, read);
        return;
      }
    }
    const res = await pool.run({ uri, maxBytes: this.ctx.maxFileBytes(), skipBodies: this.ctx.skipBodies });
    if (this.ctx.isOpen(uri)) return; // opened meanwhile: the editor wins
    if (res.type === 'model') {
      this.skipped.delete(uri);
      this.diskHashes.set(uri, res.hash);
      this.analyzer.addFileModel(uri, fromStored(uri, res.text, res.stored));
    } else {
      this.apply(uri, res);
    }
  }

  /** Reads one file again (it changed on disk, or its editor closed). */
  async reload(uri: string): Promise<void> {
    const id = ++this.reloadCount;
    this.reloads.set(uri, id);
    const read = await this.host.read(uri, this.ctx.maxFileBytes());
    // Read again since, or deleted meanwhile: this read is out of date.
    if (this.reloads.get(uri) !== id) return;
    this.reloads.delete(uri);
    if (this.ctx.isOpen(uri)) return; // opened meanwhile: the editor wins
    this.apply(uri, read);
    if (read.type === 'text') this.scheduleSave();
  }

  /** The file, or every file under the folder, was deleted: reads of them still running are dropped. */
  forget(uriOrFolder: string): void {
    const prefix = uriOrFolder.endsWith('/') ? uriOrFolder : `${uriOrFolder}/`;
    for (const u of [...this.reloads.keys()]) if (u === uriOrFolder || u.startsWith(prefix)) this.reloads.delete(u);
  }

  private apply(uri: string, read: DiskRead): void {
    if (read.type === 'text') {
      this.skipped.delete(uri);
      this.diskHashes.set(uri, read.hash);
      this.analyzer.updateFile(uri, 'disk', read.text);
    } else if (this.ctx.unreadable === 'report') {
      this.skipped.set(uri, read);
      this.analyzer.removeFile(uri);
    } else if (read.type === 'missing') {
      this.ctx.drop(uri);
    } else {
      this.analyzer.markSkipped(uri, read.type === 'too-large' ? tooLarge('file', read.bytes, this.ctx.maxFileBytes()) : read.reason);
    }
  }

  /** Writes the persisted index a little after the workspace settles. */
  scheduleSave(): void {
    if (!this.host.persistent) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const entries = new Map<string, StoredEntry>();
      for (const uri of this.analyzer.index.uris()) {
        const f = this.analyzer.index.file(uri)!;
        const hash = this.diskHashes.get(uri);
        if (hash && !this.ctx.isOpen(uri) && f.slices.length) entries.set(uri, { hash, stored: toStored(f) });
      }
      this.host.saveIndex(entries).catch((e) => this.ctx.log('warning', `Kube Traffic: could not save the index: ${String(e)}`));
    }, 2000);
    this.saveTimer.unref?.();
  }

  dispose(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    void this.pool?.dispose();
    this.pool = undefined;
  }
}

/** The message of a file or document over kubeTraffic.maxFileSize. */
export function tooLarge(what: 'file' | 'document', bytes: number, maxBytes: number): string {
  return `the ${what} is ${formatSize(bytes)}, over kubeTraffic.maxFileSize (${formatSize(maxBytes)})`;
}

export function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
