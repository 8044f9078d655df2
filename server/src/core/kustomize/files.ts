/**
 * How the engine sees the workspace. The core does no I/O: the adapter implements this over its
 * workspace index (open editors first) and a cached stat. URIs are `file:///…` URIs, as produced by
 * WHATWG `URL` (the engine builds new ones with `new URL(relative, base)`).
 */
export interface KustomizeFiles {
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  read(uri: string): string | undefined;
  /** True for an existing file or directory. */
  exists(uri: string): boolean;
  isDirectory(uri: string): boolean;
}

/** The file names kustomize recognises, in its order. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationUri(uri: string): boolean {
  const base = baseName(uri);
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(base);
}

export function baseName(uri: string): string {
  const i = uri.lastIndexOf('/');
  return decode(i < 0 ? uri : uri.slice(i + 1));
}

/** decodeURIComponent that never throws (a stray `%` stays as written). */
export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A file URI as a path for messages. */
export function displayPath(uri: string): string {
  return decode(uri.replace(/^file:\/\//, ''));
}

/** The directory URI of a file URI (no trailing slash). */
export function dirOf(uri: string): string {
  const i = uri.lastIndexOf('/');
  return i < 0 ? uri : uri.slice(0, i);
}

/** Resolves a relative path (as written in a kustomization) against a directory URI. */
export function resolvePath(dirUri: string, rel: string): string | undefined {
  try {
    const u = new URL(rel.replace(/\\/g, '/'), dirUri.endsWith('/') ? dirUri : `${dirUri}/`);
    if (u.protocol !== 'file:') return undefined;
    let href = u.href;
    while (href.endsWith('/') && !href.endsWith(':///')) href = href.slice(0, -1);
    return href;
  } catch {
    return undefined;
  }
}

/** True when `uri` is `dirUri` itself or below it. */
export function isWithin(uri: string, dirUri: string): boolean {
  return uri === dirUri || uri.startsWith(`${dirUri}/`);
}

/** `dir` relative to `root`, `/`-separated; `.` for the root itself; undefined outside it. */
export function relativePath(root: string, uri: string): string | undefined {
  const r = root.endsWith('/') ? root.slice(0, -1) : root;
  if (uri === r) return '.';
  if (!uri.startsWith(`${r}/`)) return undefined;
  return decode(uri.slice(r.length + 1));
}

/** A path written in a kustomization that kustomize would fetch (git, http): not modelled. */
export function isRemote(rel: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(rel) || /^git@/.test(rel) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(rel) || /\.git(\/\/|\?|$)/.test(rel) || /\?ref=/.test(rel);
}

/** Finds the kustomization file of a directory, or reports that there are several. */
export function kustomizationIn(files: KustomizeFiles, dirUri: string): { uri?: string; several?: string[] } {
  const found: string[] = [];
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const u = `${dirUri}/${name}`;
    if (files.exists(u) && !files.isDirectory(u)) found.push(u);
  }
  if (found.length > 1) return { several: found };
  return found.length === 1 ? { uri: found[0]! } : {};
}
