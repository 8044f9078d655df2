/**
 * End-to-end tests in real VS Code (code-server), run by e2e/run-tests.mjs on test/e2e/workspace.
 * This module is require()d in the extension host: CommonJS, exports run(), which rejects when a
 * test fails. Results go to the file named by KT_E2E_RESULTS (one line per test, then a summary).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'kube-traffic.kube-traffic';

function report(line: string): void {
  console.log(line);
  if (process.env.KT_E2E_RESULTS) fs.appendFileSync(process.env.KT_E2E_RESULTS, line + '\n');
}

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Screenshot protocol of e2e/code-server-shim.mjs: write <name>.request; the shim writes <name>.png. */
async function screenshot(name: string): Promise<string | undefined> {
  const dir = process.env.KT_E2E_SCREENSHOT_DIR;
  if (!dir) return undefined;
  const request = path.join(dir, `${name}.request`);
  fs.writeFileSync(request, '');
  await waitFor(`screenshot ${name}`, () => !fs.existsSync(request), 30000);
  return path.join(dir, `${name}.png`);
}

const root = () => vscode.workspace.workspaceFolders![0]!.uri;
const file = (rel: string) => vscode.Uri.joinPath(root(), rel);
const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const diagnosticsOf = (rel: string) => vscode.languages.getDiagnostics(file(rel));
const hasCode = (rel: string, code: string) => diagnosticsOf(rel).some((d) => codeOf(d) === code);

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)).join('\n');
}

/** Position of the n-th occurrence of `needle` in a file (0-based lines). */
async function find(rel: string, needle: string, nth = 0): Promise<vscode.Position> {
  const doc = await vscode.workspace.openTextDocument(file(rel));
  let from = 0;
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = doc.getText().indexOf(needle, from);
    assert.ok(at >= 0, `${needle} in ${rel}`);
    from = at + 1;
  }
  return doc.positionAt(at);
}

/** The language server process this extension host started (its child running server/out/server.js). */
function serverPid(): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      if (ppid === process.pid && cmdline.includes('server/out/server.js')) return Number(entry);
    } catch { /* the process ended meanwhile */ }
  }
  return undefined;
}

