import type { Workspace } from '../core/variants/workspace';

export interface CompletionContext {
  /** While true (the workspace is loading), nothing is completed. */
  readonly paused: () => boolean;
  readonly isOpen: (uri: string) => boolean;
  /** A file's findings may have changed (its bodies were parsed). */
  readonly completed: (uri: string) => void;
  /** The round is over: every partial file is complete. */
  readonly roundDone: () => void;
}

/**
 * Large documents no rule reads (CRD schemas) are indexed by their identity only, which keeps
 * indexing and typing fast; once the editor is idle their bodies are parsed for YAML errors, one
 * file per turn of the event loop, open documents first.
 */
export class BackgroundCompletion {
  private timer: NodeJS.Timeout | undefined;
  private queue: string[] = [];

  constructor(private readonly analyzer: Workspace, private readonly ctx: CompletionContext) {}

  /** An edited file that is partial again goes first in the running round. */
  prioritise(uri: string): void {
    if (this.analyzer.index.file(uri)?.partial) this.queue.unshift(uri);
  }

  schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.ctx.paused()) return;
      if (this.queue.length === 0) {
        // A new round: open documents first.
        this.queue = this.analyzer.index.partialFiles().sort((a, b) => Number(this.ctx.isOpen(b)) - Number(this.ctx.isOpen(a)));
        if (this.queue.length === 0) return;
      }
      // One file per turn: requests go first, and only one file's syntax tree is alive at a time.
      const uri = this.queue.shift()!;
      if (this.analyzer.completeFile(uri)) this.ctx.completed(uri);
      if (this.queue.length > 0) this.schedule(0);
      else this.ctx.roundDone();
    }, delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }
}
