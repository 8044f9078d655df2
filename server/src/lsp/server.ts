import { fileURLToPath } from 'node:url';
import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, FileChangeType,
  TextDocuments, type CodeAction, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { EditorIndexer } from './editorIndexer';
import { registerTrafficRequests } from './trafficRequests';
import { Analyzer } from '../core/analyzer';
import { codeLenses } from '../core/features/codeLens';
import { quickFixes } from '../core/features/codeActions';
import { hover } from '../core/features/hover';
import { definition, documentHighlights, references } from '../core/features/navigation';
import { buildGraph } from '../core/features/graph';
import { decodeManifest, readManifest } from '../node/fileSystemHost';
import { readFileSync, statSync } from 'node:fs';
import { fromStored, toStored } from '../core/model/fileModel';
import { IndexStore, type StoredEntry } from '../node/indexStore';
import { ParsePool } from '../node/parsePool';
import { contentHash } from '../node/parseWorker';
import * as os from 'node:os';
import * as path from 'node:path';
import { GRAPH_REQUEST, STATUS_NOTIFICATION, type GraphParams, type StatusParams } from '../protocol/messages';
import { readClientSupport, serverCapabilities, type ClientSupport } from './clientSupport';
import { registerLensCommands, toLspCodeLenses } from './codeLenses';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { readSettings, type ServerSettings } from './settings';
import { WorkspaceFiles } from './workspaceFiles';

/**
 * The language server: keeps the analyzer's index in step with the workspace (disk, watched-file
 * events, open editors, which win over disk) and answers LSP requests from it.
 */
export class KubeTrafficServer {
  private readonly analyzer = new Analyzer({}, { skipBodies: true });
  private completionTimer: NodeJS.Timeout | undefined;
  private completionQueue: string[] = [];
  private readonly documents = new TextDocuments(TextDocument);
  private readonly files = new WorkspaceFiles();
  private readonly publisher: DiagnosticsPublisher;
  private settings: ServerSettings = readSettings({}, {});
  private support: ClientSupport = readClientSupport({ processId: null, rootUri: null, capabilities: {} });
  private indexing: Promise<void> = Promise.resolve();
  private indexRun = 0;
  private firstIndexMs: number | undefined;
  private indexMsSent = false;
  private store: IndexStore | undefined;
  private storeLoaded: Map<string, StoredEntry> | undefined;
  /** Content hash of each file as read from disk, for the persisted index. */
  private readonly diskHashes = new Map<string, string>();
  private pool: ParsePool | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private indexingActive = false;
  private readonly editorIndexer: EditorIndexer;

