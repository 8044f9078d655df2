import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analyzer } from '../../server/src/core/analyzer';

/**
 * Differential test of incremental analysis: after every random edit, the findings of every file
 * (most of them served from caches invalidated by dependency tracking) must equal those of a fresh
 * analysis of the same texts. Seeded, so a failure is reproducible.
 */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NS = ['shop', 'pay', undefined];
const APPS = ['web', 'web2', 'api', 'db'];
const PORTS = ['http', 'metrics', 'grpc'];

function genFile(r: () => number, i: number): [string, string] {
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)]!;
  const ns = pick(NS);
  const nsLine = ns ? `\n  namespace: ${ns}` : '';
  const app = pick(APPS);
  switch (Math.floor(r() * 15)) {
    case 0: case 1:
      return [`d${i}.yaml`, `apiVersion: apps/v1\nkind: ${pick(['Deployment', 'StatefulSet'])}\nmetadata:\n  name: ${app}${nsLine}\nspec:\n  serviceName: ${pick(APPS)}\n  replicas: ${1 + Math.floor(r() * 3)}\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: c\n          ports:\n            - name: ${pick(PORTS)}\n              containerPort: ${pick([80, 8080])}\n`];
    case 2: case 3: case 4:
      return [`s${i}.yaml`, `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${pick(APPS)}${nsLine}\nspec:\n  type: ${pick(['ClusterIP', 'NodePort'])}\n  ${r() < 0.1 ? 'clusterIP: None\n  ' : ''}selector:\n    app: ${pick(APPS)}\n  ports:\n    - port: 80\n      targetPort: ${pick([...PORTS, '8080'])}\n      ${r() < 0.5 ? `nodePort: ${pick([30080, 30081])}` : ''}\n`];
    case 5:
      return [`i${i}.yaml`, `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing${i}${nsLine}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${pick(APPS)}\n                port:\n                  number: ${pick([80, 81])}\n`];
    case 6:
      return [`r${i}.yaml`, `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r${i}\n  namespace: ${pick(['shop', 'pay'])}\nspec:\n  parentRefs:\n    - name: ${pick(['gw', 'gw2'])}\n  rules:\n    - backendRefs:\n        - name: ${pick(APPS)}\n          namespace: ${pick(['shop', 'pay'])}\n          port: 80\n`];
    case 7:
      return [`g${i}.yaml`, r() < 0.5
        ? `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${pick(['gw', 'gw2'])}${nsLine}\nspec:\n  gatewayClassName: x\n`
        : `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g\n  namespace: ${pick(['shop', 'pay'])}\nspec:\n  from:\n    - group: gateway.networking.k8s.io\n      kind: HTTPRoute\n      namespace: ${pick(['shop', 'pay'])}\n  to:\n    - group: ""\n      kind: Service\n`];
    case 8:
      return [`e${i}.yaml`, r() < 0.5
        ? `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ${pick(APPS)}${nsLine}\n`
        : `apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata:\n  name: p${nsLine}\n`];
    case 10:
      return [`n${i}.yaml`, `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np${i}${nsLine}\nspec:\n  podSelector:\n    matchLabels:\n      app: ${app}\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: ${pick(APPS)}\n          namespaceSelector:\n            matchLabels:\n              team: ${pick(['a', 'b'])}\n      ports:\n        - port: ${pick(PORTS)}\n`];
    case 11:
      return [`h${i}.yaml`, r() < 0.5
        ? `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: h${i}${nsLine}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: ${pick(['Deployment', 'StatefulSet'])}\n    name: ${app}\n`
        : `apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: b${i}${nsLine}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n`];
    case 12:
      return [`m${i}.yaml`, `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: m${i}${nsLine}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  endpoints:\n    - port: ${pick(PORTS)}\n`];
    case 13:
      return [`ns${i}.yaml`, r() < 0.6
        ? `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${pick(['shop', 'pay'])}\n  labels:\n    team: ${pick(['a', 'b'])}\n`
        : `apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata:\n  name: t${i}${nsLine}\nspec:\n  service: ${pick(APPS)}\n`];
    case 14:
      return [`svc-labels${i}.yaml`, `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${pick(APPS)}${nsLine}\n  labels:\n    app: ${app}\nspec:\n  selector:\n    app: ${pick(APPS)}\n  ports:\n    - name: ${pick(PORTS)}\n      port: 80\n`];
    default:
      return [`k${i % 3}/kustomization.yaml`, `patches:\n  - path: ../d${Math.floor(r() * 12)}.yaml\n`];
  }
}