const tests: [string, () => Promise<void>][] = [
  ['the extension activates on a YAML workspace', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await waitFor('activation', () => ext.isActive);
  }],
  ['diagnostics of a file never opened reach the Problems model', async () => {
    await waitFor('service-selects-nothing on cart-service.yaml', () => hasCode('shop/cart-service.yaml', 'service-selects-nothing'));
    const d = diagnosticsOf('shop/cart-service.yaml').find((x) => codeOf(x) === 'service-selects-nothing')!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.range.start.line, 6);
    assert.match(d.message, /cart-servce/);
    assert.match(d.message, /app=cart-service/);
    assert.equal(d.source, 'kube-traffic');
  }],
  ['a diagnostic\'s code opens its rule in the shipped docs/rules.md (Markdown preview, offline)', async () => {
    const d = diagnosticsOf('shop/cart-service.yaml').find((x) => codeOf(x) === 'service-selects-nothing')!;
    assert.ok(typeof d.code === 'object', 'the code carries a link');
    const target = d.code.target;
    // What the Problems panel and the hover open (with commands allowed) when the code is clicked.
    assert.equal(target.scheme, 'command');
    assert.equal(target.path, 'kubeTraffic.showRule');
    const args = JSON.parse(decodeURIComponent(target.query)) as unknown[];
    assert.deepEqual(args, ['service-selects-nothing']);
    await vscode.commands.executeCommand(target.path, ...args);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = await waitFor('a Markdown preview of rules.md', () => tabs()
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('markdown.preview') && t.label.includes('rules.md')))
      .catch((e: Error) => { throw new Error(`${e.message}; tabs: ${JSON.stringify(tabs().map((t) => [t.label, (t.input as { viewType?: string })?.viewType]))}`); });
    await vscode.window.tabGroups.close(tab);
  }],
  ['the // line is a yaml-syntax error saying comments start with #', async () => {
    await waitFor('yaml-syntax on comments.yaml', () => hasCode('data/comments.yaml', 'yaml-syntax'));
    const d = diagnosticsOf('data/comments.yaml').find((x) => codeOf(x) === 'yaml-syntax')!;
    assert.equal(d.range.start.line, 0);
    assert.match(d.message, /comments start with `#`/);
  }],
  ['hover on a Service shows its DNS name and the port chain to the container', async () => {
    const doc = await vscode.workspace.openTextDocument(file('shop/web-service.yaml'));
    await vscode.window.showTextDocument(doc);
    const pos = await find('shop/web-service.yaml', 'web', 0);
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos.translate(0, 1)));
    assert.match(text, /web\.shop\.svc\.cluster\.local/);
    assert.match(text, /node:30080/);
    assert.match(text, /web:8080/);
    assert.match(text, /3 replicas/);
  }],
  ['go to definition from a selector value lands on the pod template label', async () => {
    const pos = await find('shop/web-service.yaml', 'app: web');
    const locs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', file('shop/web-service.yaml'), pos.translate(0, 6));
    assert.equal(locs.length, 1);
    const l = locs[0]!;
    const uri = 'uri' in l ? l.uri : l.targetUri;
    const range = 'range' in l ? l.range : l.targetRange;
    assert.equal(path.basename(uri.fsPath), 'web.yaml');
    assert.equal(range.start.line, (await find('shop/web.yaml', 'app: web', 1)).line);
  }],
  ['find references from a pod label lists the selecting Service', async () => {
    const pos = await find('shop/web.yaml', 'app: web', 1);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', file('shop/web.yaml'), pos);
    assert.ok(refs.some((r) => r.uri.fsPath.endsWith('web-service.yaml')), JSON.stringify(refs.map((r) => r.uri.fsPath)));
  }],
  ['code lens above the Service counts workloads and pods', async () => {
    const lenses = await waitFor('code lenses', async () => {
      const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file('shop/web-service.yaml'));
      return l.length ? l : undefined;
    });
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('selects 1 workload · 3 pods'), JSON.stringify(titles));
    assert.ok(titles.includes('reached by 1 Ingress'), JSON.stringify(titles));
    // The extension introduces itself (initializationOptions.client): VS Code's own lenses, not
    // the plain ones other editors get.
    const commands = lenses.map((l) => `${l.command?.command} ${l.command?.title}`);
    assert.ok(commands.includes('kubeTraffic.showTopology $(type-hierarchy) topology'), JSON.stringify(commands));
    assert.ok(commands.includes('kubeTraffic.showLocations selects 1 workload · 3 pods'), JSON.stringify(commands));
  }],
  ['Kube Traffic: Show Topology opens the panel, which receives and draws the graph', async () => {
    const ext = vscode.extensions.getExtension<{ topology: { lastRendered(): { nodes: number; edges: number; brokenEdges: number } | undefined } }>(EXTENSION_ID)!;
    await vscode.commands.executeCommand('kubeTraffic.showTopology');
    const rendered = await waitFor('the topology webview to render', () => ext.exports.topology.lastRendered(), 30000);
    // test/e2e/workspace: Services web, cart, db; Deployments web, cart; Ingress shop; entry points; the broken selectors.
    assert.ok(rendered.nodes >= 8, JSON.stringify(rendered));
    assert.ok(rendered.edges >= 6, JSON.stringify(rendered));
    assert.ok(rendered.brokenEdges >= 1, JSON.stringify(rendered));
    await screenshot('topology');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }],
  ['Kube Traffic: Trace Request… answers hop by hop and lights the path in the topology view', async () => {
    const ext = vscode.extensions.getExtension<{ trace: { lastShown(): { nodes: number; edges: number } | undefined } }>(EXTENSION_ID)!;
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('kubeTraffic.traceRequest') && commands.includes('kubeTraffic.canReach'));
    type Step = { hop: { id: string }; next: Step[] };
    const r = await vscode.commands.executeCommand<{ type: string; text: string; result: { outcome: string; entries: Step[] } }>('kubeTraffic.traceRequest', 'http://shop.example.com/products');
    assert.equal(r.type, 'result');
    assert.equal(r.result.outcome, 'reached', r.text);
    const ids: string[] = [];
    const walk = (st: Step): void => { ids.push(st.hop.id); st.next.forEach(walk); };
    r.result.entries.forEach(walk);
    assert.deepEqual(ids, ['Ingress/shop/shop', 'Service/shop/web', 'Deployment/shop/web']);
    assert.match(r.text, /web\.yaml:\d+/);
    // The topology view opened and lit the request: the three resources and the edges between them.
    const shown = await waitFor('the traced path lit in the topology view', () => ext.exports.trace.lastShown(), 30000);
    assert.ok(shown.nodes >= 3 && shown.edges >= 2, JSON.stringify(shown));
    await screenshot('trace');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const reach = await vscode.commands.executeCommand<{ type: string; result: { verdict: string } }>('kubeTraffic.canReach', { from: 'Deployment/shop/web', to: 'Service/shop/web', port: '80' });
    assert.equal(reach.type, 'result');
    assert.equal(reach.result.verdict, 'allowed', 'no NetworkPolicy in this workspace: everything is allowed');
  }],
  ['an edit in one file updates the diagnostics of another (unsaved)', async () => {
    const doc = await vscode.workspace.openTextDocument(file('shop/web.yaml'));
    const pos = await find('shop/web.yaml', 'app: web', 1);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(pos.translate(0, 5), pos.translate(0, 8)), 'webx');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('service-selects-nothing on web-service.yaml', () => hasCode('shop/web-service.yaml', 'service-selects-nothing'));
    await vscode.commands.executeCommand('undo');
    const back = new vscode.WorkspaceEdit();
    const now = await find('shop/web.yaml', 'app: webx');
    back.replace(doc.uri, new vscode.Range(now.translate(0, 5), now.translate(0, 9)), 'web');
    if (doc.getText().includes('app: webx')) assert.ok(await vscode.workspace.applyEdit(back));
    await waitFor('web-service.yaml clean again', () => !hasCode('shop/web-service.yaml', 'service-selects-nothing'));
  }],
  ['the nearest-miss quick fix corrects the selector and the warning goes away', async () => {
    const uri = file('shop/cart-service.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri)); // code actions need a text model
    const d = diagnosticsOf('shop/cart-service.yaml').find((x) => codeOf(x) === 'service-selects-nothing')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.startsWith('Change selector'));
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /selector:\n {4}app: cart-service\n/);
    await waitFor('cart-service.yaml clean', () => !hasCode('shop/cart-service.yaml', 'service-selects-nothing'));
  }],
  ['the // quick fix turns the line into a comment', async () => {
    const uri = file('data/comments.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const d = diagnosticsOf('data/comments.yaml').find((x) => codeOf(x) === 'yaml-syntax')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('`#`'));
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok((await vscode.workspace.openTextDocument(uri)).getText().startsWith('# the database Service'));
    await waitFor('comments.yaml without yaml-syntax', () => !hasCode('data/comments.yaml', 'yaml-syntax'));
  }],
  ['a killed language server is restarted, answers again, and the user sees one short warning for the burst', async () => {
    const ext = vscode.extensions.getExtension<{ server: { stats(): { restarts: number; crashNotices: number } } }>(EXTENSION_ID)!;
    const before = ext.exports.server.stats();
    const doc = await vscode.workspace.openTextDocument(file('shop/web-service.yaml'));
    const pos = (await find('shop/web-service.yaml', 'web', 0)).translate(0, 1);
    for (let crash = 1; crash <= 2; crash++) {
      const pid = await waitFor('a running server process', () => serverPid());
      process.kill(pid, 'SIGKILL');
      await waitFor(`restart ${crash}`, () => ext.exports.server.stats().restarts === before.restarts + crash);
      await waitFor('a new server process', () => { const p = serverPid(); return p !== undefined && p !== pid; });
      await waitFor('hover from the restarted server', async () => {
        const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
        return /web\.shop\.svc\.cluster\.local/.test(text);
      }, 30000);
    }
    // Two crashes within a minute are one burst: one warning, not two.
    assert.equal(ext.exports.server.stats().crashNotices, before.crashNotices + 1);
  }],
];

if (process.env.KT_E2E_SCREENSHOT_DIR) {
  tests.push(['screenshots: hover on a Service, and the Problems panel', async () => {
    const doc = await vscode.workspace.openTextDocument(file('shop/web-service.yaml'));
    const editor = await vscode.window.showTextDocument(doc);
    const pos = (await find('shop/web-service.yaml', 'web', 0)).translate(0, 1);
    editor.selection = new vscode.Selection(pos, pos);
    await new Promise((r) => setTimeout(r, 1500)); // let code lenses render
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1500));
    const hover = await screenshot('editor-hover');
    assert.ok(hover && fs.statSync(hover).size > 0);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await new Promise((r) => setTimeout(r, 1500));
    const problems = await screenshot('problems');
    assert.ok(problems && fs.statSync(problems).size > 0);
  }]);
}

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of tests) {
    const started = Date.now();
    try {
      await fn();
      passed++;
      report(`PASS ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      report(`FAIL ${name}: ${e instanceof Error ? `${e.message}${process.env.KT_E2E_STACKS ? `\n${e.stack}` : ''}` : String(e)}`);
    }
  }
  report(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} e2e test(s) failed`);
}
