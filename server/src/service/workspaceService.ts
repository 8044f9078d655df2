import { KustomizeVariants, NO_DISK } from '../core/variants/kustomizeVariants';
import { Workspace } from '../core/variants/workspace';
import { DEFAULT_SETTINGS } from '../core/rules/context';
import { BackgroundCompletion } from './completion';
import { DiskLoader, tooLarge } from './diskLoader';
import { EditorIndexer } from './editorIndexer';
import type { DiskProblem, FileChange, Listing, WorkspaceHost } from './host';
import { FindingsPublisher, type FindingSource } from './publisher';
import {
  NO_DOCUMENTS, type EditorDocument, type OpenDocuments, type RendererFactory, type ServiceListener, type ServiceOptions, type ServiceSettings,
  type VariantRenderer, type WorkspaceStatus,
} from './types';

export const DEFAULT_SERVICE_SETTINGS: ServiceSettings = { analysis: DEFAULT_SETTINGS, exclude: [], maxFileBytes: 10 * 1048576 };

/** Files read at once by one loading run (they are read synchronously; the run yields between batches). */
const LOAD_LANES = 8;

/**
 * The workspace as the editor and the CLI see it, with no transport: it loads the manifests
 * through a host (disk, editors' documents, which win over disk), keeps the analysis in step with
 * changes, completes partial files in the background, keeps the persisted index, and decides what
 * to publish. Front ends (lsp/, cli/) translate their protocol into calls on it.
 */
export class WorkspaceService {
  /** The analysis of the workspace as applied: the plain view and every variant's cluster. */
  readonly workspace: Workspace;
  /** The Kustomize roots, rendered natively; undefined until folders are set. */
  private kustomize: KustomizeVariants | undefined;
  private settingsValue: ServiceSettings;
  private folderUris: readonly string[] = [];
  private readonly documents: OpenDocuments;
  private readonly publisher: FindingsPublisher | undefined;
  private readonly loader: DiskLoader;
  private readonly editorIndexer: EditorIndexer;
  private readonly completion: BackgroundCompletion | undefined;
  private readonly unsubscribe: () => void;
  /**
   * The analyses whose findings are published. One today (the workspace's files as they are);
   * analyses of rendered variants of the workspace will publish, mapped back to their source
   * files, through the same list.
   */
  private readonly analyses: FindingSource[];
  private indexing: Promise<void> = Promise.resolve();
  /** What variant names are relative to (`options.variantRoot`), else the first folder. */
  private readonly variantRoot: string | undefined;
  private readonly makeRenderers: RendererFactory | undefined;
  private renderers: VariantRenderer[] = [];
  private indexRun = 0;
  /** True until the first load is complete, and during every later load. */
  private indexingActive = true;
  private firstIndexMs: number | undefined;
  private indexMsSent = false;
  /** Files being read again (a watched change, an editor closed): their pass reports 'ready'. */
  private pendingReads = 0;

