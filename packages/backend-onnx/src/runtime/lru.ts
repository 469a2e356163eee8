// A least-recently-used map with an entry budget. Every session cache of this package (the
// backend's primitive sessions, compileTrainStep's per-shape sessions, the web backend's) keeps
// its ORT sessions in one: without a bound, a workload whose shapes keep changing (a new batch
// size every step) builds sessions forever and holds ~100 KB of native memory for each.

/** Validates an entry budget given by a user: a positive integer (Infinity allowed). */
export function checkLimit(op: string, limit: unknown): number {
  if (
    typeof limit !== 'number' ||
    !(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))
  ) {
    throw new Error(`${op}: maxSessions must be a positive integer (or Infinity), got ${String(limit)}`);
  }
  return limit;
}

/**
 * Map from key to value that holds at most `limit` entries: inserting past the limit evicts the
 * least recently used entry and hands it to `onEvict` (which releases it).
 */
export class LruMap<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest use first.
  private readonly entries = new Map<string, V>();
  private evicted = 0;

  constructor(
    private limit: number,
    private readonly onEvict: (value: V, key: string) => void,
  ) {}

  /** The value under `key` (marked most recently used), or undefined. */
  get(key: string): V | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  /** Stores `value` under `key` as the most recently used entry, evicting past the limit. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.trim();
  }

  /** Changes the budget; entries over it are evicted at once, oldest first. */
  setLimit(limit: number): void {
    this.limit = limit;
    this.trim();
  }

  get maxSize(): number {
    return this.limit;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries evicted so far (not counting `clear`). */
  get evictions(): number {
    return this.evicted;
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }

  /** Removes every entry without calling `onEvict` (the caller releases them). */
  clear(): void {
    this.entries.clear();
  }

  private trim(): void {
    while (this.entries.size > this.limit) {
      const [k, v] = this.entries.entries().next().value as [string, V];
      this.entries.delete(k);
      this.evicted++;
      this.onEvict(v, k);
    }
  }
}
