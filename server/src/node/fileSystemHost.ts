import { promises as fs, readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileContent, WorkspaceHost } from '../core/host';

export const MANIFEST_EXTENSIONS = /\.(ya?ml)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface WalkResult {
  readonly files: string[];
  readonly problems: { path: string; reason: string }[];
}

/** Recursively finds *.yaml / *.yml under the given paths, skipping node_modules and .git, surviving symlink loops. */
export async function findManifests(roots: readonly string[], exclude?: (absPath: string) => boolean): Promise<WalkResult> {
  const files: string[] = [];
  const problems: { path: string; reason: string }[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const walk = async (p: string, explicit: boolean): Promise<void> => {
    let st;
    try {
      st = await fs.stat(p);
    } catch (e) {
      problems.push({ path: p, reason: errorText(e) });
      return;
    }
    if (st.isDirectory()) {
      let real: string;
      try {
        real = await fs.realpath(p);
      } catch (e) {
        problems.push({ path: p, reason: errorText(e) });
        return;
      }
      if (seenDirs.has(real)) return; // symlink loop or the same folder twice
      seenDirs.add(real);
      let names: string[];
      try {
        names = await fs.readdir(p);
      } catch (e) {
        problems.push({ path: p, reason: errorText(e) });
        return;
      }
      names.sort();
      for (const n of names) {
        if (SKIPPED_DIRS.has(n)) continue;
        const child = path.join(p, n);
        if (exclude?.(child)) continue;
        await walk(child, false);
      }
    } else if (st.isFile() && (explicit || MANIFEST_EXTENSIONS.test(p))) {
      const abs = path.resolve(p);
      if (!seenFiles.has(abs)) {
        seenFiles.add(abs);
        files.push(abs);
      }
    }
  };
  for (const r of roots) await walk(r, true);
  return { files, problems };
}

/**
 * The same walk, synchronous, with one readdir (with file types) per folder and no stat per file:
 * at a language server's start it is several times faster than the asynchronous walk, whose every
 * call is a round trip through libuv's thread pool.
 */
export function findManifestsSync(roots: readonly string[], exclude?: (absPath: string) => boolean): WalkResult {
  const files: string[] = [];
  const problems: { path: string; reason: string }[] = [];
  const seenDirs = new Set<string>();
  const walkDir = (dir: string): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      problems.push({ path: dir, reason: errorText(e) });
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      problems.push({ path: dir, reason: errorText(e) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (SKIPPED_DIRS.has(e.name)) continue;
      const child = path.join(dir, e.name);
      if (exclude?.(child)) continue;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = statSync(child);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue; // dangling link
        }
      }
      if (isDir) walkDir(child);
      else if (isFile && MANIFEST_EXTENSIONS.test(e.name)) files.push(path.resolve(child));
    }
  };
  for (const r of roots) {
    try {
      if (statSync(r).isDirectory()) walkDir(r);
      else files.push(path.resolve(r));
    } catch (e) {
      problems.push({ path: r, reason: errorText(e) });
    }
  }
  return { files, problems };
}

export interface DecodedFile {
  readonly text?: string;
  readonly problem?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Reads a file as UTF-8 text; binary or non-UTF-8 content and oversize files are refused with a reason. */
export async function readManifest(absPath: string, maxBytes: number): Promise<DecodedFile> {
  let buf: Buffer;
  try {
    const st = await fs.stat(absPath);
    if (st.size > maxBytes) return { problem: `file is ${(st.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit (kubeTraffic.maxFileSize)` };
    buf = await fs.readFile(absPath);
  } catch (e) {
    return { problem: errorText(e) };
  }
  return decodeManifest(buf);
}

export function decodeManifest(buf: Uint8Array): DecodedFile {
  if (buf.includes(0)) return { problem: 'binary file (contains NUL bytes)' };
  let text: string;
  try {
    text = decoder.decode(buf); // strips a UTF-8 BOM, as editors do
  } catch {
    return { problem: 'not valid UTF-8' };
  }
  return { text };
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return 'no such file or directory';
  if (err && err.code === 'EACCES') return 'permission denied';
  if (err && err.code === 'ELOOP') return 'too many levels of symbolic links';
  return err?.message ?? String(e);
}

/** A WorkspaceHost over a fixed list of files on disk, for the CLI and benchmarks. */
export class FileSystemHost implements WorkspaceHost {
  readonly problems = new Map<string, string>();

  constructor(private readonly absPaths: readonly string[], private readonly maxBytes: number) {}

  async listFiles(): Promise<readonly string[]> {
    return this.absPaths.map((p) => pathToFileURL(p).href);
  }

  async readFile(uri: string): Promise<FileContent | undefined> {
    const r = await readManifest(fileURLToPath(uri), this.maxBytes);
    if (r.problem !== undefined || r.text === undefined) {
      this.problems.set(uri, r.problem ?? 'unreadable');
      return undefined;
    }
    return { text: r.text, version: 0 };
  }
}