  constructor(private readonly host: WorkspaceHost, private readonly listener: ServiceListener = {}, options: ServiceOptions = {}) {
    this.settingsValue = options.settings ?? DEFAULT_SERVICE_SETTINGS;
    this.documents = options.documents ?? NO_DOCUMENTS;
    const skipBodies = options.skipBodies ?? false;
    this.workspace = new Workspace(this.settingsValue.analysis, { skipBodies });
    const a = this.workspace;
    this.variantRoot = options.variantRoot;
    this.makeRenderers = options.renderers;
    this.analyses = [{ takeDirty: () => a.takeDirty(), has: (uri) => a.index.file(uri) !== undefined, findings: (uri, token) => a.findings(uri, token) }];
    const isOpen = (uri: string) => this.documents.get(uri) !== undefined;
    const publish = listener.publish?.bind(listener);
    if (publish) {
      this.publisher = new FindingsPublisher({ publish, error: (m) => this.log('error', m) }, () => this.analyses, isOpen);
      this.publisher.deferWhile = () => this.indexingActive;
      this.publisher.onPassDone = (c) => {
        // 'ready' means the whole workspace is indexed and checked: passes that run meanwhile (an
        // editor opened during indexing, a file still being read or a large document still being
        // parsed) do not report it; the pass scheduled when that work is done does.
        if (this.indexingActive || this.pendingReads > 0 || this.editorIndexer.busy) return;
        const indexMs = this.firstIndexMs !== undefined && !this.indexMsSent ? this.firstIndexMs : undefined;
        if (indexMs !== undefined) this.indexMsSent = true;
        this.status({ type: 'ready', files: this.workspace.index.fileCount, resources: countResources(this.workspace), ...c, ...(indexMs !== undefined ? { indexMs } : {}) });
      };
    }
    this.loader = new DiskLoader(host, this.workspace, {
      maxFileBytes: () => this.settingsValue.maxFileBytes, isOpen, drop: (uri) => this.drop(uri), log: (level, m) => this.log(level, m),
      skipBodies, workers: options.workers ?? false, syncReads: options.syncReads ?? false, unreadable: options.unreadable ?? 'finding',
    });
    this.editorIndexer = new EditorIndexer(this.workspace, (uri) => this.editorTextIndexed(uri));
    if (skipBodies) {
      this.completion = new BackgroundCompletion(this.workspace, {
        paused: () => this.indexingActive, isOpen,
        completed: (uri) => this.publisher?.schedule([uri]), roundDone: () => this.loader.scheduleSave(),
      });
    }
    this.unsubscribe = host.onDidChange((c) => void this.onDiskChange(c));
  }

  get settings(): ServiceSettings {
    return this.settingsValue;
  }

  /** The roots of the workspace, as given to setFolders. */
  folders(): readonly string[] {
    return this.folderUris;
  }

  /** Resolves when the latest loading run is over (requests that need the whole workspace wait for it). */
  whenIndexed(): Promise<void> {
    return this.indexing;
  }

  /** Files left out because they could not be read (with `unreadable: 'report'`), by URI. */
  skippedFiles(): ReadonlyMap<string, DiskProblem> {
    return this.loader.skipped;
  }

  /** Sets the roots (folder or file URIs) without loading; see start() and changeFolders(). */
  setFolders(uris: readonly string[]): void {
    this.folderUris = [...uris];
    this.host.setScope(this.folderUris, this.settingsValue.exclude);
    // Variant names are relative to the first folder (the CLI: the current directory).
    const root = this.variantRoot ?? this.folderUris[0];
    if (root && this.kustomize?.workspaceRoot !== root) {
      if (this.kustomize) this.workspace.removeDriver(this.kustomize);
      this.kustomize?.dispose();
      this.kustomize = new KustomizeVariants(this.workspace, this.host.disk ?? NO_DISK, root);
      this.workspace.addDriver(this.kustomize);
      this.startRenderers();
    }
  }

  /** (Re)starts the renderers that run programs (Helm) for the current root and settings. */
  private startRenderers(): void {
    for (const r of this.renderers) {
      this.workspace.removeDriver(r);
      r.dispose();
    }
    this.renderers = [];
    const root = this.kustomize?.workspaceRoot;
    if (!root || !this.makeRenderers) return;
    this.renderers = [...this.makeRenderers({
      workspace: this.workspace, root, settings: this.settingsValue,
      rendered: () => this.publisher?.schedule(), log: (m) => this.log('warning', m),
    })];
    for (const r of this.renderers) this.workspace.addDriver(r);
  }

  /** Resolves when the background renderers (Helm) have nothing pending: the CLI reports after it. */
  async whenRendered(): Promise<void> {
    this.workspace.settle();
    await Promise.all(this.renderers.map((r) => r.whenIdle()));
  }

  /** The workspace folders changed: load again. */
  changeFolders(uris: readonly string[]): void {
    this.setFolders(uris);
    void this.reindex();
  }

