import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ModelPool, ModelResult } from '../service/host';

export interface WorkerRequest {
  readonly id: number;
  readonly uri: string;
  readonly maxBytes: number;
  readonly skipBodies: boolean;
}

export type WorkerResponse = ModelResult & { readonly id: number };

/**
 * A small pool of worker threads (one per core) that read and model files. The main thread keeps
 * only indexing and answering requests, so the editor stays responsive while a workspace loads.
 */
export class ParsePool implements ModelPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (r: ModelResult) => void>();
  private readonly load: number[] = [];
  private nextId = 1;
  private broken = false;

  constructor(script: string, size = Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length))) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(script);
      w.on('message', (r: WorkerResponse) => {
        if (--this.load[i]! === 0) w.unref();
        const cb = this.pending.get(r.id);
        this.pending.delete(r.id);
        cb?.(r);
      });
      w.on('error', () => this.fail());
      // An idle worker does not keep the process alive; one with work does (until it answers).
      w.unref();
      this.workers.push(w);
      this.load.push(0);
    }
  }

  get usable(): boolean {
    return !this.broken && this.workers.length > 0;
  }

  run(req: Omit<WorkerRequest, 'id'>): Promise<ModelResult> {
    const id = this.nextId++;
    // The least loaded worker.
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    if (this.load[best]!++ === 0) this.workers[best]!.ref();
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.workers[best]!.postMessage({ ...req, id } satisfies WorkerRequest);
    });
  }

  private fail(): void {
    this.broken = true;
    for (const w of this.workers) w.unref();
    for (const cb of this.pending.values()) cb({ type: 'unreadable', reason: 'the parsing worker failed' });
    this.pending.clear();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
