import { allocArray, type DataArray, type DType } from '@proj/core';

/** Element kinds of the arrays the pool keeps, by constructor (bool and uint8 share Uint8Array). */
const KINDS = [Float32Array, Float64Array, Int32Array, Uint8Array, BigInt64Array] as const;
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

/** What {@link BufferPool.stats} reports (and the backend's `memory()` shows). */
export interface BufferPoolStats {
  /** Bytes of the free arrays the pool holds. */
  poolBytes: number;
  /** Free arrays the pool holds. */
  poolBuffers: number;
  /** Allocations served from the pool, and those that had to allocate. */
  poolHits: number;
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
 * Keyed by element kind and length; bounded by {@link maxBytes}, evicting the least recently
 * used length first. Views (subarrays) are never pooled, and giving the same array twice
 * throws: two live tensors sharing a buffer would be a silent wrong result.
 */
export class BufferPool {
  /** Key (length * 8 + kind) → free arrays of that length; Map order = least recently used first. */
  private readonly free = new Map<number, DataArray[]>();
  /** Arrays currently free in the pool, to refuse one given twice. */
  private readonly pooled = new WeakSet<DataArray>();
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
    this.pooled.delete(a);
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
    if (this.pooled.has(a)) {
      throw new Error(
        'cpu backend: a buffer was released twice (internal error: two tensors would share it)',
      );
    }
    const kind = KINDS.findIndex((k) => a instanceof k);
    if (kind < 0) return;
    const key = a.length * 8 + kind;
    let list = this.free.get(key);
    if (list === undefined) {
      list = [];
    } else {
      this.free.delete(key); // re-inserted below: most recently used last
    }
    this.free.set(key, list);
    list.push(a);
    this.pooled.add(a);
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
    this.pooled.delete(a);
    this.bytes -= a.byteLength;
    this.count--;
    this.evictions++;
  }
}

/** The pool every kernel of this backend allocates its results from. */
export const pool = new BufferPool(Number(globalThis.process?.env?.PROJ_POOL_BYTES ?? DEFAULT_POOL_BYTES));
