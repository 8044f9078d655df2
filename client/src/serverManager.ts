import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  GraphRequest, StatusNotification, VSCODE_EXTENSION_CLIENT, type GraphResponse, type KubeTrafficInitializationOptions,
} from '../../server/src/protocol/messages';
import type { GraphSource } from './topologyPanel';
import { CrashPolicy, MAX_RESTARTS } from './crashPolicy';
import { RESTART_COMMAND, type StatusBar } from './statusBar';
import { ruleLinkMiddleware } from './ruleDocs';

const CLIENT_ID = 'kubeTraffic'; // also the prefix of the `kubeTraffic.trace.server` setting
const CLIENT_NAME = 'Kube Traffic';

/** What happened to the server process so far (exported to the end-to-end tests). */
export interface ServerStats {
  /** Unexpected exits that were answered with a restart. */
  readonly restarts: number;
  /** Crash warnings shown to the user (at most one per burst). */
  readonly crashNotices: number;
}

/** Owns the LanguageClient: creation, crash policy, manual restart. */
export class ServerManager implements vscode.Disposable, GraphSource {
  private client: LanguageClient | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each complete diagnostics pass, i.e. whenever the workspace model changed. */
  readonly onDidChange = this.changed.event;
  private readonly policy = new CrashPolicy();
  private readonly serverModule: string;
  private readonly watcher: vscode.FileSystemWatcher;
  private restarts = 0;
  private crashNotices = 0;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly statusBar: StatusBar,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.serverModule = context.asAbsolutePath('server/out/server.js');
    this.watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,tpl,json}');
  }

  async start(): Promise<void> {
    if (!fs.existsSync(this.serverModule)) {
      const reason = `the language server bundle is missing (${this.serverModule}). Run \`npm run build\`.`;
      this.output.error(reason);
      this.statusBar.stopped(reason);
      void vscode.window.showErrorMessage(`Kube Traffic: ${reason}`);
      return;
    }
    const client = this.createClient();
    this.client = client;
    this.statusBar.starting();
    try {
      await client.start();
    } catch (error) {
      // Already logged by the client; the status bar says what to do next.
      this.output.error(`Starting the language server failed: ${String(error)}`);
      if (this.client === client) this.statusBar.stopped('the language server failed to start. See the "Kube Traffic" output.');
    }
  }

  /** `kubeTraffic.restartServer`: a fresh start, with a clean crash history. */
  async restart(): Promise<void> {
    this.policy.reset();
    const old = this.client;
    if (old && old.isRunning()) {
      this.statusBar.starting();
      try {
        await old.restart();
        return;
      } catch (error) {
        this.output.error(`Restarting the language server failed: ${String(error)}`);
      }
    }
    // Stopped, gave up after crashes, or failed to start: replace the client.
    this.client = undefined;
    if (old) await old.dispose().catch(() => undefined);
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.dispose().catch(() => undefined);
  }

  stats(): ServerStats {
    return { restarts: this.restarts, crashNotices: this.crashNotices };
  }

  /** The running client, for feature requests; undefined while stopped. */
  running(): LanguageClient | undefined {
    const client = this.client;
    return client && client.isRunning() ? client : undefined;
  }

  async getGraph(variant: string | undefined): Promise<GraphResponse | undefined> {
    return this.running()?.sendRequest(GraphRequest.type, variant !== undefined ? { variant } : {});
  }

  dispose(): void {
    void this.stop();
    this.watcher.dispose();
    this.changed.dispose();
  }

  private createClient(): LanguageClient {
    const serverOptions: ServerOptions = {
      run: { module: this.serverModule, transport: TransportKind.ipc },
      debug: {
        module: this.serverModule,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6009'] },
      },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
      ],
      synchronize: {
        fileEvents: this.watcher,
        // The server pulls its settings with workspace/configuration (sections `kubeTraffic` and
        // `files`); this makes the client tell it when they change, so they apply live.
        configurationSection: ['kubeTraffic', 'files.exclude'],
      },
      initializationOptions: {
        // The server keeps its persisted index (keyed by content hash) in the extension's storage.
        storagePath: (this.context.storageUri ?? this.context.globalStorageUri).fsPath,
        // Code lenses with codicons and this extension's commands (other editors get plain ones).
        client: VSCODE_EXTENSION_CLIENT,
        // Restricted Mode: the server never runs helm (granting trust restarts it, see extension.ts).
        trusted: vscode.workspace.isTrusted,
      } satisfies KubeTrafficInitializationOptions,
      outputChannel: this.output,
      outputChannelName: CLIENT_NAME,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      errorHandler: this.errorHandler(),
      middleware: ruleLinkMiddleware(),
    };
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    client.onNotification(StatusNotification.type, (status) => {
      if (this.client !== client) return;
      this.statusBar.update(status);
      if (status.type === 'ready') this.changed.fire();
    });
    client.onDidChangeState((event) => {
      if (this.client !== client) return;
      if (event.newState === State.Starting) this.statusBar.starting();
    });
    return client;
  }

  /**
   * Restarts a crashed server up to MAX_RESTARTS times in 3 minutes, with at most one short
   * warning per burst of crashes, then gives up with one error message (and a Restart button).
   * Every message is marked `handled` so the client only logs it, never adds its own dialog.
   */
  private errorHandler(): ErrorHandler {
    return {
      error: (_error, _message, count): ErrorHandlerResult => {
        // Transient read/write errors: keep going; persistent ones shut the connection down,
        // which the crash policy below then sees as a close.
        if (count !== undefined && count <= 3) return { action: ErrorAction.Continue, handled: true };
        return { action: ErrorAction.Shutdown, handled: true, message: 'Kube Traffic: the connection to the language server keeps failing; shutting it down.' };
      },
      closed: (): CloseHandlerResult => {
        const decision = this.policy.crashed(Date.now());
        if (decision.restart) {
          this.restarts++;
          if (decision.notify) {
            this.crashNotices++;
            void vscode.window.showWarningMessage('Kube Traffic: the language server stopped unexpectedly and was restarted.', 'Show Output')
              .then((choice) => { if (choice) this.output.show(true); });
          }
          return {
            action: CloseAction.Restart,
            handled: true,
            message: `The language server stopped unexpectedly; restarting it (crash ${decision.crashesInWindow} within 3 minutes).`,
          };
        }
        const reason = `the language server crashed ${MAX_RESTARTS + 1} times in 3 minutes and was not restarted.`;
        this.statusBar.stopped(reason);
        void vscode.window.showErrorMessage(`Kube Traffic: ${reason}`, 'Restart', 'Show Output').then((choice) => {
          if (choice === 'Restart') void vscode.commands.executeCommand(RESTART_COMMAND);
          else if (choice === 'Show Output') this.output.show(true);
        });
        return { action: CloseAction.DoNotRestart, handled: true, message: `Kube Traffic: ${reason}` };
      },
    };
  }
}
