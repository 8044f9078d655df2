import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, readdirSync, readFileSync, statSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverCharts, type HelmChart } from '../../server/src/core/helm/index';
import type { VariantRender } from '../../server/src/core/render/types';
import { Workspace } from '../../server/src/core/variants/workspace';
import { originAt } from '../../server/src/core/variants/sourceMap';
import { findHelm, runHelm } from '../../server/src/node/helm/process';
import { HelmRenderer, type HelmRenderOptions } from '../../server/src/node/helm/renderer';
import { edit, helmCreate, helmPath, place, readTree, runHelmSync, tempDir, uriOf, write } from '../helpers/helm';

/**
 * The Node renderer with the real helm (oracle/): the shared real charts per values variant and
 * what the analyzer reports for each, the clean environment, the bounds (output cap, timeout,
 * cancellation), the cache, unsaved text, missing and packaged dependencies, and helm not found.
 */

const CHARTS = path.resolve(__dirname, '../../../shared/charts');
let tmp: ReturnType<typeof tempDir>;
let helm: string;
before(() => {
  tmp = tempDir();
  helm = helmPath(); // fails the tests with a clear message when oracle/ is not installed
});
after(() => tmp.dispose());

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

function snapshot(dir: string): string {
  const h = createHash('sha256');
  for (const f of files(dir)) h.update(`${f}\u0000${statSync(f).mtimeMs}\u0000`).update(readFileSync(f));
  return h.digest('hex');
}

async function renderOne(chart: HelmChart, name: string, renderer = new HelmRenderer(), options: Partial<HelmRenderOptions> = {}): Promise<VariantRender> {
  const variant = chart.variants.find((v) => v.name === name)!;
  const out = await renderer.render(chart, variant, { helm, ...options });
  assert.equal(out.status, 'rendered');
  return (out as { render: VariantRender }).render;
}

function chartAt(dir: string): HelmChart {
  const d = discoverCharts(files(dir).map((f) => pathToFileURL(f).href), { root: pathToFileURL(path.dirname(dir)).href });
  assert.equal(d.charts.length, 1, `one chart in ${dir}`);
  return d.charts[0]!;
}

test('findHelm: the configured path, PATH, and typed "not found" results', async () => {
  const found = await findHelm({ configured: helm });
  assert.deepEqual(found, { found: true, path: helm, version: 'v3.17.3+ge4da497' });
  assert.deepEqual((await findHelm({ envPath: ['/nonexistent', path.dirname(helm)].join(path.delimiter) })).found, true);
  assert.deepEqual(await findHelm({ envPath: '/nonexistent' }), { found: false, reason: 'not-found', message: 'helm was not found on PATH' });
  const missing = await findHelm({ configured: '/nonexistent/helm' });
  assert.deepEqual(missing, { found: false, reason: 'not-found', message: 'kubeTraffic.helm.path is /nonexistent/helm, which does not exist' });
  const notHelm = await findHelm({ configured: '/bin/true' });
  assert.equal(notHelm.found ? 'found' : notHelm.reason, 'not-helm');
});

