import type { RouteKind, WorkloadKind } from '../model/resources';
import type { Range } from '../types';

/**
 * The traffic graph: the model the topology view and `kube-traffic graph` share (contracts.md).
 * Node details are typed per kind; the webview reads them through `classifyNode`.
 */

/** A value as written in a manifest (a port may be a number or a name). */
export type ScalarValue = string | number | boolean | null;

/** A parsed scalar as a ScalarValue (absent: null). */
export const scalarValue = (v: unknown): ScalarValue =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;

export interface ServicePortDetails {
  readonly name: ScalarValue;
  readonly port: ScalarValue;
  /** The port when targetPort is not written (the API server's default). */
  readonly targetPort: ScalarValue;
  readonly nodePort: ScalarValue;
  readonly protocol: string;
}

export interface ServiceDetails {
  readonly type: string;
  /** What the type really exposes, ClusterIP first (contracts.md), e.g. ["ClusterIP", "NodePort 30080"]. */
  readonly exposure: readonly string[];
  readonly dns?: string;
  /** null: no selector (endpoints managed by hand or by a controller). */
  readonly selector: Readonly<Record<string, string>> | null;
  readonly ports: readonly ServicePortDetails[];
}

export interface ContainerDetails {
  readonly name: string | null;
  readonly ports: readonly { readonly name: ScalarValue; readonly containerPort: ScalarValue; readonly protocol: string }[];
}

export interface WorkloadDetails {
  /** A count, `one per node` (DaemonSet), or null when written as something not a number. */
  readonly replicas: number | string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly containers: readonly ContainerDetails[];
}

export interface IngressDetails {
  readonly ingressClassName?: string;
  readonly hosts: readonly string[];
  readonly tls: readonly string[];
}

export interface GatewayDetails {
  readonly gatewayClassName: string | null;
  readonly listeners: readonly { readonly name: string | null; readonly port: ScalarValue; readonly protocol: string | null; readonly hostname: string | null }[];
}

export interface RouteDetails { readonly hostnames: readonly string[] }

export interface EndpointsDetails {
  /** The Service the endpoints belong to. */
  readonly service: string | null;
}

export const ENTRY_NAMES = {
  internet: 'Internet', 'load-balancer': 'Cloud load balancer', nodes: 'Node ports (every node)', 'external-ips': 'External IPs',
} as const;
export type EntryPoint = keyof typeof ENTRY_NAMES;

export interface EntryDetails { readonly entry: EntryPoint }
export interface ExternalDetails { readonly dns: string }
/** A reference that resolves to nothing: the kind it names. */
export interface MissingDetails { readonly missingKind: string }

/** The kind and details of each family of nodes the graph knows. */
interface FamilyContent {
  readonly service: { readonly kind: 'Service'; readonly details: ServiceDetails };
  readonly workload: { readonly kind: WorkloadKind; readonly details: WorkloadDetails };
  readonly ingress: { readonly kind: 'Ingress'; readonly details: IngressDetails };
  readonly gateway: { readonly kind: 'Gateway'; readonly details: GatewayDetails };
  readonly route: { readonly kind: RouteKind; readonly details: RouteDetails };
  readonly endpoints: { readonly kind: 'Endpoints' | 'EndpointSlice'; readonly details: EndpointsDetails };
  readonly entry: { readonly kind: 'Entry'; readonly details: EntryDetails };
  readonly external: { readonly kind: 'External'; readonly details: ExternalDetails };
  readonly missing: { readonly kind: 'Missing'; readonly details: MissingDetails };
}
type KnownFamily = keyof FamilyContent;

/** A kind and its details: what a kind's home contributes to its node. */
export type NodeContent = FamilyContent[KnownFamily];
export type KnownNodeKind = NodeContent['kind'];
/**
 * A node of another kind: a route backend of a kind the graph does not model (a ServiceImport, a
 * custom backend); it has no details.
 */
export interface OtherNodeContent { readonly kind: string; readonly details: Readonly<Record<string, never>> }

