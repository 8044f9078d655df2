/**
 * Shared helpers of the LSP tests (not a test file itself): fixture paths and URIs, temp copies,
 * positions by text, applying WorkspaceEdits in memory, and small protocol shortcuts the session
 * helper (test/helpers/lspClient.ts) does not offer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  PublishDiagnosticsNotification, ShutdownRequest, ExitNotification, ConfigurationRequest, WorkDoneProgressCreateRequest,
  RegistrationRequest, DidChangeWatchedFilesNotification, DidChangeConfigurationNotification, DidCloseTextDocumentNotification,
  WorkspaceFoldersRequest, FileChangeType,
  type Diagnostic, type Position, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { SERVER, type LspSession } from '../helpers/lspClient';
import { StatusNotification } from '../../server/src/protocol/messages';

export const FIXTURES = path.resolve(__dirname, 'fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** The file: URI of a path relative to a folder. */
export function uriOf(folder: string, rel: string): string {
  return pathToFileURL(path.join(folder, rel)).href;
}

export function read(folder: string, rel: string): string {
  return fs.readFileSync(path.join(folder, rel), 'utf8');
}

/** A private copy of a fixture in os.tmpdir(), for tests that write files. */
export function tempCopy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kt-lsp-${name}-`));
  fs.cpSync(fixture(name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Position of the `occurrence`-th (0-based) `needle` in `text`, plus `delta` characters. */
export function posOf(text: string, needle: string, occurrence = 0, delta = 0): Position {
  let idx = -1;
  for (let i = 0; i <= occurrence; i++) {
    idx = text.indexOf(needle, idx + 1);
    if (idx < 0) throw new Error(`${JSON.stringify(needle)} #${occurrence} not found`);
  }
  idx += delta;
  const before = text.slice(0, idx);
  const line = before.split('\n').length - 1;
  return { line, character: idx - (before.lastIndexOf('\n') + 1) };
}

/** 0-based line of the `occurrence`-th line containing `needle`. */
export function lineOf(text: string, needle: string, occurrence = 0): number {
  return posOf(text, needle, occurrence).line;
}

function offsetAt(text: string, p: Position): number {
  const lines = text.split('\n');
  let off = 0;
  for (let i = 0; i < p.line; i++) off += lines[i]!.length + 1;
  return off + p.character;
}

/** Applies LSP TextEdits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].map((e) => ({ s: offsetAt(text, e.range.start), e: offsetAt(text, e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const x of sorted) out = out.slice(0, x.s) + x.t + out.slice(x.e);
  return out;
}

/** Applies a WorkspaceEdit (`changes` or `documentChanges`) to in-memory texts keyed by URI. */
export function applyWorkspaceEdit(edit: WorkspaceEdit, texts: Record<string, string>): Record<string, string> {
  const out = { ...texts };
  const byUri: Record<string, TextEdit[]> = { ...(edit.changes ?? {}) };
  for (const dc of edit.documentChanges ?? []) {
    if ('textDocument' in dc) (byUri[dc.textDocument.uri] ??= []).push(...(dc.edits as TextEdit[]));
  }
  for (const [uri, edits] of Object.entries(byUri)) {
    if (out[uri] === undefined) throw new Error(`edit for a document the test did not provide: ${uri}`);
    out[uri] = applyEdits(out[uri]!, edits);
  }
  return out;
}

/**
 * session.waitForDiagnostics, but its timeout timer does not keep the test process alive (the
 * helper never clears it, and node:test waits for pending timers before a file's process exits).
 */
export function waitDiag(s: LspSession, uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs = 8000): Promise<Diagnostic[]> {
  const orig = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const h = orig(fn, ms, ...args);
    h.unref();
    return h;
  }) as typeof setTimeout;
  try {
    return s.waitForDiagnostics(uri, pred, timeoutMs);
  } finally {
    globalThis.setTimeout = orig;
  }
}

/** A diagnostic's message as text (LSP 3.18 allows MarkupContent). */
export function msg(d: Diagnostic | undefined): string {
  const m = d?.message;
  return typeof m === 'string' ? m : m?.value ?? '';
}

