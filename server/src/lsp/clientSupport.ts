import { CodeActionKind, TextDocumentSyncKind, type InitializeParams, type ServerCapabilities } from 'vscode-languageserver';
import { SERVER_COMMANDS, VSCODE_EXTENSION_CLIENT, type KubeTrafficInitializationOptions } from '../protocol/messages';

/** What the client said it supports (its capabilities) and who it is (initializationOptions). */
export interface ClientSupport {
  /** workspace/configuration: the server pulls `kubeTraffic` and `files`. */
  readonly configuration: boolean;
  /** Dynamic registration of workspace/didChangeConfiguration (VS Code; not eglot, not Neovim). */
  readonly configurationRegistration: boolean;
  /** Dynamic registration of workspace/didChangeWatchedFiles file watchers. */
  readonly watcherRegistration: boolean;
  readonly workDoneProgress: boolean;
  readonly workspaceFolders: boolean;
  /** window/showDocument (Neovim ≥ 0.8, VS Code; not Neovim 0.7). */
  readonly showDocument: boolean;
  /** The Kube Traffic VS Code extension (under code-server too, where clientInfo differs). */
  readonly vscodeExtension: boolean;
  readonly storagePath?: string;
  /** The workspace is trusted: helm may render its charts (absent from other editors: trusted). */
  readonly trusted: boolean;
}

export function readClientSupport(p: InitializeParams): ClientSupport {
  const ws = p.capabilities.workspace;
  const opts = (p.initializationOptions ?? undefined) as Partial<Record<keyof KubeTrafficInitializationOptions, unknown>> | undefined;
  return {
    configuration: !!ws?.configuration,
    configurationRegistration: !!ws?.didChangeConfiguration?.dynamicRegistration,
    watcherRegistration: !!ws?.didChangeWatchedFiles?.dynamicRegistration,
    workDoneProgress: !!p.capabilities.window?.workDoneProgress,
    workspaceFolders: !!ws?.workspaceFolders,
    showDocument: !!p.capabilities.window?.showDocument?.support,
    vscodeExtension: opts?.client === VSCODE_EXTENSION_CLIENT,
    trusted: opts?.trusted !== false,
    ...(typeof opts?.storagePath === 'string' && opts.storagePath ? { storagePath: opts.storagePath } : {}),
  };
}

export function serverCapabilities(client: ClientSupport): ServerCapabilities {
  return {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    hoverProvider: true,
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    codeLensProvider: { resolveProvider: false },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    // The VS Code extension runs its lens commands itself (and vscode-languageclient would register
    // these as VS Code commands); other editors ask the server to run them.
    ...(client.vscodeExtension ? {} : { executeCommandProvider: { commands: [...SERVER_COMMANDS] } }),
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}
