import { changeNamespaced, keySymbol, readNamespaced, type ReadTracker } from './tracking';

/** A map from keys to sets of values, for indexes that are updated one file at a time. */
export class MultiMap<K, V> {
  private readonly map = new Map<K, Set<V>>();

  add(key: K, value: V): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(value);
  }

  delete(key: K, value: V): void {
    const set = this.map.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.map.delete(key);
  }

  get(key: K): ReadonlySet<V> {
    return this.map.get(key) ?? EMPTY;
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }
}

const EMPTY: ReadonlySet<never> = new Set();

/**
 * A MultiMap keyed by namespace and key, answering with the namespace rule of rules.md: a lookup
 * from namespace N gets N's entries and those whose namespace is unset; a lookup with the namespace
 * unset gets every namespace's. Without it, names repeated in every namespace (`api`, `web`) would
 * make each lookup scan the whole cluster.
 */
export class NamespacedMultiMap<V> {
  private readonly all = new MultiMap<string, V>();
  private readonly scoped = new MultiMap<string, V>();

  add(namespace: string | undefined, key: string, value: V): void {
    this.all.add(key, value);
    this.scoped.add(`${namespace ?? ''}\u0000${key}`, value);
  }

  delete(namespace: string | undefined, key: string, value: V): void {
    this.all.delete(key, value);
    this.scoped.delete(`${namespace ?? ''}\u0000${key}`, value);
  }

  /** Entries visible from `namespace` (undefined = unset: all of them). */
  get(namespace: string | undefined, key: string): Iterable<V> & { readonly size: number } {
    if (namespace === undefined) return this.all.get(key);
    const own = this.scoped.get(`${namespace}\u0000${key}`);
    const unset = namespace === '' ? new Set<V>() : this.scoped.get(`\u0000${key}`);
    if (unset.size === 0) return own;
    if (own.size === 0) return unset;
    return new Set([...own, ...unset]);
  }
}

/**
 * The index's lookup tables: each read records the entry it looked at, each write reports the
 * entry it changed (see tracking.ts). The index holds nothing else, so every cross-file read a
 * rule makes is recorded by construction.
 */
export class TrackedNamespacedMultiMap<V> {
  private readonly map = new NamespacedMultiMap<V>();

  constructor(private readonly table: string, private readonly tracker: ReadTracker) {}

  add(namespace: string | undefined, key: string, value: V): void {
    this.map.add(namespace, key, value);
    changeNamespaced(this.tracker, this.table, namespace, key);
  }

  delete(namespace: string | undefined, key: string, value: V): void {
    this.map.delete(namespace, key, value);
    changeNamespaced(this.tracker, this.table, namespace, key);
  }

  /** add or delete, so that one function writes a resource's keys both ways. */
  put(add: boolean, namespace: string | undefined, key: string, value: V): void {
    if (add) this.add(namespace, key, value);
    else this.delete(namespace, key, value);
  }

  get(namespace: string | undefined, key: string): Iterable<V> & { readonly size: number } {
    readNamespaced(this.tracker, this.table, namespace, key);
    return this.map.get(namespace, key);
  }
}

export class TrackedMultiMap<K extends string | number, V> {
  private readonly map = new MultiMap<K, V>();

  constructor(private readonly table: string, private readonly tracker: ReadTracker) {}

  add(key: K, value: V): void {
    this.map.add(key, value);
    this.tracker.changed(keySymbol(this.table, String(key)));
  }

  delete(key: K, value: V): void {
    this.map.delete(key, value);
    this.tracker.changed(keySymbol(this.table, String(key)));
  }

  put(add: boolean, key: K, value: V): void {
    if (add) this.add(key, value);
    else this.delete(key, value);
  }

  get(key: K): ReadonlySet<V> {
    if (this.tracker.active) this.tracker.read(keySymbol(this.table, String(key)));
    return this.map.get(key);
  }
}

/** A whole-table read (every Service, every ReferenceGrant): any change to the table counts. */
export class TrackedSet<V> {
  private readonly set = new Set<V>();

  constructor(private readonly table: string, private readonly tracker: ReadTracker) {}

  add(value: V): void {
    this.set.add(value);
    this.tracker.changed(this.table);
  }

  delete(value: V): void {
    this.set.delete(value);
    this.tracker.changed(this.table);
  }

  put(add: boolean, value: V): void {
    if (add) this.add(value);
    else this.delete(value);
  }

  get(): ReadonlySet<V> {
    this.tracker.read(this.table);
    return this.set;
  }
}
