import type { Span } from '../types';
import type { ScalarRef } from './yamlAccess';
import type { LabelEntry, LabelSelector, ResourceBase } from './base';
import type { PolicyResource } from './policyResources';
import type { Gateway, ReferenceGrant, Route } from './gatewayResources';

export * from './base';
export * from './gatewayResources';

// ---------------------------------------------------------------- workloads

export type WorkloadKind =
  | 'Pod' | 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicationController';

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set<WorkloadKind>([
  'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController',
]);

export interface ContainerPort {
  readonly name: ScalarRef | undefined;
  readonly containerPort: ScalarRef | undefined;
  readonly protocol: ScalarRef | undefined;
  /** Effective protocol (default TCP). */
  readonly effectiveProtocol: string;
  readonly hostPort: ScalarRef | undefined;
  readonly span: Span;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** The port a probe's handler connects to (httpGet, tcpSocket or grpc) in one container. */
export interface ProbePort {
  readonly probe: ProbeKind;
  readonly handler: 'httpGet' | 'tcpSocket' | 'grpc';
  /** undefined: the handler has no `port`. */
  readonly port: ScalarRef | undefined;
  /** The handler's mapping. */
  readonly span: Span;
  /** httpGet/tcpSocket `host`: the probe connects to another address than the pod's. */
  readonly host: string | undefined;
}

export interface Container {
  readonly name: string | undefined;
  readonly nameSpan: Span | undefined;
  readonly span: Span;
  readonly ports: readonly ContainerPort[];
  /** Liveness, readiness and startup probes that connect to a port. */
  readonly probes: readonly ProbePort[];
  /** 'container', 'sidecar' (init container with restartPolicy Always) or 'init' (runs to completion). */
  readonly role: 'container' | 'sidecar' | 'init';
}

export interface Workload extends ResourceBase {
  readonly type: 'workload';
  readonly kind: WorkloadKind;
  /** Labels of the pods it creates (template labels; the Pod's own labels for a Pod). */
  readonly podLabels: readonly LabelEntry[];
  readonly podLabelsSpan: Span | undefined;
  readonly containers: readonly Container[];
  /** Declared replicas; undefined when not set (defaults to 1 for scalable kinds). */
  readonly replicas: number | undefined;
  /** `replicas` is written but is not a number (a placeholder): its value is unknown. */
  readonly replicasUnknown: boolean;
  /** The `replicas` key when written (not for a Job's `parallelism`). */
  readonly replicasKeySpan: Span | undefined;
  readonly selector: LabelSelector | undefined;
  /** StatefulSet `serviceName`. */
  readonly serviceName: ScalarRef | undefined;
  /** Template `metadata` span (or the Pod's), for navigation. */
  readonly templateSpan: Span | undefined;
}

// ---------------------------------------------------------------- services

export interface ServicePort {
  readonly span: Span;
  readonly name: ScalarRef | undefined;
  readonly port: ScalarRef | undefined;
  readonly targetPort: ScalarRef | undefined;
  readonly nodePort: ScalarRef | undefined;
  readonly protocol: ScalarRef | undefined;
  readonly effectiveProtocol: string;
  readonly appProtocol: ScalarRef | undefined;
}

/** A key as written: where the key is, its scalar value, or the scalar items of a list value. */
export interface KeyedField {
  readonly keySpan: Span;
  /** undefined when the value is not a scalar. */
  readonly value: ScalarRef | undefined;
  readonly items: readonly ScalarRef[];
}

/** Service fields only the API server's validation looks at (kinds/serviceFields.ts reads them). */
export interface ServiceFields {
  readonly clusterIP: KeyedField | undefined;
  readonly clusterIPs: KeyedField | undefined;
  readonly ipFamilies: KeyedField | undefined;
  readonly ipFamilyPolicy: KeyedField | undefined;
  readonly sessionAffinity: KeyedField | undefined;
  /** `sessionAffinityConfig.clientIP.timeoutSeconds`. */
  readonly affinityTimeout: KeyedField | undefined;
  readonly externalIPs: KeyedField | undefined;
  readonly loadBalancerSourceRanges: KeyedField | undefined;
  /** The `service.beta.kubernetes.io/load-balancer-source-ranges` annotation. */
  readonly sourceRangesAnnotation: KeyedField | undefined;
  readonly allocateLoadBalancerNodePorts: KeyedField | undefined;
  readonly loadBalancerClass: KeyedField | undefined;
  readonly internalTrafficPolicy: KeyedField | undefined;
  readonly trafficDistribution: KeyedField | undefined;
  readonly healthCheckNodePort: KeyedField | undefined;
}

export interface Service extends ResourceBase {
  readonly type: 'service';
  /** Effective type (ClusterIP when unset). */
  readonly serviceType: string;
  readonly typeRef: ScalarRef | undefined;
  readonly headless: boolean;
  readonly clusterIPRef: ScalarRef | undefined;
  /** undefined when there is no selector or it is empty ({}): Kubernetes treats both as "no selector". */
  readonly selector: readonly LabelEntry[] | undefined;
  /** The `selector` key, present even when empty. */
  readonly selectorKeySpan: Span | undefined;
  readonly ports: readonly ServicePort[];
  readonly portsKeySpan: Span | undefined;
  readonly specKeySpan: Span | undefined;
  /** First key inside a block-style `spec` (where a quick fix inserts a line). */
  readonly specFirstKeySpan: Span | undefined;
  readonly externalName: ScalarRef | undefined;
  readonly externalIPs: readonly string[];
  readonly externalTrafficPolicy: ScalarRef | undefined;
  readonly externalTrafficPolicyKeySpan: Span | undefined;
  readonly internalTrafficPolicy: string | undefined;
  readonly loadBalancerIP: ScalarRef | undefined;
  readonly loadBalancerIPKeySpan: Span | undefined;
  readonly fields: ServiceFields;
}

// ---------------------------------------------------------------- endpoints

export interface EndpointsResource extends ResourceBase {
  readonly type: 'endpoints';
  /** The Service these endpoints belong to (Endpoints: its name; EndpointSlice: kubernetes.io/service-name). */
  readonly serviceName: string | undefined;
}

// ---------------------------------------------------------------- ingress

export interface BackendPortRef {
  readonly number: ScalarRef | undefined;
  readonly name: ScalarRef | undefined;
  readonly span: Span;
}

export interface IngressBackend {
  readonly serviceName: ScalarRef<string> | undefined;
  readonly port: BackendPortRef | undefined;
  readonly span: Span;
  readonly host: string | undefined;
  readonly path: ScalarRef | undefined;
  readonly pathType: ScalarRef | undefined;
  /** True for `defaultBackend` / `backend` at spec level. */
  readonly isDefault: boolean;
  /** Set when `paths` was found beside `http:` instead of under it (a common indentation slip). */
  readonly misplacedPaths?: Span;
}

export interface IngressPath {
  readonly span: Span;
  /** The `host` of the rule the path belongs to (undefined: the rule has no host, so all hosts). */
  readonly host: string | undefined;
  readonly path: ScalarRef | undefined;
  readonly pathKeySpan: Span | undefined;
  readonly pathType: ScalarRef | undefined;
  readonly backend: IngressBackend | undefined;
}

export interface Ingress extends ResourceBase {
  readonly type: 'ingress';
  /** networking.k8s.io/v1 (pathType required) or the old extensions/v1beta1 form. */
  readonly legacy: boolean;
  readonly ingressClassName: string | undefined;
  readonly backends: readonly IngressBackend[];
  readonly paths: readonly IngressPath[];
  readonly hosts: readonly string[];
  readonly tlsHosts: readonly string[];
  readonly shape: IngressShape;
}

/** A backend as written, whatever it names (kinds/ingressFields.ts reads it), for the API server's checks. */
export interface IngressBackendShape {
  /** The `backend` / `defaultBackend` key. */
  readonly keySpan: Span;
  /** `the default backend` or `` `host/path` ``, for messages. */
  readonly where: string;
  readonly service: {
    readonly keySpan: Span;
    readonly name: ScalarRef | undefined;
    readonly portKeySpan: Span | undefined;
    readonly portNumber: ScalarRef | undefined;
    readonly portName: ScalarRef | undefined;
  } | undefined;
  readonly resourceKeySpan: Span | undefined;
  /** `serviceName` / `servicePort` written in a networking.k8s.io/v1 backend (the v1beta1 form). */
  readonly legacyKeySpan: Span | undefined;
}

export interface IngressRuleShape {
  readonly span: Span;
  readonly host: KeyedField | undefined;
  /** The `http` key when its value is a mapping. */
  readonly httpKeySpan: Span | undefined;
  /** Number of `http.paths` entries (0 when `paths` is missing or empty). */
  readonly pathCount: number;
  /** `paths` written beside `http:` instead of under it. */
  readonly strayPathsKeySpan: Span | undefined;
}

export interface IngressShape {
  readonly specKeySpan: Span | undefined;
  /** The `rules` key, and whether it holds at least one rule. */
  readonly rulesKeySpan: Span | undefined;
  readonly ruleCount: number;
  readonly rules: readonly IngressRuleShape[];
  /** Every backend: defaultBackend first, then each path's. */
  readonly backends: readonly IngressBackendShape[];
  readonly hasDefaultBackend: boolean;
  readonly ingressClassName: KeyedField | undefined;
  /** The `kubernetes.io/ingress.class` annotation. */
  readonly classAnnotation: KeyedField | undefined;
  readonly tls: readonly { readonly hosts: readonly ScalarRef[]; readonly secretName: KeyedField | undefined }[];
}

// ---------------------------------------------------------------- everything else

/** Any other object with apiVersion and kind: kept by kind, for scope questions (custom resources). */
export interface OtherResource extends ResourceBase {
  readonly type: 'other';
  /** `spec.service` of an SMI TrafficSplit. */
  readonly trafficSplitService?: string;
}

export type Resource = Workload | Service | EndpointsResource | Ingress | Route | Gateway | ReferenceGrant | OtherResource
  | PolicyResource;

