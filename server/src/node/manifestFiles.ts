/**
 * The file system side of reading a workspace: finding manifests under some roots, and reading
 * one as UTF-8 text (or saying why not). Shared by the host (node/nodeHost.ts) and the parse
 * worker, so a file reads the same on every thread.
 */
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { DiskRead } from '../service/host';

export const MANIFEST_EXTENSIONS = /\.(ya?ml)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export interface WalkResult {
  readonly files: string[];
  readonly problems: { path: string; reason: string }[];
}

/**
 * Recursively finds *.yaml / *.yml under the given paths (a path that is a file is taken whatever
 * its name), skipping node_modules and .git and what `exclude` says (asked with the root being
 * walked), each folder and file once over all roots, surviving symlink loops.
 * What cannot be read (a dangling link, a folder without permission) is a problem, never fatal.
 * Synchronous, with one readdir (with file types) per folder and a stat only for links: at a
 * language server's start several times faster than an asynchronous walk, whose every call is a
 * round trip through libuv's thread pool.
 */
export function findManifestsSync(roots: readonly string[], exclude?: (absPath: string, root: string) => boolean): WalkResult {
  const files: string[] = [];
  const problems: { path: string; reason: string }[] = [];
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const addFile = (p: string): void => {
    const abs = path.resolve(p);
    if (seenFiles.has(abs)) return;
    seenFiles.add(abs);
    files.push(abs);
  };
  const walkDir = (dir: string, root: string): void => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch (e) {
      problems.push({ path: dir, reason: errorText(e) });
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or the same folder twice
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
      if (exclude?.(child, root)) continue;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = statSync(child);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch (err) {
          problems.push({ path: child, reason: errorText(err) }); // dangling, or a link to itself
          continue;
        }
      }
      if (isDir) walkDir(child, root);
      else if (isFile && MANIFEST_EXTENSIONS.test(e.name)) addFile(child);
    }
  };
  for (const r of roots) {
    try {
      const st = statSync(r);
      if (st.isDirectory()) walkDir(r, r);
      else if (st.isFile()) addFile(r);
    } catch (e) {
      problems.push({ path: r, reason: errorText(e) });
    }
  }
  return { files, problems };
}

/** Reads a manifest; over `maxBytes`, binary or not UTF-8, it is refused with the reason. */
export function readManifestSync(absPath: string, maxBytes: number): DiskRead {
  let bytes: Buffer;
  try {
    const size = statSync(absPath).size;
    if (size > maxBytes) return { type: 'too-large', bytes: size };
    bytes = readFileSync(absPath);
  } catch (e) {
    return failedRead(e);
  }
  return decodeRead(bytes);
}

/** The same read, asynchronous. */
export async function readManifest(absPath: string, maxBytes: number): Promise<DiskRead> {
  let bytes: Buffer;
  try {
    const size = (await fs.stat(absPath)).size;
    if (size > maxBytes) return { type: 'too-large', bytes: size };
    bytes = await fs.readFile(absPath);
  } catch (e) {
    return failedRead(e);
  }
  return decodeRead(bytes);
}

function decodeRead(bytes: Uint8Array): DiskRead {
  const decoded = decodeManifest(bytes);
  if (decoded.text === undefined) return { type: 'unreadable', reason: decoded.problem ?? 'unreadable' };
  return { type: 'text', text: decoded.text, hash: contentHash(bytes) };
}

function failedRead(e: unknown): DiskRead {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT' ? { type: 'missing' } : { type: 'unreadable', reason: errorText(e) };
}

export interface DecodedFile {
  readonly text?: string;
  readonly problem?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

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

/** SHA-1 of a file's bytes: the persisted index's key. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return 'no such file or directory';
  if (err && err.code === 'EACCES') return 'permission denied';
  if (err && err.code === 'ELOOP') return 'too many levels of symbolic links';
  return err?.message ?? String(e);
}
