import type { Span } from '../types';
import type { LabelSelector, ResourceBase } from './base';
import type { ScalarRef } from './yamlAccess';

/**
 * Model of the Gateway API kinds: routes (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute) with
 * their matches and filters, Gateways and their listeners, ReferenceGrants. Plain data, like the
 * rest of the model (resources.ts re-exports it).
 */

export type RouteKind = 'HTTPRoute' | 'GRPCRoute' | 'TCPRoute' | 'TLSRoute' | 'UDPRoute';
export const ROUTE_KINDS: ReadonlySet<string> = new Set<RouteKind>(['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']);
export const isRouteKind = (kind: string): kind is RouteKind => ROUTE_KINDS.has(kind);

/** A reference to a backend object: a backendRef, or the target of a RequestMirror filter. */
export interface BackendObjectRef {
  readonly span: Span;
  readonly group: string;
  readonly kind: string;
  readonly name: ScalarRef<string> | undefined;
  readonly namespace: ScalarRef<string> | undefined;
  readonly port: ScalarRef | undefined;
}

export interface BackendRef extends BackendObjectRef {
  readonly weight: number | undefined;
  /** Index of the route rule it belongs to. */
  readonly ruleIndex: number;
  /** The rule's first path match value (HTTPRoute), for labels. */
  readonly matchPath?: string;
  /** Filters of this backendRef (HTTPRoute, GRPCRoute), applied after the rule's. */
  readonly filters: readonly RouteFilter[];
}

export interface HeaderValue {
  readonly name: string;
  readonly value: string;
}

/** RequestHeaderModifier / ResponseHeaderModifier. */
export interface HeaderModifier {
  readonly set: readonly HeaderValue[];
  readonly add: readonly HeaderValue[];
  readonly remove: readonly string[];
}

/** The `path` of a RequestRedirect or URLRewrite: ReplaceFullPath or ReplacePrefixMatch. */
export interface PathModifier {
  readonly type: string;
  /** replaceFullPath / replacePrefixMatch (undefined when the field that goes with `type` is missing). */
  readonly value: string | undefined;
}

/**
 * One entry of a rule's (or a backendRef's) `filters`, with the part of it its `type` names.
 * Unknown types (CORS, ExternalAuth, future ones) keep only `type` and `span`.
 */
export interface RouteFilter {
  readonly type: string;
  readonly span: Span;
  readonly redirect?: {
    readonly scheme: string | undefined;
    readonly hostname: string | undefined;
    readonly port: number | undefined;
    readonly path: PathModifier | undefined;
    /** Written or defaulted (302, the API's default). */
    readonly statusCode: number;
  };
  readonly rewrite?: { readonly hostname: string | undefined; readonly path: PathModifier | undefined };
  /** RequestHeaderModifier or ResponseHeaderModifier. */
  readonly headers?: HeaderModifier;
  /** RequestMirror: where copies go, and which share of requests (100 when neither percent nor fraction is set). */
  readonly mirror?: { readonly ref: BackendObjectRef; readonly percent: number };
  readonly extensionRef?: { readonly group: string; readonly kind: string; readonly name: string | undefined };
}

/** A backendRef to a core Service (the default group and kind). */
export function isServiceBackendRef(ref: { readonly group: string; readonly kind: string }): boolean {
  return (ref.group === '' || ref.group === 'core') && ref.kind === 'Service';
}

export interface ParentRef {
  readonly span: Span;
  readonly group: string;
  readonly kind: string;
  readonly name: ScalarRef<string> | undefined;
  readonly namespace: ScalarRef<string> | undefined;
  readonly sectionName: string | undefined;
  readonly port: number | undefined;
  readonly sectionNameSpan?: Span;
  readonly portSpan?: Span;
}

/** A parentRef to a Service (GAMMA mesh route): kind Service in the core group. */
export function isServiceParentRef(ref: { readonly group: string; readonly kind: string }): boolean {
  return (ref.group === '' || ref.group === 'core') && ref.kind === 'Service';
}

/** A header or query parameter condition of an HTTPRoute/GRPCRoute match. */
export interface RouteValueMatch {
  /** Exact (default) or RegularExpression. */
  readonly type: string;
  readonly name: string;
  readonly value: string;
}

/** One entry of a rule's `matches` (conditions ANDed); defaults filled in as the API server does. */
export interface RouteMatch {
  /** The match's mapping; the rule's span for the implicit match of a rule without `matches`. */
  readonly span: Span;
  /** HTTPRoute: Exact, PathPrefix (default, value `/`) or RegularExpression. GRPCRoute: undefined. */
  readonly path: { readonly type: string; readonly value: string } | undefined;
  readonly headers: readonly RouteValueMatch[];
  readonly queryParams: readonly RouteValueMatch[];
  readonly method: string | undefined;
  /** GRPCRoute `method` match: service and/or method, Exact (default) or RegularExpression. */
  readonly grpc?: { readonly type: string; readonly service: string | undefined; readonly method: string | undefined };
}

export interface RouteRule {
  readonly span: Span;
  /** ORed; a rule without `matches` gets one match of every request (PathPrefix `/`). */
  readonly matches: readonly RouteMatch[];
  /** True when `matches` was absent or empty. */
  readonly matchesDefaulted: boolean;
  readonly filters: readonly RouteFilter[];
}

export interface Route extends ResourceBase {
  readonly type: 'route';
  readonly kind: RouteKind;
  readonly hostnames: readonly string[];
  readonly parentRefs: readonly ParentRef[];
  readonly backendRefs: readonly BackendRef[];
  /** HTTPRoute / GRPCRoute rules in order (backendRefs point here by ruleIndex); empty for other kinds. */
  readonly rules: readonly RouteRule[];
}

/** The backendRefs of every RequestMirror filter of a route (rule and backendRef filters). */
export function mirrorRefs(r: Route): BackendObjectRef[] {
  return [...r.rules.flatMap((x) => x.filters), ...r.backendRefs.flatMap((b) => b.filters)].flatMap((f) => (f.mirror ? [f.mirror.ref] : []));
}

export interface GatewayListener {
  readonly name: string | undefined;
  readonly port: number | undefined;
  readonly protocol: string | undefined;
  readonly hostname: string | undefined;
  readonly span: Span;
  readonly nameSpan?: Span;
  /** `allowedRoutes.namespaces.from`: Same (default), All or Selector. */
  readonly allowedRoutesFrom: string;
  /** `allowedRoutes.namespaces.selector` (used with Selector). */
  readonly namespaceSelector?: LabelSelector;
  /** `allowedRoutes.kinds`; undefined when absent or empty (the listener protocol decides). */
  readonly allowedKinds?: readonly { readonly group: string; readonly kind: string }[];
  /** `tls.mode`: Terminate (the default) or Passthrough. */
  readonly tlsMode?: string;
}

export interface Gateway extends ResourceBase {
  readonly type: 'gateway';
  readonly gatewayClassName: string | undefined;
  readonly listeners: readonly GatewayListener[];
  readonly addresses: readonly string[];
}

export interface ReferenceGrantFrom {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string | undefined;
}

export interface ReferenceGrantTo {
  readonly group: string;
  readonly kind: string;
  readonly name: string | undefined;
}

export interface ReferenceGrant extends ResourceBase {
  readonly type: 'referenceGrant';
  readonly from: readonly ReferenceGrantFrom[];
  readonly to: readonly ReferenceGrantTo[];
}
