// The one memo for module-level caches (formatters, zone tables, compiled
// templates, texts of days): bounded by a size fixed where it is made, so no
// cache grows with the input, and all of them cleared by resetCaches() (for
// tests, as luxon's Settings.resetCaches). Memos of one object's lifetime
// (a request's, a batch's) are plain Maps that die with it; caches keyed by
// an object (a compiled plan per Plan) are WeakMaps, which the GC bounds.
//
// Eviction is first in, first out: when full, the oldest entry goes. A hit
// moves nothing (LRU-ish: hot paths pay one Map.get), which is right for
// these caches, whose working sets are far below their bounds.

const all: Memo<unknown, unknown>[] = [];

export class Memo<K, V> {
  private readonly map = new Map<K, V>();

  /**
   * `max`: how many entries at most (at least 1). `owned`: the memo belongs to
   * one object (a zone's offset table) and dies with it, so resetCaches()
   * does not keep it (it empties the owner's module-level memo instead).
   */
  constructor(
    readonly max: number,
    owned = false,
  ) {
    if (!(max >= 1)) throw new RangeError(`a memo holds at least one entry, got ${max}`);
    if (!owned) all.push(this as Memo<unknown, unknown>);
  }

  get size(): number {
    return this.map.size;
  }

  /** The remembered value, or undefined (use has() when undefined is a value). */
  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Remembers `value` (evicting the oldest entry when full) and returns it. */
  set(key: K, value: V): V {
    if (this.map.size >= this.max && !this.map.has(key)) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, value);
    return value;
  }

  /** The value of `key`, made by `make` the first time (and again after eviction). */
  of(key: K, make: (key: K) => V): V {
    const v = this.map.get(key);
    if (v !== undefined || this.map.has(key)) return v as V;
    return this.set(key, make(key));
  }

  clear(): void {
    this.map.clear();
  }
}

/** Empties every memo of the process: results stay the same, only slower the first time again. */
export function resetCaches(): void {
  for (const m of all) m.clear();
}
