/**
 * LSP sessions for tests: the built server (`server/out/server.js --stdio`, or an installed bin)
 * started as an editor starts it, on one folder or several, and what an editor sends and hears:
 * documents, watched-file events, settings, diagnostics, status and progress notifications.
 * Every session's timers are unref'd; `stop()` waits for the process to exit (SIGKILL after 3 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before } from 'node:test';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  PublishDiagnosticsNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  DidChangeWatchedFilesNotification, DidChangeConfigurationNotification, DidChangeWorkspaceFoldersNotification,
  ShutdownRequest, ExitNotification, ConfigurationRequest, WorkDoneProgressCreateRequest, RegistrationRequest, WorkspaceFoldersRequest,
  FileChangeType, type ProtocolConnection, type Diagnostic, type PublishDiagnosticsParams, type ClientCapabilities,
  type InitializeResult, type Registration, type TextDocumentContentChangeEvent, type FileEvent,
} from 'vscode-languageserver-protocol/node';
import { StatusNotification } from '../../server/src/protocol/messages';

export { FileChangeType };

export const SERVER = path.resolve(__dirname, '../../server/out/server.js');

export interface LspSession {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** The latest publish per URI. */
  readonly diagnostics: Map<string, Diagnostic[]>;
  /** Every textDocument/publishDiagnostics, in order. */
  readonly publishes: PublishDiagnosticsParams[];
  /** Status, log and progress notifications, in order. */
  readonly notifications: { method: string; params: unknown }[];
  /** Every client/registerCapability the server sent, in order. */
  readonly registrations: Registration[];
  /** The server's answer to `initialize`. */
  readonly initializeResult: InitializeResult;
  /** What the server wrote to stderr (the last 64 KB). */
  readonly stderr: () => string;
  /** Resolves when `uri` has diagnostics satisfying `pred` (checked now and on every publish). */
  waitForDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Settings the server reads through workspace/configuration. */
  settings: LspSettings;
  open(uri: string, text: string, version?: number): void;
  /** The whole new text of an open document. */
  change(uri: string, text: string, version: number): void;
  /** Content changes of an open document (ranged or whole), applied by the server in order. */
  edit(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void;
  /**
   * The workspace folders change: answers workspace/workspaceFolders with `folders` from now on
   * and sends workspace/didChangeWorkspaceFolders with what was added and removed.
   */
  setFolders(folders: readonly string[]): void;
  stop(): Promise<void>;
}

export interface LspSettings {
  kubeTraffic: Record<string, unknown>;
  files: Record<string, unknown>;
}

/** How the test client introduces itself; by default like the VS Code extension (see DEFAULT_CAPABILITIES). */
export interface ClientIdentity {
  readonly capabilities?: ClientCapabilities;
  readonly initializationOptions?: Record<string, unknown>;
  /** The server to start: a `.js` file run by this Node, or an executable; server/out/server.js by default. */
  readonly server?: string;
}

/** The capabilities the test client announces unless told otherwise (the subset VS Code has). */
export const DEFAULT_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
  window: { workDoneProgress: true },
  textDocument: { publishDiagnostics: { relatedInformation: true }, hover: { contentFormat: ['markdown'] } },
};

/** The default capabilities plus `workspace.workspaceFolders` (sessions started on a list of folders). */
export const MULTI_ROOT_CAPABILITIES: ClientCapabilities = {
  ...DEFAULT_CAPABILITIES,
  workspace: { ...DEFAULT_CAPABILITIES.workspace, workspaceFolders: true },
};

const folderOf = (f: string) => ({ uri: pathToFileURL(f).href, name: path.basename(f) });

/** setTimeout that does not keep the test process alive. */
function timer(fn: () => void, ms: number): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Starts the server as an editor would and initializes it on a folder, or on a list of folders
 * (then the client also announces `workspace.workspaceFolders`, and setFolders() changes them).
 * Rejects with the server's stderr when it exits before answering `initialize`.
 */
