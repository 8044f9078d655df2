/**
 * A minimal LSP client for the benchmark (same approach as test/helpers/lsp.ts), for any
 * stdio server: Kube Traffic or yaml-language-server. Every notification is time-stamped when it
 * is read, publishes are counted per URI, and waits are bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection, StreamMessageReader, StreamMessageWriter, InitializeRequest, InitializedNotification,
  PublishDiagnosticsNotification, DidOpenTextDocumentNotification, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification,
  ShutdownRequest, ExitNotification, ConfigurationRequest, WorkDoneProgressCreateRequest, RegistrationRequest,
  UnregistrationRequest, WorkspaceFoldersRequest,
  type ProtocolConnection, type Diagnostic, type PublishDiagnosticsParams, type Range,
} from 'vscode-languageserver-protocol/node';
import { StatusNotification } from '../../server/src/protocol/messages';


export interface StatusEvent { readonly at: number; readonly params: { type: string; files?: number; indexMs?: number; [k: string]: unknown } }

export interface ClientOptions {
  /** Executable and arguments (node is process.execPath). */
  readonly command: string;
  readonly args: readonly string[];
  /** Workspace folder. */
  readonly folder: string;
  /** workspace/configuration answers by section. */
  readonly settings: Record<string, unknown>;
  readonly initializationOptions?: unknown;
}

type Waiter = { test: () => boolean; resolve: (ok: boolean) => void };

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  /** performance.now() when the process was spawned. */
  readonly spawnedAt: number;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly publishCount = new Map<string, number>();
  readonly lastPublishAt = new Map<string, number>();
  readonly statuses: StatusEvent[] = [];
  totalPublishes = 0;
  lastAnyPublishAt = 0;
  private readiesAtLastChange = -1;
  private readonly waiters: Waiter[] = [];
  private stderrTail = '';
  private exited = false;

  constructor(private readonly opts: ClientOptions) {
    this.spawnedAt = performance.now();
    this.process = spawn(opts.command, [...opts.args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (b: Buffer) => { this.stderrTail = (this.stderrTail + b.toString()).slice(-4000); });
    this.process.on('exit', () => { this.exited = true; this.check(); });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    const c = this.connection;
    c.onNotification(PublishDiagnosticsNotification.type, (p: PublishDiagnosticsParams) => {
      const at = performance.now();
      this.diagnostics.set(p.uri, p.diagnostics);
      this.publishCount.set(p.uri, (this.publishCount.get(p.uri) ?? 0) + 1);
      this.lastPublishAt.set(p.uri, at);
      this.totalPublishes++;
      this.lastAnyPublishAt = at;
      this.check();
    });
    c.onNotification(StatusNotification.type, (params) => {
      this.statuses.push({ at: performance.now(), params });
      this.check();
    });
    c.onUnhandledNotification(() => { /* logMessage, $/progress, telemetry, …: ignored */ });
    c.onRequest(ConfigurationRequest.type, (p) => p.items.map((i) => (i.section !== undefined ? opts.settings[i.section] ?? null : null)));
    c.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    c.onRequest(RegistrationRequest.type, () => undefined);
    c.onRequest(UnregistrationRequest.type, () => undefined);
    c.onRequest(WorkspaceFoldersRequest.type, () => [{ uri: pathToFileURL(opts.folder).href, name: path.basename(opts.folder) }]);
    c.listen();
  }

  get pid(): number {
    return this.process.pid!;
  }

  async initialize(): Promise<void> {
    const uri = pathToFileURL(this.opts.folder).href;
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: path.basename(this.opts.folder) }],
      ...(this.opts.initializationOptions !== undefined ? { initializationOptions: this.opts.initializationOptions } : {}),
      capabilities: {
        workspace: { configuration: true, workspaceFolders: false, didChangeWatchedFiles: { dynamicRegistration: true }, didChangeConfiguration: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
        textDocument: {
          synchronization: { dynamicRegistration: false, didSave: false },
          publishDiagnostics: { relatedInformation: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          definition: { linkSupport: false },
        },
      },
    });
    void this.connection.sendNotification(InitializedNotification.type, {});
  }

  open(uri: string, text: string, version = 1): void {
    this.readiesAtLastChange = this.readyCount();
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } });
  }

  close(uri: string): void {
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** An incremental change, as an editor sends for one keystroke. */
  change(uri: string, version: number, range: Range, text: string): void {
    this.readiesAtLastChange = this.readyCount();
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  /** A full-text change (no range), as clients send that do not sync incrementally, and others after a paste or a format. */
  changeFull(uri: string, version: number, text: string): void {
    this.readiesAtLastChange = this.readyCount();
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves true when `test` holds (checked on every publish and status), false after `timeoutMs`. */
  until(test: () => boolean, timeoutMs: number): Promise<boolean> {
    if (test()) return Promise.resolve(true);
    if (this.exited) return Promise.resolve(false);
    return new Promise((resolve) => {
      const w: Waiter = { test, resolve: (ok) => { clearTimeout(timer); resolve(ok); } };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  /** Number of 'ready' statuses so far (Kube Traffic sends one at the end of every complete diagnostics pass). */
  readyCount(): number {
    return this.statuses.filter((s) => s.params.type === 'ready').length;
  }

  /** Kube Traffic: a change or open was sent and its diagnostics pass has not reported 'ready' yet. */
  passPending(): boolean {
    return this.readiesAtLastChange >= 0 && this.readyCount() <= this.readiesAtLastChange;
  }

  /** Peak resident set size (VmHWM) in MB, or undefined once the process is gone. */
  peakRssMb(): number | undefined {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  rssMb(): number | undefined {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  stderr(): string {
    return this.stderrTail;
  }

  /** shutdown + exit (so a --cpu-prof profile is written), then SIGKILL after `graceMs` (at once when 0). */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((r) => this.process.once('exit', () => r()));
      if (graceMs > 0) {
        try {
          await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, graceMs))]);
          void this.connection.sendNotification(ExitNotification.type);
        } catch { /* already gone */ }
      }
      const killer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
      await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs + 1000))]);
      clearTimeout(killer);
    }
    this.connection.dispose();
  }

  private check(): void {
    for (const w of [...this.waiters]) {
      const ok = w.test();
      if (ok || this.exited) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(ok);
      }
    }
  }
}
