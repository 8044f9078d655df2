import { sortFindings } from '../core/analyzer';
import type { CancellationToken, Finding } from '../core/types';

/**
 * One analysis whose findings are published. Today the workspace's Analyzer is the only one;
 * later analyses (one per rendered variant of the workspace) publish through the same pass.
 */
export interface FindingSource {
  /** Files whose findings may have changed since the last call; clears the set. */
  takeDirty(): Iterable<string>;
  /** True when the file is part of this analysis. */
  has(uri: string): boolean;
  findings(uri: string, token: CancellationToken): readonly Finding[];
}

/** Where findings go: `findings` empty means the file has none (any shown before are cleared). */
export interface FindingSink {
  publish(uri: string, findings: readonly Finding[]): void;
  error(message: string): void;
}

export interface FindingCounts { errors: number; warnings: number; infos: number }

/**
 * Publishes the findings of every analysed file, not only open ones. A change anywhere schedules
 * a pass (debounced); a pass works in slices and yields between them so hovers and other requests
 * are answered meanwhile; a newer change abandons the running pass. Only files whose findings
 * changed are sent, and documents just opened (see republish).
 */
export class FindingsPublisher {
  private readonly published = new Map<string, string>();
  /** Files sent again in the next pass (see republish) whose last message showed findings. */
  private readonly shownBefore = new Set<string>();
  private readonly counts = new Map<string, FindingCounts>();
  /** Files to re-check and publish: the sources' dirty files, kept until a pass reaches them. */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private runId = 0;
  private running = false;
  private priority: string[] = [];
  onPassDone?: (counts: FindingCounts) => void;
  /**
   * While true (the workspace is being loaded), passes wait: findings against a half-loaded index
   * would be wrong (a Service whose pods are in a file not read yet "selects nothing"). The
   * loader schedules a pass when it is done.
   */
  deferWhile?: () => boolean;

  constructor(
    private readonly sink: FindingSink,
    /** The analyses to publish; the list may change between passes. */
    private readonly analyses: () => readonly FindingSource[],
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
   * Sends a document's findings again in the next pass, even if unchanged: some clients (Eglot)
   * show a file's diagnostics only from messages that arrive while it is open.
   */
  republish(uri: string): void {
    // Findings shown are still cleared when the file goes (or has none) before the next pass.
    const sent = this.published.get(uri);
    if (sent !== undefined && sent !== '[]') this.shownBefore.add(uri);
    this.published.delete(uri);
    this.pending.add(uri);
  }

  /** Clears a removed file's findings. */
  clear(uri: string): void {
    this.counts.delete(uri);
    this.pending.delete(uri);
    const shown = this.shownBefore.delete(uri);
    if (this.published.delete(uri) || shown) this.sink.publish(uri, []);
  }

  /** True while files wait to be checked (a pass is due or running). */
  get busy(): boolean {
    return this.pending.size > 0 || this.running || this.timer !== undefined;
  }

  dispose(): void {
    this.runId++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private analysed(uri: string): boolean {
    return this.analyses().some((s) => s.has(uri));
  }

  private findings(uri: string, token: CancellationToken): readonly Finding[] {
    const sources = this.analyses();
    if (sources.length === 1) return sources[0]!.findings(uri, token);
    const all: Finding[] = [];
    for (const s of sources) if (s.has(uri)) all.push(...s.findings(uri, token));
    return sortFindings(all);
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
      for (const s of this.analyses()) for (const uri of s.takeDirty()) this.pending.add(uri);
      const first = this.priority.filter((u) => this.pending.has(u));
      this.priority = [];
      const order = [...new Set([...first, ...this.pending])];
      const token = { isCancellationRequested: false };
      Object.defineProperty(token, 'isCancellationRequested', { get: () => id !== this.runId });
      let sliceStart = Date.now();
      for (const uri of order) {
        if (id !== this.runId) return;
        if (!this.analysed(uri)) {
          this.clear(uri);
          continue;
        }
        let findings;
        try {
          findings = this.findings(uri, token);
        } catch (e) {
          // One file's failure must not stop the others' findings (nor the server).
          this.sink.error(`Kube Traffic: checking ${uri} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
          this.pending.delete(uri);
          continue;
        }
        if (id !== this.runId) return;
        this.counts.set(uri, count(findings));
        if (findings.length === 0 && !this.isOpen(uri)) {
          // Nothing to show and nothing shown before: no message (most files of a workspace).
          // Open documents always get one, so the client knows the latest text was checked.
          if (this.published.delete(uri) || this.shownBefore.has(uri)) this.sink.publish(uri, []);
        } else {
          const key = JSON.stringify(findings);
          if (this.published.get(uri) !== key) {
            this.published.set(uri, key);
            this.sink.publish(uri, findings);
          }
        }
        this.shownBefore.delete(uri);
        this.pending.delete(uri);
        if (Date.now() - sliceStart > 8) {
          await new Promise((r) => setImmediate(r));
          sliceStart = Date.now();
        }
      }
      for (const uri of [...this.published.keys()]) if (!this.analysed(uri)) this.clear(uri);
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

function count(findings: readonly Finding[]): FindingCounts {
  const c = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') c.errors++;
    else if (f.severity === 'warning') c.warnings++;
    else if (f.severity === 'information') c.infos++;
  }
  return c;
}
