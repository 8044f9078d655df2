/**
 * The server as editors other than VS Code see it: code lenses with plain titles and a command the
 * server executes itself (window/showDocument, or a message), and dynamic registrations only
 * where the client announces support. (Real editors: test/editors/neovim.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeLensRequest, ConfigurationRequest, ExecuteCommandRequest, HoverRequest, ShowDocumentRequest, ShowMessageNotification,
  type ClientCapabilities, type CodeLens, type Location, type ShowDocumentParams, type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession, configChanged, waitDiag, waitReady } from '../helpers/lsp';
import { OPEN_LOCATIONS_COMMAND, VSCODE_EXTENSION_CLIENT } from '../../server/src/protocol/messages';
import { fixture, lineOf, read, uriOf } from './lspTestUtils';

const SHOP = fixture('shop');
const u = (rel: string) => uriOf(SHOP, rel);

/** What eglot 1.9 and Neovim announce: workspace/configuration, but no dynamic registration of it. */
const PLAIN_CLIENT: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, didChangeWatchedFiles: { dynamicRegistration: false } },
  textDocument: { publishDiagnostics: {} },
};

async function withServer(capabilities: ClientCapabilities, body: (s: LspSession) => Promise<void>, initializationOptions?: Record<string, unknown>): Promise<void> {
  const s = await startServer(SHOP, undefined, { capabilities, ...(initializationOptions ? { initializationOptions } : {}) });
  try {
    await waitReady(s);
    await body(s);
  } finally {
    await s.stop();
  }
}

async function lenses(s: LspSession, rel: string): Promise<CodeLens[]> {
  return (await s.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: u(rel) } })) ?? [];
}

function messages(s: LspSession): string[] {
  return s.notifications.filter((n) => n.method === ShowMessageNotification.method).map((n) => (n.params as ShowMessageParams).message);
}

const yamlFiles = (dir: string): string[] => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml')).map((f) => f.split(path.sep).join('/')).sort();

test('another editor: plain titles, every lens carries kubeTraffic.openLocations (advertised), no topology lens', async () => {
  await withServer(PLAIN_CLIENT, async (s) => {
    s.connection.onNotification(ShowMessageNotification.type, (p) => { s.notifications.push({ method: ShowMessageNotification.method, params: p }); });
    assert.deepEqual(s.initializeResult.capabilities.executeCommandProvider?.commands, [OPEN_LOCATIONS_COMMAND]);
    const web = await lenses(s, 'apps/web-service.yaml');
    assert.deepEqual(web.map((l) => l.command?.title), ['selects 2 workloads · 5 pods', 'reached by 1 Ingress, 1 route']);
    const [title, locs] = web[0]!.command!.arguments as [string, Location[]];
    assert.equal(title, 'selects 2 workloads · 5 pods');
    assert.deepEqual(locs.map((l) => `${l.uri}:${l.range.start.line}`).sort(), [
      `${u('apps/web-canary.yaml')}:${lineOf(read(SHOP, 'apps/web-canary.yaml'), 'name: web-canary')}`,
      `${u('apps/web-deployment.yaml')}:${lineOf(read(SHOP, 'apps/web-deployment.yaml'), 'name: web')}`,
    ]);
    // Lenses with nothing to open still carry the command (a lens without one shows as unresolved).
    const ext = await lenses(s, 'ext/external.yaml');
    assert.deepEqual(ext.map((l) => [l.command?.title, l.command?.command, (l.command?.arguments?.[1] as unknown[]).length]), [
      ['CNAME → billing.payments.example.com', OPEN_LOCATIONS_COMMAND, 0],
      ['no selector · 1 endpoint object', OPEN_LOCATIONS_COMMAND, 1],
      ['selects nothing', OPEN_LOCATIONS_COMMAND, 0],
      ['no Service selects it', OPEN_LOCATIONS_COMMAND, 0],
    ]);
    let count = 0;
    for (const rel of yamlFiles(SHOP)) {
      for (const l of await lenses(s, rel)) {
        count++;
        assert.equal(l.command?.command, OPEN_LOCATIONS_COMMAND, `${rel}: ${JSON.stringify(l)}`);
        assert.doesNotMatch(l.command!.title, /\$\(|topology/, `${rel}: a plain title`);
      }
    }
    assert.ok(count >= 14, `lenses in the fixture: ${count}`);
    // Running one with nothing to open says so.
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: OPEN_LOCATIONS_COMMAND, arguments: ext[0]!.command!.arguments });
    assert.deepEqual(messages(s), ['Kube Traffic: CNAME → billing.payments.example.com (nothing to open)']);
  });
});

