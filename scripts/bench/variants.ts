/**
 * Workspaces with variants for the benchmark, generated deterministically into os.tmpdir() (reused
 * while their stamp matches), and the cost of rendering them measured on its own:
 *
 * - `kustomize`: a base of 60 apps (a Deployment and a Service each, every 5th an Ingress, every
 *   4th a ConfigMap; one multi-document file per app) and 12 overlays (3 environments × 4 regions)
 *   with a namespace, a name prefix, labels, an image tag, replicas, a strategic-merge patch and a
 *   ConfigMap generator. Render cost: the core's native kustomize (the engine the server runs)
 *   rendering every root from a fresh cache, in this process.
 * - `helm`: two charts of 30 apps each (a Deployment, a Service, every 5th an Ingress, from a `range`
 *   over the values), each with values.yaml, values-staging.yaml and values-prod.yaml (6 variants),
 *   plus a folder of plain manifests. Render cost: `helm template` of every variant with the real
 *   helm of oracle/ (test/helpers/oracle.ts; `npm run setup` installs it), one after the other.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KustomizeEngine, isKustomizationUri, type KustomizeFiles } from '../../server/src/core/kustomize';
import { oracleBinaries } from '../../test/helpers/oracle';
import { kb, log, type Workspace } from './common';
import { listFiles } from './workspaces';

const VERSION = 1;
const APPS = ['api', 'web', 'auth', 'cart', 'search', 'billing', 'orders', 'catalog', 'gateway', 'worker'];
const appName = (j: number) => `${APPS[j % APPS.length]}${j >= APPS.length ? `-${Math.floor(j / APPS.length)}` : ''}`;

/** Writes `files` under a fresh `dir` unless its stamp says it is already there. */
function materialise(name: string, files: () => Record<string, string>): string {
  const dir = path.join(os.tmpdir(), `kt-bench-${name}`);
  const stamp = path.join(dir, '.kt-bench-stamp.json');
  try {
    if ((JSON.parse(fs.readFileSync(stamp, 'utf8')) as { version: number }).version === VERSION) return dir;
  } catch { /* absent or stale */ }
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(files())) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.writeFileSync(stamp, JSON.stringify({ version: VERSION }));
  log(`generated ${dir}`);
  return dir;
}

// ---------------------------------------------------------------- Kustomize

function kustomizeFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const apps = Array.from({ length: 60 }, (_, j) => appName(j));
  apps.forEach((a, j) => {
    const docs = [
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${a}\n  labels:\n    app: ${a}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${a}\n  template:\n    metadata:\n      labels:\n        app: ${a}\n    spec:\n      containers:\n        - name: ${a}\n          image: registry.example.com/shop/${a}:1.0.0\n          ports:\n            - name: http\n              containerPort: 8080\n          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n`,
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${a}\n  labels:\n    app: ${a}\nspec:\n  selector:\n    app: ${a}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n`,
      ...(j % 5 === 0 ? [`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${a}\nspec:\n  rules:\n    - host: ${a}.shop.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${a}\n                port:\n                  name: http\n`] : []),
      ...(j % 4 === 1 ? [`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${a}-config\ndata:\n  LOG_LEVEL: info\n`] : []),
    ];
    out[`base/apps/${a}.yaml`] = docs.join('---\n');
  });
  out['base/kustomization.yaml'] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nlabels:\n  - pairs:\n      app.kubernetes.io/part-of: shop\nresources:\n${apps.map((a) => `  - apps/${a}.yaml`).join('\n')}\n`;
  for (const env of ['dev', 'staging', 'prod']) {
    for (const region of ['eu', 'us', 'ap', 'sa']) {
      const o = `overlays/${env}-${region}`;
      out[`${o}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop-${env}-${region}\nnamePrefix: ${env}-\n`
        + `resources:\n  - ../../base\nlabels:\n  - pairs:\n      env: ${env}\n      region: ${region}\n`
        + `images:\n  - name: registry.example.com/shop/api\n    newTag: 1.${env.length}.0\n`
        + `replicas:\n  - name: web\n    count: ${env === 'prod' ? 4 : 1}\n`
        + `patches:\n  - path: patch-api.yaml\n`
        + `configMapGenerator:\n  - name: settings\n    literals:\n      - REGION=${region}\n      - ENV=${env}\n`;
      out[`${o}/patch-api.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          resources:\n            requests:\n              cpu: ${env === 'prod' ? '500m' : '100m'}\n`;
    }
  }
  return out;
}

export function kustomizeWorkspace(): Workspace {
  const dir = materialise(`kustomize-v${VERSION}`, kustomizeFiles);
  const files = listFiles(dir);
  const small = 'base/apps/web.yaml';
  return {
    id: 'kustomize', dir, files, bytes: files.reduce((s, f) => s + fs.statSync(f).size, 0), variants: 'kustomize',
    keystrokeTargets: {
      small: { label: `a base file that 12 overlays include (${small}, ${kb(path.join(dir, small))})`, rel: small },
      full: { label: `the same, full-text didChange (${small})`, rel: small, fullText: true },
    },
  };
}

/** Renders every Kustomize root of `dir` with the core's engine (fresh caches), reading from disk. */
export function renderKustomize(dir: string): { ms: number; roots: number; objects: number } {
  const disk: KustomizeFiles = {
    read: (uri) => { try { return fs.readFileSync(fileURLToPath(uri), 'utf8'); } catch { return undefined; } },
    exists: (uri) => fs.existsSync(fileURLToPath(uri)),
    isDirectory: (uri) => { try { return fs.statSync(fileURLToPath(uri)).isDirectory(); } catch { return false; } },
  };
  const kustomizations = listAll(dir).filter((f) => isKustomizationUri(pathToFileURL(f).href)).map((f) => pathToFileURL(f).href);
  const t = performance.now();
  const engine = new KustomizeEngine(disk, pathToFileURL(dir).href);
  const roots = engine.discover(kustomizations).roots;
  let objects = 0;
  for (const r of roots) objects += engine.render(r.kustomization).objects.length;
  return { ms: performance.now() - t, roots: roots.length, objects };
}

function listAll(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listAll(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------- Helm

function chartFiles(chart: string, apps: string[]): Record<string, string> {
  const c = `charts/${chart}`;
  const values = (replicas: number, tag: string, ingress: boolean) => `image:\n  registry: registry.example.com/${chart}\n  tag: "${tag}"\nreplicas: ${replicas}\ningress:\n  enabled: ${ingress}\n  domain: ${chart}.example.com\napps:\n${apps.map((a, j) => `  - name: ${a}\n    port: 8080\n    ingress: ${j % 5 === 0}\n`).join('')}`;
  return {
    [`${c}/Chart.yaml`]: `apiVersion: v2\nname: ${chart}\nversion: 0.1.0\nappVersion: "1.0.0"\n`,
    [`${c}/values.yaml`]: values(1, '1.0.0', false),
    [`${c}/values-staging.yaml`]: values(2, '1.1.0-rc1', true),
    [`${c}/values-prod.yaml`]: values(4, '1.0.3', true),
    [`${c}/templates/_helpers.tpl`]: `{{- define "${chart}.labels" -}}\napp.kubernetes.io/name: {{ .name }}\napp.kubernetes.io/part-of: ${chart}\n{{- end -}}\n`,
    [`${c}/templates/deployments.yaml`]: `{{- range .Values.apps }}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .name }}\n  labels:\n    {{- include "${chart}.labels" . | nindent 4 }}\nspec:\n  replicas: {{ $.Values.replicas }}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {{ .name }}\n  template:\n    metadata:\n      labels:\n        {{- include "${chart}.labels" . | nindent 8 }}\n    spec:\n      containers:\n        - name: {{ .name }}\n          image: {{ $.Values.image.registry }}/{{ .name }}:{{ $.Values.image.tag }}\n          ports:\n            - name: http\n              containerPort: {{ .port }}\n{{- end }}\n`,
    [`${c}/templates/services.yaml`]: `{{- range .Values.apps }}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .name }}\nspec:\n  selector:\n    app.kubernetes.io/name: {{ .name }}\n  ports:\n    - name: http\n      port: 80\n      targetPort: http\n{{- end }}\n`,
    [`${c}/templates/ingresses.yaml`]: `{{- if .Values.ingress.enabled }}\n{{- range .Values.apps }}\n{{- if .ingress }}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {{ .name }}\nspec:\n  rules:\n    - host: {{ .name }}.{{ $.Values.ingress.domain }}\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: {{ .name }}\n                port:\n                  name: http\n{{- end }}\n{{- end }}\n{{- end }}\n`,
  };
}

function helmFiles(): Record<string, string> {
  const out: Record<string, string> = {
    ...chartFiles('shop', Array.from({ length: 30 }, (_, j) => appName(j))),
    ...chartFiles('backoffice', Array.from({ length: 30 }, (_, j) => `bo-${appName(j)}`)),
  };
  for (let j = 0; j < 20; j++) {
    const a = `tool-${appName(j)}`;
    out[`manifests/${a}.yaml`] = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${a}\nspec:\n  selector:\n    matchLabels:\n      app: ${a}\n  template:\n    metadata:\n      labels:\n        app: ${a}\n    spec:\n      containers:\n        - name: ${a}\n          image: tools/${a}:1\n          ports:\n            - name: http\n              containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${a}\nspec:\n  selector:\n    app: ${a}\n  ports:\n    - port: 80\n      targetPort: http\n`;
  }
  return out;
}

/** The oracle's helm binary, or why there is none. */
export function helmBinary(): { path: string } | { error: string } {
  try {
    return { path: oracleBinaries().helm };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export function helmWorkspace(helm: string): Workspace {
  const dir = materialise(`helm-v${VERSION}`, helmFiles);
  const files = listFiles(dir);
  const small = 'manifests/tool-web.yaml';
  return {
    id: 'helm', dir, files, bytes: files.reduce((s, f) => s + fs.statSync(f).size, 0), variants: 'helm',
    settings: { helm: { path: helm } }, cliArgs: ['--helm', helm],
    keystrokeTargets: { small: { label: `a plain manifest beside the charts (${small}, ${kb(path.join(dir, small))})`, rel: small } },
  };
}

/** `helm template` of every chart × values file of `dir`, one after the other. */
export function renderHelm(dir: string, helm: string): { ms: number; variants: number; bytes: number; error?: string } {
  const charts = fs.readdirSync(path.join(dir, 'charts')).map((c) => path.join(dir, 'charts', c));
  let variants = 0;
  let bytes = 0;
  const t = performance.now();
  try {
    for (const chart of charts) {
      for (const v of fs.readdirSync(chart).filter((f) => /^values(-.*)?\.yaml$/.test(f)).sort()) {
        const out = execFileSync(helm, ['template', 'release-name', chart, '--namespace', 'default', '-f', path.join(chart, v)], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
        bytes += out.length;
        variants++;
      }
    }
  } catch (e) {
    return { ms: performance.now() - t, variants, bytes, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
  return { ms: performance.now() - t, variants, bytes };
}
