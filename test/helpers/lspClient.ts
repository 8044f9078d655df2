import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  PublishDiagnosticsNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification,
  ShutdownRequest, ExitNotification, ConfigurationRequest, WorkDoneProgressCreateRequest, RegistrationRequest,
  type ProtocolConnection, type Diagnostic, type PublishDiagnosticsParams, type ClientCapabilities,
  type InitializeResult, type Registration,
} from 'vscode-languageserver-protocol/node';
import { StatusNotification } from '../../server/src/protocol/messages';

export const SERVER = path.resolve(__dirname, '../../server/out/server.js');

export interface LspSession {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly diagnostics: Map<string, Diagnostic[]>;
  /** Every textDocument/publishDiagnostics, in order. */
  readonly publishes: PublishDiagnosticsParams[];
  readonly notifications: { method: string; params: unknown }[];
  /** Every client/registerCapability the server sent, in order. */
  readonly registrations: Registration[];
  /** The server's answer to `initialize`. */
  readonly initializeResult: InitializeResult;
  /** Resolves when `uri` has diagnostics satisfying `pred` (checked on every publish). */
  waitForDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Settings the server reads through workspace/configuration. */
  settings: { kubeTraffic: Record<string, unknown>; files: Record<string, unknown> };
  open(uri: string, text: string, version?: number): void;
  change(uri: string, text: string, version: number): void;
  stop(): Promise<void>;
}

/** How the test client introduces itself; by default like the VS Code extension (see DEFAULT_CAPABILITIES). */
export interface ClientIdentity {
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: Record<string, unknown>;
}

/** The capabilities the test client announces unless told otherwise (the subset VS Code has). */
export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
  window: { workDoneProgress: true },
  textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] } },
};

/** Starts `server/out/server.js --stdio` as an editor would and initializes it on a folder. */
export async function startServer(folder: string, settings: LspSession['settings'] = { kubeTraffic: {}, files: {} }, identity: ClientIdentity = {}): Promise<LspSession> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const notifications: { method: string; params: unknown }[] = [];
  const waiters: { uri: string; pred: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const registrations: Registration[] = [];
  const publishes: PublishDiagnosticsParams[] = [];
  const session: Omit<LspSession, 'initializeResult'> & { initializeResult?: InitializeResult } = {
    connection, process: proc, diagnostics, publishes, notifications, settings, registrations,
    waitForDiagnostics(uri, pred, timeoutMs = 10000) {
      const now = diagnostics.get(uri);
      if (now && pred(now)) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const w = { uri, pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) { waiters.splice(i, 1); reject(new Error(`timed out waiting for diagnostics of ${uri}: ${JSON.stringify(diagnostics.get(uri)?.map((d) => d.code))}`)); }
        }, timeoutMs);
      });
    },
    open(uri, text, version = 1) {
      void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
    },
    change(uri, text, version) {
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        void connection.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
      setTimeout(() => proc.kill(), 500).unref();
      connection.dispose();
    },
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
    publishes.push(p);
    diagnostics.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p.diagnostics)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p.diagnostics); }
    }
  });
  connection.onNotification(StatusNotification.type, (params) => {
    notifications.push({ method: StatusNotification.method, params });
    // The server publishes nothing for a clean file it never published: after a complete pass
    // ('ready'), such a file's diagnostics are the empty list.
    if ((params as { type?: string }).type !== 'ready') return;
    for (const w of [...waiters]) {
      if (!diagnostics.has(w.uri) && w.pred([])) { waiters.splice(waiters.indexOf(w), 1); w.resolve([]); }
    }
  });
  connection.onNotification('window/logMessage', (params: unknown) => { notifications.push({ method: 'window/logMessage', params }); });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'files' ? session.settings.files : session.settings.kubeTraffic)));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onRequest(RegistrationRequest.type, (p) => { registrations.push(...p.registrations); });
  connection.onNotification('$/progress', (p: unknown) => { notifications.push({ method: '$/progress', params: p }); });
  connection.listen();
  const uri = pathToFileURL(folder).href;
  session.initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: path.basename(folder) }],
    capabilities: identity.capabilities ?? DEFAULT_CAPABILITIES,
    ...(identity.initializationOptions ? { initializationOptions: identity.initializationOptions } : {}),
  });
  void connection.sendNotification(InitializedNotification.type, {});
  return session as LspSession;
}
