/**
 * The workspace service without LSP and without a file system: an in-memory host and editor
 * documents, a listener that records what would be published.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KIND_CATALOG } from '../../server/src/core/kinds/registry';
import { buildFileModel, toStored } from '../../server/src/core/model/fileModel';
import type { Finding } from '../../server/src/core/types';
import { FindingsPublisher, type FindingSource } from '../../server/src/service/publisher';
import type { ServiceOptions, WorkspaceStatus } from '../../server/src/service/types';
import { DEFAULT_SERVICE_SETTINGS, WorkspaceService } from '../../server/src/service/workspaceService';
import { MemoryDocuments, MemoryHost, ROOT, hashOf, uri } from '../helpers/workspace';
import { deployment, service } from '../helpers/fixtures';

const SERVICE = (name = 'web', app = 'web') => service(name, { app }, { ns: 'shop', targetPort: 8080 });

const DEPLOYMENT = (app: string) => deployment('web', { app }, { ns: 'shop', image: 'nginx', ports: [['', 8080]] });

interface Session {
  readonly service: WorkspaceService;
  readonly host: MemoryHost;
  readonly docs: MemoryDocuments;
  /** Latest findings published per URI ([] = cleared). */
  readonly published: Map<string, readonly Finding[]>;
  readonly statuses: WorkspaceStatus[];
}

function session(host: MemoryHost, options: ServiceOptions = {}): Session {
  const published = new Map<string, readonly Finding[]>();
  const statuses: WorkspaceStatus[] = [];
  const docs = new MemoryDocuments();
  const service = new WorkspaceService(host, {
    publish: (u, findings) => published.set(u, findings),
    status: (s) => statuses.push(s),
  }, { skipBodies: true, documents: docs, ...options });
  service.setFolders([ROOT]);
  return { service, host, docs, published, statuses };
}

async function until<T>(what: string, pred: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const codesOf = (s: Session, name: string) => s.published.get(uri(name))?.map((f) => f.code);
const readies = (s: Session) => s.statuses.filter((x) => x.type === 'ready');

test('loads the workspace through the host, publishes the files with findings, and reports indexing → ready with counts', async () => {
  const s = session(new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('other'), 'notes.txt': 'not yaml' }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    const ready = await until('ready', () => readies(s)[0]);
    assert.deepEqual(codesOf(s, 'svc.yaml'), ['service-selects-nothing']);
    assert.equal(s.published.has(uri('deploy.yaml')), false, 'a clean file never shown is not published');
    assert.equal(s.published.has(uri('notes.txt')), false);
    assert.equal(ready.type === 'ready' && ready.files, 2);
    assert.equal(ready.type === 'ready' && ready.resources, 2);
    assert.equal(ready.type === 'ready' && ready.warnings + ready.errors + ready.infos, 1);
    assert.ok(ready.type === 'ready' && typeof ready.indexMs === 'number', 'the first ready carries the index time');
    const indexing = s.statuses.filter((x) => x.type === 'indexing');
    assert.deepEqual(indexing[indexing.length - 1], { type: 'indexing', done: 2, total: 2 });
    assert.ok(s.statuses.indexOf(indexing[indexing.length - 1]!) < s.statuses.indexOf(ready), 'indexing before ready');
  } finally {
    s.service.dispose();
  }
});

test('a change on disk re-checks what read it: a matching Deployment clears the Service\'s finding, its deletion brings it back', async () => {
  const s = session(new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('other') }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    await until('the first finding', () => codesOf(s, 'svc.yaml')?.length === 1);
    s.host.write('deploy.yaml', DEPLOYMENT('web'));
    await until('the finding cleared', () => codesOf(s, 'svc.yaml')?.length === 0);
    s.host.delete('deploy.yaml');
    await until('the finding back', () => codesOf(s, 'svc.yaml')?.[0] === 'service-selects-nothing');
    assert.equal(s.service.workspace.index.file(uri('deploy.yaml')), undefined);
  } finally {
    s.service.dispose();
  }
});

