import type { Workspace } from '../core/variants/workspace';
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
  /** How Helm charts are rendered; absent: not rendered. */
  readonly helm?: HelmConfig;
}

/** Helm rendering (kubeTraffic.helm.*, the CLI's --helm / --no-helm), as the renderer takes it. */
export interface HelmConfig {
  readonly enabled: boolean;
  /** Why it is off, for the templates' `template-skipped`. */
  readonly disabledBecause?: 'untrusted' | 'disabled';
  readonly path?: string;
  readonly valuesFiles: readonly string[];
  readonly releaseName?: string;
  readonly namespace?: string;
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  /** Quiet time after the last change before rendering again. */
  readonly debounceMs?: number;
  /** helm's time limit per render (default 20 s). */
  readonly timeoutMs?: number;
}

/** Something that keeps variants of the workspace current in the background (Helm). */
export interface VariantRenderer {
  changed(uris: ReadonlySet<string>): void;
  /** Resolves when nothing is pending (the CLI waits before it reports). */
  whenIdle(): Promise<void>;
  dispose(): void;
}

/** Makes the renderers of a workspace (the front end knows how: Helm runs on the Node side). */
export type RendererFactory = (ctx: {
  readonly workspace: Workspace;
  /** Variant names are relative to it. */
  readonly root: string;
  readonly settings: ServiceSettings;
  /** A render changed the workspace's variants: publish again. */
  rendered(): void;
  log(message: string): void;
}) => readonly VariantRenderer[];

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
  /** The renderers of variants that run programs (Helm); none by default. */
  readonly renderers?: RendererFactory;
}
