import { baseName, dirOf, displayPath, isRemote, KUSTOMIZATION_FILE_NAMES, kustomizationIn, relativePath, resolvePath, type KustomizeFiles } from './files';
import { readKustomization, type Kustomization } from './kustomization';
import type { YamlCache } from './parse';
import { KustomizeFailure } from './problems';
import { field, scalarText } from './tree';

/** A kustomization of the workspace and what it refers to. */
export interface KustomizationInfo {
  readonly uri: string;
  readonly dir: string;
  /** Kustomization files it includes (resources/bases directories, components). */
  readonly includes: readonly string[];
  /** Workspace files it reads itself (its own file, resource files, patches, configurations, generator inputs). */
  readonly reads: ReadonlySet<string>;
}

/** An apply unit: a kustomization no other kustomization of the workspace includes. */
export interface KustomizeRoot {
  /** Its directory relative to the workspace root (`deploy/overlays/prod`; `.` for the root itself). */
  readonly name: string;
  readonly dir: string;
  readonly kustomization: string;
  /** Every existing workspace file the root reads, directly or through its bases and components. */
  readonly members: ReadonlySet<string>;
}

export interface KustomizeDiscovery {
  readonly kustomizations: ReadonlyMap<string, KustomizationInfo>;
  /** Sorted by name. */
  readonly roots: readonly KustomizeRoot[];
  /** The names of the roots a file belongs to (empty: the file is in the plain view). */
  rootsOf(uri: string): readonly string[];
}

function referenced(files: KustomizeFiles, k: Kustomization): { includes: string[]; reads: Set<string> } {
  const includes: string[] = [];
  const reads = new Set<string>([k.uri]);
  const addFile = (rel: string | undefined) => {
    if (!rel || rel.includes('\n') || isRemote(rel)) return;
    const uri = resolvePath(k.dir, rel);
    if (uri && files.exists(uri) && !files.isDirectory(uri)) reads.add(uri);
  };
  const addDir = (rel: string) => {
    if (isRemote(rel)) return;
    const uri = resolvePath(k.dir, rel);
    if (!uri) return;
    if (files.isDirectory(uri)) {
      const found = kustomizationIn(files, uri);
      if (found.uri) includes.push(found.uri);
    } else if (files.exists(uri)) reads.add(uri);
  };
  for (const s of k.resources) addDir(s.value);
  for (const s of k.components) addDir(s.value);
  for (const p of [...k.patches, ...k.patchesJson6902]) addFile(p.path?.value);
  for (const s of k.patchesStrategicMerge) addFile(s.value);
  for (const s of [...k.configurations, ...k.crds]) addFile(s.value);
  for (const r of k.replacements) addFile(scalarText(field(r, 'path')));
  for (const g of k.generators) for (const s of [...g.files, ...g.envs]) addFile(g.files.includes(s) && s.value.includes('=') ? s.value.slice(s.value.indexOf('=') + 1) : s.value);
  for (const key of ['generators', 'transformers', 'validators']) {
    const node = k.root.entries.find((e) => e.key === key)?.value;
    if (node?.kind === 'seq') for (const it of node.items) if (it.kind === 'scalar' && typeof it.value === 'string') addFile(it.value);
  }
  return { includes, reads };
}

/**
 * Finds the apply units among the workspace's kustomization files. A kustomization that others
 * include is reached through them; one that nothing reaches (a cycle) is a root of its own, so that
 * its render reports the cycle.
 */
export function discover(files: KustomizeFiles, cache: YamlCache, workspaceRoot: string, kustomizationUris: Iterable<string>): KustomizeDiscovery {
  const infos = new Map<string, KustomizationInfo>();
  // One kustomization per directory (kustomize refuses a directory with several; the render says so).
  const byDir = new Map<string, string>();
  const rank = (u: string) => KUSTOMIZATION_FILE_NAMES.indexOf(baseName(u) as (typeof KUSTOMIZATION_FILE_NAMES)[number]);
  for (const uri of [...new Set(kustomizationUris)].sort()) {
    const other = byDir.get(dirOf(uri));
    if (other === undefined || rank(uri) < rank(other)) byDir.set(dirOf(uri), uri);
  }
  for (const uri of [...byDir.values()].sort()) {
    const text = files.read(uri);
    let includes: string[] = [];
    let reads = new Set<string>([uri]);
    if (text !== undefined) {
      try {
        ({ includes, reads } = referenced(files, readKustomization(uri, text, cache)));
      } catch (e) {
        if (!(e instanceof KustomizeFailure)) throw e;
      }
    }
    infos.set(uri, { uri, dir: dirOf(uri), includes, reads });
  }
  const included = new Set<string>();
  for (const i of infos.values()) for (const u of i.includes) if (u !== i.uri) included.add(u);
  const reachFrom = (start: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [start];
    while (stack.length > 0) {
      const u = stack.pop()!;
      if (seen.has(u)) continue;
      seen.add(u);
      for (const v of infos.get(u)?.includes ?? []) stack.push(v);
    }
    return seen;
  };
  const rootUris = [...infos.keys()].filter((u) => !included.has(u));
  const reached = new Set<string>();
  for (const r of rootUris) for (const u of reachFrom(r)) reached.add(u);
  for (const u of [...infos.keys()]) {
    if (reached.has(u)) continue;
    rootUris.push(u);
    for (const v of reachFrom(u)) reached.add(v);
  }
  const roots: KustomizeRoot[] = rootUris.map((uri) => {
    const members = new Set<string>();
    for (const k of reachFrom(uri)) for (const f of infos.get(k)?.reads ?? [k]) members.add(f);
    const dir = dirOf(uri);
    return { name: relativePath(workspaceRoot, dir) ?? displayPath(dir), dir, kustomization: uri, members };
  }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byFile = new Map<string, string[]>();
  for (const r of roots) {
    for (const f of r.members) {
      let list = byFile.get(f);
      if (!list) byFile.set(f, (list = []));
      list.push(r.name);
    }
  }
  return { kustomizations: infos, roots, rootsOf: (uri) => byFile.get(uri) ?? [] };
}
