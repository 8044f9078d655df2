/**
 * Shared YAML fixtures: the few objects most tests need, written once. Each returns one document
 * (no `---`); join several with `yaml()` from analyze.ts.
 */

export type Labels = Readonly<Record<string, string>>;

const labelLines = (labels: Labels, indent: number) =>
  Object.entries(labels).map(([k, v]) => `${' '.repeat(indent)}${k}: ${v}`).join('\n');

export interface DeploymentOptions {
  readonly ns?: string;
  readonly kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ReplicaSet';
  readonly replicas?: number;
  /** Container ports as [name, number] pairs (name may be empty). */
  readonly ports?: readonly (readonly [string, number])[];
  readonly serviceName?: string;
}

/** An apps/v1 workload whose selector and pod template carry `labels`. */
export function deployment(name: string, labels: Labels, o: DeploymentOptions = {}): string {
  const ports = (o.ports ?? [['http', 8080]]).map(([n, p]) => `            - ${n ? `name: ${n}\n              ` : ''}containerPort: ${p}`).join('\n');
  return [
    'apiVersion: apps/v1',
    `kind: ${o.kind ?? 'Deployment'}`,
    'metadata:',
    `  name: ${name}`,
    ...(o.ns ? [`  namespace: ${o.ns}`] : []),
    'spec:',
    ...(o.replicas !== undefined ? [`  replicas: ${o.replicas}`] : []),
    ...(o.serviceName ? [`  serviceName: ${o.serviceName}`] : []),
    '  selector:',
    '    matchLabels:',
    labelLines(labels, 6),
    '  template:',
    '    metadata:',
    '      labels:',
    labelLines(labels, 8),
    '    spec:',
    '      containers:',
    `        - name: ${name}`,
    `          image: registry.example/${name}:1`,
    ...(ports ? ['          ports:', ports] : []),
    '',
  ].join('\n');
}

export interface ServiceOptions {
  readonly ns?: string;
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly port?: number;
  readonly targetPort?: string | number;
  readonly nodePort?: number;
  readonly headless?: boolean;
}

/** A v1 Service with one port (80 → targetPort `http` unless told otherwise). */
export function service(name: string, selector: Labels, o: ServiceOptions = {}): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    ...(o.ns ? [`  namespace: ${o.ns}`] : []),
    'spec:',
    ...(o.type ? [`  type: ${o.type}`] : []),
    ...(o.headless ? ['  clusterIP: None'] : []),
    '  selector:',
    labelLines(selector, 4),
    '  ports:',
    `    - port: ${o.port ?? 80}`,
    `      targetPort: ${o.targetPort ?? 'http'}`,
    ...(o.nodePort !== undefined ? [`      nodePort: ${o.nodePort}`] : []),
    '',
  ].join('\n');
}
