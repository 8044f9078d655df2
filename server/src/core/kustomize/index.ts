/** The native kustomize engine: the exports the analyzer and adapters use. */
export { KustomizeEngine } from './engine';
export { isKustomizationUri, KUSTOMIZATION_FILE_NAMES, type KustomizeFiles } from './files';
export type { KustomizeDiscovery, KustomizeRoot, KustomizationInfo } from './discovery';
export type { KustomizeRender, RenderedObject } from './render';
export { KUSTOMIZE_SEVERITY, type KustomizeCode } from './problems';