test('the real charts, per values variant: what they render and what the analyzer reports', async () => {
  const all = files(CHARTS).map((f) => pathToFileURL(f).href);
  const d = discoverCharts(all, { root: pathToFileURL(CHARTS).href });
  const ws = new Workspace();
  for (const f of all) if (/\.ya?ml$/.test(f)) ws.updateFile(f, 1, readFileSync(new URL(f), 'utf8'));
  const renderer = new HelmRenderer();
  const report: string[] = [];
  const renders = new Map<string, VariantRender>();
  for (const chart of d.charts) {
    for (const v of chart.variants) {
      const out = await renderer.render(chart, v, { helm });
      assert.equal(out.status, 'rendered');
      const r = (out as { render: VariantRender }).render;
      renders.set(v.name, r);
      ws.setVariant(r, chart.members);
      const kinds = (r.documents ?? []).map((doc) => /^kind: (\S+)$/m.exec(doc.text)?.[1]).join(', ');
      report.push(`${v.name}: ${r.documents?.length ?? 'no'} documents in ${(out as { ms: number }).ms} ms (${kinds})`);
    }
  }
  const rel = (uri: string) => path.relative(CHARTS, new URL(uri).pathname);
  const findings = [...ws.allFindings()].flatMap(([, fs]) => fs).filter((f) => f.code !== 'template-skipped');
  for (const f of findings) report.push(`  ${rel(f.uri)}:${f.range.start.line + 1} ${f.severity} ${f.code} [${f.variants?.join(', ')}]: ${f.message}`);
  console.log(`Real charts through the Workspace:\n${report.join('\n')}`);

  assert.deepEqual([...renders.keys()], ['ingress-nginx', 'podinfo', 'podinfo:values-prod.yaml', 'sock-shop']);
  assert.equal(renders.get('podinfo')!.documents!.length, 2, 'Service and Deployment; the test hooks are left out');
  assert.ok(renders.get('podinfo:values-prod.yaml')!.documents!.some((doc) => doc.text.includes('# Source: podinfo/templates/redis/service.yaml')));
  assert.ok(!renders.get('podinfo')!.documents!.some((doc) => doc.text.includes('templates/tests/')));
  assert.equal(renders.get('ingress-nginx')!.documents!.length, 19);
  // sock-shop: its remote dependency is not vendored; one error where it is declared, and the
  // chart's own templates are still rendered and analysed.
  const sock = renders.get('sock-shop')!;
  assert.ok(sock.documents!.length >= 25, `${sock.documents!.length} documents`);
  // ingress-nginx: the controller's liveness and readiness probes check port 10254, which its
  // container does not declare (information: the process serves it anyway). Both land on the
  // template line whose `toYaml` printed the probe.
  assert.deepEqual(findings.map((f) => `${rel(f.uri)}:${f.range.start.line + 1} ${f.code}`), [
    'ingress-nginx/templates/controller-deployment.yaml:116 probe-port-undeclared',
    'ingress-nginx/templates/controller-deployment.yaml:119 probe-port-undeclared',
    'sock-shop/requirements.yaml:2 helm-dependency-missing',
  ]);
  assert.ok(findings.slice(0, 2).every((f) => f.severity === 'information'));
  assert.deepEqual(findings[2]!.variants, ['sock-shop']);

  // Mapping on the real charts: podinfo's grpc port comes from the grpc block, not the tls one
  // (turned off in values.yaml); sock-shop's selector is a literal line.
  const podinfo = renders.get('podinfo')!;
  const svc = podinfo.documents!.find((doc) => doc.text.includes('kind: Service'))!;
  const grpc = originAt(svc, svc.text.indexOf('targetPort: grpc'))!;
  const pFiles = readTree(path.join(CHARTS, 'podinfo'));
  assert.deepEqual(place(pFiles, grpc.origin.uri, grpc.origin.span.start), { file: 'service.yaml', line: 34, text: 'targetPort: grpc' });
  const port = originAt(svc, svc.text.indexOf('9999'))!;
  assert.deepEqual(port.related?.map((r) => place(pFiles, r.uri, r.span.start).text), ['grpcPort: 9999']);
  // ingress-nginx: the controller's https container port comes from the `range` over
  // controller.containerPort, not from the metrics block right after it (off in values.yaml).
  const nginx = renders.get('ingress-nginx')!.documents!.find((doc) => doc.text.includes('templates/controller-deployment.yaml'))!;
  const https = originAt(nginx, nginx.text.indexOf('containerPort: 443') + 'containerPort: '.length)!;
  const nFiles = readTree(path.join(CHARTS, 'ingress-nginx'));
  assert.deepEqual(place(nFiles, https.origin.uri, https.origin.span.start).text, 'containerPort: {{ $value }}');
  assert.deepEqual(https.related?.map((r) => place(nFiles, r.uri, r.span.start).text), ['https: 443']);
  const front = sock.documents!.find((doc) => doc.text.includes('front-end-svc.yaml'))!;
  const sel = originAt(front, front.text.indexOf('name: front-end', front.text.indexOf('selector:')))!;
  assert.deepEqual(place(readTree(path.join(CHARTS, 'sock-shop')), sel.origin.uri, sel.origin.span.start).text, 'name: front-end');
});

