/**
 * Custom messages between the VS Code client and the language server, and the commands the server
 * runs for other editors, defined once and imported by both sides (and by the tests and the
 * benchmark). Each message is a typed `RequestType` / `NotificationType`: its method name appears
 * here only. Standard LSP covers everything else.
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { TrafficGraph } from '../core/features/graph';
import type { ReachResult } from '../core/policy/reachTypes';
import type { TraceResult } from '../core/trace/types';
import type { WorkspaceStatus } from '../service/types';

/** Indexing progress, then problem counts, for the status bar. */
export type StatusParams = WorkspaceStatus;

/** Server → client notification: StatusParams. */
export namespace StatusNotification {
  export const method = 'kubeTraffic/status';
  export const type = new NotificationType<StatusParams>(method);
}

/**
 * Client → server request: the traffic graph of one cluster of the workspace (the same model as
 * `kube-traffic graph --format json`): the plain view, or a variant (a Kustomize root, a Helm chart
 * with a values file); with the variants there are, for the topology's picker.
 */
export namespace GraphRequest {
  export const method = 'kubeTraffic/graph';
  export const type = new RequestType<GraphParams, GraphResponse, void>(method);
}

export interface GraphParams {
  /** A name of `GraphResponse.variants`; absent: the plain view, or the only variant when there are no plain files. */
  readonly variant?: string;
}

export interface GraphResponse extends TrafficGraph {
  /** The variant drawn; absent for the plain view. */
  readonly variant?: string;
  /** Every variant of the workspace, sorted (contracts.md names). */
  readonly variants: readonly string[];
}

/** Where a variant can be chosen: a request's cluster. */
export interface VariantParams {
  /** A variant name (a Kustomize root, a Helm chart and values file); absent: the plain view. */
  readonly variant?: string;
}

/** Client → server request: trace one request (`Kube Traffic: Trace Request…`, like `kube-traffic trace`). */
export namespace TraceRequest {
  export const method = 'kubeTraffic/trace';
  export const type = new RequestType<TraceParams, TraceResponse, void>(method);
}

export interface TraceParams extends VariantParams {
  /** As a client sends it: `https://shop.example.com/api`, `web.shop:80`, `web:80` (with namespace). */
  readonly url: string;
  /** The namespace a short in-cluster name is resolved from. */
  readonly namespace?: string;
  readonly method?: string;
  /** `Name: value` or `Name=value`. */
  readonly headers?: readonly string[];
}

/** `text`: the hop-by-hop answer as the CLI prints it, with file system paths. */
export type TraceResponse =
  | { readonly type: 'result'; readonly result: TraceResult; readonly text: string }
  | { readonly type: 'error'; readonly message: string };

/** Client → server request: may FROM reach TO (`Kube Traffic: Can Reach…`, like `kube-traffic can-reach`). */
export namespace CanReachRequest {
  export const method = 'kubeTraffic/canReach';
  export const type = new RequestType<CanReachParams, CanReachResponse, void>(method);
}

export interface CanReachParams extends VariantParams {
  /** A workload: `Kind/name` or `Kind/namespace/name`. */
  readonly from: string;
  /** A Service, a workload, or an IP address. */
  readonly to: string;
  /** A port number or name, optionally `/PROTOCOL`; absent = every port. */
  readonly port?: string;
}

export type CanReachResponse =
  | { readonly type: 'result'; readonly result: ReachResult; readonly text: string }
  | { readonly type: 'error'; readonly message: string; readonly suggestions: readonly string[] };

/** Client → server request: the rendered manifest of a variant (`Kube Traffic: Show Rendered Manifest…`). */
export namespace RenderedRequest {
  export const method = 'kubeTraffic/rendered';
  export const type = new RequestType<RenderedParams, RenderedResponse, void>(method);
}

export interface RenderedParams {
  readonly variant: string;
}

export type RenderedResponse =
  | { readonly type: 'rendered'; readonly variant: string; readonly text: string }
  | { readonly type: 'error'; readonly message: string; readonly variants: readonly string[] };

/** The scheme of the read-only documents that show a variant's rendered manifest. */
export const RENDERED_SCHEME = 'kube-traffic-rendered';

/** Client → server request: what the pickers of those two commands offer. */
export namespace TrafficTargetsRequest {
  export const method = 'kubeTraffic/targets';
  export const type = new RequestType<VariantParams, TrafficTargets, void>(method);
}

export interface TargetItem {
  /** `Kind/namespace/name` or `Kind/name`: what CanReachParams take. */
  readonly id: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** Workspace-relative file, for the picker's description. */
  readonly file: string;
}

