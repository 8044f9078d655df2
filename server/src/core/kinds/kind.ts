import type { FeatureContext } from '../facts/context';
import type { Location } from '../facts/location';
import type { GraphBuilder } from '../graph/builder';
import type { NodeContent } from '../graph/types';
import type { IndexTables } from '../index/tables';
import type { Resource, ResourceBase } from '../model/resources';
import type { Span } from '../types';
import type { MapNode, DocRef } from '../model/yamlAccess';

/** The element of a resource under the cursor, with what the editor features say about it. */
export interface Located {
  readonly span: Span;
  /** Markdown; undefined when there is nothing to say. */
  hover(ctx: FeatureContext): string | undefined;
  /** Go to definition: what the element refers to (a selector → the pod labels it matches, …). */
  definitions(ctx: FeatureContext): Location[];
  /** Find references: what refers to the element. A reference itself answers with its definitions. */
  references(ctx: FeatureContext): Location[];
}

/**
 * The one home of a resource kind: everything the core knows about it besides its data type
 * (model/resources.ts) and the rules that check it (rules/registry.ts). Adding a kind is one such
 * file and one line in kinds/registry.ts.
 */
export interface KindHome<R extends Resource> {
  readonly type: R['type'];
  /** Kinds whose whole content is read (for others, only apiVersion, kind and metadata are). */
  readonly modelledKinds: readonly string[];
  /** The model of an object, or undefined when its apiVersion and kind are not this home's. */
  extract(base: ResourceBase, root: MapNode, doc: DocRef): R | undefined;
  /** Writes (or removes) the resource's keys in the lookup tables. */
  index(r: R, tables: IndexTables, add: boolean): void;
  /** The most specific element at an offset inside the resource. */
  locate(r: R, offset: number): Located | undefined;
  /** The resource's nodes and edges in the traffic graph. */
  graph(r: R, g: GraphBuilder): void;
  /** The kind and details of its node in the topology (absent: a node of its kind with no details). */
  node?(r: R): NodeContent;
}

export const inside = (span: Span | undefined, offset: number): span is Span => !!span && span.start <= offset && offset <= span.end;

/** A Located with only a hover (no definitions, no references). */
export function hoverOnly(span: Span, hover: (ctx: FeatureContext) => string | undefined): Located {
  return { span, hover, definitions: () => [], references: () => [] };
}
