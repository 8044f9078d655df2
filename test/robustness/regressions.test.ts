/**
 * Minimal reproductions of bugs found by the fuzzer (npm run fuzz) and by probing hostile inputs.
 * A test for an open bug FAILS until the bug is fixed (kept as it is, not skipped); fixed ones stay
 * as regression tests. (Two more tests for open bugs live in hostile.test.ts: the nesting-limit
 * diagnostic and CR-only line breaks.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/core/analyzer';
import { startServer, statuses, until } from '../helpers/lsp';
import { uriOf } from '../lsp/lspTestUtils';
import { runCli } from '../helpers/cli';
import { removeDir, tempDir, write } from '../helpers/disk';

/*
 * Find #1, by the fuzzer (first hit with the initial PRNG mixing: seed 1, case 231, corpus kubernetes__examples/_archived/elasticsearch/production_cluster/es-svc.yaml
 * with `port: 9200` swapped for `port: yes`). A Service port written as a name (`port: http`, a
 * plausible slip for `targetPort: http`) with no targetPort, selecting any pod:
 *   TypeError: Cannot read properties of undefined (reading 'span')
 *     at checkTargetPorts (server/src/core/rules/trafficRules.ts:110)   `port.targetPort!.span`
 *     at checkServiceSelection (trafficRules.ts:36)
 *     at Analyzer.crossFindings (analyzer.ts:210) / Analyzer.findings / Analyzer.allFindings
 * The target defaults to `port.port.value` ("http", a valid IANA name), so the named-targetPort
 * branch runs and dereferences the missing targetPort. The CLI dies with "internal error" (exit 2);
 * the language server logs "checking … failed" and publishes nothing for the file.
 * Fixed in 4a4d5e6 ("Fix a crash found by the fuzzer: a non-numeric port without targetPort").
 */
const PORT_AS_NAME = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: web, image: nginx}]}
`;

test('find #1 (fuzz), core: a Service with `port: http` and no targetPort: findings() does not throw, and reports the port', () => {
  for (const skipBodies of [true, false]) {
    const a = new Analyzer({}, { skipBodies });
    a.updateFile('file:///ws/svc.yaml', 1, PORT_AS_NAME);
    let codes: string[] = [];
    assert.doesNotThrow(() => { codes = a.findings('file:///ws/svc.yaml').map((f) => f.code); }, `skipBodies ${skipBodies}`);
    assert.ok(codes.includes('port-out-of-range'), JSON.stringify(codes));
  }
});

test('find #1 (fuzz), CLI: `check` on that Service reports port-out-of-range (exit 1) instead of "internal error" (exit 2)', async () => {
  const dir = tempDir('reg-port');
  try {
    write(dir, 'svc.yaml', PORT_AS_NAME);
    const r = await runCli(['check', '.'], dir);
    assert.doesNotMatch(r.stderr, /internal error/, r.stderr);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /svc\.yaml:6:\d+: error port-out-of-range/);
  } finally {
    removeDir(dir);
  }
});

test('find #1 (fuzz), language server: the file gets its diagnostics (port-out-of-range), no "checking … failed" in the log', async () => {
  const dir = tempDir('reg-port-lsp');
  write(dir, 'svc.yaml', PORT_AS_NAME);
  const s = await startServer(dir);
  try {
    await until('ready', () => statuses(s).some((x) => x.type === 'ready'), 15000);
    await new Promise((r) => setTimeout(r, 300));
    const logs = s.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
    assert.deepEqual(logs.filter((m) => /failed/.test(m)).map((m) => m.split('\n')[0]), []);
    assert.ok((s.diagnostics.get(uriOf(dir, 'svc.yaml')) ?? []).some((d) => d.code === 'port-out-of-range'), JSON.stringify(s.diagnostics.get(uriOf(dir, 'svc.yaml'))));
  } finally {
    await s.stop();
    removeDir(dir);
  }
});

/*
 * Find #2 (hostile-input probing, not the mutation fuzzer): one mapping with many keys costs
 * quadratic time. parseFile.ts parses with `uniqueKeys: true`, and the `yaml` package checks each
 * new key against every earlier key of its map (compose/util-map-includes.js mapIncludes, called
 * from resolve-block-map.js and resolve-flow-collection.js). Measured on 2 cores:
 *   ConfigMap data with 20,000 keys (224 KB), skipBodies false: ~2.7-3.4 s; 40,000 keys (458 KB): ~10 s
 *   Service with 20,000 labels + 20,000 selector entries (525 KB): ~5.6 s; 40,000 + 40,000 (1 MB): ~22 s
 * (the same parse without uniqueKeys: 0.35 s for 20,000 keys). A file under the 10 MB limit can
 * therefore block the CLI, or the language server's main thread (modelled kinds are parsed at
 * once; others when the idle completion pass reaches them) for about an hour (extrapolated: 10 MB
 * of `k: v` lines is ~750,000 keys). Duplicate keys can be
 * found in linear time with a Set of the keys' source texts per map. OPEN.
 */
test('find #2: a mapping with 20,000 keys is analysed in about linear time (8× the keys, not 64× the time)', () => {
  const make = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many\ndata:\n${Array.from({ length: n }, (_, i) => `  key-${i}: v`).join('\n')}\n`;
  const run = (text: string) => {
    const a = new Analyzer({}, { skipBodies: false });
    const t0 = performance.now();
    a.updateFile('file:///ws/many.yaml', 1, text);
    a.findings('file:///ws/many.yaml');
    return performance.now() - t0;
  };
  run(make(2000)); // warm-up
  const small = Math.min(run(make(2500)), run(make(2500)));
  const large = run(make(20000));
  process.stdout.write(`find #2: 2,500 keys ${small.toFixed(0)} ms, 20,000 keys ${large.toFixed(0)} ms (×${(large / small).toFixed(1)}; linear ≈ ×8)\n`);
  assert.ok(large < 1500, `20,000 keys took ${large.toFixed(0)} ms`);
  assert.ok(large / small < 16, `8× the keys cost ×${(large / small).toFixed(1)} the time`);
});
