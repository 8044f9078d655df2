import type { Workspace } from '../core/variants/workspace';
import type { EditorDocument } from './types';

interface RunningUpdate {
  /** A newer version that arrived meanwhile: indexed when this one is done, reusing its work. */
  latest: EditorDocument | undefined;
  cancelled: boolean;
}

/**
 * Puts editor text into the index. A large document is parsed over several turns of the event
 * loop, at most `sliceMs` at a time, so hovers and other requests are answered in between (a new
 * 0.9 MB document of 5,000 objects otherwise holds the server for over a second). Until it is
 * done, requests see the previous model of that file.
 */
export class EditorIndexer {
  private readonly running = new Map<string, RunningUpdate>();

  constructor(
    private readonly analyzer: Workspace,
    /** Called once the document's text is in the index. */
    private readonly indexed: (uri: string) => void,
    private readonly stepwiseFrom = 200_000,
    private readonly sliceMs = 20,
  ) {}

  /** True while a large document is being parsed over several turns. */
  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Indexes the document now when it is small, else over the next turns; then calls `indexed`. */
  index(doc: EditorDocument): void {
    const run = this.running.get(doc.uri);
    if (run) {
      run.latest = doc;
      return;
    }
    const text = doc.getText();
    if (text.length < this.stepwiseFrom) {
      this.indexNow(doc);
      return;
    }
    const steps = this.analyzer.fileModelSteps(doc.uri, doc.version, text);
    if (!steps) {
      this.indexed(doc.uri);
      return;
    }
    const state: RunningUpdate = { latest: undefined, cancelled: false };
    this.running.set(doc.uri, state);
    const turn = (): void => {
      if (state.cancelled) return;
      const until = performance.now() + this.sliceMs;
      for (;;) {
        const step = steps.next();
        if (step.done) {
          this.running.delete(doc.uri);
          this.analyzer.addFileModel(doc.uri, step.value);
          this.indexed(doc.uri);
          if (state.latest) this.index(state.latest);
          return;
        }
        if (performance.now() >= until) {
          setImmediate(turn);
          return;
        }
      }
    };
    turn();
  }

  /** Indexes the document synchronously, replacing any update still running for it. */
  indexNow(doc: EditorDocument): void {
    this.cancel(doc.uri);
    this.analyzer.updateFile(doc.uri, doc.version, doc.getText());
    this.indexed(doc.uri);
  }

  /** Drops a running update (the document was closed, or it is being replaced): its result is never indexed. */
  cancel(uri: string): void {
    const run = this.running.get(uri);
    if (!run) return;
    run.cancelled = true;
    this.running.delete(uri);
  }

  cancelAll(): void {
    for (const uri of [...this.running.keys()]) this.cancel(uri);
  }
}
