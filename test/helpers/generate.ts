/**
 * Random manifests for differential tests (seeded: a failure is reproducible): a small
 * PRNG (mulberry32) and a generator of files of every modelled kind, drawn from few names so
 * that they refer to each other (selectors, backends, ports, namespaces, patches).
 */

/** A seeded PRNG: numbers in [0, 1). */
export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NS = ['shop', 'pay', undefined];
export const APPS = ['web', 'web2', 'api', 'db'];
export const PORTS = ['http', 'metrics', 'grpc'];

/** A random file `[name, text]`; `i` numbers it (the same `i` may give another kind, and another name). */
export function genFile(r: () => number, i: number): [string, string] {
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

