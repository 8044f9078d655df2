import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StoredEntry } from '../service/host';

/** Bump when the stored model's shape or the rules that produce it change. */
const FORMAT = 4;

/**
 * The persisted index: each file's model keyed by the SHA-1 of its content, in the extension's
 * storage folder. A warm start reads and hashes the files, and re-parses only those whose hash
 * changed. A damaged or foreign file is ignored (and rewritten), never trusted.
 */
export class IndexStore {
  private readonly file: string;

  constructor(dir: string, private readonly engineVersion: string) {
    this.file = path.join(dir, 'kube-traffic-index.json');
  }

  async load(): Promise<Map<string, StoredEntry>> {
    try {
      const raw = JSON.parse(await fs.readFile(this.file, 'utf8')) as { format?: number; engine?: string; files?: Record<string, StoredEntry> };
      if (raw.format !== FORMAT || raw.engine !== this.engineVersion || !raw.files || typeof raw.files !== 'object') return new Map();
      return new Map(Object.entries(raw.files).filter(([, e]) => e && typeof e.hash === 'string' && e.stored && Array.isArray(e.stored.slices)));
    } catch {
      return new Map();
    }
  }

  async save(entries: ReadonlyMap<string, StoredEntry>): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify({ format: FORMAT, engine: this.engineVersion, files: Object.fromEntries(entries) }));
    await fs.rename(tmp, this.file);
  }
}
