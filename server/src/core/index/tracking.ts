/**
 * Dependency recording, in the spirit of a query system: every lookup table of the index names the
 * entries a reader looked at (a *symbol* such as `svc|shop|web`), and every change to a table names
 * the entries it touched. A computation run inside `track` gets back exactly the symbols it read;
 * whoever caches its result re-runs it when one of those symbols is reported changed. Nothing is
 * declared by hand: the tables that answer the reads are the ones that report the writes.
 *
 * Namespaced tables follow the scope rule of rules.md. An entry of namespace N is seen by readers
 * in N and by readers with the namespace unset; an entry with the namespace unset is seen by every
 * reader. So a reader in N records `T|N|k` and `T||k`, a reader with the namespace unset `T|*|k`;
 * a change in N reports `T|N|k` and `T|*|k`, a change with the namespace unset `T||k` and `T|*|k`.
 */

export type ReadSymbol = string;

/** A cached result and the symbols its computation read. */
export interface Tracked<T> {
  readonly value: T;
  readonly reads: ReadonlySet<ReadSymbol>;
}

export class ReadTracker {
  private readonly frames: Set<ReadSymbol>[] = [];
  private changes = new Set<ReadSymbol>();
  private quietDepth = 0;

  /** Runs `fn` and returns what it read. Reads also count for the enclosing computation, if any. */
  track<T>(fn: () => T): Tracked<T> {
    const frame = new Set<ReadSymbol>();
    this.frames.push(frame);
    let value: T;
    try {
      value = fn();
    } finally {
      this.frames.pop();
    }
    this.readAll(frame);
    return { value, reads: frame };
  }

  /** Is a computation being tracked? (Untracked reads, e.g. from hover, cost nothing.) */
  get active(): boolean {
    return this.frames.length > 0;
  }

  read(symbol: ReadSymbol): void {
    const top = this.frames[this.frames.length - 1];
    if (top) top.add(symbol);
  }

  readAll(symbols: Iterable<ReadSymbol>): void {
    const top = this.frames[this.frames.length - 1];
    if (top) for (const s of symbols) top.add(s);
  }

  /**
   * A cached computation inside tracked ones: on a hit its recorded reads are replayed into the
   * enclosing computation, so caching never hides a dependency.
   */
  memo<K, T>(cache: Map<K, Tracked<T>>, key: K, compute: () => T): T {
    const hit = cache.get(key);
    if (hit) {
      this.readAll(hit.reads);
      return hit.value;
    }
    const result = this.track(compute);
    cache.set(key, result);
    return result.value;
  }

  changed(symbol: ReadSymbol): void {
    if (this.quietDepth === 0) this.changes.add(symbol);
  }

  /**
   * Runs table writes that change nothing a reader can see (an object replaced by one with the
   * same content, placed elsewhere in its file): they report no change.
   */
  quietly(fn: () => void): void {
    this.quietDepth++;
    try {
      fn();
    } finally {
      this.quietDepth--;
    }
  }

  /** The symbols changed since the last call. */
  takeChanges(): Set<ReadSymbol> {
    const out = this.changes;
    this.changes = new Set();
    return out;
  }
}

const SEP = '|';

/** The symbol of one entry of a keyed table. */
export function keySymbol(table: string, key: string): ReadSymbol {
  return table + SEP + key;
}

/** The symbols a reader in `namespace` (undefined: unset) records for `key` of a namespaced table. */
export function readNamespaced(t: ReadTracker, table: string, namespace: string | undefined, key: string): void {
  if (!t.active) return;
  if (namespace === undefined) t.read(table + SEP + '*' + SEP + key);
  else {
    t.read(table + SEP + namespace + SEP + key);
    t.read(table + SEP + SEP + key);
  }
}

/** The symbols a change of an entry in `namespace` (undefined: unset) reports. */
export function changeNamespaced(t: ReadTracker, table: string, namespace: string | undefined, key: string): void {
  t.changed(table + SEP + (namespace ?? '') + SEP + key);
  t.changed(table + SEP + '*' + SEP + key);
}
