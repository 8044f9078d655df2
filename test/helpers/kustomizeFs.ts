import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { KustomizeFiles } from '../../server/src/core/kustomize';

/** The engine's file interface over a folder on disk (tests only; the extension uses its index). */
export class DiskFiles implements KustomizeFiles {
  readonly reads: string[] = [];

  read(uri: string): string | undefined {
    this.reads.push(uri);
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  }

  exists(uri: string): boolean {
    try {
      statSync(fileURLToPath(uri));
      return true;
    } catch {
      return false;
    }
  }

  isDirectory(uri: string): boolean {
    try {
      return statSync(fileURLToPath(uri)).isDirectory();
    } catch {
      return false;
    }
  }
}

/** In-memory files keyed by path relative to `file:///ws` (unit tests). */
export class MemoryFiles implements KustomizeFiles {
  readonly root = 'file:///ws';
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string>) {
    for (const [p, t] of Object.entries(files)) this.set(p, t);
  }

  uri(path: string): string {
    return `${this.root}/${path}`;
  }

  set(path: string, text: string): void {
    this.files.set(this.uri(path), text);
  }

  delete(path: string): void {
    this.files.delete(this.uri(path));
  }

  read(uri: string): string | undefined {
    return this.files.get(uri);
  }

  exists(uri: string): boolean {
    return this.files.has(uri) || this.isDirectory(uri);
  }

  isDirectory(uri: string): boolean {
    const prefix = `${uri}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }
}

export function dirUri(path: string): string {
  return pathToFileURL(path).href.replace(/\/$/, '');
}
