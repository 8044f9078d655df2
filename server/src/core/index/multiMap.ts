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