export async function startServer(folders: string | readonly string[], settings: LspSettings = { kubeTraffic: {}, files: {} }, identity: ClientIdentity = {}): Promise<LspSession> {
  const multi = typeof folders !== 'string';
  let current = multi ? [...folders] : [folders];
  const server = identity.server ?? SERVER;
  const proc = server.endsWith('.js')
    ? spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn(server, ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let spawnError: Error | undefined;
  proc.once('error', (e) => { spawnError = e; });
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr = (stderr + d).slice(-65536); });
  proc.stdin!.on('error', () => undefined); // a server that died: reported by the exit below
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const notifications: { method: string; params: unknown }[] = [];
  const waiters: { uri: string; pred: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  const registrations: Registration[] = [];
  const publishes: PublishDiagnosticsParams[] = [];
  const send = <P>(type: { method: string }, params: P) => void connection.sendNotification(type as never, params as never).catch(() => undefined);
  const session: Omit<LspSession, 'initializeResult'> & { initializeResult?: InitializeResult } = {
    connection, process: proc, diagnostics, publishes, notifications, settings, registrations,
    stderr: () => stderr,
    waitForDiagnostics(uri, pred, timeoutMs = 10000) {
      const now = diagnostics.get(uri);
      if (now && pred(now)) return Promise.resolve(now);
      return new Promise((resolve, reject) => {
        const w = { uri, pred, resolve };
        waiters.push(w);
        timer(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) { waiters.splice(i, 1); reject(new Error(`timed out waiting for diagnostics of ${uri}: ${JSON.stringify(diagnostics.get(uri)?.map((d) => d.code))}`)); }
        }, timeoutMs);
      });
    },
    open(uri, text, version = 1) {
      send(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
    },
    change(uri, text, version) {
      send(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    edit(uri, version, contentChanges) {
      send(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
    },
    setFolders(next) {
      const before = new Set(current);
      const after = new Set(next);
      current = [...next];
      send(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: next.filter((f) => !before.has(f)).map(folderOf), removed: [...before].filter((f) => !after.has(f)).map(folderOf) },
      });
    },
    async stop() {
      try {
        await Promise.race([connection.sendRequest(ShutdownRequest.type), new Promise((r) => timer(() => r(undefined), 5000))]);
        await connection.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
      await new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        timer(() => proc.kill('SIGKILL'), 3000);
      });
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
  connection.onNotification('$/progress', (p: unknown) => { notifications.push({ method: '$/progress', params: p }); });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'files' ? session.settings.files : session.settings.kubeTraffic)));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onRequest(RegistrationRequest.type, (p) => { registrations.push(...p.registrations); });
  connection.onRequest(WorkspaceFoldersRequest.type, () => current.map(folderOf));
  connection.listen();
  const exited = new Promise<never>((_, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code, signal) => reject(new Error(`the server exited before initialize was answered (${code ?? signal}): ${stderr.slice(0, 2000)}`)));
  });
  exited.catch(() => undefined);
  try {
    session.initializeResult = await Promise.race([exited, connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: folderOf(current[0]!).uri, workspaceFolders: current.map(folderOf),
      capabilities: identity.capabilities ?? (multi ? MULTI_ROOT_CAPABILITIES : DEFAULT_CAPABILITIES),
      ...(identity.initializationOptions ? { initializationOptions: identity.initializationOptions } : {}),
    })]);
  } catch (e) {
    // A server that cannot start makes the write fail (EPIPE) before its exit is seen: say why.
    await sleep(300);
    connection.dispose();
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    if (spawnError) throw new Error(`could not start the server ${server}: ${spawnError.message}`);
    throw proc.exitCode !== null ? new Error(`the server exited (${proc.exitCode}): ${stderr.slice(0, 2000)}`) : e;
  }
  send(InitializedNotification.type, {});
  return session as LspSession;
}

/** Starts a server for a whole test file (before), stops it after; the proxy forwards to it. */
export function serverPerFile(folders: string | readonly string[], settings?: LspSettings, identity?: ClientIdentity): LspSession {
  let session: LspSession | undefined;
  before(async () => {
    session = await startServer(folders, settings, identity);
    await waitReady(session);
  });
  after(async () => {
    await session?.stop();
  });
  return new Proxy({} as LspSession, {
    get(_, key) {
      if (!session) throw new Error('the server is not started yet (before() has not run)');
      const v: unknown = Reflect.get(session, key);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(session) : v;
    },
    set(_, key, value) {
      if (!session) throw new Error('the server is not started yet (before() has not run)');
      return Reflect.set(session, key, value);
    },
  });
}

