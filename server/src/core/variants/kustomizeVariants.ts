import { isKustomizationUri, KustomizeEngine, type KustomizeFiles, type KustomizeRender } from '../kustomize';
import type { RenderProblem } from '../render/types';
import type { VariantDriver, Workspace } from './workspace';
import { EXPLAINED_BY_RENAME, renamedObjects, unrenamedReferences } from './kustomizeFindings';

/** What the core cannot know without the disk: files that are not manifests (generator inputs, JSON patches), directories. */
export interface DiskView {
  read(uri: string): string | undefined;
  exists(uri: string): boolean;
  isDirectory(uri: string): boolean;
}

/** A disk that has nothing (tests, and hosts that only know the indexed files). */
export const NO_DISK: DiskView = { read: () => undefined, exists: () => false, isDirectory: () => false };

/**
 * Keeps a Workspace's Kustomize variants current: every kustomization no other includes is a root,
 * rendered by the native kustomize (core/kustomize) into its own cluster. Files are read from the
 * workspace's index first (open editors included), then from the disk view. A change re-renders
 * only when it touches a kustomization or something a root read; the engine's cache then reuses
 * every root whose inputs are unchanged.
 */
export class KustomizeVariants implements VariantDriver {
  private readonly engine: KustomizeEngine;
  private inputs = new Set<string>();
  private readonly renders = new Map<string, KustomizeRender>();
  private rootCount = 0;
  private disposed = false;
  /** Folders holding an indexed file, while a refresh runs (the index does not change meanwhile). */
  private indexedDirs: Set<string> | undefined;

  constructor(private readonly ws: Workspace, disk: DiskView, readonly workspaceRoot: string) {
    const index = ws.plain.index;
    const files: KustomizeFiles = {
      read: (uri) => {
        const f = index.file(uri);
        return f && !String(f.parsed.version).startsWith('skipped:') ? f.parsed.text : disk.read(uri);
      },
      exists: (uri) => !!index.file(uri) || this.isIndexedDirectory(uri) || disk.exists(uri),
      isDirectory: (uri) => this.isIndexedDirectory(uri) || disk.isDirectory(uri),
    };
    this.engine = new KustomizeEngine(files, workspaceRoot);
  }

  /** How many roots the workspace has. */
  get roots(): number {
    return this.rootCount;
  }

  /** Files changed (edited, created, deleted): re-render when they can matter. */
  changed(uris: Iterable<string>): void {
    if (this.disposed) return;
    for (const u of uris) {
      if (this.inputs.has(u) || isKustomizationUri(u)) {
        this.refresh();
        return;
      }
    }
  }

  /** Rediscovers the roots and renders each (unchanged roots come from the engine's cache). */
  refresh(): void {
    this.indexedDirs = undefined;
    try {
      this.refreshRoots();
    } finally {
      this.indexedDirs = undefined;
    }
  }

  private refreshRoots(): void {
    const kustomizations = [...this.ws.plain.index.uris()].filter(isKustomizationUri);
    const discovery = this.engine.discover(kustomizations);
    const inputs = new Set<string>(kustomizations);
    const names = new Set<string>();
    for (const root of discovery.roots) {
      const render = this.engine.render(root.kustomization);
      names.add(root.name);
      for (const u of render.inputs) inputs.add(u);
      if (this.renders.get(root.name) === render && this.ws.variant(root.name)) continue;
      this.renders.set(root.name, render);
      const renamed = renamedObjects(render);
      this.ws.setVariant({ ...render, problems: [...render.problems, ...selectorsAdded(render)] }, root.members, {
        findings: (v, docUri) => unrenamedReferences(v, renamed, docUri, (u) => this.ws.plain.index.file(u)?.parsed.lines),
        supersedes: EXPLAINED_BY_RENAME,
      });
    }
    for (const name of [...this.renders.keys()]) {
      if (names.has(name)) continue;
      this.renders.delete(name);
      this.ws.removeVariant(name);
    }
    this.rootCount = discovery.roots.length;
    this.inputs = inputs;
    this.engine.forget((u) => inputs.has(u));
  }

  /** Stops: its variants leave the workspace, and later changes are ignored. */
  dispose(): void {
    this.disposed = true;
    for (const name of this.renders.keys()) this.ws.removeVariant(name);
    this.renders.clear();
  }

  /** Does an indexed file lie under `uri`? (Each file's folders are collected once per refresh, not searched per call.) */
  private isIndexedDirectory(uri: string): boolean {
    let dirs = this.indexedDirs;
    if (!dirs) {
      dirs = new Set();
      for (const u of this.ws.plain.index.uris()) {
        for (let i = u.lastIndexOf('/'); i > 0 && !dirs.has(u.slice(0, i)); i = u.lastIndexOf('/', i - 1)) dirs.add(u.slice(0, i));
      }
      this.indexedDirs = dirs;
    }
    return dirs.has(uri.endsWith('/') ? uri.slice(0, -1) : uri);
  }
}

/**
 * A label transformer gave a Service that had no selector one: the endpoints controller now owns
 * its endpoints (hand-written Endpoints are replaced) and it selects every pod with those labels.
 */
function selectorsAdded(render: KustomizeRender): RenderProblem[] {
  const out: RenderProblem[] = [];
  for (const o of render.objects) {
    const by = o.selectorAddedBy?.[0];
    if (!by) continue;
    out.push({
      code: 'kustomize-selector-added', uri: by.uri, span: by.span,
      message: `In ${render.name}, this label is added as the selector of Service \`${o.namespace ? `${o.namespace}/` : ''}${o.name}\`, which has no selector of its own: the endpoints controller then manages its endpoints (Endpoints written by hand are replaced) and it receives every pod carrying the label. Use \`labels\` with \`includeSelectors: false\`, or give the Service a selector.`,
      related: [{ uri: o.source.uri, span: o.source.span, message: 'the Service, without a selector' }],
    });
  }
  return out;
}
