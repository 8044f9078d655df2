/**
 * Shared YAML fixtures: the objects most tests need, written once. Each returns one document
 * (no `---`; join several with `yaml()` from workspace.ts). Fragments passed in (`spec`, `ports`,
 * `selector`, extra lines) are YAML written from column 0; the builder indents them to their place.
 */

export type Labels = Readonly<Record<string, string>>;
/** Labels as a map, or as YAML lines (`key: value` per line, as written in a test). */
export type LabelLines = Labels | string;

/** Indents every line of a fragment by `n` (after dropping one leading newline); no trailing spaces. */
export function indent(text: string, n: number): string {
  return text.replace(/^\n/, '').replace(/^/gm, ' '.repeat(n)).replace(/ +$/gm, '');
}

/** Removes the indentation all non-blank lines of a fragment share (the inverse of indent). */
export function dedent(text: string): string {
  const widths = text.split('\n').filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const n = widths.length ? Math.min(...widths) : 0;
  return text.replace(new RegExp(`^ {${n}}`, 'gm'), '');
}

/** `key: value` lines indented by `n`, each ending with a newline. */
function labelBlock(labels: LabelLines, n: number): string {
  if (typeof labels === 'string') return indent(labels, n);
  return Object.entries(labels).map(([k, v]) => `${' '.repeat(n)}${k}: ${v}\n`).join('');
}

const nsLine = (ns: string | undefined) => (ns ? `  namespace: ${ns}\n` : '');

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet' | 'ReplicationController' | 'Job' | 'CronJob' | 'Pod';

export interface WorkloadOptions {
  readonly ns?: string;
  readonly apiVersion?: string;
  readonly replicas?: number;
  readonly serviceName?: string;
  /**
   * The `selector:` key (controllers): by default `matchLabels` with every pod label (a
   * ReplicationController: the labels as a map; a Job: none). A string is the whole key as YAML
   * (`selector:\n  matchLabels:\n    app: web\n`); '' leaves it out.
   */
  readonly selector?: LabelLines;
  /** Container name (default: the workload's name). */
  readonly container?: string;
  /** Container image (default `registry.example/NAME:1`); null leaves it out. */
  readonly image?: string | null;
  /**
   * Container ports as [name, number] pairs (name may be empty), or the list as YAML; null or an
   * empty list leaves `ports` out. Default: `http` 8080.
   */
  readonly ports?: readonly (readonly [string, number])[] | string | null;
  /** More keys of the container (probes, hostPort settings…), as YAML. */
  readonly containerExtra?: string;
  /** More containers (list items), as YAML. */
  readonly sidecars?: string;
  /** More keys of the pod spec after `containers` (initContainers…), as YAML. */
  readonly podSpec?: string;
}

/** The `containers:` key of a pod spec, from column 0. */
function containers(name: string, o: WorkloadOptions): string {
  const image = o.image === undefined ? `registry.example/${name}:1` : o.image;
  const list = o.ports === undefined ? [['http', 8080] as const] : o.ports;
  const ports = list === null ? ''
    : typeof list === 'string' ? `    ports:\n${indent(list, 6)}`
    : list.length === 0 ? '' : `    ports:\n${list.map(([n, p]) => `      - ${n ? `name: ${n}\n        ` : ''}containerPort: ${p}\n`).join('')}`;
  return `containers:\n  - name: ${o.container ?? name}\n${image !== null ? `    image: ${image}\n` : ''}${ports}`
    + `${o.containerExtra ? indent(o.containerExtra, 4) : ''}${o.sidecars ? indent(o.sidecars, 2) : ''}${o.podSpec ?? ''}`;
}

