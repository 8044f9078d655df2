/**
 * Custom messages between the VS Code client and the language server, defined once and imported
 * by both sides. Standard LSP covers everything else.
 */

/** Server → client notification: indexing progress, then problem counts, for the status bar. */
export const STATUS_NOTIFICATION = 'kubeTraffic/status';

export type StatusParams =
  | { readonly type: 'indexing'; readonly done: number; readonly total: number }
  | {
      readonly type: 'ready';
      readonly files: number;
      readonly resources: number;
      readonly errors: number;
      readonly warnings: number;
      readonly infos: number;
      /** Milliseconds the first full index took (only on the first 'ready'). */
      readonly indexMs?: number;
    };

/** Client → server request: the traffic graph (the same model as `kube-traffic graph --format json`). */
export const GRAPH_REQUEST = 'kubeTraffic/graph';

export interface GraphParams {
  /** Restrict to the resources of these files and their neighbours; all when absent. */
  readonly focusUris?: readonly string[];
}

/** Command of the "topology" code lens above Services and Ingresses (args: [uri]). */
export const SHOW_TOPOLOGY_COMMAND = 'kubeTraffic.showTopology';

/** Command the code lenses carry; the client turns it into VS Code's references peek. */
export const SHOW_LOCATIONS_COMMAND = 'kubeTraffic.showLocations';

export interface LspPosition { readonly line: number; readonly character: number }
export interface LspRange { readonly start: LspPosition; readonly end: LspPosition }
export interface LspLocation { readonly uri: string; readonly range: LspRange }

/** Arguments of SHOW_LOCATIONS_COMMAND: [uri, position, locations]. */
export type ShowLocationsArgs = readonly [uri: string, position: LspPosition, locations: readonly LspLocation[]];

/** Settings under `kubeTraffic.*`, as the client contributes them and the server reads them. */
export interface KubeTrafficSettings {
  readonly nodePortRange: string;
  readonly severity: Readonly<Record<string, string>>;
  readonly exclude: readonly string[];
  /** Megabytes; larger files get one diagnostic and are not analysed. */
  readonly maxFileSize: number;
}

export const DEFAULT_CLIENT_SETTINGS: KubeTrafficSettings = {
  nodePortRange: '30000-32767',
  severity: {},
  exclude: [],
  maxFileSize: 10,
};
