// Demo tests module for the e2e harness (e2e/run-tests.mjs). It is require()d inside the VS Code
// extension host, so it is CommonJS and gets the real `vscode` API. run() must resolve when all
// tests pass and reject otherwise: that decides the exit code of the run.
//
// Results go to the file named by KT_E2E_RESULTS, because extension-host console output reaches
// the runner only in a mangled form: one line per test, then "N passed, N failed".
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');

const EXTENSION_ID = 'kube-traffic.kt-e2e-demo';

function report(line) {
  console.log(line);
  // Appended as we go, so a run that times out still shows how far it got.
  if (process.env.KT_E2E_RESULTS) fs.appendFileSync(process.env.KT_E2E_RESULTS, line + '\n');
}

async function waitFor(what, predicate, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Screenshot protocol of e2e/code-server-shim.mjs: write <name>.request, the shim saves
// <name>.png and deletes the request. No-op when screenshots are not enabled.
async function screenshot(name) {
  const dir = process.env.KT_E2E_SCREENSHOT_DIR;
  if (!dir) return undefined;
  const request = path.join(dir, `${name}.request`);
  fs.writeFileSync(request, '');
  await waitFor(`screenshot ${name}`, () => !fs.existsSync(request));
  return path.join(dir, `${name}.png`);
}

function hoverText(hovers) {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

let doc;
const tests = [
  ['opens a YAML file from the workspace', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'service.yaml'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'yaml');
  }],
  ['activates the extension (onLanguage:yaml)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded as the development extension`);
    await waitFor('activation', () => ext.isActive);
  }],
  ['hover provider answers "demo hover"', async () => {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 2));
    assert.strictEqual(hoverText(hovers), 'demo hover');
  }],
];

if (process.env.KT_E2E_SCREENSHOT_DIR) {
  tests.push(['workbench renders the hover (screenshot)', async () => {
    const editor = vscode.window.activeTextEditor;
    editor.selection = new vscode.Selection(1, 2, 1, 2);
    await vscode.commands.executeCommand('editor.action.showHover');
    await new Promise((r) => setTimeout(r, 1000)); // let the hover widget paint
    const png = await screenshot('hover');
    assert.ok(fs.statSync(png).size > 0, `${png} written`);
  }]);
}

async function run() {
  let passed = 0;
  let failed = 0;
  for (const [name, fn] of tests) {
    try {
      await fn();
      passed++;
      report(`ok   ${name}`);
    } catch (err) {
      failed++;
      report(`FAIL ${name}: ${String(err && err.message).split('\n').join(' ')}`);
    }
  }
  report(`${passed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} test(s) failed`);
}

module.exports = { run };
