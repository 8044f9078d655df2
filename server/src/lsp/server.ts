import {
  CodeActionKind, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType,
  ResponseError, TextDocuments, type CodeAction, type Connection, type InitializeParams, type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeLenses } from '../core/features/codeLens';
import { quickFixes } from '../core/features/codeActions';
import { documentHighlights } from '../core/features/navigation';
import { workspaceDefinition, workspaceHover, workspaceReferences } from '../core/variants/features';
import { variantPlacer } from '../core/variants/select';
import { buildGraph } from '../core/features/graph';
import { NodeHost } from '../node/nodeHost';
import { helmRenderers } from '../node/helm/helmVariants';
import { GraphRequest, StatusNotification, type GraphResponse } from '../protocol/messages';
import type { ProgressReporter, ServiceSettings } from '../service/types';
import { WorkspaceService } from '../service/workspaceService';
import { readClientSupport, serverCapabilities, type ClientSupport } from './clientSupport';
import { registerLensCommands, toLspCodeLenses } from './codeLenses';
import { toDiagnostic } from './convert';
import { readSettings } from './settings';
import { cluster, registerTrafficRequests, rootPaths } from './trafficRequests';

declare const KT_VERSION: string;
const VERSION = typeof KT_VERSION === 'string' ? KT_VERSION : 'dev';

const CHANGE_TYPE: Record<FileChangeType, 'created' | 'changed' | 'deleted'> = {
  [FileChangeType.Created]: 'created',
  [FileChangeType.Changed]: 'changed',
  [FileChangeType.Deleted]: 'deleted',
};

/**
 * The language server: translates LSP into calls on the workspace service (which keeps the
 * analysis in step with disk, watched-file events and open editors) and the service's findings
 * and status into LSP messages; requests are answered from the service's analysis.
 */
export class KubeTrafficServer {
  private readonly documents = new TextDocuments(TextDocument);
  private support: ClientSupport = readClientSupport({ processId: null, rootUri: null, capabilities: {} });
  private host: NodeHost | undefined;
  private workspace: WorkspaceService | undefined;

  constructor(private readonly connection: Connection) {}

  /** The service, once `initialize` has created it. */
  private get service(): WorkspaceService {
    if (!this.workspace) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'Kube Traffic: the server is not initialized');
    return this.workspace;
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidChangeConfiguration(() => void this.pullSettings().then((s) => this.workspace?.changeSettings(s)));
    c.onDidChangeWatchedFiles((p) => {
      for (const ch of p.changes) this.host?.notify({ type: CHANGE_TYPE[ch.type] ?? 'changed', uri: ch.uri });
    });
    this.documents.onDidOpen((e) => this.workspace?.documentOpened(e.document.uri));
    this.documents.onDidChangeContent((e) => this.workspace?.documentChanged(e.document));
    this.documents.onDidClose((e) => void this.workspace?.documentClosed(e.document.uri));

