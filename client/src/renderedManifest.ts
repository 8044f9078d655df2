/**
 * `Kube Traffic: Show Rendered Manifest…`: a variant's output (a Kustomize root as built, a Helm
 * chart with a values file as `helm template` printed it) in a read-only editor. The text comes
 * from the server; the document is virtual (`kube-traffic-rendered:`), so nothing is written.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RENDERED_SCHEME, RenderedRequest, TrafficTargetsRequest } from '../../server/src/protocol/messages';

export const SHOW_RENDERED_COMMAND = 'kubeTraffic.showRendered';

export class RenderedManifests implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  register(): vscode.Disposable[] {
    return [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(RENDERED_SCHEME, this),
      vscode.commands.registerCommand(SHOW_RENDERED_COMMAND, (variant?: unknown) => this.show(typeof variant === 'string' ? variant : undefined)),
    ];
  }

  /** The rendered text of the variant a document's path names. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const client = this.client();
    if (!client) return '# Kube Traffic: the language server is not running.\n';
    const variant = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.yaml$/, ''));
    const r = await client.sendRequest(RenderedRequest.type, { variant });
    return r.type === 'rendered' ? r.text : `# Kube Traffic: ${r.message}. Variants: ${r.variants.join(', ') || 'none'}.\n`;
  }

  /** Opens a variant's rendered manifest (asks which when not given); returns the document. */
  async show(variant?: string): Promise<vscode.TextDocument | undefined> {
    const client = this.client();
    if (!client) {
      void vscode.window.showWarningMessage('Kube Traffic: the language server is not running.');
      return undefined;
    }
    let name = variant;
    if (!name) {
      const { variants } = await client.sendRequest(TrafficTargetsRequest.type, {});
      if (variants.length === 0) {
        void vscode.window.showInformationMessage('Kube Traffic: the workspace has no Kustomize roots or rendered Helm charts.');
        return undefined;
      }
      name = await vscode.window.showQuickPick([...variants], { title: 'Kube Traffic: Show Rendered Manifest…', placeHolder: 'A Kustomize root or a Helm chart with a values file' });
      if (!name) return undefined;
    }
    const uri = vscode.Uri.from({ scheme: RENDERED_SCHEME, path: `/${encodeURIComponent(name)}.yaml` });
    this.changed.fire(uri); // fresh text each time it is shown
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }
}
