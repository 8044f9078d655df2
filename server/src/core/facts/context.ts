import type { IndexReads } from '../index/workspaceIndex';
import type { Resolver } from '../resolve/resolver';

/**
 * What editor features, the graph and trace read: the index and the resolver. The Analyzer is one;
 * features take this instead of the Analyzer so they sit below it and above nothing they serve.
 */
export interface FeatureContext {
  readonly index: IndexReads;
  readonly resolver: Resolver;
}