    // The plain view answers for plain files; a variant's files are asked of each variant (core/variants/features.ts).
    const workspace = () => this.service.workspace;
    const analysis = () => this.service.workspace.plain;
    c.onHover((p, token) => {
      const h = workspaceHover(workspace(), p.textDocument.uri, p.position, token);
      return h ? { contents: { kind: 'markdown', value: h.contents }, range: h.range } : null;
    });
    c.onDefinition((p, token) => workspaceDefinition(workspace(), p.textDocument.uri, p.position, token));
    c.onReferences((p, token) => workspaceReferences(workspace(), p.textDocument.uri, p.position, p.context.includeDeclaration, token));
    c.onDocumentHighlight((p, token) => documentHighlights(analysis(), p.textDocument.uri, p.position, token).map((range) => ({ range, kind: 1 })));
    c.onCodeLens((p, token) => toLspCodeLenses(codeLenses(analysis(), p.textDocument.uri, token), p.textDocument.uri, this.support.vscodeExtension));
    registerLensCommands(c, { canShowDocument: () => this.support.showDocument, roots: () => rootPaths(this.service.folders()) });
    c.onCodeAction((p): CodeAction[] => quickFixes(analysis(), p.textDocument.uri, p.context.diagnostics).map((f) => ({
      title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [p.context.diagnostics[f.diagnostic]!], edit: f.edit, isPreferred: f.isPreferred,
    })));
    registerTrafficRequests(c, () => this.service);
    c.onRequest(GraphRequest.type, async (p): Promise<GraphResponse> => {
      const sel = await cluster(this.service, p?.variant);
      const variants = this.service.workspace.variantNames();
      // A variant that is gone (its kustomization deleted): the plain view, so the view stays usable.
      const shown = 'error' in sel ? await cluster(this.service, undefined) : sel;
      if ('error' in shown) return { nodes: [], edges: [], variants };
      const graph = buildGraph(shown.ctx, (uri) => uri, variantPlacer(shown.workspace, shown.name));
      return { ...graph, ...(shown.name !== undefined ? { variant: shown.name } : {}), variants };
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(p: InitializeParams): InitializeResult {
    this.support = readClientSupport(p);
    this.workspace?.dispose();
    const c = this.connection;
    this.host = new NodeHost({ ...(this.support.storagePath ? { storageDir: this.support.storagePath } : {}), engineVersion: VERSION });
    // Until the first index is complete (editors open documents and send settings before that),
    // the service holds back findings and status.
    this.workspace = new WorkspaceService(this.host, {
      publish: (uri, findings) => void c.sendDiagnostics({ uri, diagnostics: findings.map(toDiagnostic) }),
      status: (s) => void c.sendNotification(StatusNotification.type, s),
      log: (level, m) => (level === 'error' ? c.console.error(m) : c.console.warn(m)),
      beginProgress: (total) => this.beginProgress(total),
    }, { skipBodies: true, workers: true, syncReads: true, unreadable: 'finding', documents: this.documents, renderers: helmRenderers });
    this.workspace.setFolders(p.workspaceFolders?.map((f) => f.uri) ?? (p.rootUri ? [p.rootUri] : []));
    return {
      capabilities: serverCapabilities(this.support),
      serverInfo: { name: 'kube-traffic', version: VERSION },
    };
  }

  private async initialized(): Promise<void> {
    // Dynamic registrations only where the client announces support for them. Without it, clients
    // still send workspace/didChangeConfiguration (eglot, Neovim): listen()'s handler pulls again.
    if (this.support.configuration && this.support.configurationRegistration) {
      void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeTraffic' });
    }
    if (this.support.watcherRegistration) {
      // Manifests, and what renders read besides them: Helm helpers (.tpl), Kustomize JSON patches.
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml,tpl,json}' }] });
    }
    if (this.support.workspaceFolders) this.connection.workspace.onDidChangeWorkspaceFolders(() => {
      void this.connection.workspace.getWorkspaceFolders().then((fs) => this.service.changeFolders(fs?.map((f) => f.uri) ?? []));
    });
    void this.service.start(await this.pullSettings());
  }

  /** The `kubeTraffic` and `files` settings, pulled from the client (defaults when it has none). */
  private async pullSettings(): Promise<ServiceSettings> {
    let raw: [unknown, unknown] = [{}, {}];
    if (this.support.configuration) {
      try {
        const [kt, files] = await this.connection.workspace.getConfiguration([{ section: 'kubeTraffic' }, { section: 'files' }]);
        raw = [kt, files];
      } catch (e) {
        this.connection.console.warn(`Kube Traffic: could not read settings: ${String(e)}`);
        return this.workspace?.settings ?? readSettings({}, {}, this.support.trusted);
      }
    }
    const next = readSettings(raw[0], raw[1], this.support.trusted);
    for (const p of next.problems) this.connection.console.warn(`Kube Traffic: ${p}`);
    return next;
  }

  private async beginProgress(total: number): Promise<ProgressReporter | undefined> {
    if (!this.support.workDoneProgress) return undefined;
    const progress = await this.connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Kube Traffic: indexing manifests', 0, `0/${total} files`, false);
    return progress;
  }
}