/** session.waitForDiagnostics with a shorter default timeout. */
export function waitDiag(s: LspSession, uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs = 8000): Promise<Diagnostic[]> {
  return s.waitForDiagnostics(uri, pred, timeoutMs);
}

/** Polls until `pred` holds (or throws after `timeoutMs`). */
export async function until<T>(what: string, pred: () => T | undefined | false, timeoutMs = 10000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export interface StatusReady { type: 'ready'; files: number; resources: number; errors: number; warnings: number; infos: number; indexMs?: number }

export function statuses(s: LspSession): { type: string; [k: string]: unknown }[] {
  return s.notifications.filter((n) => n.method === StatusNotification.method).map((n) => n.params as { type: string });
}

/** The latest StatusNotification 'ready' so far. */
export function lastReady(s: LspSession): StatusReady | undefined {
  const st = statuses(s).filter((x) => x.type === 'ready');
  return st[st.length - 1] as unknown as StatusReady | undefined;
}

/** Waits for a StatusNotification 'ready' after the first `after` notifications of the session. */
export function waitReady(s: LspSession, after = 0, timeoutMs = 15000): Promise<StatusReady> {
  return until(`${StatusNotification.method} ready`, () => s.notifications.slice(after)
    .find((n) => n.method === StatusNotification.method && (n.params as { type: string }).type === 'ready')?.params as StatusReady | undefined, timeoutMs);
}

/**
 * Waits for a 'ready' status after the first `after` notifications, then until nothing (status,
 * log, progress or diagnostics) has arrived for `quietMs`; returns the latest 'ready'.
 */
export async function settle(s: LspSession, after: number, quietMs = 1000, timeoutMs = 60000): Promise<StatusReady> {
  await waitReady(s, after, timeoutMs);
  const fp = () => `${s.notifications.length}|${s.publishes.length}`;
  let last = fp();
  let since = Date.now();
  const end = Date.now() + timeoutMs;
  while (Date.now() - since < quietMs) {
    if (Date.now() > end) throw new Error('the server never went quiet');
    await sleep(Math.min(50, quietMs / 4));
    const now = fp();
    if (now !== last) { last = now; since = Date.now(); }
  }
  return lastReady(s)!;
}

/** Reports changes on disk, as the editor's file watcher does. */
export function watched(s: LspSession, changes: FileEvent[]): void {
  void s.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes }).catch(() => undefined);
}

/** Tells the server its settings changed (it re-reads them through workspace/configuration). */
export function configChanged(s: LspSession): void {
  void s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null }).catch(() => undefined);
}

export function close(s: LspSession, uri: string): void {
  void s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } }).catch(() => undefined);
}

/**
 * Records every publish of diagnostics for `uri` from now on, for `ms` milliseconds (the session
 * keeps only the latest publish per URI; its waitForDiagnostics predicate sees each one).
 */
export function recordPublishes(s: LspSession, uri: string, ms = 15000): { at: number; diagnostics: Diagnostic[] }[] {
  const seen: { at: number; diagnostics: Diagnostic[] }[] = [];
  let armed = false;
  s.waitForDiagnostics(uri, (d) => { if (armed) seen.push({ at: performance.now(), diagnostics: d }); return false; }, ms).catch(() => undefined);
  armed = true;
  return seen;
}

/** A diagnostic's message as text (LSP 3.18 allows MarkupContent). */
export function msg(d: Diagnostic | undefined): string {
  const m = d?.message;
  return typeof m === 'string' ? m : m?.value ?? '';
}

export const codes = (d: readonly Diagnostic[] | undefined) => (d ?? []).map((x) => String(x.code));
export const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);
export const lacks = (code: string) => (d: Diagnostic[]) => !d.some((x) => x.code === code);
