// Released buffers kept for reuse, bounded in bytes with least-recently-released eviction.
//
// Reuse is safe inside one command batch: WebGPU orders the dispatches of a queue, so a buffer
// released by a disposed tensor and handed to a later dispatch is written only after every
// earlier dispatch that read it. Buffers are never handed to queue.writeBuffer (which runs before
// the pending batch): uploads use fresh mapped buffers.

/** Buffer sizes are rounded up so that tensors of nearby sizes share buffers. */
export function roundBytes(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 4096) return Math.ceil(b / 256) * 256;
  // within 1/8 of the request above 4 KiB
  const step = 2 ** Math.max(8, Math.floor(Math.log2(b)) - 3);
  return Math.ceil(b / step) * step;
}

export class BufferPool {
  /** size → free buffers of that size; a Map iterates oldest-first for eviction. */
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly order = new Set<GPUBuffer>();
  private pooledBytes = 0;
  private hits = 0;
  private misses = 0;
  private evicted = 0;

  /** `limitBytes`: the most bytes held free; `destroy` frees an evicted buffer. */
  constructor(
    private limitBytes: number,
    private readonly destroy: (b: GPUBuffer) => void,
  ) {}

  /** A free buffer of exactly `bytes`, or undefined. */
  take(bytes: number): GPUBuffer | undefined {
    const list = this.free.get(bytes);
    const b = list?.pop();
    if (b === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.order.delete(b);
    this.pooledBytes -= bytes;
    return b;
  }

  /** Keeps `b` for reuse, evicting the oldest free buffers past the byte limit. */
  give(b: GPUBuffer): void {
    if (b.size > this.limitBytes) {
      this.destroy(b);
      return;
    }
    let list = this.free.get(b.size);
    if (!list) this.free.set(b.size, (list = []));
    list.push(b);
    this.order.add(b);
    this.pooledBytes += b.size;
    this.trim();
  }

  /** Changes the byte budget, evicting at once. */
  setLimit(bytes: number): void {
    this.limitBytes = bytes;
    this.trim();
  }

  /** Frees every pooled buffer. */
  clear(): void {
    for (const b of this.order) this.destroy(b);
    this.order.clear();
    this.free.clear();
    this.pooledBytes = 0;
  }

  stats(): {
    pooledBuffers: number;
    pooledBytes: number;
    poolLimitBytes: number;
    poolHits: number;
    poolMisses: number;
    poolEvictions: number;
  } {
    return {
      pooledBuffers: this.order.size,
      pooledBytes: this.pooledBytes,
      poolLimitBytes: this.limitBytes,
      poolHits: this.hits,
      poolMisses: this.misses,
      poolEvictions: this.evicted,
    };
  }

  private trim(): void {
    for (const b of this.order) {
      if (this.pooledBytes <= this.limitBytes) break;
      this.order.delete(b);
      const list = this.free.get(b.size)!;
      list.splice(list.indexOf(b), 1);
      if (list.length === 0) this.free.delete(b.size);
      this.pooledBytes -= b.size;
      this.evicted++;
      this.destroy(b);
    }
  }
}
