import type { AnalysisSettings } from '../core/rules/context';
import type { Finding } from '../core/types';

/** An editor's document: its text wins over the file on disk while it is open. */
export interface EditorDocument {
  readonly uri: string;
  readonly version: number;
  getText(): string;
}

/** The documents open in the editor (the LSP layer's TextDocuments is one). */
export interface OpenDocuments {
  get(uri: string): EditorDocument | undefined;
  all(): EditorDocument[];
}

export const NO_DOCUMENTS: OpenDocuments = { get: () => undefined, all: () => [] };

export interface ServiceSettings {
  readonly analysis: AnalysisSettings;
  /** Globs relative to each root of the workspace. */
  readonly exclude: readonly string[];
  /** Larger files (UTF-8 bytes, on disk or in an editor) are skipped with one finding. */
  readonly maxFileBytes: number;
}

/** Loading progress, then problem counts: the protocol's status notification carries it as is. */
export type WorkspaceStatus =
  | { readonly type: 'indexing'; readonly done: number; readonly total: number }
  | {
      readonly type: 'ready';
      readonly files: number;
      readonly resources: number;
      readonly errors: number;
      readonly warnings: number;
      readonly infos: number;
      /** Milliseconds the first full index took (only on the first 'ready'). */
      readonly indexMs?: number;
    };

export interface ProgressReporter {
  report(percentage: number, message: string): void;
  done(): void;
}

/** What the service tells its front end (the LSP layer). Every member is optional: the CLI listens to none. */
export interface ServiceListener {
  /** A file's findings changed; an empty list clears them. Without it, nothing is published. */
  publish?(uri: string, findings: readonly Finding[]): void;
  status?(status: WorkspaceStatus): void;
  /** A progress display for one loading run of `total` files. */
  beginProgress?(total: number): Promise<ProgressReporter | undefined>;
  log?(level: 'warning' | 'error', message: string): void;
}

export interface ServiceOptions {
  readonly settings?: ServiceSettings;
  /**
   * Index large documents no rule reads (CRD schemas) by their identity, and parse their bodies
   * for YAML errors in the background once idle: the editor's mode. The CLI parses everything.
   */
  readonly skipBodies?: boolean;
  /** Model files on the host's worker threads during the first load (when it offers them). */
  readonly workers?: boolean;
  /**
   * Read files synchronously during the first load, yielding between batches: the editor's start
   * (several times fewer round trips). The CLI reads asynchronously: on the 23 MB corpus its peak
   * memory is about 40 MB lower that way, at the same speed.
   */
  readonly syncReads?: boolean;
  /**
   * A file that cannot be read: a `file-skipped` finding on it (the editor), or left out of the
   * analysis and listed by skippedFiles() (the CLI reports it on stderr).
   */
  readonly unreadable?: 'finding' | 'report';
  /** The editor's open documents; none by default. */
  readonly documents?: OpenDocuments;
  /**
   * The folder (a `file:` URI) variant names are relative to (contracts.md: the CLI's current
   * directory); by default the first workspace folder.
   */
  readonly variantRoot?: string;
}
