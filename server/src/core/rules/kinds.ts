/**
 * Kinds known not to create pods. Anything else that is not built in (a custom resource such as
 * an operator's `Prometheus`, `CephCluster` or a `HelmRelease`) may create pods the workspace does
 * not show, so a Service selecting nothing next to one is only worth an information.
 */
const BUILTIN_KINDS = new Set([
  // core/v1 and friends
  'Pod', 'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'ServiceAccount', 'Namespace', 'Node',
  'PersistentVolume', 'PersistentVolumeClaim', 'LimitRange', 'ResourceQuota', 'Event', 'PodTemplate', 'Binding',
  'ComponentStatus', 'List',
  // workloads
  'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'ControllerRevision',
  // networking, policy, rbac, storage, admission, autoscaling, scheduling, coordination, api
  'Ingress', 'IngressClass', 'NetworkPolicy', 'IPAddress', 'ServiceCIDR',
  'PodDisruptionBudget', 'PodSecurityPolicy', 'HorizontalPodAutoscaler', 'VerticalPodAutoscaler',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding',
  'StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'CSIStorageCapacity', 'VolumeAttributesClass',
  'VolumeSnapshot', 'VolumeSnapshotContent', 'VolumeSnapshotClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'InitializerConfiguration',
  'PriorityClass', 'RuntimeClass', 'Lease', 'CustomResourceDefinition', 'APIService', 'FlowSchema',
  'PriorityLevelConfiguration', 'CertificateSigningRequest', 'ResourceClaim', 'ResourceClaimTemplate', 'DeviceClass',
  // Gateway API
  'Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute', 'ReferenceGrant',
  'BackendTLSPolicy', 'ListenerSet', 'XListenerSet', 'BackendLBPolicy',
]);

/** Custom resources that only configure things (routing, certificates, monitoring, queues, addresses). */
const CONFIG_ONLY_CUSTOM_KINDS = new Set([
  'Gateway', 'VirtualService', 'DestinationRule', 'ServiceEntry', 'Sidecar', 'EnvoyFilter', 'PeerAuthentication',
  'AuthorizationPolicy', 'RequestAuthentication', 'Telemetry', 'WorkloadEntry', 'WorkloadGroup', 'ProxyConfig', 'WasmPlugin',
  'Certificate', 'Issuer', 'ClusterIssuer', 'CertificateRequest', 'Order', 'Challenge',
  'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'Probe', 'ScrapeConfig', 'AlertmanagerConfig', 'ClusterPodMonitoring', 'PodMonitoring',
  'ServiceProfile', 'TrafficSplit', 'Server', 'ServerAuthorization', 'HTTPLocalRateLimitPolicy',
  'IPAddressPool', 'L2Advertisement', 'BGPAdvertisement', 'BGPPeer', 'BFDProfile', 'Community',
  'ClusterQueue', 'LocalQueue', 'ResourceFlavor', 'WorkloadPriorityClass',
  'Kustomization', 'GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket', 'ImageRepository', 'ImagePolicy',
  'MultiClusterService', 'MultiClusterIngress', 'BackendConfig', 'FrontendConfig', 'ManagedCertificate',
  'ConstraintTemplate', 'ClusterPolicy', 'Policy', 'PolicyException', 'GlobalNetworkPolicy', 'IPPool',
  'LabelTransformer', 'ArtifactGenerator',
]);

const BUILTIN_GROUP = /^(|apps|batch|extensions|autoscaling|policy|[a-z0-9.-]*\.k8s\.io)$/;

/** A kind is built in only in a built-in API group: `serving.knative.dev/v1` Service is a custom resource. */
export function mayCreatePods(kind: string, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (BUILTIN_KINDS.has(kind) && BUILTIN_GROUP.test(group)) return false;
  if (CONFIG_ONLY_CUSTOM_KINDS.has(kind)) return false;
  if (kind.startsWith('K8s')) return false; // Gatekeeper constraints
  return true;
}