test('an open editor wins over disk: a disk change to an open file is ignored; closing it reads the disk again', async () => {
  const s = session(new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('web') }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    await until('ready', () => readies(s)[0]);
    assert.equal(codesOf(s, 'svc.yaml'), undefined);
    const doc = s.docs.set(uri('deploy.yaml'), DEPLOYMENT('edited'), 2);
    s.service.documentOpened(doc.uri);
    s.service.documentChanged(doc);
    await until('the editor text checked', () => codesOf(s, 'svc.yaml')?.[0] === 'service-selects-nothing');
    assert.deepEqual(codesOf(s, 'deploy.yaml'), [], 'an open document is published even when clean');
    s.host.write('deploy.yaml', DEPLOYMENT('web'));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(codesOf(s, 'svc.yaml'), ['service-selects-nothing'], 'the disk change did not replace the editor text');
    s.docs.close(doc.uri);
    await s.service.documentClosed(doc.uri);
    await until('the disk text back', () => codesOf(s, 'svc.yaml')?.length === 0);
  } finally {
    s.service.dispose();
  }
});

test('\'ready\' waits for disk reads still running: a pass that ends meanwhile reports nothing, the pass after the read reports the new counts', async () => {
  const host = new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('other') });
  const s = session(host);
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    const first = await until('ready', () => readies(s)[0]);
    assert.equal(first.type === 'ready' && first.warnings, 1);
    // Reads of changed files wait for the test (a slow disk).
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    host.read = async (u, maxBytes) => { await gate; return host.readSync(u, maxBytes); };
    host.write('deploy.yaml', DEPLOYMENT('web'));
    // Meanwhile an editor change makes a pass (over everything but the file still being read).
    const doc = s.docs.set(uri('notes.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n', 1);
    s.service.documentChanged(doc);
    await until('the pass over the editor change', () => s.published.has(doc.uri));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(readies(s).length, 1, `a 'ready' while deploy.yaml was still being read: ${JSON.stringify(readies(s).slice(1))}`);
    release();
    const next = await until('ready after the read', () => readies(s)[1]);
    assert.equal(next.type === 'ready' && next.warnings, 0, 'the Deployment read from disk now matches the Service');
    assert.deepEqual(codesOf(s, 'svc.yaml'), []);
  } finally {
    s.service.dispose();
  }
});

test('a file deleted while it is read again (its editor just closed) stays deleted: the read that started before is dropped', async () => {
  const host = new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('other') });
  const s = session(host);
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    const doc = s.docs.set(uri('svc.yaml'), SERVICE(), 1);
    s.service.documentOpened(doc.uri);
    s.service.documentChanged(doc);
    await until('the open document published', () => codesOf(s, 'svc.yaml')?.[0] === 'service-selects-nothing');
    // The disk is read as the editor closes (the file is still there), and answers late.
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    host.read = (u, maxBytes) => { const read = host.readSync(u, maxBytes); return gate.then(() => read); };
    s.docs.close(doc.uri);
    const closed = s.service.documentClosed(doc.uri);
    // Meanwhile the file is deleted (a rename in the editor), and the watcher says so.
    host.delete('svc.yaml');
    release();
    await closed;
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.service.workspace.index.file(uri('svc.yaml')), undefined, 'the deleted file is not analysed');
    assert.deepEqual(s.published.get(uri('svc.yaml')), [], 'its findings are cleared');
  } finally {
    s.service.dispose();
  }
});

test('a file opened and then deleted before the next pass has its findings cleared (they were shown before it was opened)', async () => {
  const host = new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('other') });
  const s = session(host);
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    await until('the finding shown', () => codesOf(s, 'svc.yaml')?.[0] === 'service-selects-nothing');
    // Opened, then (before the debounced pass) closed and deleted: a rename in the editor.
    const doc = s.docs.set(uri('svc.yaml'), SERVICE(), 1);
    s.service.documentOpened(doc.uri);
    s.service.documentChanged(doc);
    host.delete('svc.yaml');
    s.docs.close(doc.uri);
    await s.service.documentClosed(doc.uri);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(s.service.workspace.index.file(uri('svc.yaml')), undefined);
    assert.deepEqual(s.published.get(uri('svc.yaml')), [], 'the findings shown before are cleared');
  } finally {
    s.service.dispose();
  }
});

