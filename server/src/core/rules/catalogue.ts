import type { Severity } from '../types';

export type RuleCategory = 'parse' | 'service-shape' | 'workloads' | 'traffic';

export interface RuleInfo {
  readonly code: string;
  readonly severity: Severity;
  readonly category: RuleCategory;
  /** One line, for SARIF rule descriptions and settings documentation. */
  readonly summary: string;
}

/** The diagnostic catalogue (../shared/spec/rules.md). Codes are a public interface: never rename one. */
export const RULES: readonly RuleInfo[] = [
  { code: 'yaml-syntax', severity: 'error', category: 'parse', summary: 'The YAML is invalid (including `//` used as a comment).' },
  { code: 'yaml-duplicate-key', severity: 'error', category: 'parse', summary: 'A key is repeated in one mapping.' },
  { code: 'template-skipped', severity: 'information', category: 'parse', summary: 'A Helm/Go template file is not analysed.' },
  { code: 'file-skipped', severity: 'information', category: 'parse', summary: 'A file is not analysed: over kubeTraffic.maxFileSize, binary, or not UTF-8.' },

  { code: 'service-name-invalid', severity: 'error', category: 'service-shape', summary: 'A Service name must be a DNS-1035 label.' },
  { code: 'service-type-invalid', severity: 'error', category: 'service-shape', summary: 'Service type must be ClusterIP, NodePort, LoadBalancer or ExternalName.' },
  { code: 'service-ports-required', severity: 'error', category: 'service-shape', summary: 'A Service that is neither headless nor ExternalName needs ports.' },
  { code: 'service-port-name-required', severity: 'error', category: 'service-shape', summary: 'Every port of a multi-port Service needs a name.' },
  { code: 'service-port-name-invalid', severity: 'error', category: 'service-shape', summary: 'A Service port name must be a DNS-1123 label.' },
  { code: 'service-port-duplicate', severity: 'error', category: 'service-shape', summary: 'A port name or (protocol, port) pair is repeated in one Service.' },
  { code: 'port-out-of-range', severity: 'error', category: 'service-shape', summary: 'A port number is not an integer in 1–65535.' },
  { code: 'port-name-invalid', severity: 'error', category: 'service-shape', summary: 'A named targetPort or container port name is not a valid IANA service name.' },
  { code: 'protocol-invalid', severity: 'error', category: 'service-shape', summary: 'Protocol must be TCP, UDP or SCTP.' },
  { code: 'node-port-range', severity: 'error', category: 'service-shape', summary: 'A nodePort is outside the cluster\'s nodePort range.' },
  { code: 'node-port-conflict', severity: 'error', category: 'service-shape', summary: 'Two Services claim the same nodePort.' },
  { code: 'node-port-not-allowed', severity: 'error', category: 'service-shape', summary: 'nodePort on a ClusterIP or headless Service.' },
  { code: 'headless-type-conflict', severity: 'error', category: 'service-shape', summary: 'A headless Service cannot be NodePort or LoadBalancer.' },
  { code: 'external-traffic-policy-not-allowed', severity: 'error', category: 'service-shape', summary: 'externalTrafficPolicy needs an externally reachable Service.' },
  { code: 'external-name-invalid', severity: 'error', category: 'service-shape', summary: 'An ExternalName Service needs a valid DNS name in externalName.' },
  { code: 'external-name-selector-ignored', severity: 'information', category: 'service-shape', summary: 'An ExternalName Service ignores its selector.' },
  { code: 'load-balancer-ip-deprecated', severity: 'hint', category: 'service-shape', summary: 'spec.loadBalancerIP is deprecated since Kubernetes 1.24.' },

  { code: 'workload-selector-mismatch', severity: 'error', category: 'workloads', summary: 'A workload selector does not match its own pod template labels.' },
  { code: 'container-port-duplicate', severity: 'error', category: 'workloads', summary: 'A container port name is repeated within one container.' },
  { code: 'resource-duplicate', severity: 'warning', category: 'workloads', summary: 'The same object is defined twice in one file.' },
  { code: 'label-invalid', severity: 'error', category: 'workloads', summary: 'A label key or value breaks Kubernetes label syntax.' },

  { code: 'service-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A Service selector matches no pod template.' },
  { code: 'service-no-endpoints', severity: 'information', category: 'traffic', summary: 'A selector-less Service has no Endpoints or EndpointSlices.' },
  { code: 'target-port-unresolved', severity: 'warning', category: 'traffic', summary: 'A named targetPort is not declared by the selected containers.' },
  { code: 'target-port-undeclared', severity: 'information', category: 'traffic', summary: 'A numeric targetPort matches no declared container port.' },
  { code: 'ingress-service-missing', severity: 'warning', category: 'traffic', summary: 'An Ingress backend names a Service that does not exist.' },
  { code: 'ingress-service-port-missing', severity: 'warning', category: 'traffic', summary: 'An Ingress backend names a port the Service does not have.' },
  { code: 'ingress-path-invalid', severity: 'error', category: 'traffic', summary: 'An Ingress path or pathType is invalid.' },
  { code: 'route-service-missing', severity: 'warning', category: 'traffic', summary: 'A Gateway API route backendRef names a Service that does not exist.' },
  { code: 'route-service-port-missing', severity: 'warning', category: 'traffic', summary: 'A route backendRef has no port, or a port the Service does not have.' },
  { code: 'route-cross-namespace-without-grant', severity: 'warning', category: 'traffic', summary: 'A cross-namespace backendRef is not allowed by a ReferenceGrant.' },
  { code: 'route-gateway-missing', severity: 'information', category: 'traffic', summary: 'A route parentRef names a Gateway that does not exist.' },
  { code: 'route-backend-kind-unknown', severity: 'warning', category: 'traffic', summary: 'A backendRef (or mirror) names a kind that is neither a Service nor a known backend: requests to it get 500.' },
  { code: 'route-section-name-missing', severity: 'warning', category: 'traffic', summary: 'A parentRef sectionName names no listener of the Gateway (or no port of the mesh Service).' },
  { code: 'route-parent-port-missing', severity: 'warning', category: 'traffic', summary: 'A parentRef port matches no listener of the Gateway (or no port of the mesh Service).' },
  { code: 'route-kind-not-allowed', severity: 'warning', category: 'traffic', summary: 'The listeners a route names do not take its kind (allowedRoutes.kinds or the listener protocol).' },
  { code: 'route-namespace-not-allowed', severity: 'warning', category: 'traffic', summary: 'The listeners a route names do not take routes from its namespace (allowedRoutes.namespaces).' },
  { code: 'route-hostname-mismatch', severity: 'warning', category: 'traffic', summary: 'A route\'s hostnames intersect no hostname of the listeners it names.' },
  { code: 'route-parent-service-missing', severity: 'information', category: 'traffic', summary: 'A mesh route (GAMMA) parentRef names a Service that does not exist.' },
  { code: 'statefulset-service-missing', severity: 'warning', category: 'traffic', summary: 'A StatefulSet serviceName names no Service.' },
  { code: 'statefulset-service-not-headless', severity: 'warning', category: 'traffic', summary: 'A StatefulSet\'s governing Service is not headless.' },

  { code: 'network-policy-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A NetworkPolicy podSelector matches no pod template.' },
  { code: 'network-policy-peer-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A NetworkPolicy from/to peer selects no pods (or no declared namespace).' },
  { code: 'network-policy-port-undeclared', severity: 'warning', category: 'traffic', summary: 'A named port in a NetworkPolicy is not declared by the destination pods.' },
  { code: 'scale-target-missing', severity: 'warning', category: 'traffic', summary: 'A HorizontalPodAutoscaler scaleTargetRef names no workload.' },
  { code: 'disruption-budget-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A PodDisruptionBudget selector matches no pod template.' },
  { code: 'service-monitor-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A ServiceMonitor selector matches no Service labels.' },
  { code: 'service-monitor-port-missing', severity: 'warning', category: 'traffic', summary: 'A ServiceMonitor endpoint port names no port of the selected Services.' },
];

export const RULES_BY_CODE: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.code, r]));
