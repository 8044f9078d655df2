/**
 * The Node host of the workspace service on a real folder: listing (excludes, skipped folders,
 * symlinks), reading (size limit, encodings, hashes), the persisted index, change events, and the
 * first load on worker threads (the built server/out/parseWorker.js; `npm run build` first).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { NodeHost } from '../../server/src/node/nodeHost';
import type { FileChange, ModelPool, StoredEntry } from '../../server/src/service/host';
import { WorkspaceService } from '../../server/src/service/workspaceService';

const WORKER = path.resolve(__dirname, '../../server/out/parseWorker.js');

const SERVICE = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n    - port: 80\n`;

/** Counts the files modelled on worker threads. */
class CountingHost extends NodeHost {
  onWorkers = 0;

  override createPool(): ModelPool | undefined {
    const pool = super.createPool();
    if (!pool) return undefined;
    return {
      get usable() { return pool.usable; },
      run: (r) => { this.onWorkers++; return pool.run(r); },
      dispose: () => pool.dispose(),
    };
  }
}

function tempDir(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kt-host-')));
}

function write(dir: string, rel: string, content: string | Buffer): string {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

const url = (p: string) => pathToFileURL(p).href;

test('list: manifests of every root in walk order, without excluded paths, node_modules and .git; dangling and looping links are problems', async () => {
  const dir = tempDir();
  try {
    const a = path.join(dir, 'a');
    const b = path.join(dir, 'b');
    write(a, 'svc.yaml', SERVICE('a'));
    write(a, 'sub/deploy.yml', SERVICE('b'));
    write(a, 'charts/x.yaml', SERVICE('x'));
    write(a, 'team/charts/y.yaml', SERVICE('y'));
    write(a, 'node_modules/m.yaml', SERVICE('m'));
    write(a, '.git/g.yaml', SERVICE('g'));
    write(a, 'README.md', '# not a manifest');
    write(b, 'c.yaml', SERVICE('c'));
    fs.symlinkSync('missing.yaml', path.join(a, 'dangling.yaml'));
    fs.symlinkSync('self.yaml', path.join(a, 'self.yaml'));
    fs.symlinkSync(a, path.join(a, 'sub/up')); // a loop: read once
    const host = new NodeHost();
    host.setScope([url(a), url(b), 'untitled:ignored'], ['charts']);
    const listing = await host.list();
    assert.deepEqual(listing.uris, [
      url(path.join(a, 'sub/deploy.yml')), url(path.join(a, 'svc.yaml')), url(path.join(a, 'team/charts/y.yaml')), url(path.join(b, 'c.yaml')),
    ]);
    assert.deepEqual(listing.problems, [
      { uri: url(path.join(a, 'dangling.yaml')), reason: 'no such file or directory' },
      { uri: url(path.join(a, 'self.yaml')), reason: 'too many levels of symbolic links' },
    ]);
    assert.equal(host.includes(url(path.join(a, 'charts/x.yaml'))), false, 'excluded');
    assert.equal(host.includes(url(path.join(a, 'team/charts/y.yaml'))), true, 'globs are relative to the root: `charts` is not `team/charts`');
    assert.equal(host.includes(url(path.join(a, 'svc.yaml'))), true);
    assert.equal(host.includes(url(path.join(a, 'README.md'))), false, 'not a manifest');
    assert.equal(host.includes(url(path.join(dir, 'elsewhere.yaml'))), true, 'a file outside every root (opened in the editor)');
    assert.equal(host.includes('untitled:Untitled-1'), false);
    host.setScope([url(path.join(a, 'svc.yaml')), url(path.join(dir, 'nowhere'))], []);
    const files = await host.list();
    assert.deepEqual(files.uris, [url(path.join(a, 'svc.yaml'))], 'a root may be a file');
    assert.deepEqual(files.problems, [{ uri: url(path.join(dir, 'nowhere')), reason: 'no such file or directory' }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('read and readSync agree: UTF-8 text without its BOM and the SHA-1 of the bytes; too large, binary, not UTF-8, missing', async () => {
  const dir = tempDir();
  try {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SERVICE('bom'))]);
    const files = {
      bom: write(dir, 'bom.yaml', bom),
      big: write(dir, 'big.yaml', 'x'.repeat(3000)),
      nul: write(dir, 'nul.yaml', Buffer.from('a: 1\n\0')),
      latin1: write(dir, 'latin1.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a])),
    };
    const host = new NodeHost();
    for (const read of [(u: string) => host.read(u, 2048), async (u: string) => host.readSync(u, 2048)]) {
      assert.deepEqual(await read(url(files.bom)), { type: 'text', text: SERVICE('bom'), hash: createHash('sha1').update(bom).digest('hex') });
      assert.deepEqual(await read(url(files.big)), { type: 'too-large', bytes: 3000 });
      assert.deepEqual(await read(url(files.nul)), { type: 'unreadable', reason: 'binary file (contains NUL bytes)' });
      assert.deepEqual(await read(url(files.latin1)), { type: 'unreadable', reason: 'not valid UTF-8' });
      assert.deepEqual(await read(url(path.join(dir, 'gone.yaml'))), { type: 'missing' });
      assert.equal((await read('untitled:Untitled-1')).type, 'unreadable');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the persisted index: saved and loaded in the storage folder; another engine version or a damaged file loads as empty', async () => {
  const dir = tempDir();
  try {
    const entries = new Map<string, StoredEntry>([['file:///w/a.yaml', { hash: 'h1', stored: { version: 'disk', slices: [] } }]]);
    assert.equal(new NodeHost().persistent, false);
    assert.deepEqual(await new NodeHost().loadIndex(), new Map());
    const host = new NodeHost({ storageDir: path.join(dir, 'storage'), engineVersion: '1.0.0' });
    assert.equal(host.persistent, true);
    assert.deepEqual(await host.loadIndex(), new Map(), 'nothing saved yet');
    await host.saveIndex(entries);
    assert.deepEqual(await new NodeHost({ storageDir: path.join(dir, 'storage'), engineVersion: '1.0.0' }).loadIndex(), entries);
    assert.deepEqual(await new NodeHost({ storageDir: path.join(dir, 'storage'), engineVersion: '1.0.1' }).loadIndex(), new Map());
    const [file] = fs.readdirSync(path.join(dir, 'storage'));
    fs.writeFileSync(path.join(dir, 'storage', file!), '{"format": 4, "engine": "1.0.0", "files": {"x": ');
    assert.deepEqual(await host.loadIndex(), new Map());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('changes reported to the host reach its subscribers until they unsubscribe', () => {
  const host = new NodeHost();
  const seen: FileChange[] = [];
  const off = host.onDidChange((c) => seen.push(c));
  host.notify({ type: 'changed', uri: 'file:///w/a.yaml' });
  off();
  host.notify({ type: 'deleted', uri: 'file:///w/a.yaml' });
  assert.deepEqual(seen, [{ type: 'changed', uri: 'file:///w/a.yaml' }]);
  assert.equal(new NodeHost({ workers: 0 }).createPool(), undefined, 'no worker threads asked for');
});

test('the first load on worker threads gives the same analysis as on the main thread, skipped files included', async () => {
  assert.ok(fs.existsSync(WORKER), `${WORKER} is missing: run npm run build first`);
  const dir = tempDir();
  try {
    for (let i = 0; i < 20; i++) write(dir, `svc-${i}.yaml`, SERVICE(`s${i}`));
    write(dir, 'big.yaml', `# ${'x'.repeat(5000)}\n`);
    write(dir, 'nul.yaml', Buffer.from('a: 1\n\0'));
    const analyse = async (workers: number) => {
      const snapshot: string[] = [];
      const host = new CountingHost({ workers, workerScript: WORKER });
      const service = new WorkspaceService(host, {}, {
        skipBodies: true, workers: true, settings: { analysis: { nodePortRange: { min: 30000, max: 32767 }, severity: {} }, exclude: [], maxFileBytes: 4096 },
      });
      try {
        service.setFolders([url(dir)]);
        await service.reindex();
        for (const [uri, findings] of service.workspace.allFindings()) snapshot.push(`${path.basename(uri)}: ${findings.map((f) => `${f.code} ${f.message}`).join('; ')}`);
      } finally {
        service.dispose();
      }
      return { snapshot: snapshot.sort(), modelledOnWorkers: host.onWorkers };
    };
    const onWorkers = await analyse(2);
    const here = await analyse(0);
    assert.equal(onWorkers.modelledOnWorkers, 22);
    assert.equal(here.modelledOnWorkers, 0);
    assert.equal(onWorkers.snapshot.length, 22);
    assert.deepEqual(onWorkers.snapshot, here.snapshot);
    assert.ok(here.snapshot.some((l) => l.startsWith('big.yaml: file-skipped') && l.includes('over kubeTraffic.maxFileSize (4 KB)')), here.snapshot.join('\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
