import { discover, type KustomizeDiscovery } from './discovery';
import { dirOf, type KustomizeFiles } from './files';
import { YamlCache } from './parse';
import { renderRoot, type KustomizeRender } from './render';

/**
 * The native kustomize of the core. One instance per workspace folder: it keeps parsed files (by URI
 * and text) and the last render of each root, reused while every file the render read is unchanged.
 * It never touches the disk: `files` is the adapter's view of the workspace.
 */
export class KustomizeEngine {
  private readonly cache = new YamlCache();
  private readonly renders = new Map<string, { render: KustomizeRender; seen: Map<string, string | undefined>; dirs: Map<string, boolean> }>();

  constructor(
    private readonly files: KustomizeFiles,
    /** The workspace folder, a `file:///…` URI without trailing slash: variant names are relative to it. */
    readonly workspaceRoot: string,
  ) {}

  /** The apply units among these kustomization files (all of the workspace's, e.g. from its index). */
  discover(kustomizationUris: Iterable<string>): KustomizeDiscovery {
    return discover(this.files, this.cache, this.workspaceRoot.replace(/\/$/, ''), kustomizationUris);
  }

  /** Renders the root whose kustomization file is `kustomizationUri`. */
  render(kustomizationUri: string): KustomizeRender {
    const hit = this.renders.get(kustomizationUri);
    if (hit && this.unchanged(hit.seen, hit.dirs)) return hit.render;
    const render = renderRoot({ files: this.files, cache: this.cache, workspaceRoot: this.workspaceRoot.replace(/\/$/, '') }, dirOf(kustomizationUri), kustomizationUri);
    const seen = new Map<string, string | undefined>();
    const dirs = new Map<string, boolean>();
    for (const u of render.inputs) {
      dirs.set(u, this.files.isDirectory(u));
      seen.set(u, this.files.read(u));
    }
    this.renders.set(kustomizationUri, { render, seen, dirs });
    return render;
  }

  /** Drops cached parses and renders of files and roots that are gone. */
  forget(keep: (uri: string) => boolean): void {
    this.cache.retain(keep);
    for (const k of [...this.renders.keys()]) if (!keep(k)) this.renders.delete(k);
  }

  private unchanged(seen: Map<string, string | undefined>, dirs: Map<string, boolean>): boolean {
    for (const [u, text] of seen) if (this.files.read(u) !== text) return false;
    for (const [u, isDir] of dirs) if (this.files.isDirectory(u) !== isDir) return false;
    return true;
  }
}