test('the environment is cleaned: KUBECONFIG and HELM_* do not reach helm; namespace, kube version and API versions are explicit', async () => {
  const dir = path.join(tmp.dir, 'envchart');
  write(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: envchart\nversion: 0.1.0\n');
  write(path.join(dir, 'templates/cm.yaml'), [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: env', 'data:',
    '  namespace: {{ .Release.Namespace | quote }}', '  release: {{ .Release.Name | quote }}',
    '  kube: {{ .Capabilities.KubeVersion.Version | quote }}', '  api: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}', '',
  ].join('\n'));
  const kubeconfig = path.join(tmp.dir, 'kubeconfig');
  write(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: evil\ncontexts:\n- name: evil\n  context: {cluster: c, namespace: from-kubeconfig}\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\n');
  const saved = { KUBECONFIG: process.env.KUBECONFIG, HELM_NAMESPACE: process.env.HELM_NAMESPACE };
  process.env.KUBECONFIG = kubeconfig;
  process.env.HELM_NAMESPACE = 'from-helm-env';
  try {
    // What the process gets: a stand-in helm that prints its environment.
    const printEnv = path.join(tmp.dir, 'print-env');
    write(printEnv, '#!/bin/sh\nenv\n');
    chmodSync(printEnv, 0o755);
    const home = path.join(tmp.dir, 'env-home');
    mkdirSync(home);
    const run = await runHelm(printEnv, [], home, { timeoutMs: 5000, maxOutputBytes: 1 << 20 });
    assert.equal(run.kind, 'exited');
    const env = (run as { stdout: string }).stdout;
    assert.doesNotMatch(env, /^(KUBECONFIG|HELM_[A-Z_]+)=/m);
    assert.match(env, new RegExp(`^HOME=${home}$`, 'm'));
    assert.match(env, new RegExp(`^XDG_CONFIG_HOME=${home}/config$`, 'm'));
    // And what helm makes of it: the namespace is the one given, never the kube context's.
    const chart = chartAt(dir);
    const plain = await renderOne(chart, chart.variants[0]!.name);
    assert.match(plain.documents![0]!.text, /namespace: "default"\n  release: "release-name"/);
    const set = await renderOne(chart, chart.variants[0]!.name, new HelmRenderer(), { namespace: 'shop', releaseName: 'web', kubeVersion: '1.29.3', apiVersions: ['example.com/v1'] });
    assert.match(set.documents![0]!.text, /namespace: "shop"\n  release: "web"\n  kube: "v1\.29\.3"\n  api: "true"/);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
});

test('bounds: a template that renders 100 MB and one that never ends are stopped; the output cap kills a fast large render; cancellation', async () => {
  const big = path.join(tmp.dir, 'hostile');
  write(path.join(big, 'Chart.yaml'), 'apiVersion: v2\nname: hostile\nversion: 0.1.0\n');
  write(path.join(big, 'templates/big.yaml'), '# {{ range $i := until 1000000 }}padding padding padding padding padding padding padding padding padding pad {{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n');
  const tempRoot = path.join(tmp.dir, 'renders');
  mkdirSync(tempRoot);
  const renderer = new HelmRenderer({ tempRoot });
  const chart = chartAt(big);
  let t = Date.now();
  let r = await renderOne(chart, 'hostile', renderer, { timeoutMs: 4000 });
  const bigMs = Date.now() - t;
  assert.equal(r.documents, undefined);
  assert.equal(r.problems[0]!.code, 'helm-render-failed');
  assert.match(r.problems[0]!.message, /did not finish within 4 s|printed more than 16 MiB/);
  assert.ok(bigMs < 8000, `100 MB render stopped in ${bigMs} ms`);

  write(path.join(big, 'templates/big.yaml'), '# {{ range $i := until 100000 }}padding padding padding padding padding {{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n');
  t = Date.now();
  r = await renderOne(chartAt(big), 'hostile', renderer, { maxOutputBytes: 1024 * 1024 });
  const capMs = Date.now() - t;
  assert.match(r.problems[0]!.message, /printed more than 1 MiB and was stopped/);

  write(path.join(big, 'templates/big.yaml'), '{{- range $i := until 1000000 }}{{- range $j := until 1000000 }}{{- end }}{{- end }}\n');
  t = Date.now();
  r = await renderOne(chartAt(big), 'hostile', renderer, { timeoutMs: 2000 });
  const loopMs = Date.now() - t;
  assert.match(r.problems[0]!.message, /did not finish within 2 s and was stopped/);
  assert.ok(loopMs < 5000, `endless render stopped in ${loopMs} ms`);

  const abort = new AbortController();
  t = Date.now();
  // Late enough that helm is running the template: it then ignores SIGTERM (it only cancels its
  // context), so a cancellation that does not SIGKILL leaves it looping for hours.
  setTimeout(() => abort.abort(), 1500);
  const out = await renderer.render(chartAt(big), chartAt(big).variants[0]!, { helm, timeoutMs: 60_000, signal: abort.signal });
  const cancelMs = Date.now() - t;
  assert.equal(out.status, 'cancelled');
  assert.ok(cancelMs < 4500, `cancelled in ${cancelMs} ms`);
  // No helm is left running on the private copies, and the copies are gone.
  const running = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      const state = /^State:\s*(.*)$/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
      if (!cmd.includes(tempRoot)) return [];
      process.kill(Number(p), 'SIGKILL'); // found, reported, and not left to keep this test file running
      return [`${p} (${state}): ${cmd.split('\0').join(' ').slice(0, 200)}`];
    } catch {
      return [];
    }
  });
  assert.deepEqual(running, []);
  assert.deepEqual(readdirSync(tempRoot), []);
  console.log(`Bounds: 100 MB template stopped after ${bigMs} ms (timeout 4 s), 1 MiB cap hit after ${capMs} ms, endless template stopped after ${loopMs} ms (timeout 2 s), cancelled after ${cancelMs} ms (abort at 1.5 s)`);
});