test('the VS Code extension (initializationOptions.client) keeps its own commands and no executeCommandProvider', async () => {
  await withServer(PLAIN_CLIENT, async (s) => {
    assert.equal(s.initializeResult.capabilities.executeCommandProvider, undefined);
    assert.deepEqual((await lenses(s, 'apps/web-service.yaml')).map((l) => l.command?.command),
      ['kubeTraffic.showLocations', 'kubeTraffic.showTopology', 'kubeTraffic.showLocations']);
  }, { client: VSCODE_EXTENSION_CLIENT });
});

test('executing a lens with window/showDocument support opens its first location; several are listed too', async () => {
  await withServer({ ...PLAIN_CLIENT, window: { showDocument: { support: true } } }, async (s) => {
    const shown: ShowDocumentParams[] = [];
    s.connection.onRequest(ShowDocumentRequest.type, (p) => { shown.push(p); return { success: true }; });
    s.connection.onNotification(ShowMessageNotification.type, (p) => { s.notifications.push({ method: ShowMessageNotification.method, params: p }); });
    // One location: the StatefulSet's lens opens its headless Service at its name; no message.
    const [pg] = await lenses(s, 'data/postgres.yaml');
    assert.equal(pg!.command!.title, 'reached by 1 Service');
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: pg!.command!.command, arguments: pg!.command!.arguments });
    const line = lineOf(read(SHOP, 'data/postgres-service.yaml'), 'name: postgres');
    assert.deepEqual(shown, [{ uri: u('data/postgres-service.yaml'), selection: { start: { line, character: 8 }, end: { line, character: 16 } }, takeFocus: true }]);
    assert.deepEqual(messages(s), []);
    // Four locations: the first opens, the message lists all four by relative path and 1-based line.
    const [dep] = await lenses(s, 'apps/web-deployment.yaml');
    const first = (dep!.command!.arguments![1] as Location[])[0]!;
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: dep!.command!.command, arguments: dep!.command!.arguments });
    assert.equal(shown.length, 2);
    assert.deepEqual(shown[1], { uri: first.uri, selection: first.range, takeFocus: true });
    const [m] = messages(s);
    assert.match(m!, /^Kube Traffic: reached by 2 Services, 1 Ingress, 1 route: .* \(opened the first\)$/);
    const listed = m!.slice(m!.indexOf(': ', 14) + 2, m!.indexOf(' (opened')).split(', ').sort();
    assert.deepEqual(listed, [
      `apps/ingress.yaml:${lineOf(read(SHOP, 'apps/ingress.yaml'), 'name: storefront') + 1}`,
      `apps/web-service.yaml:${lineOf(read(SHOP, 'apps/web-service.yaml'), 'name: web') + 1}`,
      `edge/lb.yaml:${lineOf(read(SHOP, 'edge/lb.yaml'), 'name: edge') + 1}`,
      `gateway/route.yaml:${lineOf(read(SHOP, 'gateway/route.yaml'), 'name: web-route') + 1}`,
    ]);
  });
});

