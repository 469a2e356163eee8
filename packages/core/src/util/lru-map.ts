// A least-recently-used map with an entry budget: every per-shape cache of the backends (gpujs
// compiled kernels, onnx sessions) keeps its entries in one, so a workload whose shapes keep
// changing (a new batch size every step) stays bounded, and each cache reports its evictions.

/**
 * Map from key to value that holds at most `limit` entries: inserting past the limit evicts the
 * least recently used entry and hands it to `onEvict` (which releases it). Used by the
 * backends' per-shape caches (compiled kernels, sessions); no PyTorch counterpart.
 *
 * @example
 * ```ts
 * const kernels = new LruMap<{ dispose(): void }>(64, (k) => k.dispose());
 * ```
 */
export class LruMap<V> {
  // A Map iterates in insertion order: re-inserting on every hit keeps the oldest use first.
  private readonly entries = new Map<string, V>();
  private evicted = 0;

  /** `limit`: the most entries held; `onEvict(value, key)` releases an evicted entry. */
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

  /** Whether `key` is held (its recency unchanged). */
  has(key: string): boolean {
    return this.entries.has(key);
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

  /** The entry budget (the constructor's `limit`, or the last {@link setLimit}). */
  get maxSize(): number {
    return this.limit;
  }

  /** The number of entries held. */
  get size(): number {
    return this.entries.size;
  }

  /** Entries evicted so far (not counting `clear`). */
  get evictions(): number {
    return this.evicted;
  }

  /** The values held, least recently used first (reading them does not change their recency). */
  values(): IterableIterator<V> {
    return this.entries.values();
  }

  /** Evicts the entry under `key` now (through `onEvict`), if there is one. */
  evict(key: string): void {
    const v = this.entries.get(key);
    if (v === undefined) return;
    this.entries.delete(key);
    this.evicted++;
    this.onEvict(v, key);
  }

  /** Evicts every entry, oldest first (through `onEvict`). */
  evictAll(): void {
    for (const key of [...this.entries.keys()]) this.evict(key);
  }

  /** Removes every entry without calling `onEvict` (the caller releases them). */
  clear(): void {
    this.entries.clear();
  }

  private trim(): void {
    while (this.entries.size > this.limit) this.evict(this.entries.keys().next().value as string);
  }
}
