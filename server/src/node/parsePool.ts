import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StoredFileModel } from '../core/model/fileModel';

export interface WorkerRequest {
  readonly id: number;
  readonly uri: string;
  readonly path: string;
  /** When set, the worker models this text instead of reading the file. */
  readonly text?: string;
  readonly maxBytes: number;
  readonly skipBodies: boolean;
}

export type WorkerResponse =
  | { readonly id: number; readonly text: string; readonly hash: string; readonly stored: StoredFileModel; readonly skipped?: undefined; readonly missing?: undefined }
  | { readonly id: number; readonly skipped: string; readonly missing?: undefined; readonly text?: undefined }
  | { readonly id: number; readonly missing: true; readonly skipped?: undefined; readonly text?: undefined };

/**
 * A small pool of worker threads (one per core) that read and model files. The main thread keeps
 * only indexing and answering requests, so the editor stays responsive while a workspace loads.
 */
export class ParsePool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (r: WorkerResponse) => void>();
  private readonly load: number[] = [];
  private nextId = 1;
  private broken = false;

  constructor(script: string, size = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(script);
      w.on('message', (r: WorkerResponse) => {
        this.load[i]!--;
        const cb = this.pending.get(r.id);
        this.pending.delete(r.id);
        cb?.(r);
      });
      w.on('error', () => this.fail());
      w.unref();
      this.workers.push(w);
      this.load.push(0);
    }
  }

  get usable(): boolean {
    return !this.broken && this.workers.length > 0;
  }

  run(req: Omit<WorkerRequest, 'id'>): Promise<WorkerResponse> {
    const id = this.nextId++;
    // The least loaded worker.
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    this.load[best]!++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.workers[best]!.postMessage({ ...req, id });
    });
  }

  private fail(): void {
    this.broken = true;
    for (const [id, cb] of this.pending) cb({ id, skipped: 'the parsing worker failed' });
    this.pending.clear();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
