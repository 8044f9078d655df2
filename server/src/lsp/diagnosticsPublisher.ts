import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { Analyzer } from '../core/analyzer';
import { toDiagnostic } from './convert';

/**
 * Publishes diagnostics for every indexed file, not only open ones. A change anywhere schedules a
 * pass (debounced); a pass works in slices and yields between them so hovers and other requests
 * are answered meanwhile; a newer change abandons the running pass. Only files whose diagnostics
 * changed are sent, and documents just opened (see republish).
 */
export class DiagnosticsPublisher {
  private readonly published = new Map<string, string>();
  private readonly counts = new Map<string, { errors: number; warnings: number; infos: number }>();
  /** Files to re-check and publish: the analyzer's dirty files, kept until a pass reaches them. */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private runId = 0;
  private running = false;
  private priority: string[] = [];
  onPassDone?: (counts: { errors: number; warnings: number; infos: number }) => void;
  /**
   * While true (the workspace is being loaded), passes wait: findings against a half-loaded index
   * would be wrong (a Service whose pods are in a file not read yet "selects nothing"). The
   * loader schedules a pass when it is done.
   */
  deferWhile?: () => boolean;

  constructor(
    private readonly connection: Connection,
    private readonly analyzer: Analyzer,
    private readonly isOpen: (uri: string) => boolean = () => false,
    private readonly debounceMs = 15,
  ) {}

  /** Schedules a pass; `first` URIs (the edited and open documents) are published before the rest. */
  schedule(first: readonly string[] = []): void {
    this.priority = [...new Set([...first, ...this.priority])];
    this.runId++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pass(this.runId);
    }, this.debounceMs);
  }

  /**
   * Sends a document's diagnostics again in the next pass, even if unchanged: some clients (Eglot)
   * show a file's diagnostics only from messages that arrive while it is open.
   */
  republish(uri: string): void {
    this.published.delete(uri);
    this.pending.add(uri);
  }

  /** Clears a removed file's diagnostics. */
  clear(uri: string): void {
    this.counts.delete(uri);
    this.pending.delete(uri);
    if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** True while files wait to be checked (a pass is due or running). */
  get busy(): boolean {
    return this.pending.size > 0 || this.running || this.timer !== undefined;
  }

  private async pass(id: number): Promise<void> {
    if (this.deferWhile?.()) return;
    if (this.running) {
      // The running pass notices the new id and stops; this one starts when it has.
      setTimeout(() => { if (id === this.runId) void this.pass(id); }, 5);
      return;
    }
    this.running = true;
    try {
      for (const uri of this.analyzer.takeDirty()) this.pending.add(uri);
      const first = this.priority.filter((u) => this.pending.has(u));
      this.priority = [];
      const order = [...new Set([...first, ...this.pending])];
      const token = { isCancellationRequested: false };
      Object.defineProperty(token, 'isCancellationRequested', { get: () => id !== this.runId });
      let sliceStart = Date.now();
      for (const uri of order) {
        if (id !== this.runId) return;
        if (!this.analyzer.index.file(uri)) {
          this.clear(uri);
          continue;
        }
        let findings;
        try {
          findings = this.analyzer.findings(uri, token);
        } catch (e) {
          // One file's failure must not stop the others' diagnostics (nor the server).
          this.connection.console.error(`Kube Traffic: checking ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
          this.pending.delete(uri);
          continue;
        }
        if (id !== this.runId) return;
        const c = { errors: 0, warnings: 0, infos: 0 };
        for (const f of findings) {
          if (f.severity === 'error') c.errors++;
          else if (f.severity === 'warning') c.warnings++;
          else if (f.severity === 'information') c.infos++;
        }
        this.counts.set(uri, c);
        if (findings.length === 0 && !this.isOpen(uri)) {
          // Nothing to show and nothing shown before: no message (most files of a workspace).
          // Open documents always get one, so the client knows the latest text was checked.
          if (this.published.has(uri)) {
            this.published.delete(uri);
            void this.connection.sendDiagnostics({ uri, diagnostics: [] });
          }
        } else {
          const diagnostics: Diagnostic[] = findings.map(toDiagnostic);
          const key = JSON.stringify(diagnostics);
          if (this.published.get(uri) !== key) {
            this.published.set(uri, key);
            void this.connection.sendDiagnostics({ uri, diagnostics });
          }
        }
        this.pending.delete(uri);
        if (Date.now() - sliceStart > 8) {
          await new Promise((r) => setImmediate(r));
          sliceStart = Date.now();
        }
      }
      for (const uri of [...this.published.keys()]) if (!this.analyzer.index.file(uri)) this.clear(uri);
      if (id === this.runId) {
        const total = { errors: 0, warnings: 0, infos: 0 };
        for (const c of this.counts.values()) {
          total.errors += c.errors;
          total.warnings += c.warnings;
          total.infos += c.infos;
        }
        this.onPassDone?.(total);
      }
    } finally {
      this.running = false;
    }
  }
}