interface NodePlace {
  readonly id: string;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly range?: Range;
}

export type GraphNode = NodePlace & (NodeContent | OtherNodeContent);
export type GraphNodeOf<F extends KnownFamily> = NodePlace & FamilyContent[F];

/** A node with its family: what the view draws and says about it. */
export type ClassifiedNode =
  | { readonly [F in KnownFamily]: { readonly family: F; readonly node: GraphNodeOf<F> } }[KnownFamily]
  | { readonly family: 'other'; readonly node: GraphNode };
export type NodeFamily = ClassifiedNode['family'];

const FAMILY: { readonly [K in KnownNodeKind]: KnownFamily } = {
  Service: 'service', Ingress: 'ingress', Gateway: 'gateway', Endpoints: 'endpoints', EndpointSlice: 'endpoints',
  Entry: 'entry', External: 'external', Missing: 'missing',
  HTTPRoute: 'route', GRPCRoute: 'route', TCPRoute: 'route', TLSRoute: 'route', UDPRoute: 'route',
  Deployment: 'workload', StatefulSet: 'workload', DaemonSet: 'workload', Job: 'workload', CronJob: 'workload',
  Pod: 'workload', ReplicaSet: 'workload', ReplicationController: 'workload',
};

/** The family of a node kind ('other' for kinds the graph does not model). */
export function familyOfKind(kind: string): NodeFamily {
  return Object.prototype.hasOwnProperty.call(FAMILY, kind) ? FAMILY[kind as KnownNodeKind] : 'other';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isArr = Array.isArray;

/** Whether details have the shape of their family (the webview receives them as a message). */
const SHAPE: { readonly [F in NodeFamily]: (d: Record<string, unknown>) => boolean } = {
  service: (d) => typeof d.type === 'string' && isArr(d.exposure) && isArr(d.ports) && d.ports.every(isObj) && (d.selector === null || isObj(d.selector)),
  workload: (d) => isObj(d.labels) && isArr(d.containers) && d.containers.every((c) => isObj(c) && isArr(c.ports) && c.ports.every(isObj)),
  ingress: (d) => isArr(d.hosts) && isArr(d.tls),
  gateway: (d) => isArr(d.listeners) && d.listeners.every(isObj),
  route: (d) => isArr(d.hostnames),
  endpoints: () => true,
  entry: (d) => typeof d.entry === 'string' && Object.prototype.hasOwnProperty.call(ENTRY_NAMES, d.entry),
  external: (d) => typeof d.dns === 'string',
  missing: (d) => typeof d.missingKind === 'string',
  other: () => true,
};

/**
 * A node with its family, its details typed by it: the one place a node's kind is matched to the
 * type of its details, checked at run time (a node whose details do not have its kind's shape, say
 * a custom resource named like a core kind, is 'other').
 */
export function classifyNode(n: GraphNode): ClassifiedNode {
  const family = familyOfKind(n.kind);
  const d: unknown = n.details;
  return { family: isObj(d) && SHAPE[family](d) ? family : 'other', node: n } as ClassifiedNode;
}

/** `enters`: from an external entry point (kind `Entry`) to an Ingress, Gateway or exposed Service. */
/** `attaches`: a route to its Gateway, or (GAMMA mesh route) to its parent Service. `mirrors`: a route to the Service a RequestMirror filter copies requests to. */
export type GraphEdgeKind = 'routes' | 'attaches' | 'selects' | 'aliases' | 'endpoints' | 'governs' | 'enters' | 'mirrors';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
  readonly label: string;
  readonly broken: boolean;
  /** Why a broken edge is broken (the diagnostic's wording). */
  readonly message?: string;
  /** Route backend weight, when weighted. */
  readonly weight?: number;
  /** Set when NetworkPolicy certainly denies this traffic (Service → pods, Ingress → Service). */
  readonly policy?: 'denied';
  /** Why policy denies it: the isolating policies. */
  readonly policyMessage?: string;
}

export interface TrafficGraph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}