/** The latest StatusNotification 'ready' so far. */
export function lastReady(s: LspSession): StatusReady | undefined {
  const st = statuses(s).filter((x) => x.type === 'ready');
  return st[st.length - 1] as unknown as StatusReady | undefined;
}

export const codes = (d: readonly Diagnostic[] | undefined) => (d ?? []).map((x) => String(x.code));
export const has = (code: string) => (d: Diagnostic[]) => d.some((x) => x.code === code);
export const lacks = (code: string) => (d: Diagnostic[]) => !d.some((x) => x.code === code);

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
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

/** Waits for a StatusNotification 'ready' after the first `after` notifications of the session. */
export function waitReady(s: LspSession, after = 0, timeoutMs = 15000): Promise<StatusReady> {
  return until(`${StatusNotification.method} ready`, () => s.notifications.slice(after)
    .find((n) => n.method === StatusNotification.method && (n.params as { type: string }).type === 'ready')?.params as StatusReady | undefined, timeoutMs);
}

export function watched(s: LspSession, changes: { uri: string; type: FileChangeType }[]): void {
  void s.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
}

/** Tells the server its settings changed (it re-reads them through workspace/configuration). */
export function configChanged(s: LspSession): void {
  void s.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}

export function close(s: LspSession, uri: string): void {
  void s.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
}

/**
 * Records every publish of diagnostics for `uri` from now on, for `ms` milliseconds (the session
 * helper keeps only the latest publish; its waitForDiagnostics predicate sees each one).
 */
export function recordPublishes(s: LspSession, uri: string, ms = 15000): { at: number; diagnostics: Diagnostic[] }[] {
  const seen: { at: number; diagnostics: Diagnostic[] }[] = [];
  let armed = false;
  waitDiag(s, uri, (d) => { if (armed) seen.push({ at: performance.now(), diagnostics: d }); return false; }, ms).catch(() => undefined);
  armed = true;
  return seen;
}

/**
 * Like startServer of the session helper, but on several workspace folders and with the client
 * capability `workspace.workspaceFolders` (the helper initializes one folder only).
 */
export async function startServerOnFolders(folders: string[]): Promise<LspSession & { setFolders(f: string[]): void }> {
  const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  const diagnostics = new Map<string, Diagnostic[]>();
  const notifications: { method: string; params: unknown }[] = [];
  const waiters: { uri: string; pred: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }[] = [];
  let current = folders;
  const session = {
    connection, process: proc, diagnostics, notifications, settings: { kubeTraffic: {}, files: {} } as LspSession['settings'],
    setFolders(f: string[]) { current = f; },
    waitForDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs = 10000) {
      const now = diagnostics.get(uri);
      if (now && pred(now)) return Promise.resolve(now);
      return new Promise<Diagnostic[]>((resolve, reject) => {
        const w = { uri, pred, resolve };
        waiters.push(w);
        setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) { waiters.splice(i, 1); reject(new Error(`timed out waiting for diagnostics of ${uri}: ${JSON.stringify(diagnostics.get(uri)?.map((d) => d.code))}`)); }
        }, timeoutMs);
      });
    },
    open() { throw new Error('not used'); },
    change() { throw new Error('not used'); },
    async stop() {
      try {
        await connection.sendRequest(ShutdownRequest.type);
        void connection.sendNotification(ExitNotification.type);
      } catch { /* already gone */ }
      setTimeout(() => proc.kill(), 500).unref();
      connection.dispose();
    },
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    diagnostics.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p.diagnostics)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(p.diagnostics); }
    }
  });
  (connection as unknown as { onNotification(h: (method: string, params: unknown) => void): void })
    .onNotification((method, params) => { notifications.push({ method, params }); });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section === 'files' ? session.settings.files : session.settings.kubeTraffic)));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(WorkspaceFoldersRequest.type, () => current.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid, rootUri: pathToFileURL(folders[0]!).href,
    workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      window: { workDoneProgress: true },
    },
  });
  void connection.sendNotification(InitializedNotification.type, {});
  return session as unknown as LspSession & { setFolders(f: string[]): void };
}

export { FileChangeType };
