/**
 * Messages between the topology webview and the extension, defined once and imported by both.
 * Every message is a readonly object with a string `type`; both sides validate what they receive
 * with the guards below before using it (the webview is untrusted input for the extension).
 */

import type { TrafficGraph } from '../core/graph/types';

/** The graph and its nodes' details, typed per kind (core/graph/types.ts). */
export type {
  ClassifiedNode, ContainerDetails, EntryDetails, EndpointsDetails, ExternalDetails, GatewayDetails, GraphEdge, GraphNode,
  IngressDetails, MissingDetails, NodeFamily, RouteDetails, ScalarValue, ServiceDetails, ServicePortDetails, TrafficGraph, WorkloadDetails,
} from '../core/graph/types';
export { classifyNode, familyOfKind } from '../core/graph/types';

export interface Position { readonly line: number; readonly character: number }
export interface Range { readonly start: Position; readonly end: Position }

// ---------------------------------------------------------------- extension → webview

export interface GraphMessage {
  readonly type: 'graph';
  readonly graph: TrafficGraph;
  /** Node ids of the resources in the active editor (for "follow active editor"). */
  readonly activeIds: readonly string[];
  /** The workspace's variants (Kustomize roots, Helm values variants), for the picker; none: no picker. */
  readonly variants?: readonly string[];
  /** The variant drawn; absent: the plain view. */
  readonly variant?: string;
}

export interface FocusMessage {
  readonly type: 'focus';
  /** Node ids of the resources in the newly active editor. */
  readonly ids: readonly string[];
}

export interface TraceMessage {
  readonly type: 'trace';
  /** Node ids of a traced request path, in order; empty clears it. */
  readonly path: readonly string[];
  /**
   * The graph edges the request follows (a traced request branches: weights, several pods).
   * When given, these are lit instead of the edges between consecutive ids of `path`.
   */
  readonly edges?: readonly { readonly from: string; readonly to: string }[];
}

export type ToWebview = GraphMessage | FocusMessage | TraceMessage;

// ---------------------------------------------------------------- webview → extension

export interface ReadyMessage { readonly type: 'ready' }

export interface RevealMessage {
  readonly type: 'reveal';
  /** Must be the `uri` of a node of the last graph sent; the extension checks it. */
  readonly uri: string;
  readonly range: Range;
}

export interface ExportMessage {
  readonly type: 'export';
  readonly format: 'svg' | 'png';
  /** SVG markup, or a PNG as a data: URL. */
  readonly data: string;
}

export interface RenderedMessage {
  readonly type: 'rendered';
  readonly nodes: number;
  readonly edges: number;
  readonly brokenEdges: number;
}

/** The webview lit a traced request: how many nodes and edges of the drawing. */
export interface TraceShownMessage {
  readonly type: 'traceShown';
  readonly nodes: number;
  readonly edges: number;
}

export interface ErrorMessage {
  readonly type: 'error';
  readonly message: string;
}

/** The user picked a variant to draw (null: the plain view). */
export interface VariantMessage {
  readonly type: 'variant';
  readonly variant: string | null;
}

export type FromWebview = ReadyMessage | RevealMessage | ExportMessage | RenderedMessage | TraceShownMessage | ErrorMessage | VariantMessage;

// ---------------------------------------------------------------- validation

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1e7;
const isPos = (v: unknown): v is Position => isObj(v) && isInt(v.line) && isInt(v.character);
const isRange = (v: unknown): v is Range => isObj(v) && isPos(v.start) && isPos(v.end);
const MAX_EXPORT = 50 * 1048576;

/** Validates a message from the webview; returns undefined for anything unexpected. */
export function parseFromWebview(v: unknown): FromWebview | undefined {
  if (!isObj(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'reveal':
      return typeof v.uri === 'string' && v.uri.length < 4096 && isRange(v.range) ? { type: 'reveal', uri: v.uri, range: v.range } : undefined;
    case 'export':
      if ((v.format !== 'svg' && v.format !== 'png') || typeof v.data !== 'string' || v.data.length > MAX_EXPORT) return undefined;
      if (v.format === 'png' && !v.data.startsWith('data:image/png;base64,')) return undefined;
      return { type: 'export', format: v.format, data: v.data };
    case 'rendered':
      return isInt(v.nodes) && isInt(v.edges) && isInt(v.brokenEdges) ? { type: 'rendered', nodes: v.nodes, edges: v.edges, brokenEdges: v.brokenEdges } : undefined;
    case 'traceShown':
      return isInt(v.nodes) && isInt(v.edges) ? { type: 'traceShown', nodes: v.nodes, edges: v.edges } : undefined;
    case 'error':
      return typeof v.message === 'string' ? { type: 'error', message: v.message.slice(0, 2000) } : undefined;
    case 'variant':
      return v.variant === null || (typeof v.variant === 'string' && v.variant.length < 4096) ? { type: 'variant', variant: v.variant } : undefined;
    default:
      return undefined;
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const optional = (v: unknown, is: (v: unknown) => boolean): boolean => v === undefined || is(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Validates a message from the extension (the webview trusts nothing either). */
export function parseToWebview(v: unknown): ToWebview | undefined {
  if (!isObj(v) || typeof v.type !== 'string') return undefined;
  switch (v.type) {
    case 'graph': {
      const g = v.graph;
      if (!isObj(g) || !Array.isArray(g.nodes) || !Array.isArray(g.edges) || !isStrArray(v.activeIds)) return undefined;
      // Details are checked against their kind's shape where they are read (classifyNode).
      const nodes = g.nodes.filter((n): n is TrafficGraph['nodes'][number] => isObj(n) && typeof n.id === 'string' && typeof n.kind === 'string'
        && typeof n.name === 'string' && isObj(n.details) && optional(n.namespace, isStr) && optional(n.file, isStr) && optional(n.range, isRange));
      const edges = g.edges.filter((e): e is TrafficGraph['edges'][number] => isObj(e) && typeof e.from === 'string' && typeof e.to === 'string' && typeof e.kind === 'string' && typeof e.label === 'string' && typeof e.broken === 'boolean');
      const variants = isStrArray(v.variants) ? v.variants : [];
      return { type: 'graph', graph: { nodes, edges }, activeIds: v.activeIds, variants, ...(typeof v.variant === 'string' ? { variant: v.variant } : {}) };
    }
    case 'focus':
      return isStrArray(v.ids) ? { type: 'focus', ids: v.ids } : undefined;
    case 'trace': {
      if (!isStrArray(v.path)) return undefined;
      if (v.edges === undefined) return { type: 'trace', path: v.path };
      if (!Array.isArray(v.edges) || !v.edges.every((e) => isObj(e) && typeof e.from === 'string' && typeof e.to === 'string')) return undefined;
      return { type: 'trace', path: v.path, edges: v.edges.map((e: { from: string; to: string }) => ({ from: e.from, to: e.to })) };
    }
    default:
      return undefined;
  }
}