export interface TrafficTargets {
  readonly workloads: readonly TargetItem[];
  readonly services: readonly TargetItem[];
  /** Example URLs that reach the Ingress paths and route matches of the workspace. */
  readonly urls: readonly string[];
  /** Every variant of the workspace (the commands offer a picker when there are any). */
  readonly variants: readonly string[];
}

/** Command of the "topology" code lens above Services and Ingresses, for the VS Code extension (args: [uri]). */
export const SHOW_TOPOLOGY_COMMAND = 'kubeTraffic.showTopology';

/** Command the code lenses carry for the VS Code extension, which turns it into VS Code's references peek. */
export const SHOW_LOCATIONS_COMMAND = 'kubeTraffic.showLocations';

export interface LspPosition { readonly line: number; readonly character: number }
export interface LspRange { readonly start: LspPosition; readonly end: LspPosition }
export interface LspLocation { readonly uri: string; readonly range: LspRange }

export function isLspPosition(v: unknown): v is LspPosition {
  return typeof v === 'object' && v !== null
    && typeof (v as LspPosition).line === 'number' && typeof (v as LspPosition).character === 'number';
}

export function isLspLocation(v: unknown): v is LspLocation {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as LspLocation;
  return typeof l.uri === 'string' && typeof l.range === 'object' && l.range !== null
    && isLspPosition(l.range.start) && isLspPosition(l.range.end);
}

/** Arguments of SHOW_LOCATIONS_COMMAND: [uri, position, locations]. */
export type ShowLocationsArgs = readonly [uri: string, position: LspPosition, locations: readonly LspLocation[]];

/** Settings under `kubeTraffic.*`, as the client contributes them and the server reads them. */
export interface KubeTrafficSettings {
  readonly nodePortRange: string;
  readonly severity: Readonly<Record<string, string>>;
  readonly exclude: readonly string[];
  /** Megabytes; larger files get one diagnostic and are not analysed. */
  readonly maxFileSize: number;
  /** `kubeTraffic.helm.*`: rendering Helm charts with `helm template` (trusted workspaces only). */
  readonly helm?: {
    readonly enabled?: boolean;
    readonly path?: string;
    readonly valuesFiles?: readonly string[];
    readonly releaseName?: string;
    readonly namespace?: string;
    readonly kubeVersion?: string;
    readonly apiVersions?: readonly string[];
  };
}

export const DEFAULT_CLIENT_SETTINGS: KubeTrafficSettings = {
  nodePortRange: '30000-32767',
  severity: {},
  exclude: [],
  maxFileSize: 10,
  helm: { enabled: true, path: '', valuesFiles: [], releaseName: 'release-name', namespace: 'default', kubeVersion: '', apiVersions: [] },
};

/** `initializationOptions.client` of the VS Code extension (its clientInfo differs under code-server). */
export const VSCODE_EXTENSION_CLIENT = 'vscode-extension';

/** What the server reads from `initializationOptions`; other editors may send nothing at all. */
export interface KubeTrafficInitializationOptions {
  /** Folder for the persisted index (keyed by content hash); no persisted index without it. */
  readonly storagePath?: string;
  /**
   * Who the client is. With VSCODE_EXTENSION_CLIENT, code lenses carry VS Code icons and the
   * extension's commands (SHOW_LOCATIONS_COMMAND, SHOW_TOPOLOGY_COMMAND); for any other client they
   * carry plain titles and OPEN_LOCATIONS_COMMAND, which the server executes itself.
   */
  readonly client?: string;
  /**
   * False when the workspace is not trusted (VS Code's Restricted Mode): the server then never
   * runs helm on workspace content. Absent (other editors): trusted.
   */
  readonly trusted?: boolean;
}

/**
 * Command of the code lenses in editors other than VS Code, executed by the server
 * (`workspace/executeCommand`, advertised in `executeCommandProvider.commands`): opens the first
 * location with `window/showDocument` when the client supports it and lists them all in a
 * `window/showMessage` otherwise (or when there are several, or none).
 */
export const OPEN_LOCATIONS_COMMAND = 'kubeTraffic.openLocations';

/** Arguments of OPEN_LOCATIONS_COMMAND: [the lens title, its locations]. */
export type OpenLocationsArgs = readonly [title: string, locations: readonly LspLocation[]];

export function isOpenLocationsArgs(v: unknown): v is OpenLocationsArgs {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && Array.isArray(v[1]) && v[1].every(isLspLocation);
}

/** Every command the server executes itself. */
export const SERVER_COMMANDS: readonly string[] = [OPEN_LOCATIONS_COMMAND];
