import * as vscode from 'vscode';
import type { GraphResponse } from '../../server/src/protocol/messages';
import {
  parseFromWebview, type FromWebview, type RenderedMessage, type ToWebview, type TraceMessage, type TrafficGraph,
} from '../../server/src/protocol/webview';

export { SHOW_TOPOLOGY_COMMAND } from '../../server/src/protocol/messages';

/** Where the panel gets its graph: the language server (GraphRequest), and when it changes. */
export interface GraphSource {
  /** The graph of a variant's cluster (undefined: the plain view), with the variants there are. */
  getGraph(variant: string | undefined): Promise<GraphResponse | undefined>;
  readonly onDidChange: vscode.Event<void>;
}

/**
 * The topology webview panel. The server computes the graph; the webview only draws it. Messages
 * from the webview are untrusted: each is validated against the typed protocol, and a reveal may
 * only open a file that is a node of the last graph sent and lies inside the workspace.
 */
export class TopologyPanel implements vscode.Disposable {
  private static current: TopologyPanel | undefined;
  /** Last render the webview reported (for the e2e tests, through the extension's API). */
  static lastRendered: RenderedMessage | undefined;

  /** Last traced request the webview lit (for the e2e tests, through the extension's API). */
  static lastTraceShown: { nodes: number; edges: number } | undefined;

  private readonly disposables: vscode.Disposable[] = [];
  /** The traced request to light, re-sent after every graph (the view is rebuilt when shown again). */
  private trace: TraceMessage | undefined;
  private graph: TrafficGraph | undefined;
  /** The variant drawn (a Kustomize root, a Helm values variant); undefined: the plain view. */
  private variant: string | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private ready = false;

  static show(extensionUri: vscode.Uri, source: GraphSource, output: vscode.LogOutputChannel): void {
    if (TopologyPanel.current) {
      TopologyPanel.current.panel.reveal(vscode.ViewColumn.Beside, false);
      TopologyPanel.current.postFocus();
      return;
    }
    const panel = vscode.window.createWebviewPanel('kubeTraffic.topology', 'Kube Traffic: Topology', vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'webview', 'out')],
    });
    TopologyPanel.current = new TopologyPanel(panel, extensionUri, source, output);
  }

  /** Opens the view (or brings it forward) and lights a traced request's nodes and edges. */
  static showTrace(extensionUri: vscode.Uri, source: GraphSource, output: vscode.LogOutputChannel, path: readonly string[], edges: readonly { from: string; to: string }[]): void {
    TopologyPanel.show(extensionUri, source, output);
    const panel = TopologyPanel.current!;
    panel.trace = { type: 'trace', path, edges };
    if (panel.ready && panel.graph) panel.post(panel.trace);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly source: GraphSource,
    private readonly output: vscode.LogOutputChannel,
  ) {
    panel.webview.html = html(panel.webview, extensionUri);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      source.onDidChange(() => this.scheduleRefresh()),
      vscode.window.onDidChangeActiveTextEditor(() => this.postFocus()),
      // A hidden webview is recreated when shown again; it then sends 'ready'.
      panel.onDidChangeViewState(() => { if (!panel.visible) this.ready = false; }),
    );
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg: FromWebview | undefined = parseFromWebview(raw);
    if (!msg) {
      this.output.warn(`Topology view: ignored an unexpected message: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        await this.refresh();
        break;
      case 'reveal':
        await this.reveal(msg.uri, msg.range);
        break;
      case 'export':
        await this.export(msg.format, msg.data);
        break;
      case 'rendered':
        TopologyPanel.lastRendered = msg;
        break;
      case 'traceShown':
        TopologyPanel.lastTraceShown = { nodes: msg.nodes, edges: msg.edges };
        break;
      case 'error':
        this.output.error(`Topology view: ${msg.message}`);
        break;
      case 'variant':
        this.variant = msg.variant ?? undefined;
        this.trace = undefined; // a traced path belongs to the cluster it was traced in
        await this.refresh();
        break;
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 150);
  }

  private async refresh(): Promise<void> {
    if (!this.ready) return;
    try {
      const response = await this.source.getGraph(this.variant);
      if (!response) return;
      const { variants, variant, ...graph } = response;
      this.variant = variant;
      this.graph = graph;
      this.post({ type: 'graph', graph, activeIds: this.activeIds(), variants, ...(variant !== undefined ? { variant } : {}) });
      if (this.trace) this.post(this.trace);
    } catch (e) {
      this.output.error(`Topology view: could not get the graph: ${String(e)}`);
    }
  }

  private activeIds(): string[] {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    if (!uri || !this.graph) return [];
    return this.graph.nodes.filter((n) => n.file === uri).map((n) => n.id);
  }

  private postFocus(): void {
    if (this.ready && this.graph) this.post({ type: 'focus', ids: this.activeIds() });
  }

  private post(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg);
  }

  private async reveal(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<void> {
    // Only files the graph came from, and only inside the workspace.
    if (!this.graph?.nodes.some((n) => n.file === uri)) return;
    let target: vscode.Uri;
    try {
      target = vscode.Uri.parse(uri, true);
    } catch {
      return;
    }
    if (target.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(target)) return;
    const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    await vscode.window.showTextDocument(target, { viewColumn: vscode.ViewColumn.One, selection, preserveFocus: false });
  }

  private async export(format: 'svg' | 'png', data: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `topology.${format}`) } : {}),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: 'Export the traffic topology',
    });
    if (!target) return; // the user cancelled: nothing is written
    const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
  }

  dispose(): void {
    TopologyPanel.current = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = [...crypto.getRandomValues(new Uint8Array(18))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'webview', 'out', name)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data: blob:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" nonce="${nonce}">
<link rel="stylesheet" href="${asset('topology.css')}" nonce="${nonce}">
<title>Kube Traffic: Topology</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('topology.js')}"></script>
</body>
</html>`;
}
