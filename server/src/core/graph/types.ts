import type { Range } from '../types';

/** The traffic graph: the model the topology view and `kube-traffic graph` share (contracts.md). */

export type GraphNodeKind = string;

export interface GraphNode {
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly namespace?: string;
  readonly name: string;
  readonly file?: string;
  readonly range?: Range;
  readonly details: Readonly<Record<string, unknown>>;
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