test('a helm that ignores SIGTERM (as helm template does once it runs: it only cancels its context) is killed on cancellation and timeout, and gone when the call returns', async () => {
  const stubborn = path.join(tmp.dir, 'stubborn-helm');
  write(stubborn, "#!/bin/sh\ntrap '' TERM\nwhile :; do :; done\n");
  chmodSync(stubborn, 0o755);
  const home = path.join(tmp.dir, 'stubborn-home');
  mkdirSync(home);
  const alive = () => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(stubborn) && !/^State:\s*Z/m.test(readFileSync(`/proc/${p}/status`, 'utf8'));
    } catch {
      return false;
    }
  });
  try {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const cancelled = await runHelm(stubborn, [], home, { timeoutMs: 60_000, maxOutputBytes: 1 << 20, signal: abort.signal });
    assert.equal(cancelled.kind, 'cancelled');
    assert.deepEqual(alive(), [], 'nothing left running after a cancellation');
    const timedOut = await runHelm(stubborn, [], home, { timeoutMs: 300, maxOutputBytes: 1 << 20 });
    assert.equal(timedOut.kind, 'timeout');
    assert.deepEqual(alive(), [], 'nothing left running after a timeout');
  } finally {
    for (const p of alive()) process.kill(Number(p), 'SIGKILL');
  }
});

