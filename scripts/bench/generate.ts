/**
 * Deterministic generator of a realistic Kubernetes workspace with about N resources, for the
 * benchmark (`npm run bench`). No randomness: every choice is index arithmetic, so the same N always
 * gives byte-identical files.
 *
 * Shape: namespaces of 20 apps. Per app a Deployment (every 7th app a StatefulSet with its headless
 * governing Service) and a Service with a named targetPort; every 5th app an Ingress, every 5th
 * (offset) an HTTPRoute to the namespace's Gateway, every 4th a ConfigMap; every 10th namespace
 * one NodePort Service. Planted mistakes (about 1 app in 30): a Service selector one letter off, a
 * misspelled targetPort name, an Ingress to a Service that does not exist, a `//` comment line,
 * a duplicated nodePort.
 *
 * File layouts rotate per namespace (index mod 5): one file per resource; one multi-document file
 * per app (two layouts); one bundle per namespace; one file per kind (`deployments.yaml`,
 * `services.yaml`, …, so Services select pods of another file). Plus one large `platform/install.yaml`
 * (716 apps, 2,002 documents, 1.4 MB) whose size does not depend on N: the many-document file whose
 * middle the keystroke measurement edits.
 *
 * Usage: node --import tsx scripts/bench/generate.ts [N ...]   (default 10000 50000 100000)
 * Writes to os.tmpdir()/kt-bench-ws-N (reused when its stamp matches) and prints counts and MB.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Bump when the output changes, so cached workspaces are regenerated. */
export const GENERATOR_VERSION = 4;
/** Documents of platform/install.yaml, the many-document file whose middle the keystroke edit hits. */
export const BUNDLE_DOCUMENTS = 2000;
const STAMP = '.kt-bench-stamp.json';

const APP_WORDS = [
  'api', 'web', 'auth', 'cart', 'search', 'billing', 'orders', 'catalog', 'gateway', 'worker',
  'notify', 'media', 'report', 'profile', 'inventory', 'shipping', 'payments', 'reviews', 'ads', 'recs',
];
const TEAMS = ['checkout', 'growth', 'platform', 'identity', 'data', 'mobile', 'search', 'infra', 'content', 'risk', 'ops'];

interface Doc { kind: string; app: string; text: string }

export interface GeneratedWorkspace {
  readonly dir: string;
  readonly resources: number;
  readonly files: number;
  readonly bytes: number;
  readonly reused: boolean;
  /** Facts the benchmark uses: a small single-resource Service file, the largest file, a cross-file pair. */
  readonly facts: WorkspaceFacts;
}

export interface WorkspaceFacts {
  /** A single-resource Service file (relative path). */
  readonly smallFile: string;
  /** The largest multi-document file (relative path). */
  readonly largeFile: string;
  /** A Deployment and the Service selecting it, in different files (layout "by kind"). */
  readonly crossFile: { readonly workloadFile: string; readonly workloadName: string; readonly serviceFile: string; readonly serviceName: string; readonly labelKey: string };
}

function appOf(j: number): string {
  return `${APP_WORDS[j % APP_WORDS.length]}${j >= APP_WORDS.length ? `-${Math.floor(j / APP_WORDS.length)}` : ''}`;
}

