/**
 * Takes the README screenshots in real VS Code on a copy of examples/ (scripts/screenshots.mjs).
 * Same protocol as the e2e suite: require()d in the extension host, results to KT_E2E_RESULTS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function screenshot(name: string): Promise<void> {
  const dir = process.env.KT_E2E_SCREENSHOT_DIR!;
  const request = path.join(dir, `${name}.request`);
  fs.writeFileSync(request, '');
  for (let i = 0; i < 300 && fs.existsSync(request); i++) await pause(100);
}

async function showAt(rel: string, needle: string, nth: number, offset: number): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, rel);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  let at = -1;
  for (let i = 0; i <= nth; i++) at = doc.getText().indexOf(needle, at + 1);
  const pos = doc.positionAt(at + offset);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

export async function run(): Promise<void> {
  const results = process.env.KT_E2E_RESULTS;
  const ext = vscode.extensions.getExtension('kube-traffic.kube-traffic')!;
  for (let i = 0; i < 200 && !ext.isActive; i++) await pause(100);
  // Wait for the workspace diagnostics (examples/ plants 7 mistakes).
  for (let i = 0; i < 200; i++) {
    const n = vscode.languages.getDiagnostics().reduce((s, [, d]) => s + d.filter((x) => x.source === 'kube-traffic').length, 0);
    if (n >= 7) break;
    await pause(100);
  }
  await vscode.commands.executeCommand('workbench.action.closeSidebar');
  await showAt('shop/frontend.yaml', 'name: frontend', 1, 7);
  await pause(1500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('hover-service');

  await showAt('shop/cart.yaml', 'cart-servce', 0, 3);
  await pause(1000);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('hover-selector-miss');

  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await showAt('shop/cart.yaml', 'selector', 2, 0);
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await pause(2000);
  await screenshot('problems');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await showAt('shop/frontend.yaml', 'name: frontend', 1, 7);
  await vscode.commands.executeCommand('kubeTraffic.showTopology');
  await pause(6000); // layout and first render
  await screenshot('topology-vscode');
  if (process.env.KT_E2E_REVIEW === '1') await reviewShots();
  if (process.env.KT_E2E_VARIANTS) {
    try {
      await variantShots(process.env.KT_E2E_VARIANTS);
    } catch (e) {
      if (results) fs.appendFileSync(results, `FAIL variant screenshots: ${e instanceof Error ? e.stack : String(e)}\n0 passed, 1 failed\n`);
      throw e;
    }
  }
  if (results) fs.appendFileSync(results, 'PASS screenshots\n1 passed, 0 failed\n');
}

/**
 * A finding of a Helm values variant on its template line, and a hover on a Kustomize base
 * answering for each overlay: test/fixtures/variants copied into the workspace (KT_E2E_VARIANTS
 * is its path), charts rendered with the helm of KT_E2E_HELM.
 */
async function variantShots(fixture: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  const root = vscode.workspace.workspaceFolders![0]!.uri;
  await vscode.workspace.getConfiguration('kubeTraffic.helm').update('path', process.env.KT_E2E_HELM ?? '', vscode.ConfigurationTarget.Workspace);
  fs.cpSync(fixture, path.join(root.fsPath, 'variants'), { recursive: true });
  // Read the workspace again with the copied folder (a restart re-indexes from disk).
  await vscode.commands.executeCommand('kubeTraffic.restartServer');
  const template = vscode.Uri.joinPath(root, 'variants/charts/web/templates/service.yaml');
  for (let i = 0; i < 300; i++) {
    if (vscode.languages.getDiagnostics(template).some((d) => d.code !== undefined && String(typeof d.code === 'object' ? d.code.value : d.code) === 'target-port-unresolved')) break;
    await pause(100);
  }
  await showAt('variants/charts/web/templates/service.yaml', 'targetPort', 0, 14);
  await pause(1000);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('template-finding');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await showAt('variants/shop/base/service.yaml', 'name: cart', 0, 7);
  await pause(1000);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('overlay-hover');
}

/**
 * Screenshots for reviewing hover and lens changes, not for the README (KT_E2E_REVIEW=1, with
 * KT_E2E_SCREENSHOT_DIR pointing away from docs/images): a workload's hover naming its NodePort
 * Services, an Ingress path whose Service selects no pods, lenses below leading comments, and a
 * nearest miss with several folders holding a deployment.yaml (written into the temp workspace).
 */
async function reviewShots(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closePanel');
  await showAt('shop/frontend.yaml', 'name: frontend', 0, 7);
  await pause(1500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('review-hover-deployment');

  await showAt('shop/ingress.yaml', '/api/cart', 0, 3);
  await pause(1500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('review-hover-ingress-path');

  await showAt('platform/httproute.yaml', 'value: /api/catalog', 0, 9);
  await pause(1500);
  await vscode.commands.executeCommand('editor.action.showHover');
  await pause(1500);
  await screenshot('review-hover-route-match');

  const root = vscode.workspace.workspaceFolders![0]!.uri;
  const deployment = (team: string) => `# The ${team} copy of the storefront.\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: storefront\n  namespace: teams\nspec:\n  selector:\n    matchLabels:\n      app: storefront\n  template:\n    metadata:\n      labels:\n        app: storefront\n    spec:\n      containers:\n        - name: web\n          image: nginx\n`;
  const service = '# The Service of team-b: its selector has a typo.\napiVersion: v1\nkind: Service\nmetadata:\n  name: storefront\n  namespace: teams\nspec:\n  selector:\n    app: storefrnt\n  ports:\n    - port: 80\n';
  for (const team of ['team-a', 'team-b', 'team-c']) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, `teams/${team}/deployment.yaml`), Buffer.from(deployment(team)));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'teams/team-b/service.yaml'), Buffer.from(service));
  await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(root, 'teams/team-d/service.yaml'), Buffer.from(service.replace('team-b', 'team-d')));
  for (const team of ['team-b', 'team-d']) {
    await pause(2500);
    await showAt(`teams/${team}/service.yaml`, 'storefrnt', 0, 3);
    await pause(2000);
    await vscode.commands.executeCommand('editor.action.showHover');
    await pause(1500);
    await screenshot(`review-nearest-${team}`);
  }
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  await pause(2000);
  await screenshot('review-nearest-problems');
}
