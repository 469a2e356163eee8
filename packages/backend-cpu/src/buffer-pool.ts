import { allocArray, type DataArray, type DType } from '@proj/core';

/** The pool's element kind of `a` (bool and uint8 share Uint8Array); -1 for another array type. */
function kindOf(a: DataArray): number {
  if (a instanceof Float32Array) return 0;
  if (a instanceof Float64Array) return 1;
  if (a instanceof Int32Array) return 2;
  if (a instanceof Uint8Array) return 3;
  if (a instanceof BigInt64Array) return 4;
  return -1;
}
const KIND_OF: Record<DType, number> = {
  float32: 0,
  float64: 1,
  int32: 2,
  uint8: 3,
  bool: 3,
  int64: 4,
  // float16/bfloat16 are stored widened by core (half-storage) and never reach this backend's
  // allocator as such; mapped for totality.
  float16: 0,
  bfloat16: 0,
};

/**
 * Arrays of fewer bytes than this are not pooled: V8 allocates them cheaply (small ones on its
 * own heap), and a pool entry would cost more than it saves.
 */
const MIN_POOLED_BYTES = 1024;

/** Default bound of the bytes the pool keeps free (see {@link BufferPool.maxBytes}). */
export const DEFAULT_POOL_BYTES = 256 * 1024 * 1024;

/** What the CPU backend's pool of result buffers reports in `memory()`. */
export interface BufferPoolStats {
  /** Bytes of the free arrays the pool holds. */
  poolBytes: number;
  /** Free arrays the pool holds. */
  poolBuffers: number;
  /** Allocations served from the pool. */
  poolHits: number;
  /** Allocations the pool could not serve (a new array was made). */
  poolMisses: number;
  /** Free arrays dropped to keep the pool under its bound. */
  poolEvictions: number;
}

/**
 * Free result buffers of the CPU backend, kept for reuse.
 *
 * Why: a fresh TypedArray of a few hundred KiB costs far more than the kernel that fills it
 * (on the machines we measured, allocating 800 KiB took ~0.7 ms, 30x a copy of it), because
 * the engine takes fresh pages from the OS and zeroes them. Training repeats the same shapes
 * every step, so the buffers core releases (`disposeData`, called exactly once per handle,
 * when its last tensor is gone) serve the next step's results.
 *
 * Keyed by element kind and length; bounded by {@link maxBytes}, evicting the lengths idle
 * longest first. Views (subarrays) are never pooled, and giving an array that is already free
 * throws (checked while its length has at most 16 free arrays): two live tensors sharing a
 * buffer would be a silent wrong result.
 */
export class BufferPool {
  /** Key (length * 8 + kind) → free arrays of that length; Map order: idle longest first. */
  private readonly free = new Map<number, DataArray[]>();
  private bytes = 0;
  private count = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  /** @param maxBytes bound of the free bytes kept; 0 disables pooling. */
  constructor(public maxBytes: number = DEFAULT_POOL_BYTES) {}

  /**
   * An array of `n` elements of `dtype`: a pooled one when there is one, else a new one.
   * With `zero` (the default) it holds zeros, as a new TypedArray does; kernels that write
   * every element pass false.
   */
  take(dtype: DType, n: number, zero = true): DataArray {
    const kind = KIND_OF[dtype];
    const list = this.free.get(n * 8 + kind);
    const a = list?.pop();
    if (a === undefined) {
      this.misses++;
      return allocArray(dtype, n);
    }
    this.hits++;
    this.bytes -= a.byteLength;
    this.count--;
    if (list?.length === 0) this.free.delete(n * 8 + kind);
    if (zero) {
      if (a instanceof BigInt64Array) a.fill(0n);
      else a.fill(0);
    }
    return a;
  }

  /** A float array like `like` (float32 or float64) of `n` elements. */
  takeFloat(like: Float32Array | Float64Array, n: number, zero = true): Float32Array | Float64Array {
    return this.take(like instanceof Float64Array ? 'float64' : 'float32', n, zero) as
      | Float32Array
      | Float64Array;
  }

  /** Returns `a` to the pool: the caller must not use it again. */
  give(a: DataArray): void {
    const bytes = a.byteLength;
    if (bytes < MIN_POOLED_BYTES || bytes > this.maxBytes) return;
    // a view shares its buffer with another array: never reuse it
    if (a.byteOffset !== 0 || a.buffer.byteLength !== bytes || !(a.buffer instanceof ArrayBuffer)) return;
    const kind = kindOf(a);
    if (kind < 0) return;
    const key = a.length * 8 + kind;
    // A length's list is dropped when a take empties it and made anew by the next give, so the
    // lengths in steady use sit at the end of the Map and eviction takes the first ones.
    let list = this.free.get(key);
    if (list === undefined) {
      list = [];
      this.free.set(key, list);
    } else if (list.length <= 16 && list.includes(a)) {
      // A check bounded to short lists (a set of every pooled array cost ~0.5 µs per op): a
      // buffer given twice would be handed to two tensors, a silent wrong result.
      throw new Error(
        'cpu backend: a buffer was released twice (internal error: two tensors would share it)',
      );
    }
    list.push(a);
    this.bytes += bytes;
    this.count++;
    while (this.bytes > this.maxBytes) this.evictOldest();
  }

  /** Drops every free array (the garbage collector reclaims them). */
  clear(): void {
    this.free.clear();
    this.bytes = 0;
    this.count = 0;
  }

  stats(): BufferPoolStats {
    return {
      poolBytes: this.bytes,
      poolBuffers: this.count,
      poolHits: this.hits,
      poolMisses: this.misses,
      poolEvictions: this.evictions,
    };
  }

  private evictOldest(): void {
    const first = this.free.entries().next();
    if (first.done) return;
    const [key, list] = first.value;
    const a = list.shift() as DataArray;
    if (list.length === 0) this.free.delete(key);
    this.bytes -= a.byteLength;
    this.count--;
    this.evictions++;
  }
}

/** The pool every kernel of this backend allocates its results from. */
export const pool = new BufferPool(Number(globalThis.process?.env?.PROJ_POOL_BYTES ?? DEFAULT_POOL_BYTES));