  constructor(private readonly connection: Connection) {
    this.publisher = new DiagnosticsPublisher(connection, this.analyzer, (uri) => this.documents.get(uri) !== undefined);
    this.editorIndexer = new EditorIndexer(this.analyzer, (uri) => this.editorTextIndexed(uri));
    this.publisher.deferWhile = () => this.indexingActive;
    this.publisher.onPassDone = (c) => {
      // 'ready' means the whole workspace is indexed: passes that run meanwhile (an editor opened
      // during indexing) do not report it.
      if (this.indexingActive) return;
      const indexMs = this.firstIndexMs !== undefined && !this.indexMsSent ? this.firstIndexMs : undefined;
      if (indexMs !== undefined) this.indexMsSent = true;
      this.sendStatus({ type: 'ready', files: this.analyzer.index.fileCount, resources: countResources(this.analyzer), errors: c.errors, warnings: c.warnings, infos: c.infos, ...(indexMs !== undefined ? { indexMs } : {}) });
    };
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration(() => void this.reloadSettings());
    c.onDidChangeWatchedFiles((p) => {
      for (const ch of p.changes) void this.onDiskChange(ch.uri, ch.type);
    });
    this.documents.onDidOpen((e) => this.publisher.republish(e.document.uri));
    this.documents.onDidChangeContent((e) => this.onEditorContent(e.document));
    this.documents.onDidClose((e) => void this.onEditorClosed(e.document.uri));

    c.onHover((p, token) => {
      const h = hover(this.analyzer, p.textDocument.uri, p.position, token);
      return h ? { contents: { kind: 'markdown', value: h.contents }, range: h.range } : null;
    });
    c.onDefinition((p, token) => definition(this.analyzer, p.textDocument.uri, p.position, token));
    c.onReferences((p, token) => references(this.analyzer, p.textDocument.uri, p.position, p.context.includeDeclaration, token));
    c.onDocumentHighlight((p, token) => documentHighlights(this.analyzer, p.textDocument.uri, p.position, token).map((range) => ({ range, kind: 1 })));
    c.onCodeLens((p, token) => toLspCodeLenses(codeLenses(this.analyzer, p.textDocument.uri, token), p.textDocument.uri, this.support.vscodeExtension));
    registerLensCommands(c, { canShowDocument: () => this.support.showDocument, roots: () => this.files.roots() });
    c.onCodeAction((p): CodeAction[] => quickFixes(this.analyzer, p.textDocument.uri, p.context.diagnostics).map((f) => ({
      title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [p.context.diagnostics[f.diagnostic]!], edit: f.edit, isPreferred: f.isPreferred,
    })));
    registerTrafficRequests(c, this.analyzer, () => this.indexing, () => this.files.roots());
    c.onRequest(GRAPH_REQUEST, async (params: GraphParams | undefined) => {
      await this.indexing;
      void params;
      return buildGraph(this.analyzer, (uri) => uri);
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    this.support = readClientSupport(p);
    // Until the first index is complete (editors open documents and send settings before that).
    this.indexingActive = true;
    if (this.support.storagePath) this.store = new IndexStore(this.support.storagePath, typeof KT_VERSION === 'string' ? KT_VERSION : 'dev');
    this.files.setFolders(p.workspaceFolders?.map((f) => f.uri) ?? (p.rootUri ? [p.rootUri] : []));
    this.files.setExclude([]);
    return {
      capabilities: serverCapabilities(this.support),
      serverInfo: { name: 'kube-traffic', version: typeof KT_VERSION === 'string' ? KT_VERSION : 'dev' },
    };
  }

  private async initialized(): Promise<void> {
    // Dynamic registrations only where the client announces support for them. Without it, clients
    // still send workspace/didChangeConfiguration (eglot, Neovim): listen()'s handler pulls again.
    if (this.support.configuration && this.support.configurationRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeTraffic' });
    }
    if (this.support.watcherRegistration) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
    }
    if (this.support.workspaceFolders) this.connection.workspace.onDidChangeWorkspaceFolders(() => {
      void this.connection.workspace.getWorkspaceFolders().then((fs) => {
        this.files.setFolders(fs?.map((f) => f.uri) ?? []);
        this.files.setExclude(this.settings.exclude);
        this.reindex();
      });
    });
    await this.loadSettings();
    this.reindex();
  }

  private async loadSettings(): Promise<boolean> {
    let next = this.settings;
    if (this.support.configuration) {
      try {
        const [kt, files] = await this.connection.workspace.getConfiguration([{ section: 'kubeTraffic' }, { section: 'files' }]);
        next = readSettings(kt, files);
      } catch (e) {
        this.connection.console.warn(`Kube Traffic: could not read settings: ${String(e)}`);
      }
    }
    for (const p of next.problems) this.connection.console.warn(`Kube Traffic: ${p}`);
    const filesChanged = JSON.stringify([next.exclude, next.maxFileBytes]) !== JSON.stringify([this.settings.exclude, this.settings.maxFileBytes]);
    this.settings = next;
    this.analyzer.settings = next.analysis;
    this.files.setExclude(next.exclude);
    return filesChanged;
  }

  private async reloadSettings(): Promise<void> {
    const filesChanged = await this.loadSettings();
    if (filesChanged) this.reindex();
    else this.publisher.schedule(this.documents.all().map((d) => d.uri));
  }

  /** (Re)reads every manifest of the workspace; a newer call supersedes a running one. */
  private reindex(): void {
    const run = ++this.indexRun;
    const started = Date.now();
    this.indexingActive = true;
    this.indexing = (async () => {
      const uris = await this.files.list();
      if (run !== this.indexRun) return;
      const wanted = new Set(uris);
      // Open editors win over disk, and take part under the current excludes and size limit.
      for (const d of this.documents.all()) {
        if (!this.isManifest(d.uri)) continue;
        wanted.add(d.uri);
        this.indexEditorText(d, true);
      }
      for (const uri of [...this.analyzer.index.uris()]) {
        if (!wanted.has(uri)) { this.analyzer.removeFile(uri); this.publisher.clear(uri); }
      }
      const progress = this.support.workDoneProgress ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
      progress?.begin('Kube Traffic: indexing manifests', 0, `0/${uris.length} files`, false);
      let done = 0;
      let lastReport = 0;
      const queue = [...uris];
      if (this.store && !this.storeLoaded) this.storeLoaded = await this.store.load();
      this.pool ??= this.createPool();
      let lastYield = Date.now();
      const worker = async () => {
        for (let uri = queue.shift(); uri !== undefined; uri = queue.shift()) {
          if (run !== this.indexRun) return;
          if (!this.documents.get(uri)) await this.loadInitial(uri);
          done++;
          if (Date.now() - lastYield > 10) {
            // Cached files load synchronously: let requests (hover, …) in between batches.
            await new Promise((r) => setImmediate(r));
            lastYield = Date.now();
          }
          if (Date.now() - lastReport > 100 || done === uris.length) {
            lastReport = Date.now();
            progress?.report(Math.floor((done / Math.max(1, uris.length)) * 100), `${done}/${uris.length} files`);
            this.sendStatus({ type: 'indexing', done, total: uris.length });
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      progress?.done();
      if (run !== this.indexRun) return;
      if (this.firstIndexMs === undefined) this.firstIndexMs = Date.now() - started;
      this.indexingActive = false;
      // The workers' heaps are freed once the workspace is loaded; edits are modelled here.
      void this.pool?.dispose();
      this.pool = undefined;
      this.scheduleSave();
      this.publisher.schedule(this.documents.all().map((d) => d.uri));
      this.scheduleCompletion(500);
    })().catch((e) => {
      this.indexingActive = false;
      this.connection.console.error(`Kube Traffic: indexing failed: ${e instanceof Error ? e.stack : String(e)}`);
    });
  }

  private createPool(): ParsePool | undefined {
    // KT_PARSE_WORKERS: number of worker threads (0 = index on the main thread); default one per core.
    const env = process.env.KT_PARSE_WORKERS;
    // Measured on 2 cores: the main thread alone indexes as fast as with workers, with less memory
    // (duplicated JIT warm-up and heaps), so workers start only where there are more cores.
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    const size = env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.max(0, Math.min(4, cores - 1)) * Number(cores > 2);
    if (size === 0) return undefined;
    try {
      return new ParsePool(path.join(__dirname, 'parseWorker.js'), size);
    } catch (e) {
      this.connection.console.warn(`Kube Traffic: no worker threads (${String(e)}); indexing on the main thread.`);
      return undefined;
    }
  }

  /**
   * First load of a file at start: from the persisted index when its content hash is unchanged,
   * otherwise modelled by a worker thread (or here when workers are unavailable).
   */
  private async loadInitial(uri: string): Promise<void> {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return;
    }
    const cached = this.storeLoaded?.get(uri);
    if (cached) {
      // Synchronous: small reads are much cheaper than thread-pool round trips; the caller
      // yields between batches.
      try {
        if (statSync(file).size <= this.settings.maxFileBytes) {
          const bytes = readFileSync(file);
          if (contentHash(bytes) === cached.hash) {
            const decoded = decodeManifest(bytes);
            if (decoded.text !== undefined) {
              this.diskHashes.set(uri, cached.hash);
              this.analyzer.addFileModel(uri, fromStored(uri, decoded.text, cached.stored));
              return;
            }
          }
        }
      } catch {
        // unreadable or gone: the normal path reports it
      }
    }
    if (!this.pool?.usable) return this.loadFromDiskSync(uri, file);
    const res = await this.pool.run({ uri, path: file, maxBytes: this.settings.maxFileBytes, skipBodies: true });
    if (this.documents.get(uri)) return; // opened meanwhile: the editor wins
    if (res.text !== undefined) {
      this.diskHashes.set(uri, res.hash);
      this.analyzer.addFileModel(uri, fromStored(uri, res.text, res.stored));
    } else if (res.missing) {
      this.analyzer.removeFile(uri);
      this.publisher.clear(uri);
    } else {
      this.analyzer.markSkipped(uri, res.skipped ?? 'unreadable');
    }
  }

  /** The initial load without workers: synchronous reads (the caller yields between batches). */
  private loadFromDiskSync(uri: string, file: string): void {
    let bytes: Buffer;
    try {
      const size = statSync(file).size;
      if (size > this.settings.maxFileBytes) {
        this.analyzer.markSkipped(uri, `the file is ${formatSize(size)}, over kubeTraffic.maxFileSize (${formatSize(this.settings.maxFileBytes)})`);
        return;
      }
      bytes = readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        this.analyzer.removeFile(uri);
        this.publisher.clear(uri);
      } else this.analyzer.markSkipped(uri, code === 'EACCES' ? 'permission denied' : String((e as Error).message ?? e));
      return;
    }
    const decoded = decodeManifest(bytes);
    if (decoded.text === undefined) {
      this.analyzer.markSkipped(uri, decoded.problem ?? 'unreadable');
      return;
    }
    this.diskHashes.set(uri, contentHash(bytes));
    this.analyzer.updateFile(uri, 'disk', decoded.text);
  }

  /** Writes the persisted index a little after the workspace settles. */
  private scheduleSave(): void {
    if (!this.store) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      const entries = new Map<string, StoredEntry>();
      for (const uri of this.analyzer.index.uris()) {
        const f = this.analyzer.index.file(uri)!;
        const hash = this.diskHashes.get(uri);
        if (hash && !this.documents.get(uri) && f.slices.length) entries.set(uri, { hash, stored: toStored(f) });
      }
      this.store!.save(entries).catch((e) => this.connection.console.warn(`Kube Traffic: could not save the index: ${String(e)}`));
    }, 2000);
    this.saveTimer.unref?.();
  }