test('without window/showDocument the locations come as a message; bad arguments get an error, not a crash', async () => {
  await withServer(PLAIN_CLIENT, async (s) => {
    let showDocuments = 0;
    s.connection.onRequest(ShowDocumentRequest.type, () => { showDocuments++; return { success: true }; });
    s.connection.onNotification(ShowMessageNotification.type, (p) => { s.notifications.push({ method: ShowMessageNotification.method, params: p }); });
    const [pg] = await lenses(s, 'data/postgres.yaml');
    await s.connection.sendRequest(ExecuteCommandRequest.type, { command: pg!.command!.command, arguments: pg!.command!.arguments });
    assert.equal(showDocuments, 0);
    assert.deepEqual(messages(s), [`Kube Traffic: reached by 1 Service: data/postgres-service.yaml:${lineOf(read(SHOP, 'data/postgres-service.yaml'), 'name: postgres') + 1}`]);
    await assert.rejects(s.connection.sendRequest(ExecuteCommandRequest.type, { command: OPEN_LOCATIONS_COMMAND, arguments: ['x', [{ uri: 1 }]] }),
      /kubeTraffic\.openLocations expects \[title: string, locations: Location\[\]\]/);
    await assert.rejects(s.connection.sendRequest(ExecuteCommandRequest.type, { command: 'kubeTraffic.nope', arguments: [] }), /unknown command "kubeTraffic\.nope"/);
    const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: u('apps/web-service.yaml') }, position: { line: 3, character: 9 } });
    assert.ok(h, 'the server still answers');
  });
});

test('dynamic registrations follow the client: none for eglot/Neovim-like clients, whose settings still apply live', async () => {
  await withServer(PLAIN_CLIENT, async (s) => {
    assert.deepEqual(s.registrations, []);
    const rel = 'apps/ingress.yaml';
    const code = String(s.diagnostics.get(u(rel))?.[0]?.code ?? '');
    assert.ok(code, `a finding in ${rel}: ${JSON.stringify(s.diagnostics.get(u(rel)))}`);
    s.settings.kubeTraffic = { severity: { [code]: 'off' } };
    configChanged(s); // sent without registration, as eglot and Neovim do
    await waitDiag(s, u(rel), (d) => !d.some((x) => x.code === code));
    assert.deepEqual(s.registrations, []);
  });
  // A client that supports them (VS Code) gets both.
  await withServer({ workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } } }, async (s) => {
    assert.deepEqual(s.registrations.map((r) => r.method).sort(), ['workspace/didChangeConfiguration', 'workspace/didChangeWatchedFiles']);
  });
});

test('opening a document publishes its diagnostics again, unchanged (Eglot shows only what arrives while a file is open)', async () => {
  await withServer(PLAIN_CLIENT, async (s) => {
    const uri = u('apps/ingress.yaml');
    const before = s.diagnostics.get(uri);
    assert.ok(before?.some((d) => d.code === 'ingress-service-missing'), JSON.stringify(before));
    s.diagnostics.delete(uri); // the helper resolves the wait below on the next publish only
    s.open(uri, read(SHOP, 'apps/ingress.yaml'));
    assert.deepEqual(await waitDiag(s, uri, (d) => d.length > 0, 5000), before);
  });
});

test('a document opened right after initialized is not checked against a half-loaded workspace', async () => {
  // Eglot and Neovim open the buffer as soon as the server is initialized, while the server still
  // waits for its settings: a pass then would find that the Service selects nothing.
  const s = await startServer(SHOP, undefined, { capabilities: PLAIN_CLIENT });
  try {
    // An editor that takes its time to answer workspace/configuration (Emacs reads it between events).
    s.connection.onRequest(ConfigurationRequest.type, async (p) => {
      await new Promise((r) => setTimeout(r, 300));
      return p.items.map((i) => (i.section === 'files' ? s.settings.files : s.settings.kubeTraffic));
    });
    const uri = u('apps/web-service.yaml');
    s.open(uri, read(SHOP, 'apps/web-service.yaml'));
    await waitReady(s);
    await waitDiag(s, uri, () => true);
    const mine = s.publishes.filter((p) => p.uri === uri);
    assert.ok(mine.length > 0, 'an open document gets a publish');
    assert.deepEqual(mine.map((p) => p.diagnostics.map((d) => d.code)), mine.map(() => []), 'never a finding from a partial index');
  } finally {
    await s.stop();
  }
});
