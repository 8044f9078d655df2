import type {
  EndpointsResource, Gateway, Ingress, OtherResource, ReferenceGrant, Resource, Route, Service, Workload,
} from '../model/resources';
import type { HorizontalPodAutoscaler, NetworkPolicy } from '../model/policyResources';
import { TrackedMultiMap, TrackedNamespacedMultiMap, TrackedSet } from './multiMap';
import type { ReadTracker } from './tracking';

/**
 * The lookup tables of the index. Each kind's home (core/kinds) writes the keys of its resources
 * here; the index answers lookups from them. Every table records reads and reports changes.
 */
export class IndexTables {
  readonly byKindName: TrackedNamespacedMultiMap<Resource>;
  readonly workloadsByLabel: TrackedNamespacedMultiMap<Workload>;
  readonly workloadsByKey: TrackedNamespacedMultiMap<Workload>;
  readonly workloadsByValue: TrackedNamespacedMultiMap<Workload>;
  readonly workloads: TrackedSet<Workload>;
  /** StatefulSets by serviceName. */
  readonly governed: TrackedNamespacedMultiMap<Workload>;
  readonly services: TrackedSet<Service>;
  /** Services by selector entry `key\0value` (controller-added labels left out). */
  readonly servicesBySelector: TrackedNamespacedMultiMap<Service>;
  /** Services whose selector has only controller-added labels. */
  readonly controllerOnlySelectors: TrackedSet<Service>;
  readonly nodePortUses: TrackedMultiMap<number, Service>;
  readonly endpointsByService: TrackedMultiMap<string, EndpointsResource>;
  readonly ingresses: TrackedSet<Ingress>;
  /** Ingresses by the Service names of their backends. */
  readonly ingressBackends: TrackedNamespacedMultiMap<Ingress>;
  readonly routes: TrackedSet<Route>;
  /** Routes by the Service names of their backendRefs (in the backendRef's namespace). */
  readonly routeBackends: TrackedNamespacedMultiMap<Route>;
  /** Mesh routes (GAMMA) by the Service names of their parentRefs (in the parentRef's namespace). */
  readonly routeParentServices: TrackedNamespacedMultiMap<Route>;
  readonly gateways: TrackedSet<Gateway>;
  readonly grants: TrackedSet<ReferenceGrant>;
  readonly policies: TrackedSet<NetworkPolicy>;
  readonly others: TrackedSet<OtherResource>;
  /** Custom resources that may create pods. */
  readonly podCreators: TrackedSet<OtherResource>;
  /** SMI TrafficSplits by apex Service. */
  readonly splits: TrackedMultiMap<string, OtherResource>;
  /** `kind: Namespace` objects: their labels answer NetworkPolicy namespaceSelectors. */
  readonly namespaces: TrackedSet<OtherResource>;
  /** HorizontalPodAutoscalers by scaleTargetRef `kind\0name`. */
  readonly autoscalersByTarget: TrackedNamespacedMultiMap<HorizontalPodAutoscaler>;

  constructor(t: ReadTracker) {
    this.byKindName = new TrackedNamespacedMultiMap('name', t);
    this.workloadsByLabel = new TrackedNamespacedMultiMap('label', t);
    this.workloadsByKey = new TrackedNamespacedMultiMap('labelKey', t);
    this.workloadsByValue = new TrackedNamespacedMultiMap('labelValue', t);
    this.workloads = new TrackedSet('workloads', t);
    this.governed = new TrackedNamespacedMultiMap('governed', t);
    this.services = new TrackedSet('services', t);
    this.servicesBySelector = new TrackedNamespacedMultiMap('selectorEntry', t);
    this.controllerOnlySelectors = new TrackedSet('controllerSelectors', t);
    this.nodePortUses = new TrackedMultiMap('nodePort', t);
    this.endpointsByService = new TrackedMultiMap('endpoints', t);
    this.ingresses = new TrackedSet('ingresses', t);
    this.ingressBackends = new TrackedNamespacedMultiMap('ingressBackend', t);
    this.routes = new TrackedSet('routes', t);
    this.routeBackends = new TrackedNamespacedMultiMap('routeBackend', t);
    this.routeParentServices = new TrackedNamespacedMultiMap('routeParentService', t);
    this.gateways = new TrackedSet('gateways', t);
    this.grants = new TrackedSet('grants', t);
    this.policies = new TrackedSet('policies', t);
    this.others = new TrackedSet('others', t);
    this.podCreators = new TrackedSet('podCreators', t);
    this.splits = new TrackedMultiMap('splits', t);
    this.namespaces = new TrackedSet('namespaces', t);
    this.autoscalersByTarget = new TrackedNamespacedMultiMap('scaleTarget', t);
  }
}

/** How a resource's keys get into the tables: each kind's home says (core/kinds/registry.ts). */
export interface IndexCatalog {
  index(r: Resource, tables: IndexTables, add: boolean): void;
}
