import type { Range, Span } from '../types';

/**
 * Results of "may A talk to B?" (`kube-traffic can-reach`, and the editor's command). Plain,
 * JSON-serialisable data, shared by the CLI, the language server and the webview.
 */

/** `unknown`: the workspace does not say (namespace labels, pod IPs, clients outside it). */
export type Verdict = 'allowed' | 'denied' | 'unknown';

/** An object of the workspace, with where it is written. */
export interface ObjectRef {
  /** `Kind/namespace/name` or `Kind/name` (namespace unset). */
  readonly id: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly uri: string;
  /** The object's name (or kind) in its file. */
  readonly span: Span;
  readonly range?: Range;
}

/** A rule of a NetworkPolicy that decided something. */
export interface PolicyRuleRef {
  readonly policy: ObjectRef;
  readonly direction: 'ingress' | 'egress';
  /** Index of the rule in `spec.ingress` / `spec.egress`. */
  readonly rule: number;
  readonly span: Span;
  readonly range?: Range;
}

/** One direction of a connection: egress from the source pod, or ingress into the destination pod. */
export interface SideResult {
  readonly direction: 'ingress' | 'egress';
  readonly verdict: Verdict;
  /** Some policy selects the pod with this policy type: only what a rule allows gets through. */
  readonly isolated: boolean;
  readonly isolatedBy: readonly ObjectRef[];
  readonly allowedBy: readonly PolicyRuleRef[];
  /** Why a rule could not be decided (one sentence each). */
  readonly unknownBecause: readonly string[];
  /** One sentence: why this side allows, denies or is unknown. */
  readonly reason: string;
}

/** The port a connection uses on the destination pod. */
export interface PortQuery {
  readonly number?: number;
  /** A named port (a Service's named targetPort, or a name given by the user). */
  readonly name?: string;
  readonly protocol: string;
}

/** A Service port resolved to a container port (port → targetPort → containerPort). */
export interface ServiceHop {
  readonly service: ObjectRef;
  readonly servicePort: number | string | null;
  readonly targetPort: number | string | null;
  readonly containerPort?: number;
  readonly container?: string;
}

/** The connection to one destination pod template. */
export interface ReachTarget {
  readonly workload: ObjectRef;
  /** Absent: any port. */
  readonly port?: PortQuery;
  readonly via?: ServiceHop;
  readonly verdict: Verdict;
  readonly egress: SideResult;
  readonly ingress: SideResult;
}

export interface ReachResult {
  /** allowed when every target is allowed; denied when any is denied; otherwise unknown. */
  readonly verdict: Verdict;
  readonly from: ObjectRef;
  readonly to: ObjectRef | { readonly ip: string };
  readonly port?: number | string;
  readonly targets: readonly ReachTarget[];
  /** The sides of the deciding target (the first denied, else the first unknown, else the first). */
  readonly egress?: SideResult;
  readonly ingress?: SideResult;
  readonly reason: string;
}

/** FROM/TO/port that cannot be answered: not in the workspace, or a port the Service lacks. */
export interface ReachError {
  readonly error: string;
  readonly suggestions: readonly string[];
}