  /** The first load, with the settings of the front end. */
  start(settings: ServiceSettings): Promise<void> {
    this.applySettings(settings);
    return this.reindex();
  }

  /** Settings changed: load again when they change which files are read, else check again. */
  changeSettings(settings: ServiceSettings): void {
    if (this.applySettings(settings)) void this.reindex();
    else this.publisher?.schedule(this.documents.all().map((d) => d.uri));
  }

  private applySettings(next: ServiceSettings): boolean {
    const filesChanged = JSON.stringify([next.exclude, next.maxFileBytes]) !== JSON.stringify([this.settingsValue.exclude, this.settingsValue.maxFileBytes]);
    const helmChanged = JSON.stringify(next.helm) !== JSON.stringify(this.settingsValue.helm);
    this.settingsValue = next;
    if (helmChanged) this.startRenderers();
    this.workspace.settings = next.analysis;
    this.host.setScope(this.folderUris, next.exclude);
    return filesChanged;
  }

  list(): Promise<Listing> {
    return this.host.list();
  }

  /**
   * (Re)reads every manifest of the workspace (`listing`: when the caller listed it already); a
   * newer call supersedes a running one. Resolves when this run is over.
   */
  reindex(listing?: Listing): Promise<void> {
    const run = ++this.indexRun;
    const started = Date.now();
    this.indexingActive = true;
    this.indexing = (async () => {
      const uris = (listing ?? await this.host.list()).uris;
      if (run !== this.indexRun) return;
      const wanted = new Set(uris);
      // Open editors win over disk, and take part under the current excludes and size limit.
      for (const d of this.documents.all()) {
        if (!this.isManifest(d.uri)) continue;
        wanted.add(d.uri);
        this.indexEditorText(d, true);
      }
      for (const uri of [...this.workspace.index.uris()]) if (!wanted.has(uri)) this.drop(uri);
      for (const uri of [...this.loader.skipped.keys()]) if (!wanted.has(uri)) this.loader.skipped.delete(uri);
      const progress = await this.listener.beginProgress?.(uris.length).catch(() => undefined);
      let done = 0;
      let lastReport = 0;
      const queue = [...uris];
      await this.loader.prepare();
      let lastYield = Date.now();
      const lane = async () => {
        for (let uri = queue.shift(); uri !== undefined; uri = queue.shift()) {
          if (run !== this.indexRun) return;
          if (!this.documents.get(uri)) await this.loader.loadInitial(uri);
          done++;
          if (Date.now() - lastYield > 10) {
            // Cached files load synchronously: let requests (hover, …) in between batches.
            await new Promise((r) => setImmediate(r));
            lastYield = Date.now();
          }
          if (Date.now() - lastReport > 100 || done === uris.length) {
            lastReport = Date.now();
            progress?.report(Math.floor((done / Math.max(1, uris.length)) * 100), `${done}/${uris.length} files`);
            this.status({ type: 'indexing', done, total: uris.length });
          }
        }
      };
      await Promise.all(Array.from({ length: LOAD_LANES }, lane));
      progress?.done();
      if (run !== this.indexRun) return;
      if (this.firstIndexMs === undefined) this.firstIndexMs = Date.now() - started;
      this.indexingActive = false;
      this.loader.finish();
      this.publisher?.schedule(this.documents.all().map((d) => d.uri));
      this.completion?.schedule(500);
    })().catch((e) => {
      this.indexingActive = false;
      this.log('error', `Kube Traffic: indexing failed: ${e instanceof Error ? e.stack : String(e)}`);
    });
    return this.indexing;
  }

  /** A document was opened in the editor (its content follows as a change). */
  documentOpened(uri: string): void {
    this.publisher?.republish(uri);
  }

  /** An open document's text changed (or it was just opened). */
  documentChanged(doc: EditorDocument): void {
    if (!this.isManifest(doc.uri)) return;
    this.indexEditorText(doc, false);
  }