test('an untitled document is analysed while open and dropped on close', async () => {
  const s = session(new MemoryHost({ 'deploy.yaml': DEPLOYMENT('other') }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    const doc = s.docs.set('untitled:Untitled-1', SERVICE(), 1);
    s.service.documentChanged(doc);
    await until('findings of the untitled document', () => s.published.get(doc.uri)?.[0]?.code === 'service-selects-nothing');
    s.docs.close(doc.uri);
    await s.service.documentClosed(doc.uri);
    assert.equal(s.service.workspace.index.file(doc.uri), undefined);
    assert.deepEqual(s.published.get(doc.uri), [], 'its findings are cleared');
  } finally {
    s.service.dispose();
  }
});

test('files that cannot be read: one file-skipped finding each for the editor; left out and listed for the CLI', async () => {
  const files = { 'svc.yaml': SERVICE(), 'big.yaml': `# ${'x'.repeat(5000)}\n` };
  const settings = { ...DEFAULT_SERVICE_SETTINGS, maxFileBytes: 2048 };
  const editor = session(new MemoryHost(files));
  editor.host.unreadable.set(uri('bin.yaml'), 'binary file (contains NUL bytes)');
  try {
    await editor.service.start(settings);
    await until('ready', () => readies(editor)[0]);
    assert.deepEqual(editor.published.get(uri('big.yaml'))?.map((f) => [f.code, f.message]),
      [['file-skipped', 'Not analysed: the file is 5 KB, over kubeTraffic.maxFileSize (2 KB).']]);
    assert.match(editor.published.get(uri('bin.yaml'))?.[0]?.message ?? '', /binary file/);
  } finally {
    editor.service.dispose();
  }
  const cli = session(new MemoryHost(files), { unreadable: 'report', skipBodies: false });
  cli.host.unreadable.set(uri('bin.yaml'), 'binary file (contains NUL bytes)');
  try {
    await cli.service.start(settings);
    assert.deepEqual([...cli.service.skippedFiles()].sort(), [
      [uri('big.yaml'), { type: 'too-large', bytes: 5003 }],
      [uri('bin.yaml'), { type: 'unreadable', reason: 'binary file (contains NUL bytes)' }],
    ]);
    assert.equal(cli.service.workspace.index.fileCount, 1, 'only the readable file is analysed');
  } finally {
    cli.service.dispose();
  }
});

test('the persisted index: a file whose content hash matches is taken from it, a changed one is parsed; the index is saved once settled', async () => {
  const host = new MemoryHost({ 'svc.yaml': SERVICE(), 'deploy.yaml': DEPLOYMENT('web') }, { persistent: true });
  const stored = (text: string) => toStored(buildFileModel(uri('x.yaml'), 'disk', text, undefined, { skipBodies: true, catalog: KIND_CATALOG }));
  // svc.yaml: the stored model is of another text under the current text's hash, so using it shows.
  host.store!.set(uri('svc.yaml'), { hash: hashOf(SERVICE()), stored: stored(SERVICE('from-the-index')) });
  host.store!.set(uri('deploy.yaml'), { hash: hashOf('an older text'), stored: stored(DEPLOYMENT('stale')) });
  const s = session(host);
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    const names = (name: string) => s.service.workspace.index.activeResources(uri(name)).map((r) => r.name);
    assert.deepEqual(names('svc.yaml'), ['from-the-index']);
    const labels = s.service.workspace.index.activeResources(uri('deploy.yaml')).map((r) => (r.type === 'workload' ? r.podLabels.map((l) => `${l.key}=${l.value}`) : []));
    assert.deepEqual(labels, [['app=web']], 'the changed file was parsed, not taken from its stale entry');
    await until('the index saved', () => host.store!.get(uri('deploy.yaml'))?.hash === hashOf(DEPLOYMENT('web')), 4000);
    assert.equal(host.store!.get(uri('svc.yaml'))?.hash, hashOf(SERVICE()));
  } finally {
    s.service.dispose();
  }
});

