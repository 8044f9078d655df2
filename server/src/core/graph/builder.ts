import type { FeatureContext } from '../facts/context';
import { resourceId, type Resource } from '../model/resources';
import type { Range } from '../types';
import { ENTRY_NAMES, type EntryPoint, type GraphEdge, type GraphNode, type NodeContent, type OtherNodeContent, type TrafficGraph } from './types';

/** Where a place of the analysed cluster is in the workspace (a variant's rendered text → its source line). */
export type Placer = (uri: string, range: Range) => { readonly uri: string; readonly range: Range } | undefined;

export type { EntryPoint };

/**
 * Collects the nodes and edges each kind contributes (KindHome.graph). Ids follow contracts.md;
 * the first node added under an id wins, so callers add resources in path order.
 */
export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly edges = new Map<string, GraphEdge>();

  constructor(
    readonly ctx: FeatureContext,
    private readonly contentOf: (r: Resource) => NodeContent | OtherNodeContent,
    private readonly displayPath: (uri: string) => string,
    private readonly placer?: Placer,
  ) {}

  private get placed(): boolean {
    return this.placer !== undefined;
  }

  private place(uri: string, range: Range): { readonly uri: string; readonly range: Range } | undefined {
    return this.placer ? this.placer(uri, range) : { uri, range };
  }

  /** The node of a resource (added on first use); returns its id. */
  resource(r: Resource): string {
    const id = resourceId(r);
    if (!this.nodes.has(id)) {
      const file = this.ctx.index.file(r.uri);
      // In a variant the object's name may come from a kustomization (namePrefix): its kind line is in
      // the file that defines it, where a click should lead.
      const span = this.placed ? r.kindSpan : r.nameRef?.span ?? r.kindSpan;
      const at = file ? this.place(r.uri, file.parsed.lines.headRange(span)) : undefined;
      this.nodes.set(id, {
        id, ...this.contentOf(r), ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name ?? '',
        file: this.displayPath(at?.uri ?? r.uri), ...(at ? { range: at.range } : {}),
      });
    }
    return id;
  }

  /** A node for a reference that resolves to nothing. */
  missing(kind: string, namespace: string | undefined, name: string): string {
    const id = namespace ? `Missing/${kind}/${namespace}/${name}` : `Missing/${kind}/${name}`;
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind: 'Missing', ...(namespace ? { namespace } : {}), name, details: { missingKind: kind } });
    return id;
  }

  /** An external DNS name (the target of an ExternalName Service). */
  external(host: string): string {
    const id = `External/${host}`;
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind: 'External', name: host, details: { dns: host } });
    return id;
  }

  edge(e: GraphEdge): void {
    const key = `${e.from}\u0000${e.to}\u0000${e.kind}\u0000${e.label}`;
    if (!this.edges.has(key)) this.edges.set(key, e);
  }

  /** An edge from an entry point outside the cluster. */
  entry(which: EntryPoint, to: string, label: string): void {
    const id = `Entry/${which}`;
    if (!this.nodes.has(id)) this.nodes.set(id, { id, kind: 'Entry', name: ENTRY_NAMES[which], details: { entry: which } });
    this.edge({ from: id, to, kind: 'enters', label, broken: false });
  }

  /** Nodes by id, edges by endpoints, kind and label: the same graph whatever the order of contributions. */
  build(): TrafficGraph {
    const nodes = [...this.nodes.values()].sort((a, b) => cmp(a.id, b.id));
    const edges = [...this.edges.values()].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind) || cmp(a.label, b.label));
    return { nodes, edges };
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
