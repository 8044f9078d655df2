import type { Resource, ResourceBase } from './resources';
import type { MapNode, DocRef } from './yamlAccess';

/**
 * How objects of each kind become models. The homes of the kinds (core/kinds) provide it; the
 * parse pipeline receives it, so the model layer does not import the layers above it.
 */
export interface ModelCatalog {
  /** The model of an object with apiVersion and kind (`other` for kinds no home models). */
  modelOf(base: ResourceBase, root: MapNode, doc: DocRef): Resource;
  /** Kinds whose content rules read; the others need only apiVersion, kind and metadata. */
  isModelled(kind: string): boolean;
}
