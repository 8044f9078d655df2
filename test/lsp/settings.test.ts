/**
 * Settings read through workspace/configuration and applied live (workspace/didChangeConfiguration):
 * nodePort range, severity overrides, kubeTraffic.exclude, files.exclude, maxFileSize.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, LogMessageNotification } from 'vscode-languageserver-protocol/node';
import { startServer, type LspSession, codes, configChanged, has, lacks, lastReady, msg, sleep, until, waitDiag, waitReady } from '../helpers/lsp';
import { fixture, read, uriOf } from './lspTestUtils';

const SETTINGS = fixture('settings');
const u = (rel: string) => uriOf(SETTINGS, rel);

async function withServer(settings: LspSession['settings'], body: (s: LspSession) => Promise<void>): Promise<void> {
  const s = await startServer(SETTINGS, settings);
  try {
    await waitReady(s);
    await body(s);
  } finally {
    await s.stop();
  }
}

const defaults = (): LspSession['settings'] => ({ kubeTraffic: {}, files: {} });

test('kubeTraffic.nodePortRange "20000-22767", changed live: node-port-range now fires for 30443 and clears for 21000, and back', async () => {
  await withServer(defaults(), async (s) => {
    assert.ok(lacks('node-port-range')(s.diagnostics.get(u('ports/admin.yaml'))!));
    assert.ok(has('node-port-range')(s.diagnostics.get(u('ports/debug.yaml'))!));
    s.settings.kubeTraffic = { nodePortRange: '20000-22767' };
    configChanged(s);
    const admin = await waitDiag(s, u('ports/admin.yaml'), has('node-port-range'));
    const d = admin.find((x) => x.code === 'node-port-range')!;
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.match(msg(d), /nodePort 30443 is outside the nodePort range 20000.22767/);
    assert.equal(d.range.start.line, read(SETTINGS, 'ports/admin.yaml').split('\n').findIndex((l) => l.includes('nodePort: 30443')));
    await waitDiag(s, u('ports/debug.yaml'), lacks('node-port-range'));
    s.settings.kubeTraffic = {};
    configChanged(s);
    await waitDiag(s, u('ports/admin.yaml'), lacks('node-port-range'));
    await waitDiag(s, u('ports/debug.yaml'), has('node-port-range'));
  });
});

test('the settings of the first workspace/configuration answer govern the first index', async () => {
  await withServer({ kubeTraffic: { nodePortRange: '20000-22767' }, files: {} }, async (s) => {
    assert.ok(has('node-port-range')(s.diagnostics.get(u('ports/admin.yaml'))!));
    assert.ok(lacks('node-port-range')(s.diagnostics.get(u('ports/debug.yaml'))!));
  });
});

test('kubeTraffic.severity {"node-port-conflict": "warning"} downgrades both sides; "off" removes them; {} restores errors', async () => {
  await withServer(defaults(), async (s) => {
    for (const f of ['ports/grafana.yaml', 'ports/kibana.yaml']) {
      assert.equal(s.diagnostics.get(u(f))!.find((x) => x.code === 'node-port-conflict')?.severity, DiagnosticSeverity.Error);
    }
    const sev = (level: DiagnosticSeverity) => (d: { code?: unknown; severity?: DiagnosticSeverity }[]) => d.some((x) => x.code === 'node-port-conflict' && x.severity === level);
    s.settings.kubeTraffic = { severity: { 'node-port-conflict': 'warning' } };
    configChanged(s);
    await waitDiag(s, u('ports/grafana.yaml'), sev(DiagnosticSeverity.Warning));
    await waitDiag(s, u('ports/kibana.yaml'), sev(DiagnosticSeverity.Warning));
    // Other rules keep their severity.
    assert.equal(s.diagnostics.get(u('ports/debug.yaml'))!.find((x) => x.code === 'node-port-range')?.severity, DiagnosticSeverity.Error);

    s.settings.kubeTraffic = { severity: { 'node-port-conflict': 'off' } };
    configChanged(s);
    await waitDiag(s, u('ports/grafana.yaml'), lacks('node-port-conflict'));
    await waitDiag(s, u('ports/kibana.yaml'), lacks('node-port-conflict'));
    assert.deepEqual(codes(s.diagnostics.get(u('ports/grafana.yaml'))), ['service-no-endpoints']);

    s.settings.kubeTraffic = {};
    configChanged(s);
    await waitDiag(s, u('ports/grafana.yaml'), sev(DiagnosticSeverity.Error));
    await waitDiag(s, u('ports/kibana.yaml'), sev(DiagnosticSeverity.Error));
  });
});

test('kubeTraffic.exclude ["legacy/**"] removes those files: their diagnostics are cleared (empty publish) and they leave the index', async () => {
  await withServer(defaults(), async (s) => {
    const legacy = u('legacy/old-frontend.yaml');
    assert.deepEqual(codes(s.diagnostics.get(legacy)), ['service-selects-nothing']);
    const before = lastReady(s)!.files;
    assert.equal(before, 7);
    s.settings.kubeTraffic = { exclude: ['legacy/**'] };
    configChanged(s);
    await waitDiag(s, legacy, (d) => d.length === 0);
    await until('ready with 6 files', () => lastReady(s)?.files === 6);
    // Back in when the setting goes.
    s.settings.kubeTraffic = {};
    configChanged(s);
    await waitDiag(s, legacy, has('service-selects-nothing'));
    await until('ready with 7 files', () => lastReady(s)?.files === 7);
  });
});

test('a document opened while excluded gets no diagnostics, and is analysed once the exclude is removed', async () => {
  await withServer({ kubeTraffic: { exclude: ['legacy/**'] }, files: {} }, async (s) => {
    const legacy = u('legacy/old-frontend.yaml');
    assert.equal(s.diagnostics.has(legacy), false);
    s.open(legacy, read(SETTINGS, 'legacy/old-frontend.yaml'), 1);
    await sleep(300);
    assert.ok(!s.diagnostics.get(legacy)?.length, 'excluded, even when open');
    s.settings.kubeTraffic = {};
    configChanged(s);
    // The open editor's content is what must be analysed now (without any further edit).
    await waitDiag(s, legacy, has('service-selects-nothing'), 3000);
  });
});

test('files.exclude {"**/skip": true} keeps a folder out from the start, and removes it when set live', async () => {
  const scratch = u('skip/scratch.yaml');
  await withServer({ kubeTraffic: {}, files: { exclude: { '**/skip': true, '**/ignored-but-false': false } } }, async (s) => {
    await sleep(200);
    assert.equal(s.diagnostics.has(scratch), false, 'an excluded file never gets diagnostics');
    assert.equal(lastReady(s)!.files, 6);
  });
  await withServer(defaults(), async (s) => {
    assert.deepEqual(codes(s.diagnostics.get(scratch)), ['yaml-syntax', 'service-selects-nothing']);
    s.settings.files = { exclude: { '**/skip': true } };
    configChanged(s);
    await waitDiag(s, scratch, (d) => d.length === 0);
  });
});

