/**
 * Hostile workspaces through the built CLI (`node server/out/cli.js check DIR`): a 50 MB file, a
 * binary file and invalid UTF-8 named .yaml, a 1 MB single line, non-Kubernetes YAML next to real
 * manifests, symlink loops, dangling symlinks, unreadable files (20,000 files: scale.test.ts).
 * Every run must end by itself (killed after 60 s otherwise) with exit 0 or 1, never a crash
 * (exit 2 / "internal error"). Figures (time, peak RSS) are printed at the end.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, runCli, type CliRun } from '../helpers/cli';
import { removeDir, tempDir, write } from '../helpers/disk';
import { deployment, service } from '../helpers/fixtures';
import { Figures } from './util';

const figures = new Figures('Hostile workspaces through the CLI', ['input', 'exit', 'time ms', 'peak RSS MB', 'note']);
after(() => figures.print());

before(() => {
  assert.ok(fs.existsSync(CLI), 'run `npm run build` first');
});

interface JsonFinding { file: string; code: string; severity: string; message: string; range: { start: { line: number; character: number } } }

function noCrash(r: CliRun, what: string): void {
  assert.ok(!r.timedOut, `${what}: killed after the timeout (hang?)`);
  assert.ok(r.code === 0 || r.code === 1, `${what}: exit ${r.code} (signal ${r.signal})\n${r.stderr.slice(0, 3000)}`);
  assert.doesNotMatch(r.stderr, /internal error/, what);
}

const DEPLOYMENT = deployment('web', { app: 'web' }, { image: 'nginx' });
const SERVICE = service('web', { app: 'web' });

// ---------------------------------------------------------------------------------------------

test('a 50 MB file, a binary .yaml, invalid UTF-8 and a NUL byte: each skipped with one stderr line, the rest analysed, bounded', async () => {
  const dir = tempDir('cli-big');
  try {
    write(dir, 'app.yaml', DEPLOYMENT + '---\n' + SERVICE.replace('app: web', 'app: wbe'));
    // 50 MB of valid manifests (over the default 10 MB limit).
    const doc = SERVICE.replace('name: web', 'name: big-NNN');
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 50 * 1048576; i++) {
      const d = doc.replace('NNN', String(i)) + '---\n';
      parts.push(d);
      size += d.length;
    }
    write(dir, 'big.yaml', parts.join(''));
    const bin = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bin.length; i++) bin[i] = (i * 2654435761) >>> 24;
    write(dir, 'binary.yaml', bin);
    write(dir, 'latin1.yaml', Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'));
    write(dir, 'nul.yml', 'apiVersion: v1\nkind: Service\0\n');
    write(dir, 'bom-crlf.yaml', '\uFEFF' + SERVICE.replace('name: web', 'name: web2').replace(/\n/g, '\r\n'));
    const r = await runCli(['check', '.', '--format', 'json'], dir);
    figures.add('50 MB file + binary + invalid UTF-8 + NUL (default 10 MB limit)', String(r.code), r.ms, r.peakRssMb ?? -1, r.stderr.trim().split('\n').length + ' stderr lines');
    noCrash(r, '50 MB');
    assert.match(r.stderr, /skipped big\.yaml: file is 50\.0 MB, over the 10\.0 MB limit \(kubeTraffic\.maxFileSize\)/);
    assert.match(r.stderr, /skipped binary\.yaml: binary file/);
    assert.match(r.stderr, /skipped latin1\.yaml: not valid UTF-8/);
    assert.match(r.stderr, /skipped nul\.yml: binary file/);
    assert.equal(r.stderr.trim().split('\n').length, 4, r.stderr);
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual([...new Set(findings.map((f) => f.file))].sort(), ['app.yaml'], 'the BOM/CRLF copy is clean; skipped files have no findings');
    assert.ok(findings.some((f) => f.code === 'service-selects-nothing'));
    assert.ok(r.ms < 30000, `${r.ms} ms`);
  } finally {
    removeDir(dir);
  }
});

test('a 1 MB single line (a long annotation) through the CLI: analysed in bounded time', async () => {
  const dir = tempDir('cli-long');
  try {
    write(dir, 'long.yaml', `apiVersion: v1\nkind: Service\nmetadata:\n  name: long\n  annotations:\n    a: "${'x'.repeat(1 << 20)}"\nspec:\n  selector: {app: nothing}\n  ports: [{port: 80}]\n`);
    write(dir, 'flow.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow}\ndata: {k: [${Array(1 << 17).fill('"v-xx"').join(',')}]}\n`);
    const r = await runCli(['check', '.', '--format', 'json'], dir);
    figures.add('1 MB annotation line + 1 MB flow sequence line', String(r.code), r.ms, r.peakRssMb ?? -1, '');
    noCrash(r, 'long line');
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual(findings.map((f) => `${f.file} ${f.code}`), ['long.yaml service-selects-nothing']);
    assert.ok(r.ms < 15000, `${r.ms} ms`);
  } finally {
    removeDir(dir);
  }
});

// ---------------------------------------------------------------------------------------------

const NON_KUBERNETES: Record<string, string> = {
  '.github/workflows/ci.yaml': `name: CI
on:
  push:
    branches: [main]
  pull_request:
env:
  IMAGE: ghcr.io/acme/web:\${{ github.sha }}
jobs:
  build:
    runs-on: ubuntu-latest
    services:
      redis:
        image: redis
        ports:
          - 6379:6379
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t "\${{ env.IMAGE }}" .
      - name: deploy
        if: \${{ github.ref == 'refs/heads/main' }}
        run: |
          kubectl apply -f deploy/
          echo "{{ not a template }}"
`,
  'docker-compose.yml': `version: "3.9"
services:
  web:
    image: nginx
    ports:
      - "8080:80"
      - 443:443
    labels:
      app: web
    depends_on: [db]
  db:
    image: postgres
    ports: ["5432"]
    environment:
      POSTGRES_PASSWORD: example
`,
  'api/openapi.yaml': `openapi: 3.0.3
info:
  title: Shop API
  version: 1.0.0
servers:
  - url: https://api.example.com:8443/v1
paths:
  /services/{name}:
    get:
      parameters:
        - name: name
          in: path
          required: true
          schema: {type: string}
      responses:
        "200":
          description: A Service
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Service"
components:
  schemas:
    Service:
      type: object
      properties:
        kind: {type: string, enum: [Service]}
        apiVersion: {type: string}
        spec:
          type: object
          properties:
            selector: {type: object}
            ports:
              type: array
              items: {type: object, properties: {port: {type: integer}, targetPort: {type: string}}}
`,
  'chart/values.yaml': `replicaCount: 2
image:
  repository: nginx
  tag: ""
service:
  port: 80
  type: NodePort
  nodePort: 99999
  targetPort: htpp
selector:
  app: web
ingress:
  enabled: true
  hosts:
    - host: chart-example.local
      paths: [{path: /, pathType: Prefix}]
podLabels: {"bad label!": "yes"}
`,
  'chart/Chart.yaml': `apiVersion: v2
name: web
version: 0.1.0
`,
  'overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
patches:
  - path: replica-patch.yaml
  - path: port-patch.yaml
    target:
      kind: Service
      name: web
patchesStrategicMerge:
  - service-patch.yaml
`,
  'overlays/prod/replica-patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
  template:
    spec:
      containers:
        - name: web
          resources:
            limits: {cpu: "1"}
`,
  'overlays/prod/service-patch.yaml': `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
`,
  'overlays/prod/port-patch.yaml': `- op: replace
  path: /spec/ports/0/port
  value: 8080
- op: add
  path: /spec/selector/tier
  value: frontend
`,
  '.gitlab-ci.yml': `stages: [test]
test:
  image: node:20
  script: ["npm ci", "npm test"]
  services: [{name: postgres, alias: db}]
`,
  'mkdocs.yml': `site_name: Docs
nav:
  - Home: index.md
theme: {name: material}
`,
  'prometheus/rules.yml': `groups:
  - name: web
    rules:
      - alert: Down
        expr: up == 0
        annotations:
          summary: "{{ $labels.instance }} down"
`,
};

test('non-Kubernetes YAML next to real manifests (GitHub workflow, docker-compose, OpenAPI, Helm values, kustomize patches, JSON6902): no finding on them', async () => {
  const dir = tempDir('cli-nonk8s');
  try {
    for (const [rel, text] of Object.entries(NON_KUBERNETES)) write(dir, rel, text);
    write(dir, 'base/app.yaml', DEPLOYMENT + '---\n' + SERVICE);
    write(dir, 'base/kustomization.yaml', 'resources: [app.yaml]\n');
    const r = await runCli(['check', '.', '--format', 'json', '--fail-on', 'hint'], dir);
    figures.add(`non-Kubernetes YAML (${Object.keys(NON_KUBERNETES).length} files) + manifests`, String(r.code), r.ms, r.peakRssMb ?? -1, '');
    noCrash(r, 'non-k8s');
    const findings = JSON.parse(r.stdout) as JsonFinding[] & { variants?: string[] }[];
    // None on the files that are not Kubernetes objects. The overlay is analysed as applied: its
    // JSON 6902 patch adds `tier: frontend` to the Service's selector, which no pod carries, and
    // that is reported on the base Service's selector, in overlays/prod only.
    assert.deepEqual(findings.map((f) => `${f.file}:${f.range.start.line + 1} ${f.code} ${JSON.stringify((f as { variants?: string[] }).variants)}`),
      ['base/app.yaml:26 service-selects-nothing ["overlays/prod"]'], 'no finding on the non-Kubernetes files');
    assert.equal(r.code, 1, 'that warning fails --fail-on hint');
    assert.equal(r.stderr, '');
  } finally {
    removeDir(dir);
  }
});

// ---------------------------------------------------------------------------------------------

test('a symlink loop (a folder linking to its parent) and a dangling symlink: each manifest read once, the dangling one reported', async () => {
  const dir = tempDir('cli-links');
  try {
    write(dir, 'a/app.yaml', DEPLOYMENT);
    write(dir, 'a/b/svc.yaml', SERVICE.replace('app: web', 'app: nope'));
    fs.symlinkSync('..', path.join(dir, 'a/b/up'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a/b/again'));
    fs.symlinkSync('missing.yaml', path.join(dir, 'a/dangling.yaml'));
    fs.symlinkSync('self.yaml', path.join(dir, 'a/self.yaml'));
    const r = await runCli(['check', '.', '--format', 'json'], dir);
    figures.add('symlink loops + dangling + self-link', String(r.code), r.ms, r.peakRssMb ?? -1, r.stderr.trim().replace(/\n/g, ' / '));
    noCrash(r, 'symlinks');
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.equal(findings.filter((f) => f.code === 'service-selects-nothing').length, 1, JSON.stringify(findings));
    assert.match(r.stderr, /skipped a\/dangling\.yaml: no such file or directory/);
    assert.match(r.stderr, /skipped a\/self\.yaml: too many levels of symbolic links/);
  } finally {
    removeDir(dir);
  }
});

test('an unreadable file and folder (chmod 000): reported on stderr, the rest checked', async () => {
  // Root reads mode-000 files, so as root the CLI runs as `nobody` (uid 65534) through setpriv.
  const asUid = process.getuid?.() === 0 ? 65534 : undefined;
  const dir = tempDir('cli-unreadable');
  try {
    fs.chmodSync(dir, 0o755);
    write(dir, 'ok.yaml', DEPLOYMENT);
    write(dir, 'svc.yaml', SERVICE.replace('app: web', 'app: nope'));
    const p = write(dir, 'locked.yaml', SERVICE);
    fs.chmodSync(p, 0);
    fs.mkdirSync(path.join(dir, 'locked-dir'));
    write(dir, 'locked-dir/x.yaml', SERVICE);
    fs.chmodSync(path.join(dir, 'locked-dir'), 0);
    const r = await runCli(['check', '.', '--format', 'json'], dir, 60000, asUid === undefined ? {} : { asUid });
    fs.chmodSync(path.join(dir, 'locked-dir'), 0o755);
    figures.add(`unreadable file and folder${asUid === undefined ? '' : ' (as nobody)'}`, String(r.code), r.ms, r.peakRssMb ?? -1, r.stderr.trim().replace(/\n/g, ' / '));
    noCrash(r, 'unreadable');
    assert.match(r.stderr, /skipped locked\.yaml: permission denied/);
    assert.match(r.stderr, /skipped locked-dir: permission denied/);
    // The readable files were still checked.
    const findings = JSON.parse(r.stdout) as JsonFinding[];
    assert.deepEqual(findings.map((f) => `${f.file} ${f.code}`), ['svc.yaml service-selects-nothing']);
  } finally {
    removeDir(dir);
  }
});