test('cache by the hash of the chart and values; unsaved editor text is rendered; the workspace is never written', async () => {
  const dir = helmCreate(tmp.dir, 'cached');
  const before = snapshot(dir);
  const chart = chartAt(dir);
  const renderer = new HelmRenderer();
  const first = await renderer.render(chart, chart.variants[0]!, { helm });
  const second = await renderer.render(chart, chart.variants[0]!, { helm });
  assert.deepEqual([first.status === 'rendered' && first.cached, second.status === 'rendered' && second.cached], [false, true]);
  const svc = uriOf(path.join(dir, 'templates/service.yaml'));
  const overlays = new Map([[svc, readFileSync(path.join(dir, 'templates/service.yaml'), 'utf8').replace('targetPort: http', 'targetPort: unsaved')]]);
  const third = await renderer.render(chart, chart.variants[0]!, { helm, overlays });
  assert.ok(third.status === 'rendered' && !third.cached);
  assert.ok((third as { render: VariantRender }).render.documents!.some((doc) => doc.text.includes('targetPort: unsaved')));
  assert.ok((third as { render: VariantRender }).render.inputs.has(svc));
  assert.equal(snapshot(dir), before);
});

test('a remote dependency that is not vendored: one error at its declaration, the chart\'s own templates rendered', async () => {
  const dir = helmCreate(tmp.dir, 'withdep');
  edit(path.join(dir, 'Chart.yaml'), /$/, '\ndependencies:\n  - name: redis\n    version: 17.0.0\n    repository: https://charts.example.com\n');
  assert.match(runHelmSync(['template', dir], tmp.dir).stderr, /missing in charts\/ directory: redis/, 'helm alone refuses the chart');
  const before = snapshot(dir);
  const r = await renderOne(chartAt(dir), 'withdep');
  assert.equal(snapshot(dir), before, 'the declaration is removed from the private copy only');
  assert.equal(r.documents!.length, 3);
  assert.deepEqual(r.problems.map((p) => [p.code, p.severity]), [['helm-dependency-missing', 'error']]);
  const p = r.problems[0]!;
  assert.deepEqual(place(readTree(dir), p.uri, p.span.start), { file: 'Chart.yaml', line: readFileSync(path.join(dir, 'Chart.yaml'), 'utf8').split('\n').indexOf('  - name: redis') + 1, text: '- name: redis' });
  assert.match(p.message, /redis 17\.0\.0 from https:\/\/charts\.example\.com is not vendored in .*charts\/: .*helm dependency build.*renders the chart without it/);
});

test('a packaged subchart (charts/*.tgz) renders; its documents map to its declaration', async () => {
  const dir = helmCreate(tmp.dir, 'parent');
  const sub = helmCreate(tmp.dir, 'packed');
  runHelmSync(['package', sub, '--destination', path.join(dir, 'charts')], tmp.dir);
  edit(path.join(dir, 'Chart.yaml'), /$/, '\ndependencies:\n  - name: packed\n    version: 0.1.0\n    repository: file://../packed\n');
  const r = await renderOne(chartAt(dir), 'parent');
  assert.deepEqual(r.problems, []);
  const doc = r.documents!.find((d) => d.text.includes('# Source: parent/charts/packed/templates/service.yaml'))!;
  const m = originAt(doc, doc.text.indexOf('targetPort'))!;
  assert.deepEqual(place(readTree(dir), m.origin.uri, m.origin.span.start).text, '- name: packed');
});

test('a helm that cannot be started is one problem at Chart.yaml', async () => {
  const dir = helmCreate(tmp.dir, 'nohelm');
  const chart = chartAt(dir);
  const out = await new HelmRenderer().render(chart, chart.variants[0]!, { helm: path.join(tmp.dir, 'no-such-helm') });
  assert.equal(out.status, 'rendered');
  const r = (out as { render: VariantRender }).render;
  assert.equal(r.documents, undefined);
  assert.deepEqual(r.problems.map((p) => [p.code, place(readTree(dir), p.uri, p.span.start).file]), [['helm-render-failed', 'Chart.yaml']]);
  assert.match(r.problems[0]!.message, /helm could not be started/);
});
