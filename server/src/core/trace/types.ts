import type { Range } from '../types';

/**
 * The result of tracing one request through the manifests: plain data (JSON-serialisable), shared
 * by the CLI, the language server and the topology webview.
 */

export interface TraceHeader {
  /** As given; matching compares names case-insensitively. */
  readonly name: string;
  readonly value: string;
}

export interface TraceQueryParam {
  readonly name: string;
  readonly value: string;
}

export type TraceScheme = 'http' | 'https' | 'tls' | 'tcp' | 'udp';

/**
 * What a branch comes to (contracts.md): `reached` (a pod, endpoint or external host gets it),
 * `404` (nothing routes it: no rule, path or mesh route matches, or the route that would is not
 * attached), `500` (it fails behind the entry point: an invalid or missing backend, no pods; a
 * proxy answers 500 or 503, a direct or TCP client gets no answer), `redirect` (a RequestRedirect
 * answers, with `location` and `code`), `unknown` (the manifests do not decide; `reason` and `rule` say why).
 */
export type TraceStatus = 'reached' | '404' | '500' | 'redirect' | 'unknown';

/** Header changes a filter makes (RequestHeaderModifier / ResponseHeaderModifier). */
export interface TraceHeaderChanges {
  readonly set: readonly TraceHeader[];
  readonly add: readonly TraceHeader[];
  readonly remove: readonly string[];
}

/** The request as a client sends it. */
export interface TraceRequest {
  /** The URL as written by the user. */
  readonly url: string;
  /** http/https: a request; tls: a TLS connection routed by SNI (the host); tcp/udp: a connection to the port. */
  readonly scheme: TraceScheme;
  /** Lower-case host name (or IP) routing uses: the URL's, or a `Host` header's when given. */
  readonly host: string;
  /** Explicit port, or the scheme's default (80 / 443). */
  readonly port: number;
  /** Normalised path, always starting with `/`. */
  readonly path: string;
  readonly query: readonly TraceQueryParam[];
  readonly method: string;
  readonly headers: readonly TraceHeader[];
  /** True when the host names a Service (cluster DNS), false for a request arriving from outside. */
  readonly inCluster: boolean;
  /** The namespace a short in-cluster name (`web`) is resolved from; undefined = any namespace. */
  readonly namespace?: string;
}

/** What a hop is in the path of a request. */
export type TraceHopType =
  | 'Ingress' | 'Gateway' | 'Route' | 'Service' | 'Workload' | 'Pod' | 'Endpoints' | 'External';

export interface TraceHop {
  readonly type: TraceHopType;
  /** The resource kind (Ingress, HTTPRoute, Deployment, EndpointSlice…); `External` for an outside host. */
  readonly kind: string;
  /** The topology graph node id: `Kind/namespace/name`, `Kind/name` (namespace unset), `External/host`. */
  readonly id: string;
  readonly name: string;
  readonly namespace?: string;
  /** Where the deciding rule is written (absent for External). */
  readonly uri?: string;
  readonly range?: Range;
  /** The rule that decided this hop, in words. */
  readonly decision: string;
  /** Share of the traffic of the parent hop sent here (weighted backendRefs), 0–100. 0: weight 0, no request goes here (the branch is still traced, to show where it would lead). */
  readonly weightPercent?: number;
  /** Gateway hop: the listener that accepted the request. */
  readonly listener?: { readonly name?: string; readonly port?: number; readonly protocol?: string; readonly hostname?: string };
  /** Service hop: the Service port the request uses. */
  readonly servicePort?: { readonly port?: number; readonly name?: string; readonly targetPort?: number | string };
  /** Workload / Pod hop: where it lands. */
  readonly container?: string;
  readonly podPort?: number;
  /** Workload hop: number of pods, or `unknown` (a placeholder), or `one per node` (DaemonSet). */
  readonly replicas?: number | 'unknown' | 'one per node';
  /** Headless Service → StatefulSet: per-pod DNS names (capped, see `podDnsTruncated`). */
  readonly podDns?: readonly string[];
  readonly podDnsTruncated?: boolean;
  /** External hop: the host name the request is sent to. */
  readonly externalHost?: string;
  /** Route hop, or the Service hop of a backendRef: its filters, in words (RequestRedirect, URLRewrite, headers, mirrors, ExtensionRef). */
  readonly filters?: readonly string[];
  /** URLRewrite: the Host and path the backend sees. */
  readonly rewrite?: { readonly host: string; readonly path: string };
  readonly requestHeaders?: TraceHeaderChanges;
  readonly responseHeaders?: TraceHeaderChanges;
  /** Set on the first hop of a mirrored copy (RequestMirror): the share of requests copied; answers are ignored. */
  readonly mirror?: { readonly percent: number };
  /** Route hop of a mesh route (GAMMA): producer (every client) or consumer (clients of its namespace). */
  readonly mesh?: 'producer' | 'consumer';
}

/** Why a request (or one branch of it) goes nowhere. */
export interface TraceStop {
  /** Stable code: `no-entry`, `no-rule-matches`, `service-missing`, `service-selects-nothing`, `redirect`, … */
  readonly reason: string;
  readonly status: TraceStatus;
  /** redirect: the Location header the client gets, and the status code (301, 302, 303, 307, 308). */
  readonly location?: string;
  readonly code?: number;
  /** The rule that failed, in words. */
  readonly rule: string;
  readonly uri?: string;
  readonly range?: Range;
}

/** One hop and where the request goes from it. A branch either continues, ends (reached) or stops. */
export interface TraceStep {
  readonly hop: TraceHop;
  readonly next: readonly TraceStep[];
  /** Set when the request goes no further from this hop. */
  readonly stop?: TraceStop;
}

/** An edge of the topology graph the trace follows (same direction and kind as graph.ts). */
export interface TraceEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: 'enters' | 'routes' | 'attaches' | 'selects' | 'aliases' | 'endpoints' | 'governs' | 'mirrors';
}

/** An entry point that does not take the request, and why (a Gateway without a listener for it). */
export interface TraceRefusal {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly uri?: string;
  readonly range?: Range;
  readonly why: string;
}

export interface TraceResult {
  readonly request: TraceRequest;
  /** Entry points, each a tree of hops (several when controllers or weights branch). */
  readonly entries: readonly TraceStep[];
  /** `reached` when at least one branch ends at a pod, endpoint or external host. */
  readonly outcome: 'reached' | 'stopped';
  /** `reached`, or the status of `stop`. */
  readonly status: TraceStatus;
  /** When nothing is reached: the first stop (or the top-level one when no entry accepts the request). */
  readonly stop?: TraceStop;
  /** Things worth knowing that do not stop the request (conflicts, assumptions). */
  readonly notes: readonly string[];
  /** Graph node ids on the trace and the graph edges between them, for highlighting. */
  readonly nodeIds: readonly string[];
  readonly edges: readonly TraceEdge[];
  /** Gateways that do not take the request, with why (present when some do not). */
  readonly refused?: readonly TraceRefusal[];
  /** `trace --follow`: the trace of the redirect's Location. */
  readonly followed?: TraceResult;
}