/** The documents of one app; `g` is its global index (drives the planted mistakes). */
function appDocs(nsName: string, nsIndex: number, j: number, g: number, hasGateway: boolean): Doc[] {
  const app = appOf(j);
  const team = TEAMS[(nsIndex + j) % TEAMS.length]!;
  const stateful = j % 7 === 3;
  const metrics = j % 3 === 0;
  const docs: Doc[] = [];
  const labels = (indent: string) => `${indent}app.kubernetes.io/name: ${app}\n${indent}app.kubernetes.io/part-of: ${nsName}\n${indent}team: ${team}\n`;
  const version = `1.${(g * 7) % 40}.${(g * 13) % 10}`;

  const ports = `          ports:\n            - name: http\n              containerPort: 8080\n              protocol: TCP\n`
    + (metrics ? `            - name: metrics\n              containerPort: 9090\n` : '');
  const podSpec = `    spec:\n`
    + `      serviceAccountName: ${app}\n`
    + `      containers:\n`
    + `        - name: ${app}\n`
    + `          image: registry.example.com/${nsName}/${app}:${version}\n`
    + `          imagePullPolicy: IfNotPresent\n`
    + `          args: ["--listen=:8080", "--log-level=info"]\n`
    + ports
    + `          env:\n            - name: APP_NAME\n              value: "${app}"\n            - name: NAMESPACE\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.namespace\n`
    + `          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n            periodSeconds: 10\n`
    + `          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              memory: 256Mi\n`;
  const slash = g % 131 === 11 ? `// TODO: bump the replicas before the sale\n` : '';
  const workloadKind = stateful ? 'StatefulSet' : 'Deployment';
  docs.push({
    kind: workloadKind, app,
    text: `# ${workloadKind} of ${app} (${team})\n${slash}apiVersion: apps/v1\nkind: ${workloadKind}\nmetadata:\n  name: ${app}\n  namespace: ${nsName}\n  labels:\n${labels('    ')}`
      + `  annotations:\n    example.com/owner: team-${team}@example.com\n`
      + `spec:\n  replicas: ${1 + (g % 4)}\n`
      + (stateful ? `  serviceName: ${app}-headless\n` : `  strategy:\n    type: RollingUpdate\n`)
      + `  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${app}\n  template:\n    metadata:\n      labels:\n${labels('        ')}`
      + podSpec,
  });
  if (stateful) {
    docs.push({
      kind: 'Service', app,
      text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}-headless\n  namespace: ${nsName}\n  labels:\n${labels('    ')}spec:\n  clusterIP: None\n  selector:\n    app.kubernetes.io/name: ${app}\n  ports:\n    - name: http\n      port: 8080\n      targetPort: http\n`,
    });
  }
  // Planted: a selector one letter off, a misspelled targetPort name.
  const selectorValue = g % 97 === 13 ? `${app.slice(0, -1)}${app.endsWith('s') ? 'z' : 's'}` : app;
  const targetPort = g % 89 === 7 ? 'htpp' : 'http';
  const nodePort = nsIndex % 10 === 4 && j === 5;
  docs.push({
    kind: 'Service', app,
    text: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${nsName}\n  labels:\n${labels('    ')}spec:\n`
      + `  type: ${nodePort ? 'NodePort' : 'ClusterIP'}\n  selector:\n    app.kubernetes.io/name: ${selectorValue}\n  ports:\n`
      + `    - name: http\n      port: 80\n      targetPort: ${targetPort}\n      protocol: TCP\n`
      // Planted: every other NodePort Service claims the nodePort of the previous one.
      + (nodePort ? `      nodePort: ${30000 + Math.floor(nsIndex / 20)}\n` : '')
      + (metrics ? `    - name: metrics\n      port: 9090\n      targetPort: metrics\n` : ''),
  });
  if (j % 4 === 1) {
    docs.push({
      kind: 'ConfigMap', app,
      text: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${app}-config\n  namespace: ${nsName}\n  labels:\n${labels('    ')}data:\n`
        + `  LOG_LEVEL: info\n  FEATURE_FLAGS: "checkout-v2,fast-search"\n  config.yaml: |\n    server:\n      port: 8080\n      timeout: 30s\n    upstreams:\n      - http://catalog.${nsName}.svc:80\n      - http://cart.${nsName}.svc:80\n`,
    });
  }
  if (j % 5 === 0) {
    // Planted: a backend to a Service that does not exist.
    const backend = g % 113 === 5 ? `${app}-svc` : app;
    docs.push({
      kind: 'Ingress', app,
      text: `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${app}\n  namespace: ${nsName}\n  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\nspec:\n  ingressClassName: nginx\n`
        + `  tls:\n    - hosts:\n        - ${app}.${nsName}.example.com\n      secretName: ${app}-tls\n`
        + `  rules:\n    - host: ${app}.${nsName}.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${backend}\n                port:\n                  name: http\n`,
    });
  }
  if (j % 5 === 2 && hasGateway) {
    docs.push({
      kind: 'HTTPRoute', app,
      text: `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${app}\n  namespace: ${nsName}\nspec:\n  parentRefs:\n    - name: ${nsName}-gateway\n  hostnames:\n    - ${app}.${nsName}.example.com\n`
        + `  rules:\n    - matches:\n        - path:\n            type: PathPrefix\n            value: /${app}\n      backendRefs:\n        - name: ${app}\n          port: 80\n`,
    });
  }
  return docs;
}