test('settings: a new exclude loads again without the excluded files and clears their findings', async () => {
  const s = session(new MemoryHost({ 'svc.yaml': SERVICE(), 'charts/svc.yaml': SERVICE('other') }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    await until('both published', () => codesOf(s, 'svc.yaml')?.length === 1 && codesOf(s, 'charts/svc.yaml')?.length === 1);
    s.service.changeSettings({ ...DEFAULT_SERVICE_SETTINGS, exclude: ['charts'] });
    await s.service.whenIndexed();
    await until('the excluded file cleared', () => codesOf(s, 'charts/svc.yaml')?.length === 0);
    assert.equal(s.service.workspace.index.file(uri('charts/svc.yaml')), undefined);
    assert.deepEqual(codesOf(s, 'svc.yaml'), ['service-selects-nothing']);
    s.service.changeSettings({ ...DEFAULT_SERVICE_SETTINGS, exclude: ['charts'], analysis: { ...DEFAULT_SERVICE_SETTINGS.analysis, severity: { 'service-selects-nothing': 'off' } } });
    await until('the finding silenced', () => codesOf(s, 'svc.yaml')?.length === 0);
  } finally {
    s.service.dispose();
  }
});

test('a deleted folder arrives as one change and removes every file under it', async () => {
  const s = session(new MemoryHost({ 'team/a.yaml': SERVICE('a'), 'team/b.yaml': SERVICE('b'), 'teams.yaml': SERVICE('c') }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    await until('published', () => codesOf(s, 'team/b.yaml')?.length === 1);
    s.host.delete('team');
    await until('cleared', () => codesOf(s, 'team/a.yaml')?.length === 0 && codesOf(s, 'team/b.yaml')?.length === 0);
    assert.deepEqual([...s.service.workspace.index.uris()], [uri('teams.yaml')], 'a sibling with the same prefix stays');
  } finally {
    s.service.dispose();
  }
});

test('in the background, partially read documents (a CRD) are parsed in full once idle, and their YAML errors published', async () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget
`;
  const s = session(new MemoryHost({ 'crd.yaml': crd }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    assert.equal(s.service.workspace.index.file(uri('crd.yaml'))?.partial, true, 'indexed by its identity first');
    await until('the body parsed', () => codesOf(s, 'crd.yaml')?.includes('yaml-syntax'), 4000);
    assert.equal(s.service.workspace.index.file(uri('crd.yaml'))?.partial, false);
  } finally {
    s.service.dispose();
  }
});

test('a partially read document that changes on disk, or whose editor closes, is parsed in full once idle too, without any edit', async () => {
  const crd = (name: string, body: string) => `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: ${name}\nspec:\n${body}`;
  const s = session(new MemoryHost({ 'crd.yaml': crd('widgets.example.com', '  group: example.com\n') }));
  try {
    await s.service.start(DEFAULT_SERVICE_SETTINGS);
    await until('the first round done', () => s.service.workspace.index.file(uri('crd.yaml'))?.partial === false, 4000);
    // Changed on disk (a checkout): a YAML error in its body.
    s.host.write('crd.yaml', crd('widgets.example.com', '  names: { kind: Widget\n'));
    await until('the changed body parsed', () => codesOf(s, 'crd.yaml')?.includes('yaml-syntax'), 4000);
    // Opened with other text, then closed: the disk text (with its error) counts again.
    const doc = s.docs.set(uri('crd.yaml'), crd('widgets.example.com', '  group: example.com\n'), 1);
    s.service.documentChanged(doc);
    await until('the editor text checked', () => codesOf(s, 'crd.yaml')?.length === 0, 4000);
    s.docs.close(doc.uri);
    await s.service.documentClosed(doc.uri);
    await until('the disk body parsed again', () => codesOf(s, 'crd.yaml')?.includes('yaml-syntax'), 4000);
  } finally {
    s.service.dispose();
  }
});

test('the publisher merges the findings of several analyses of a file, and clears a file none of them has', async () => {
  const finding = (line: number, code: string): Finding => ({
    uri: 'file:///a.yaml', range: { start: { line, character: 0 }, end: { line, character: 1 } }, severity: 'warning', code, message: code, related: [],
  });
  const source = (files: Record<string, Finding[]>): FindingSource & { dirty: Set<string> } => {
    const dirty = new Set(Object.keys(files));
    return { dirty, takeDirty: () => { const d = [...dirty]; dirty.clear(); return d; }, has: (u) => u in files, findings: (u) => files[u] ?? [] };
  };
  const plain = source({ 'file:///a.yaml': [finding(5, 'service-selects-nothing')] });
  const variant = source({ 'file:///a.yaml': [finding(2, 'target-port-unresolved')], 'file:///b.yaml': [] });
  const sent: [string, string[]][] = [];
  const publisher = new FindingsPublisher({ publish: (u, f) => sent.push([u, f.map((x) => x.code)]), error: (m) => assert.fail(m) }, () => [plain, variant], () => true, 0);
  let passes = 0;
  publisher.onPassDone = () => passes++;
  publisher.schedule();
  await until('a pass', () => passes === 1);
  assert.deepEqual(sent, [['file:///a.yaml', ['target-port-unresolved', 'service-selects-nothing']], ['file:///b.yaml', []]]);
  sent.length = 0;
  variant.has = (u) => u === 'file:///a.yaml';
  publisher.republish('file:///b.yaml');
  publisher.schedule();
  await until('a second pass', () => passes === 2);
  assert.deepEqual(sent, [], 'b.yaml left every analysis; it showed nothing, so nothing is sent');
  publisher.dispose();
});
