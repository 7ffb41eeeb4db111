// The checks the search of unreached values makes ahead of the walk (walk/plain-runs.ts) are
// used soon after: the walk follows the search closely. V8 grows a WeakMap by rehashing it
// whole in one step, about 0.2 µs per entry: a table of every value checked in a large value
// stalls the event loop (150 ms at 700,000 entries, then 300 ms). So entries are kept in two
// generations of at most RECENT_SIZE each: when the young one is full it becomes the old one
// and the one before is dropped. A check forgotten is made again by the walk, which then
// writes the same text.
//
// Not for what must be remembered whole: the search's own record of what it looked into cuts
// cycles, and forgetting there made a tree of 265,000 nodes with parent links searched 22
// times over (with circular: 'null').

/** Entries per generation: a rehash of this many takes a few milliseconds. */
const RECENT_SIZE = 32768;

/** A WeakMap that keeps its latest entries only (between RECENT_SIZE and twice as many). */
export class RecentMap<K extends object, V> {
  private young = new WeakMap<K, V>();
  private old = new WeakMap<K, V>();
  private size = 0;

  get(key: K): V | undefined {
    const v = this.young.get(key);
    return v !== undefined ? v : this.old.get(key);
  }

  set(key: K, value: V): void {
    if (this.size === RECENT_SIZE) {
      this.old = this.young;
      this.young = new WeakMap();
      this.size = 0;
    }
    this.young.set(key, value);
    this.size++;
  }
}
