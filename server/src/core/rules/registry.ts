import type { Resource } from '../model/resources';
import type { Reporter } from './context';
import { checkIngress } from './ingressRules';
import { checkIngressShape } from './ingressShape';
import { checkProbePorts } from './probeRules';
import { checkDisruptionAllowance, checkReplicasWithAutoscaler, checkScaleTargetRequired } from './scaleRules';
import { checkServiceFields } from './serviceFields';
import { checkNodePortConflicts } from './nodePortRules';
import { checkNetworkPolicy } from './policyRules';
import { checkRoute, checkRouteAttachment } from './routeRules';
import { checkServiceShape } from './serviceShape';
import { checkAutoscaler, checkDisruptionBudget, checkServiceMonitor } from './targetRules';
import { checkServiceSelection, checkStatefulSetService } from './trafficRules';
import { checkContainers, checkDuplicates, checkLabels, checkWorkloadSelector } from './workloadRules';

type ResourceType = Resource['type'];
type OfType<T extends ResourceType> = Extract<Resource, { type: T }>;

/**
 * One check of the analyzer. `local` checks read only the resource they are given (and its own
 * file); `cross` checks read other resources through the reporter's index and resolver. Either way
 * the analyzer records what a check read while it ran, and re-runs it when that changes: the scope
 * is documentation and a promise a test verifies, not a dependency declaration.
 */
export interface ResourceCheck {
  readonly name: string;
  /** Every code the check may report (the reporter refuses others). */
  readonly codes: readonly string[];
  readonly types: readonly ResourceType[];
  readonly scope: 'local' | 'cross';
  readonly check: (res: Resource, r: Reporter) => void;
}

/** A check over all the resources of one file together (duplicates within a file). */
export interface FileCheck {
  readonly name: string;
  readonly codes: readonly string[];
  readonly scope: 'file';
  readonly check: (resources: readonly Resource[], r: Reporter) => void;
}

export function on<T extends ResourceType>(
  types: readonly T[], scope: 'local' | 'cross', name: string, codes: readonly string[], check: (res: OfType<T>, r: Reporter) => void,
): ResourceCheck {
  return { name, codes, types, scope, check: check as (res: Resource, r: Reporter) => void };
}

/** Every resource type; a Record so that the compiler refuses a type left out. */
const TYPES: Record<ResourceType, true> = {
  workload: true, service: true, endpoints: true, ingress: true, route: true, gateway: true, referenceGrant: true, other: true,
  networkPolicy: true, autoscaler: true, disruptionBudget: true, serviceMonitor: true,
};
const ALL_TYPES = Object.keys(TYPES) as ResourceType[];

/** Every check, in the order findings are produced. A new rule is one entry here. */
export const CHECKS: readonly ResourceCheck[] = [
  on(ALL_TYPES, 'local', 'labels', ['label-invalid'], checkLabels),
  on(['service'], 'local', 'service shape', [
    'service-name-invalid', 'service-type-invalid', 'service-ports-required', 'headless-type-conflict',
    'external-traffic-policy-not-allowed', 'external-name-invalid', 'external-name-selector-ignored', 'load-balancer-ip-deprecated',
    'service-port-name-required', 'service-port-name-invalid', 'service-port-duplicate', 'port-out-of-range', 'port-name-invalid',
    'protocol-invalid', 'node-port-not-allowed', 'node-port-range', 'node-port-conflict',
  ], checkServiceShape),
  on(['service'], 'local', 'Service fields', [
    'session-affinity-invalid', 'cluster-ip-invalid', 'ip-family-invalid', 'external-ip-invalid', 'load-balancer-field-invalid',
    'traffic-policy-invalid', 'app-protocol-invalid', 'health-check-node-port-invalid',
  ], checkServiceFields),
  on(['ingress'], 'local', 'Ingress shape', [
    'ingress-rules-required', 'ingress-paths-required', 'ingress-host-invalid', 'ingress-backend-invalid', 'ingress-legacy-backend',
    'ingress-class-name-invalid', 'ingress-tls-invalid',
  ], checkIngressShape),
  on(['workload'], 'local', 'workload selector', ['workload-selector-mismatch'], checkWorkloadSelector),
  on(['workload'], 'local', 'container ports', ['port-out-of-range', 'port-name-invalid', 'protocol-invalid', 'container-port-duplicate'], checkContainers),
  on(['workload'], 'local', 'probe ports', ['port-out-of-range', 'port-name-invalid', 'probe-port-invalid', 'probe-port-unresolved', 'probe-port-undeclared'], checkProbePorts),
  on(['autoscaler'], 'local', 'HPA scaleTargetRef', ['scale-target-required'], checkScaleTargetRequired),

  on(['service'], 'cross', 'service selection', [
    'service-no-endpoints', 'service-selects-nothing', 'target-port-unresolved', 'target-port-undeclared',
  ], checkServiceSelection),
  on(['service'], 'cross', 'nodePort conflicts', ['node-port-conflict'], checkNodePortConflicts),
  on(['workload'], 'cross', 'StatefulSet Service', ['statefulset-service-missing', 'statefulset-service-not-headless'], checkStatefulSetService),
  on(['ingress'], 'cross', 'Ingress backends', ['ingress-service-missing', 'ingress-service-port-missing', 'ingress-path-invalid'], checkIngress),
  on(['route'], 'cross', 'route references', [
    'route-gateway-missing', 'route-service-missing', 'route-service-port-missing', 'route-cross-namespace-without-grant',
    'route-backend-kind-unknown',
  ], checkRoute),
  on(['route'], 'cross', 'route attachment', [
    'route-section-name-missing', 'route-parent-port-missing', 'route-kind-not-allowed', 'route-namespace-not-allowed',
    'route-hostname-mismatch', 'route-parent-service-missing',
  ], checkRouteAttachment),
  on(['networkPolicy'], 'cross', 'NetworkPolicy selectors', [
    'network-policy-selects-nothing', 'network-policy-peer-selects-nothing', 'network-policy-port-undeclared',
  ], checkNetworkPolicy),
  on(['autoscaler'], 'cross', 'HPA target', ['scale-target-missing'], checkAutoscaler),
  on(['disruptionBudget'], 'cross', 'PDB selector', ['disruption-budget-selects-nothing'], checkDisruptionBudget),
  on(['disruptionBudget'], 'cross', 'PDB allowance', ['disruption-budget-blocks-eviction'], checkDisruptionAllowance),
  on(['workload'], 'cross', 'replicas under an HPA', ['replicas-with-autoscaler'], checkReplicasWithAutoscaler),
  on(['serviceMonitor'], 'cross', 'ServiceMonitor selector', ['service-monitor-selects-nothing', 'service-monitor-port-missing'], checkServiceMonitor),
];

export const FILE_CHECKS: readonly FileCheck[] = [
  { name: 'duplicates in a file', codes: ['resource-duplicate'], scope: 'file', check: checkDuplicates },
];

/** The checks of each resource type, in registry order. */
export function checksByType(checks: readonly ResourceCheck[]): ReadonlyMap<ResourceType, readonly ResourceCheck[]> {
  return new Map(ALL_TYPES.map((t) => [t, checks.filter((c) => c.types.includes(t))]));
}
