/**
 * Big generated workspaces (1,500 files, in os.tmpdir()): requests are answered while the index and
 * diagnostics passes run; a newer edit abandons a running pass; the status reports ready only when
 * the initial index is complete.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer, sleep, statuses, until, waitReady } from '../helpers/lsp';
import { posOf, uriOf } from './lspTestUtils';
import { removeDir } from '../helpers/disk';
import { StatusNotification } from '../../server/src/protocol/messages';

const N = 1500;
let apps: string; // N files, each a Service + Deployment pair, in 30 namespaces
let hub: string; // N files, each a Service selecting one hub Deployment and a worker Deployment (nearest-miss candidates)

function appFile(i: number): string {
  const ns = `team-${i % 30}`;
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  namespace: ${ns}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\n`
    + `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\n  namespace: ${ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app-${i}\n  template:\n    metadata:\n      labels:\n        app: app-${i}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/example/app-${i}:1.0\n          ports:\n            - name: http\n              containerPort: 8080\n`;
}

const HUB = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: hub\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: hub\n  template:\n    metadata:\n      labels:\n        app: hub\n    spec:\n      containers:\n        - name: hub\n          image: ghcr.io/example/hub:1.0\n          ports:\n            - containerPort: 8080\n';

before(() => {
  apps = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-lsp-apps-'));
  hub = fs.mkdtempSync(path.join(os.tmpdir(), 'kt-lsp-hub-'));
  for (let i = 0; i < N; i++) {
    const d = `team-${i % 30}`;
    fs.mkdirSync(path.join(apps, d), { recursive: true });
    fs.mkdirSync(path.join(hub, d), { recursive: true });
    fs.writeFileSync(path.join(apps, d, `app-${i}.yaml`), appFile(i));
    fs.writeFileSync(path.join(hub, d, `svc-${i}.yaml`), `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector:\n    app: hub\n  ports:\n    - port: 80\n      targetPort: 8080\n---\n`
      + `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker-${i}\nspec:\n  selector:\n    matchLabels:\n      app: worker-${i}\n  template:\n    metadata:\n      labels:\n        app: worker-${i}\n    spec:\n      containers:\n        - name: worker\n          image: ghcr.io/example/worker:1.0\n`);
  }
  fs.writeFileSync(path.join(hub, 'hub.yaml'), HUB);
});
after(() => {
  removeDir(apps);
  removeDir(hub);
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test(`hover is answered while ${N} files are indexed and diagnosed (< 1000 ms)`, async () => {
  const s = await startServer(apps);
  try {
    const uri = uriOf(apps, 'team-7/app-7.yaml');
    const text = appFile(7);
    const pos = posOf(text, 'name: svc-7', 0, 7);
    const started = performance.now();
    const latencies: number[] = [];
    let duringIndex = 0;
    let answered = 0;
    let done = false;
    const fullyReady = () => statuses(s).some((x) => x.type === 'ready' && x.files === N);
    const loop = (async () => {
      while (!done) {
        const indexing = !fullyReady();
        const t = performance.now();
        const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: pos });
        latencies.push(performance.now() - t);
        if (indexing) duringIndex++;
        // Once the file is in the index, the hover describes its Service.
        if (h) {
          assert.match((h.contents as { value: string }).value, /Service `team-7\/svc-7`/);
          if (indexing) answered++;
        }
        await sleep(15);
      }
    })();
    await until('full index ready', () => fullyReady(), 30000);
    done = true;
    await loop;
    const max = Math.max(...latencies);
    console.log(`hover during indexing of ${N} files: ${latencies.length} hovers (${duringIndex} before ready, ${answered} of them with content), max ${max.toFixed(0)} ms, median ${median(latencies).toFixed(1)} ms; index+diagnostics took ${(performance.now() - started).toFixed(0)} ms`);
    assert.ok(duringIndex >= 5, `only ${duringIndex} hovers were sent while indexing`);
    assert.ok(answered >= 1, 'no hover described the Service before the index was complete');
    assert.ok(max < 1000, `slowest hover took ${max.toFixed(0)} ms`);
    // Every file was checked (the ready status counts them all); all are clean, so none needed a message.
    assert.ok(statuses(s).some((x) => x.type === 'ready' && x.files === N));
    assert.equal([...s.diagnostics.entries()].filter(([k, d]) => k.startsWith(uriOf(apps, '')) && d.length > 0).length, 0);
  } finally {
    await s.stop();
  }
});

test(`${StatusNotification.method} does not report ready before the initial index is complete (with an editor open at start)`, async () => {
  const s = await startServer(apps);
  try {
    // An editor restored at start-up, as VS Code does.
    s.open(uriOf(apps, 'team-3/app-3.yaml'), appFile(3), 1);
    await until('full index ready', () => statuses(s).some((x) => x.type === 'ready' && x.files === N), 30000);
    const st = statuses(s);
    const lastIndexing = st.map((x) => x.type).lastIndexOf('indexing');
    const early = st.slice(0, lastIndexing).filter((x) => x.type === 'ready');
    assert.deepEqual(early, [], `'ready' sent while indexing was still in progress: ${JSON.stringify(st.map((x) => (x.type === 'ready' ? `ready(files ${x.files})` : `indexing ${x.done}/${x.total}`)))}`);
  } finally {
    await s.stop();
  }
});

test(`a newer edit abandons a running diagnostics pass (${N} dependents); requests are answered meanwhile`, async () => {
  const s = await startServer(hub);
  try {
    await until('full index ready', () => statuses(s).some((x) => x.type === 'ready' && x.files === N + 1), 30000);
    const uri = uriOf(hub, 'hub.yaml');
    s.open(uri, HUB, 1);
    await waitReady(s, s.notifications.length);
    await sleep(100);
    const svcUris = Array.from({ length: N }, (_, i) => uriOf(hub, `team-${i % 30}/svc-${i}.yaml`));
    const warned = new Set<string>();
    const poll = () => { for (const k of svcUris) if (s.diagnostics.get(k)?.some((d) => d.code === 'service-selects-nothing')) warned.add(k); return warned.size; };

    const n0 = s.notifications.length;
    s.change(uri, HUB.replace('        app: hub\n    spec', '        app: hub-v2\n    spec'), 2);
    // The pass publishes the Services (each now selecting nothing, with a nearest miss among N workers) slice after slice.
    await until('first warnings', () => poll() >= 20, 10000);
    // Requests are answered while the pass runs.
    const svcText = fs.readFileSync(path.join(hub, 'team-12/svc-42.yaml'), 'utf8');
    const hoverMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const h = await s.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(hub, 'team-12/svc-42.yaml') }, position: posOf(svcText, 'app: hub', 0, 6) });
      hoverMs.push(performance.now() - t);
      assert.match((h?.contents as { value: string }).value, /Selector `app=hub`/);
    }
    console.log(`hover during a diagnostics pass over ${N} files: max ${Math.max(...hoverMs).toFixed(0)} ms (${hoverMs.map((x) => x.toFixed(0)).join(', ')})`);
    assert.ok(Math.max(...hoverMs) < 1000);
    // A newer edit (the revert) comes while the pass is still running.
    const midway = poll();
    assert.ok(midway < N, `the pass had already finished (${midway} published) before the revert could be sent`);
    s.change(uri, HUB, 3);
    const stopPolling = { v: false };
    const poller = (async () => { while (!stopPolling.v) { poll(); await sleep(3); } })();
    await waitReady(s, n0, 20000);
    await sleep(400);
    stopPolling.v = true;
    await poller;
    console.log(`abandoned pass had published the warning for ${warned.size} of ${N} Services`);
    assert.ok(warned.size < N, 'the pass of the first edit ran to the end although a newer edit came');
    // The final state is the reverted one, and only the last pass reported ready.
    assert.equal(svcUris.filter((k) => (s.diagnostics.get(k) ?? []).length > 0).length, 0);
    const readies = s.notifications.slice(n0).filter((x) => x.method === StatusNotification.method && (x.params as { type: string }).type === 'ready');
    assert.equal(readies.length, 1, 'only the pass of the newest edit completes');
  } finally {
    await s.stop();
  }
});
