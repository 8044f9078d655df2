import type { Severity } from '../types';

/** `render` and `kustomize`: problems of rendering a variant, reported by the renderer, not by a check. */
export type RuleCategory = 'parse' | 'render' | 'service-shape' | 'ingress-shape' | 'workloads' | 'traffic' | 'kustomize';

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
  { code: 'helm-render-failed', severity: 'error', category: 'render', summary: '`helm template` fails for a chart and values file (required, fail, template or YAML error, timeout, output too large).' },
  { code: 'helm-dependency-missing', severity: 'error', category: 'render', summary: 'A chart dependency is declared but not vendored in charts/.' },

  { code: 'service-name-invalid', severity: 'error', category: 'service-shape', summary: 'A Service name must be a DNS-1035 label.' },
  { code: 'service-type-invalid', severity: 'error', category: 'service-shape', summary: 'Service type must be ClusterIP, NodePort, LoadBalancer or ExternalName.' },
  { code: 'service-ports-required', severity: 'error', category: 'service-shape', summary: 'A Service that is neither headless nor ExternalName needs ports.' },
  { code: 'service-port-name-required', severity: 'error', category: 'service-shape', summary: 'Every port of a multi-port Service needs a name.' },
  { code: 'service-port-name-invalid', severity: 'error', category: 'service-shape', summary: 'A Service port name must be a DNS-1123 label.' },
  { code: 'service-port-duplicate', severity: 'error', category: 'service-shape', summary: 'A port name or (protocol, port) pair is repeated in one Service.' },
  { code: 'port-out-of-range', severity: 'error', category: 'service-shape', summary: 'A port number (port, targetPort, nodePort, containerPort, hostPort, probe port) is not an integer in 1–65535.' },
  { code: 'port-name-invalid', severity: 'error', category: 'service-shape', summary: 'A named targetPort, probe port or container port name is not a valid IANA service name.' },
  { code: 'protocol-invalid', severity: 'error', category: 'service-shape', summary: 'Protocol must be TCP, UDP or SCTP.' },
  { code: 'node-port-range', severity: 'error', category: 'service-shape', summary: 'A nodePort is outside the cluster\'s nodePort range.' },
  { code: 'node-port-conflict', severity: 'error', category: 'service-shape', summary: 'Two Services claim the same nodePort.' },
  { code: 'node-port-not-allowed', severity: 'error', category: 'service-shape', summary: 'nodePort on a ClusterIP or headless Service.' },
  { code: 'headless-type-conflict', severity: 'error', category: 'service-shape', summary: 'A headless Service cannot be NodePort or LoadBalancer.' },
  { code: 'external-traffic-policy-not-allowed', severity: 'error', category: 'service-shape', summary: 'externalTrafficPolicy needs an externally reachable Service.' },
  { code: 'external-name-invalid', severity: 'error', category: 'service-shape', summary: 'An ExternalName Service needs a valid DNS name in externalName.' },
  { code: 'external-name-selector-ignored', severity: 'information', category: 'service-shape', summary: 'An ExternalName Service ignores its selector.' },
  { code: 'load-balancer-ip-deprecated', severity: 'hint', category: 'service-shape', summary: 'spec.loadBalancerIP is deprecated since Kubernetes 1.24.' },
  { code: 'session-affinity-invalid', severity: 'error', category: 'service-shape', summary: 'sessionAffinity is not None or ClientIP, or its ClientIP timeout is outside 1–86400 seconds.' },
  { code: 'cluster-ip-invalid', severity: 'error', category: 'service-shape', summary: 'clusterIP / clusterIPs are not addresses, disagree, repeat a family, or are set on an ExternalName Service.' },
  { code: 'ip-family-invalid', severity: 'error', category: 'service-shape', summary: 'ipFamilies / ipFamilyPolicy have unknown values, conflict with each other, or are set on an ExternalName Service.' },
  { code: 'external-ip-invalid', severity: 'error', category: 'service-shape', summary: 'An externalIPs entry is not an IP address, or is unspecified, loopback or link-local.' },
  { code: 'load-balancer-field-invalid', severity: 'error', category: 'service-shape', summary: 'A LoadBalancer-only field on another type, a source range that is not a CIDR, or a malformed loadBalancerClass.' },
  { code: 'traffic-policy-invalid', severity: 'error', category: 'service-shape', summary: 'externalTrafficPolicy, internalTrafficPolicy or trafficDistribution has a value the API does not know.' },
  { code: 'app-protocol-invalid', severity: 'error', category: 'service-shape', summary: 'A port appProtocol is not a valid (optionally prefixed) name.' },
  { code: 'health-check-node-port-invalid', severity: 'error', category: 'service-shape', summary: 'healthCheckNodePort without type LoadBalancer and externalTrafficPolicy Local, or out of range.' },

  { code: 'ingress-rules-required', severity: 'error', category: 'ingress-shape', summary: 'An Ingress has neither defaultBackend nor rules.' },
  { code: 'ingress-paths-required', severity: 'error', category: 'ingress-shape', summary: 'An Ingress rule has `http` without paths.' },
  { code: 'ingress-host-invalid', severity: 'error', category: 'ingress-shape', summary: 'An Ingress rule host is not a DNS name or valid wildcard (an IP, a port, bad syntax).' },
  { code: 'ingress-backend-invalid', severity: 'error', category: 'ingress-shape', summary: 'An Ingress backend lacks a valid Service name or exactly one valid port, or mixes service and resource.' },
  { code: 'ingress-legacy-backend', severity: 'error', category: 'ingress-shape', summary: 'A networking.k8s.io/v1 Ingress backend written with serviceName/servicePort.' },
  { code: 'ingress-class-name-invalid', severity: 'error', category: 'ingress-shape', summary: 'ingressClassName is not a valid name, or disagrees with the kubernetes.io/ingress.class annotation.' },
  { code: 'ingress-tls-invalid', severity: 'error', category: 'ingress-shape', summary: 'A TLS host is not a DNS name or valid wildcard, or a TLS secretName is not a valid name.' },

  { code: 'workload-selector-mismatch', severity: 'error', category: 'workloads', summary: 'A workload selector does not match its own pod template labels.' },
  { code: 'container-port-duplicate', severity: 'error', category: 'workloads', summary: 'A container port name is repeated within one container.' },
  { code: 'resource-duplicate', severity: 'warning', category: 'workloads', summary: 'The same object is defined twice in one file.' },
  { code: 'label-invalid', severity: 'error', category: 'workloads', summary: 'A label key or value breaks Kubernetes label syntax.' },
  { code: 'probe-port-invalid', severity: 'error', category: 'workloads', summary: 'A gRPC probe port is not a number.' },
  { code: 'scale-target-required', severity: 'error', category: 'workloads', summary: 'A HorizontalPodAutoscaler has no scaleTargetRef (or no kind or name in it).' },

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
  { code: 'probe-port-unresolved', severity: 'warning', category: 'traffic', summary: 'A probe names a port its own container does not declare: readiness never succeeds, or liveness never checks.' },
  { code: 'probe-port-undeclared', severity: 'information', category: 'traffic', summary: 'A numeric probe port is not declared by its container.' },

  { code: 'network-policy-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A NetworkPolicy podSelector matches no pod template.' },
  { code: 'network-policy-peer-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A NetworkPolicy from/to peer selects no pods (or no declared namespace).' },
  { code: 'network-policy-port-undeclared', severity: 'warning', category: 'traffic', summary: 'A named port in a NetworkPolicy is not declared by the destination pods.' },
  { code: 'scale-target-missing', severity: 'warning', category: 'traffic', summary: 'A HorizontalPodAutoscaler scaleTargetRef names no workload.' },
  { code: 'disruption-budget-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A PodDisruptionBudget selector matches no pod template.' },
  { code: 'service-monitor-selects-nothing', severity: 'warning', category: 'traffic', summary: 'A ServiceMonitor selector matches no Service labels.' },
  { code: 'service-monitor-port-missing', severity: 'warning', category: 'traffic', summary: 'A ServiceMonitor endpoint port names no port of the selected Services.' },
  { code: 'disruption-budget-blocks-eviction', severity: 'information', category: 'traffic', summary: 'A PodDisruptionBudget allows no eviction of the pods it covers: node drains hang.' },
  { code: 'replicas-with-autoscaler', severity: 'information', category: 'traffic', summary: 'A workload sets replicas while a HorizontalPodAutoscaler scales it: every apply resets the scale.' },

  // Reported by the native kustomize (core/kustomize) while it renders a root, not by a check.
  { code: 'kustomize-resource-missing', severity: 'error', category: 'kustomize', summary: 'A path a kustomization names (resource, base, component, patch, generator input, …) does not exist.' },
  { code: 'kustomize-cycle', severity: 'error', category: 'kustomize', summary: 'Kustomizations include each other in a cycle.' },
  { code: 'kustomize-patch-target-missing', severity: 'error', category: 'kustomize', summary: 'A patch (or replacement source) that must find its object finds none.' },
  { code: 'kustomize-patch-invalid', severity: 'error', category: 'kustomize', summary: 'A patch kustomize cannot apply: bad JSON patch path or op, unparsable patch, wrong node kind.' },
  { code: 'kustomize-build-failed', severity: 'error', category: 'kustomize', summary: 'kustomize build fails for another reason (invalid kustomization, duplicate object, file outside the root, …).' },
  { code: 'kustomize-patch-matches-nothing', severity: 'warning', category: 'kustomize', summary: 'A patch target selects no object, so kustomize silently skips the patch.' },
  { code: 'kustomize-selector-added', severity: 'warning', category: 'kustomize', summary: 'commonLabels (or labels with includeSelectors) gives a selector to a Service that had none.' },
  { code: 'kustomize-reference-not-renamed', severity: 'warning', category: 'kustomize', summary: 'A reference names an object the build renamed, in a field kustomize does not rewrite.' },
  { code: 'kustomize-not-modelled', severity: 'information', category: 'kustomize', summary: 'A kustomization feature Kube Traffic does not render (generators, images, Helm charts, plugins, remote bases).' },
];

export const RULES_BY_CODE: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((r) => [r.code, r]));
