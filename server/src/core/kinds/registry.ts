import type { NodeContent, OtherNodeContent } from '../graph/types';
import type { MapNode, DocRef } from '../model/yamlAccess';
import type { IndexCatalog, IndexTables } from '../index/tables';
import type { ModelCatalog } from '../model/catalog';
import type { Resource, ResourceBase } from '../model/resources';
import { autoscalerHome } from './autoscaler';
import { disruptionBudgetHome } from './disruptionBudget';
import { endpointsHome } from './endpoints';
import { gatewayHome } from './gateway';
import { ingressHome } from './ingress';
import type { KindHome, Located } from './kind';
import { networkPolicyHome } from './networkPolicy';
import { otherHome } from './other';
import { referenceGrantHome } from './referenceGrant';
import { routeHome } from './route';
import { serviceHome } from './service';
import { serviceMonitorHome } from './serviceMonitor';
import { workloadHome } from './workload';

type ResourceType = Resource['type'];
type HomeOf<T extends ResourceType> = KindHome<Extract<Resource, { type: T }>>;

/**
 * The registration of every kind: one line each. A Record, so the compiler refuses a resource type
 * without a home. Extraction asks the homes in this order; `other` takes whatever is left.
 */
export const KINDS: { readonly [T in ResourceType]: HomeOf<T> } = {
  workload: workloadHome,
  service: serviceHome,
  endpoints: endpointsHome,
  ingress: ingressHome,
  route: routeHome,
  gateway: gatewayHome,
  referenceGrant: referenceGrantHome,
  networkPolicy: networkPolicyHome,
  autoscaler: autoscalerHome,
  disruptionBudget: disruptionBudgetHome,
  serviceMonitor: serviceMonitorHome,
  other: otherHome,
};

/** The home of a resource, typed for it. */
export function homeOf<R extends Resource>(r: R): KindHome<R> {
  return KINDS[r.type] as unknown as KindHome<R>;
}

const ORDERED: readonly KindHome<Resource>[] = Object.values(KINDS) as unknown as KindHome<Resource>[];
const MODELLED = new Set(ORDERED.flatMap((h) => h.modelledKinds));

/** What the parse pipeline and the index need of the kinds (injected by the Analyzer). */
export const KIND_CATALOG: ModelCatalog & IndexCatalog = {
  modelOf(base: ResourceBase, root: MapNode, doc: DocRef): Resource {
    for (const home of ORDERED) {
      const r = home.extract(base, root, doc);
      if (r) return r;
    }
    throw new Error('the `other` home models every object');
  },
  isModelled: (kind) => MODELLED.has(kind),
  index(r: Resource, tables: IndexTables, add: boolean): void {
    homeOf(r).index(r, tables, add);
  },
};

/** The element of a resource at an offset. */
export function locateIn(r: Resource, offset: number): Located | undefined {
  return homeOf(r).locate(r, offset);
}

/** The kind and details of a resource's node in the topology. */
export function nodeContent(r: Resource): NodeContent | OtherNodeContent {
  return homeOf(r).node?.(r) ?? { kind: r.kind, details: {} };
}
