import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { MANIFEST_EXTENSIONS, findManifestsSync } from '../node/fileSystemHost';

/** The workspace folders' manifests on disk, filtered by the exclude globs (relative to each folder). */
export class WorkspaceFiles {
  private folders: string[] = [];
  private matchers: { folder: string; isExcluded: (rel: string) => boolean }[] = [];

  /** The workspace folders, as file system paths. */
  roots(): readonly string[] {
    return this.folders;
  }

  setFolders(uris: readonly string[]): void {
    this.folders = uris.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  }

  setExclude(globs: readonly string[]): void {
    this.matchers = this.folders.map((folder) => {
      const m = globs.length ? picomatch(globs.map((g) => g.replace(/^\.\//, '')), { dot: true }) : () => false;
      return { folder, isExcluded: (rel: string) => m(rel) || m(`${rel}/`) };
    });
  }

  /** True when a file URI is a manifest inside a workspace folder and not excluded. */
  includes(uri: string): boolean {
    if (!uri.startsWith('file:') || !MANIFEST_EXTENSIONS.test(uri)) return false;
    const p = fileURLToPath(uri);
    const owner = this.matchers.find((m) => p === m.folder || p.startsWith(m.folder + path.sep));
    if (!owner) return true; // a file opened from outside the workspace folders
    return !this.excluded(owner, p);
  }

  private excluded(m: { folder: string; isExcluded: (rel: string) => boolean }, p: string): boolean {
    const rel = path.relative(m.folder, p).split(path.sep).join('/');
    // A glob may name the file or any folder above it.
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) if (m.isExcluded(parts.slice(0, i).join('/'))) return true;
    return false;
  }

  async list(): Promise<string[]> {
    const out: string[] = [];
    for (const m of this.matchers) {
      const walk = findManifestsSync([m.folder], (abs) => this.excluded(m, abs));
      for (const f of walk.files) out.push(pathToFileURL(f).href);
    }
    return out;
  }
}