/** A workload whose pods carry `labels`: a controller, a Job or CronJob (restartPolicy Never), or a Pod. */
export function workload(kind: WorkloadKind, name: string, labels: LabelLines, o: WorkloadOptions = {}): string {
  const batch = kind === 'Job' || kind === 'CronJob';
  const apiVersion = o.apiVersion ?? (batch ? 'batch/v1' : kind === 'Pod' || kind === 'ReplicationController' ? 'v1' : 'apps/v1');
  const head = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${nsLine(o.ns)}`;
  const pod = containers(name, o);
  if (kind === 'Pod') return `${head}  labels:\n${labelBlock(labels, 4)}spec:\n${indent(pod, 2)}`;
  const template = `template:\n  metadata:\n    labels:\n${labelBlock(labels, 6)}  spec:\n${batch ? '    restartPolicy: Never\n' : ''}${indent(pod, 4)}`;
  if (kind === 'CronJob') return `${head}spec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n${indent(template, 6)}`;
  const selector = o.selector !== undefined ? o.selector : kind === 'Job' ? '' : labels;
  const selectorYaml = typeof selector === 'string' ? selector
    : kind === 'ReplicationController' ? `selector:\n${labelBlock(selector, 2)}` : `selector:\n  matchLabels:\n${labelBlock(selector, 4)}`;
  return `${head}spec:\n`
    + (o.replicas !== undefined ? `  replicas: ${o.replicas}\n` : '')
    + (o.serviceName ? `  serviceName: ${o.serviceName}\n` : '')
    + indent(selectorYaml, 2) + indent(template, 2);
}

export interface DeploymentOptions extends WorkloadOptions {
  readonly kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet';
}

/** An apps/v1 workload whose selector and pod template carry `labels`. */
export function deployment(name: string, labels: LabelLines, o: DeploymentOptions = {}): string {
  return workload(o.kind ?? 'Deployment', name, labels, o);
}

export interface ServiceOptions {
  readonly ns?: string;
  /** More metadata keys, as YAML. */
  readonly meta?: string;
  /** Spec keys written first, as YAML. */
  readonly spec?: string;
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  readonly headless?: boolean;
  /** The `ports` list as YAML, instead of the one port below; '' leaves `ports` out. */
  readonly ports?: string;
  readonly portName?: string;
  readonly port?: number;
  /** Default `http`; null leaves it out. */
  readonly targetPort?: string | number | null;
  readonly nodePort?: number;
}

/** A v1 Service with one port (80 → targetPort `http` unless told otherwise); a null or '' selector leaves it out. */
export function service(name: string, selector: LabelLines | null, o: ServiceOptions = {}): string {
  const targetPort = o.targetPort === undefined ? 'http' : o.targetPort;
  const port = `- ${o.portName ? `name: ${o.portName}\n  ` : ''}port: ${o.port ?? 80}\n`
    + (targetPort !== null ? `  targetPort: ${targetPort}\n` : '')
    + (o.nodePort !== undefined ? `  nodePort: ${o.nodePort}\n` : '');
  const ports = o.ports ?? port;
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n${nsLine(o.ns)}${o.meta ? indent(o.meta, 2) : ''}spec:\n`
    + (o.spec ? indent(o.spec, 2) : '')
    + (o.type ? `  type: ${o.type}\n` : '')
    + (o.headless ? '  clusterIP: None\n' : '')
    + (selector ? `  selector:\n${labelBlock(selector, 4)}` : '')
    + (ports ? `  ports:\n${indent(ports, 4)}` : '');
}

export interface IngressOptions {
  readonly ns?: string;
  /** Default `alb`; null leaves it out. */
  readonly className?: string | null;
  /** Default `my.example.com`; null: a rule without host. */
  readonly host?: string | null;
  readonly path?: string;
  /** Default `Prefix`; null leaves it out. */
  readonly pathType?: string | null;
  /** The backend's port, as YAML (`number: 80`, `name: http`). */
  readonly port?: string;
}

/** A networking.k8s.io/v1 Ingress with one path to Service `backend`. */
export function ingress(name: string, backend: string, o: IngressOptions = {}): string {
  const className = o.className === undefined ? 'alb' : o.className;
  const host = o.host === undefined ? 'my.example.com' : o.host;
  const pathType = o.pathType === undefined ? 'Prefix' : o.pathType;
  return `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n${nsLine(o.ns)}spec:\n`
    + (className !== null ? `  ingressClassName: ${className}\n` : '')
    + `  rules:\n    - ${host !== null ? `host: ${host}\n      ` : ''}http:\n        paths:\n          - path: ${o.path ?? '/some-path'}\n`
    + (pathType !== null ? `            pathType: ${pathType}\n` : '')
    + `            backend:\n              service:\n                name: ${backend}\n                port:\n                  ${o.port ?? 'number: 80'}\n`;
}

export interface RouteOptions {
  readonly ns?: string;
  readonly kind?: string;
  readonly apiVersion?: string;
  /** The `parentRefs` list as YAML (default: Gateway `public`). */
  readonly parentRefs?: string;
}

/** A Gateway API route (HTTPRoute unless told) with one rule whose `backendRefs` list is given as YAML. */
export function route(name: string, backendRefs: string, o: RouteOptions = {}): string {
  return `apiVersion: ${o.apiVersion ?? 'gateway.networking.k8s.io/v1'}\nkind: ${o.kind ?? 'HTTPRoute'}\nmetadata:\n  name: ${name}\n${nsLine(o.ns)}spec:\n`
    + `  parentRefs:\n${indent(o.parentRefs ?? '- name: public\n', 4)}  rules:\n    - backendRefs:\n${indent(backendRefs, 8)}`;
}

/** A Gateway with one HTTP listener on port 80. */
export function gateway(name: string, o: { ns?: string; className?: string } = {}): string {
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n${nsLine(o.ns)}spec:\n`
    + `  gatewayClassName: ${o.className ?? 'example'}\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 80\n`;
}

/**
 * A Service `name` (port 80 → 8080) and a Deployment of the same name behind it, in flow style,
 * as two documents (each starting with a newline, for `yaml()`).
 */
export function app(name: string, o: { ns?: string; portName?: string; replicas?: number } = {}): [string, string] {
  const ns = o.ns ?? 'shop';
  return [`
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${name}}
  ports: [{${o.portName ? `name: ${o.portName}, ` : ''}port: 80, targetPort: 8080}]
`, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
${o.replicas !== undefined ? `  replicas: ${o.replicas}\n` : ''}  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: main, ports: [{containerPort: 8080}]}]
`];
}