function namespaceDocs(nsName: string, nsIndex: number, appCount: number, gStart: number): Doc[] {
  const hasGateway = appCount > 2;
  const docs: Doc[] = [{
    kind: 'Namespace', app: '',
    text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${nsName}\n  labels:\n    team: ${TEAMS[nsIndex % TEAMS.length]}\n`,
  }];
  if (hasGateway) {
    docs.push({
      kind: 'Gateway', app: '',
      text: `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${nsName}-gateway\n  namespace: ${nsName}\nspec:\n  gatewayClassName: example\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 80\n      allowedRoutes:\n        namespaces:\n          from: Same\n`,
    });
  }
  for (let j = 0; j < appCount; j++) docs.push(...appDocs(nsName, nsIndex, j, gStart + j, hasGateway));
  return docs;
}

const join = (docs: readonly Doc[]) => docs.map((d) => d.text).join('---\n');
const fileName = (kind: string) => `${kind.toLowerCase()}.yaml`;

/** Writes the workspace of about `n` resources to `dir` (which must be empty). */
function writeWorkspace(dir: string, n: number): { resources: number; files: number; bytes: number; facts: WorkspaceFacts } {
  let resources = 0;
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string) => {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  let g = 0;
  // The large install bundle first, so its size does not depend on N: apps until it has 2,000 documents.
  let platformApps = Math.ceil(BUNDLE_DOCUMENTS / 2.8);
  while (namespaceDocs('platform', 0, platformApps, g).length < BUNDLE_DOCUMENTS) platformApps++;
  const platform = namespaceDocs('platform', 0, platformApps, g);
  g += platformApps;
  write('platform/install.yaml', `# Platform services, all in one file (like an operator's install.yaml)\n${join(platform)}`);
  resources += platform.length;
  let smallFile = '';
  let crossFile: WorkspaceFacts['crossFile'] | undefined;

  for (let nsIndex = 1; resources < n; nsIndex++) {
    const nsName = `${TEAMS[nsIndex % TEAMS.length]}-${String(nsIndex).padStart(4, '0')}`;
    // Apps until N is reached (each app has 2 to 5 resources).
    let appCount = 20;
    const all = namespaceDocs(nsName, nsIndex, appCount, g);
    if (resources + all.length > n) {
      let docs = all;
      while (appCount > 1 && resources + docs.length > n) docs = namespaceDocs(nsName, nsIndex, --appCount, g);
    }
    const docs = appCount === 20 ? all : namespaceDocs(nsName, nsIndex, appCount, g);
    g += appCount;
    resources += docs.length;
    const layout = nsIndex % 5;
    const [head, rest] = [docs.filter((d) => !d.app), docs.filter((d) => d.app)];
    if (layout === 0) {
      // One file per resource.
      write(`${nsName}/namespace.yaml`, join(head));
      for (const d of rest) {
        const rel = `${nsName}/${d.app}/${fileName(d.kind)}`;
        const exists = fs.existsSync(path.join(dir, rel));
        write(exists ? rel.replace(/\.yaml$/, '-2.yaml') : rel, d.text);
        if (!smallFile && d.kind === 'Service' && !exists) smallFile = rel;
      }
    } else if (layout === 1 || layout === 2) {
      // One multi-document file per app (.yml for half of them).
      write(`${nsName}/00-namespace.yaml`, join(head));
      const apps = [...new Set(rest.map((d) => d.app))];
      for (const a of apps) write(`${nsName}/${a}.${layout === 1 ? 'yaml' : 'yml'}`, `# ${a} in ${nsName}\n${join(rest.filter((d) => d.app === a))}`);
    } else if (layout === 3) {
      write(`${nsName}/bundle.yaml`, `# Everything of ${nsName}\n${join(docs)}`);
    } else {
      // One file per kind: Services select the pods of deployments.yaml.
      write(`${nsName}/namespace.yaml`, join(head));
      const kinds = [...new Set(rest.map((d) => d.kind))];
      for (const k of kinds) write(`${nsName}/${k.toLowerCase()}s.yaml`, join(rest.filter((d) => d.kind === k)));
      if (!crossFile && appCount === 20) {
        // App 1 ("web"): a Deployment, no planted mistake in this namespace's first occurrence.
        const app = appOf(1);
        crossFile = { workloadFile: `${nsName}/deployments.yaml`, workloadName: app, serviceFile: `${nsName}/services.yaml`, serviceName: app, labelKey: 'app.kubernetes.io/name' };
      }
    }
  }
  if (!smallFile || !crossFile) throw new Error(`N=${n} is too small for the benchmark's workspace shape (needs at least 5 namespaces)`);
  return { resources, files, bytes, facts: { smallFile, largeFile: 'platform/install.yaml', crossFile } };
}

/** Generates (or reuses) the workspace of about `n` resources in os.tmpdir(). */
export function generateWorkspace(n: number, root = os.tmpdir()): GeneratedWorkspace {
  const dir = path.join(root, `kt-bench-ws-${n}`);
  const stampPath = path.join(dir, STAMP);
  try {
    const stamp = JSON.parse(fs.readFileSync(stampPath, 'utf8')) as { version: number; n: number; resources: number; files: number; bytes: number; facts: WorkspaceFacts };
    if (stamp.version === GENERATOR_VERSION && stamp.n === n) {
      return { dir, resources: stamp.resources, files: stamp.files, bytes: stamp.bytes, facts: stamp.facts, reused: true };
    }
  } catch { /* absent or stale: regenerate */ }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const r = writeWorkspace(dir, n);
  fs.writeFileSync(stampPath, JSON.stringify({ version: GENERATOR_VERSION, n, ...r }, null, 2));
  return { dir, ...r, reused: false };
}

function main(): void {
  const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
  for (const n of sizes.length ? sizes : [10000, 50000, 100000]) {
    const t = performance.now();
    const w = generateWorkspace(n);
    console.log(`${n} resources: ${w.dir}: ${w.resources} resources in ${w.files} files, ${(w.bytes / 1048576).toFixed(1)} MB`
      + ` (${w.reused ? 'reused' : `generated in ${((performance.now() - t) / 1000).toFixed(1)} s`})`);
  }
}

if (require.main === module) main();