  private async loadFromDisk(uri: string): Promise<void> {
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      return;
    }
    const r = await readManifest(file, this.settings.maxFileBytes);
    if (this.documents.get(uri)) return; // opened meanwhile: the editor wins
    if (r.text !== undefined) {
      this.diskHashes.set(uri, contentHash(Buffer.from(r.text, 'utf8')));
      this.analyzer.updateFile(uri, 'disk', r.text);
      this.scheduleSave();
    } else if (r.problem === 'no such file or directory') {
      this.analyzer.removeFile(uri);
      this.publisher.clear(uri);
    } else {
      this.analyzer.markSkipped(uri, r.problem ?? 'unreadable');
    }
  }

  private onEditorContent(doc: TextDocument): void {
    if (!this.isManifest(doc.uri)) return;
    this.indexEditorText(doc, false);
  }

  /** An editor's text is in the index (at once, or after a large document's last step). */
  private editorTextIndexed(uri: string): void {
    if (this.indexingActive) return; // the indexing run publishes when it is done
    this.publisher.schedule([uri, ...this.documents.all().map((d) => d.uri)]);
    if (this.analyzer.index.file(uri)?.partial) this.completionQueue.unshift(uri); // the edited file first
    this.scheduleCompletion(400);
  }

  /**
   * Large documents no rule reads (CRD schemas) are indexed by their identity only, which keeps
   * indexing and typing fast; once the editor is idle their bodies are parsed for YAML errors.
   */
  private scheduleCompletion(delayMs: number): void {
    if (this.completionTimer) clearTimeout(this.completionTimer);
    this.completionTimer = setTimeout(() => {
      this.completionTimer = undefined;
      if (this.indexingActive) return;
      if (this.completionQueue.length === 0) {
        // A new round: open documents first.
        const open = new Set(this.documents.all().map((d) => d.uri));
        this.completionQueue = this.analyzer.index.partialFiles().sort((a, b) => Number(open.has(b)) - Number(open.has(a)));
        if (this.completionQueue.length === 0) return;
      }
      // One file per turn: requests go first, and only one file's syntax tree is alive at a time.
      const uri = this.completionQueue.shift()!;
      if (this.analyzer.completeFile(uri)) this.publisher.schedule([uri]);
      if (this.completionQueue.length > 0) this.scheduleCompletion(0);
      else this.scheduleSave();
    }, delayMs);
  }


  /** `now`: in this turn (an indexing run); else a large document is parsed over several turns. */
  private indexEditorText(doc: TextDocument, now: boolean): void {
    const bytes = utf8Length(doc.getText());
    if (bytes > this.settings.maxFileBytes) {
      this.editorIndexer.cancel(doc.uri);
      this.analyzer.markSkipped(doc.uri, `the document is ${formatSize(bytes)}, over kubeTraffic.maxFileSize (${formatSize(this.settings.maxFileBytes)})`);
      this.editorTextIndexed(doc.uri);
    } else if (now) {
      this.editorIndexer.indexNow(doc);
    } else {
      this.editorIndexer.index(doc);
    }
  }

  private async onEditorClosed(uri: string): Promise<void> {
    if (!this.isManifest(uri)) return;
    this.editorIndexer.cancel(uri);
    // The editor no longer wins: go back to what is on disk (or drop an unsaved, untitled document).
    if (uri.startsWith('file:') && this.files.includes(uri)) await this.loadFromDisk(uri);
    else { this.analyzer.removeFile(uri); this.publisher.clear(uri); }
    this.publisher.schedule();
  }

  private async onDiskChange(uri: string, type: FileChangeType): Promise<void> {
    if (this.documents.get(uri)) return; // an open editor wins over disk
    if (type === FileChangeType.Deleted) {
      // A folder deletion arrives as one event for the folder.
      for (const u of [...this.analyzer.index.uris()]) {
        if (u === uri || u.startsWith(uri.endsWith('/') ? uri : `${uri}/`)) { this.analyzer.removeFile(u); this.publisher.clear(u); }
      }
    } else if (this.files.includes(uri)) {
      await this.loadFromDisk(uri);
    }
    this.publisher.schedule();
  }

  private isManifest(uri: string): boolean {
    return !uri.startsWith('file:') || this.files.includes(uri);
  }

  private sendStatus(p: StatusParams): void {
    void this.connection.sendNotification(STATUS_NOTIFICATION, p);
  }
}

declare const KT_VERSION: string;

export function formatSize(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function countResources(a: Analyzer): number {
  let n = 0;
  for (const uri of a.index.uris()) n += a.index.activeResources(uri).length;
  return n;
}

/** The limit is documented in bytes on disk (UTF-8); the editor hands over UTF-16 text. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