test('kubeTraffic.maxFileSize 0.001 (MB): a bigger file gets exactly one file-skipped diagnostic; small files are unaffected', async () => {
  await withServer(defaults(), async (s) => {
    const big = u('big/dashboards.yaml');
    assert.deepEqual(codes(s.diagnostics.get(big)), ['yaml-syntax']);
    s.settings.kubeTraffic = { maxFileSize: 0.001 };
    configChanged(s);
    const d = await waitDiag(s, big, has('file-skipped'));
    assert.equal(d.length, 1, JSON.stringify(d));
    assert.equal(d[0]!.code, 'file-skipped');
    assert.equal(d[0]!.severity, DiagnosticSeverity.Information);
    assert.deepEqual(d[0]!.range.start, { line: 0, character: 0 });
    assert.match(msg(d[0]), /maxFileSize/);
    // The small files (< 1 KB) are analysed as before.
    await sleep(200);
    assert.ok(has('node-port-conflict')(s.diagnostics.get(u('ports/grafana.yaml'))!));
    assert.ok(has('service-selects-nothing')(s.diagnostics.get(u('legacy/old-frontend.yaml'))!));
    // Raised again: analysed again.
    s.settings.kubeTraffic = { maxFileSize: 10 };
    configChanged(s);
    await waitDiag(s, big, (x) => codes(x).join() === 'yaml-syntax');
  });
});

test('kubeTraffic.maxFileSize applies to open documents too: one file-skipped diagnostic', async () => {
  await withServer({ kubeTraffic: { maxFileSize: 0.001 }, files: {} }, async (s) => {
    const big = u('big/dashboards.yaml');
    assert.deepEqual(codes(s.diagnostics.get(big)), ['file-skipped']);
    s.open(big, read(SETTINGS, 'big/dashboards.yaml'), 1);
    s.change(big, read(SETTINGS, 'big/dashboards.yaml') + '  extra: "x"\n', 2);
    await sleep(300);
    assert.deepEqual(codes(s.diagnostics.get(big)), ['file-skipped']);
  });
});

test('kubeTraffic.maxFileSize counts an open document in UTF-8 bytes, as on disk, not in UTF-16 units', async () => {
  await withServer({ kubeTraffic: { maxFileSize: 0.001 }, files: {} }, async (s) => {
    // The limit is 1,048 bytes. 600 × "é" is 600 UTF-16 units but 1,200 bytes on disk.
    const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: [{port: 80}]\n';
    const over = u('utf8/over.yaml');
    const under = u('utf8/under.yaml');
    s.open(over, `# ${'é'.repeat(600)}\n${svc}`, 1);
    s.open(under, `# ${'é'.repeat(400)}\n${svc}`, 1);
    assert.deepEqual(codes(await waitDiag(s, over, has('file-skipped'), 3000)), ['file-skipped']);
    await sleep(300);
    assert.ok(!has('file-skipped')(s.diagnostics.get(under) ?? []), 'an 800-byte document is analysed');
  });
});

test('kubeTraffic.maxFileSize changed live applies to an open document as well', async () => {
  await withServer(defaults(), async (s) => {
    const big = u('big/dashboards.yaml');
    s.open(big, read(SETTINGS, 'big/dashboards.yaml'), 1);
    await waitDiag(s, big, has('yaml-syntax'));
    s.settings.kubeTraffic = { maxFileSize: 0.001 };
    configChanged(s);
    // The open 4.8 KB document is over the new 1 KB limit, like the same file on disk would be.
    const d = await waitDiag(s, big, has('file-skipped'), 3000);
    assert.deepEqual(codes(d), ['file-skipped']);
  });
});

test('invalid setting values fall back to the defaults and are logged', async () => {
  await withServer({ kubeTraffic: { nodePortRange: 'thirty-thousand', severity: { 'no-such-rule': 'off', 'node-port-conflict': 'loud' } }, files: {} }, async (s) => {
    assert.ok(has('node-port-range')(s.diagnostics.get(u('ports/debug.yaml'))!), 'default range 30000-32767 applies');
    assert.equal(s.diagnostics.get(u('ports/grafana.yaml'))!.find((x) => x.code === 'node-port-conflict')?.severity, DiagnosticSeverity.Error);
    const logs = s.notifications.filter((n) => n.method === LogMessageNotification.method).map((n) => (n.params as { message: string }).message).join('\n');
    assert.match(logs, /nodePortRange/);
    assert.match(logs, /no-such-rule/);
    assert.match(logs, /loud/);
  });
});