function snapshot(a: Analyzer): string {
  return [...a.index.uris()].sort().map((u) => `${u}\n${a.findings(u).map((f) => `  ${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.code} ${f.message}`).join('\n')}`).join('\n');
}

for (let seed = 1; seed <= 12; seed++) {
  test(`incremental findings equal a fresh analysis after each of 150 random edits (seed ${seed})`, () => {
    const r = rng(seed);
    const files = new Map<string, string>();
    const inc = new Analyzer();
    let version = 0;
    for (let i = 0; i < 24; i++) {
      const [name, text] = genFile(r, i);
      files.set(name, text);
      inc.updateFile(`file:///ws/${name}`, ++version, text);
    }
    for (let step = 0; step < 150; step++) {
      const names = [...files.keys()];
      const op = r();
      if (op < 0.7) {
        // Replace a file with a new random one of any kind (renames, relabels, new nodePorts...).
        const [name, text] = genFile(r, Math.floor(r() * 30));
        files.set(name, text);
        inc.updateFile(`file:///ws/${name}`, ++version, text);
      } else if (op < 0.85 && names.length > 5) {
        const name = names[Math.floor(r() * names.length)]!;
        files.delete(name);
        inc.removeFile(`file:///ws/${name}`);
      } else {
        // A small textual edit: swap one app name for another inside a file.
        const name = names[Math.floor(r() * names.length)]!;
        const from = APPS[Math.floor(r() * APPS.length)]!;
        const to = APPS[Math.floor(r() * APPS.length)]!;
        const text = files.get(name)!.replace(new RegExp(`\\b${from}\\b`), to);
        files.set(name, text);
        inc.updateFile(`file:///ws/${name}`, ++version, text);
      }
      // Like the language server: only dirty files are recomputed, the rest come from caches.
      for (const uri of inc.takeDirty()) inc.findings(uri);
      const fresh = new Analyzer();
      for (const [name, text] of files) fresh.updateFile(`file:///ws/${name}`, 1, text);
      assert.equal(snapshot(inc), snapshot(fresh), `step ${step}`);
    }
  });
}

/**
 * Multi-document files, edited in one document: the documents after it move (their objects are
 * replaced by ones with the same content elsewhere, and the analyzer keeps what it knew of them),
 * the ones before it stay the same objects. Findings must still equal a fresh analysis.
 */
for (let seed = 101; seed <= 112; seed++) {
  test(`incremental findings equal a fresh analysis when documents of large files move (seed ${seed})`, () => {
    const r = rng(seed);
    const bundles = new Map<string, string[]>();
    const inc = new Analyzer();
    let version = 0;
    const text = (docs: string[]) => docs.join('---\n');
    for (let b = 0; b < 4; b++) {
      const docs = Array.from({ length: 6 + Math.floor(r() * 6) }, (_, i) => genFile(r, b * 20 + i)[1]).filter((d) => !d.startsWith('patches:'));
      bundles.set(`bundle${b}.yaml`, docs);
      inc.updateFile(`file:///ws/bundle${b}.yaml`, ++version, text(docs));
    }
    for (let step = 0; step < 80; step++) {
      const name = `bundle${Math.floor(r() * bundles.size)}.yaml`;
      const docs = [...bundles.get(name)!];
      const i = Math.floor(r() * docs.length);
      const op = r();
      if (op < 0.5) {
        // Change a document's length: every later document moves.
        const from = APPS[Math.floor(r() * APPS.length)]!;
        docs[i] = docs[i]!.replace(new RegExp(`\\b${from}\\b`), `${from}${r() < 0.5 ? 'x' : ''}`);
      } else if (op < 0.7) {
        docs.splice(i, 0, genFile(r, 100 + step)[1].replace(/^patches:[\s\S]*/, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n'));
      } else if (op < 0.85 && docs.length > 2) {
        docs.splice(i, 1);
      } else {
        docs[i] = `# a comment line above\n${docs[i]}`;
      }
      bundles.set(name, docs);
      inc.updateFile(`file:///ws/${name}`, ++version, text(docs));
      for (const uri of inc.takeDirty()) inc.findings(uri);
      const fresh = new Analyzer();
      for (const [n, d] of bundles) fresh.updateFile(`file:///ws/${n}`, 1, text(d));
      assert.equal(snapshot(inc), snapshot(fresh), `step ${step}`);
    }
  });
}