  /** The editor closed a document: the file on disk counts again (an untitled document is dropped). */
  async documentClosed(uri: string): Promise<void> {
    if (!this.isManifest(uri)) return;
    this.editorIndexer.cancel(uri);
    if (uri.startsWith('file:') && this.host.includes(uri)) await this.reload(uri);
    else this.drop(uri);
    this.publisher?.schedule();
  }

  private async onDiskChange(change: FileChange): Promise<void> {
    const uri = change.uri;
    if (this.documents.get(uri)) return; // an open editor wins over disk
    if (change.type === 'deleted') {
      // A folder deletion arrives as one event for the folder.
      const prefix = uri.endsWith('/') ? uri : `${uri}/`;
      this.loader.forget(uri);
      for (const u of [...this.workspace.index.uris()]) if (u === uri || u.startsWith(prefix)) this.drop(u);
      for (const u of [...this.loader.skipped.keys()]) if (u === uri || u.startsWith(prefix)) this.loader.skipped.delete(u);
    } else if (this.host.includes(uri)) {
      await this.reload(uri);
    } else if (change.type === 'created' && this.host.disk?.isDirectory(uri)) {
      // A folder copied or moved in arrives as one event for the folder (VS Code's watcher):
      // read the workspace again to take its manifests (the persisted index keeps this cheap).
      await this.reindex();
      return;
    }
    // Renders read files that are not manifests (Helm helpers, Kustomize JSON patches and generator inputs).
    this.workspace.touched(uri);
    this.publisher?.schedule();
  }

  /**
   * Reads a file again; until it is read, passes do not report 'ready'. A document it reads
   * partially is parsed in full once idle, as after an edit.
   */
  private async reload(uri: string): Promise<void> {
    this.pendingReads++;
    try {
      await this.loader.reload(uri);
    } finally {
      this.pendingReads--;
    }
    this.completion?.schedule(400);
  }

  /** An editor's text is in the index (at once, or after a large document's last step). */
  private editorTextIndexed(uri: string): void {
    if (this.indexingActive) return; // the loading run publishes when it is done
    this.publisher?.schedule([uri, ...this.documents.all().map((d) => d.uri)]);
    this.completion?.prioritise(uri); // the edited file first
    this.completion?.schedule(400);
  }

  /** `now`: in this turn (a loading run); else a large document is parsed over several turns. */
  private indexEditorText(doc: EditorDocument, now: boolean): void {
    // The limit is documented in bytes on disk (UTF-8); the editor hands over UTF-16 text.
    const bytes = Buffer.byteLength(doc.getText(), 'utf8');
    if (bytes > this.settingsValue.maxFileBytes) {
      this.editorIndexer.cancel(doc.uri);
      this.workspace.markSkipped(doc.uri, tooLarge('document', bytes, this.settingsValue.maxFileBytes));
      this.editorTextIndexed(doc.uri);
    } else if (now) {
      this.editorIndexer.indexNow(doc);
    } else {
      this.editorIndexer.index(doc);
    }
  }

  private isManifest(uri: string): boolean {
    return !uri.startsWith('file:') || this.host.includes(uri);
  }

  private drop(uri: string): void {
    this.workspace.removeFile(uri);
    this.publisher?.clear(uri);
  }

  private status(s: WorkspaceStatus): void {
    this.listener.status?.(s);
  }

  private log(level: 'warning' | 'error', message: string): void {
    this.listener.log?.(level, message);
  }

  dispose(): void {
    this.indexRun++;
    for (const r of this.renderers) r.dispose();
    this.unsubscribe();
    this.editorIndexer.cancelAll();
    this.completion?.dispose();
    this.publisher?.dispose();
    this.loader.dispose();
  }
}

function countResources(a: Workspace): number {
  let n = 0;
  for (const uri of a.index.uris()) n += a.index.activeResources(uri).length;
  return n;
}
