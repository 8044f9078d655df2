/**
 * What the core needs from its environment. The language server implements it over open
 * documents and the file system; the CLI over the file system; tests over in-memory maps.
 * The core never touches `fs`, `vscode` or an LSP connection itself.
 */
export interface WorkspaceHost {
  /** URIs (or paths) of every candidate manifest in the workspace. */
  listFiles(): Promise<readonly string[]>;
  /** Current text of a file; undefined when it cannot be read (reported by the caller). */
  readFile(uri: string): Promise<FileContent | undefined>;
  /** Subscribe to changes; returns an unsubscribe function. Optional for one-shot hosts. */
  onDidChange?(listener: (change: FileChange) => void): () => void;
}

export interface FileContent {
  readonly text: string;
  /** A version or content stamp; equal versions mean equal text. */
  readonly version: number | string;
}

export type FileChange =
  | { readonly type: 'changed'; readonly uri: string }
  | { readonly type: 'deleted'; readonly uri: string };
