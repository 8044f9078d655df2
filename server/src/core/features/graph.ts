import type { FeatureContext } from '../facts/context';
import { GraphBuilder, type Placer } from '../graph/builder';
import type { TrafficGraph } from '../graph/types';
import { homeOf, nodeContent } from '../kinds/registry';
import { sortByLocation } from '../resolve/resolver';

export type { GraphEdge, GraphEdgeKind, GraphNode, TrafficGraph } from '../graph/types';

/** Builds the traffic graph of the whole index: the model the topology view and `kube-traffic graph` share. */
export function buildGraph(ctx: FeatureContext, displayPath: (uri: string) => string = (u) => u, place?: Placer): TrafficGraph {
  const g = new GraphBuilder(ctx, nodeContent, displayPath, place);
  // Deterministic: resources in path order, so the first definition of an id wins.
  for (const r of sortByLocation([...ctx.index.resources()])) homeOf(r).graph(r, g);
  return g.build();
}
