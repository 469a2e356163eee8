/// <reference types="@webgpu/types" />
// The device and everything kept on it: the pipeline cache, the buffer pool, the open command
// batch, and the status slots through which kernels report errors (integer overflow, division by
// zero, core's deferred value checks) to the next read.
import { type DType, LruMap } from '@proj/core';
import type { AdapterReport } from './adapter-report.js';
import { BufferPool, roundBytes } from './buffer-pool.js';
import type { Handle } from './storage.js';

/** One kernel launch. */
export interface Dispatch {
  /** Pipeline cache key: the kernel, its dtypes and its shape class (never a full shape). */
  readonly key: string;
  /** The WGSL module, built once per key. Entry point `main`. */
  readonly code: () => string;
  /**
   * Storage buffers in binding order (`@binding(0)`, …). `meta` (when given) is bound next as
   * `var<storage, read> meta: array<u32>`, then the status word when `fails` is given.
   */
  readonly buffers: readonly GPUBuffer[];
  /** Launch parameters as u32 words (f32 through their bits, i32 as two's complement). */
  readonly meta?: Uint32Array;
  /** Workgroup counts (each ≤ the device's per-dimension limit; see {@link groups1d}). */
  readonly workgroups: readonly [number, number?, number?];
  /**
   * For a kernel that can fail: it gets `var<storage, read_write> status: array<atomic<u32>>` and
   * `atomicMax`es a nonzero code into `status[0]` (and, optionally, a detail such as the offending
   * value into `status[1]`); the next read throws `fails(code, detail)`.
   */
  readonly fails?: (code: number, detail: number) => string;
}

/** A status slot waiting for the next read: failed when its word is nonzero (or zero, for `mustBeTrue`). */
interface Check {
  buffer: GPUBuffer;
  offset: number;
  message: (code: number, detail: number) => string;
  mustBeTrue: boolean;
}

/** Status slots are bound one per binding-offset alignment. */
const SLOT_BYTES = 256;
const SLOTS_PER_BUFFER = 64;
/** A batch is submitted after this many dispatches. */
const MAX_BATCH = 256;
/**
 * Launch parameters of a batch live in one mapped buffer, each launch's at a binding-aligned
 * offset (creating a buffer per launch cost more than many small kernels).
 */
const ARENA_BYTES = 64 * 1024;

export class GpuContext {
  readonly pipelines: LruMap<GPUComputePipeline>;
  readonly pool: BufferPool;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private batchSize = 0;
  /** Buffers freed once the batch that uses them is submitted. */
  private afterSubmit: GPUBuffer[] = [];
  private arena: GPUBuffer | null = null;
  private arenaWords: Uint32Array | null = null;
  private arenaUsed = 0;
  private status: GPUBuffer | null = null;
  private statusUsed = 0;
  private checks: Check[] = [];
  private deviceError: string | null = null;
  private lost: string | null = null;
  private liveBuffers = 0;
  private liveBytes = 0;
  private dispatches = 0;
  private submits = 0;
  private pipelinesBuilt = 0;
  readonly maxWorkgroups: number;
  readonly maxBindingBytes: number;

  constructor(
    readonly device: GPUDevice,
    readonly adapter: AdapterReport,
    opts: { maxPipelines?: number; poolBytes?: number } = {},
  ) {
    this.pipelines = new LruMap<GPUComputePipeline>(opts.maxPipelines ?? 512, () => {});
    this.pool = new BufferPool(opts.poolBytes ?? 256 * 2 ** 20, (b) => this.destroyLater(b));
    this.maxWorkgroups = device.limits.maxComputeWorkgroupsPerDimension;
    this.maxBindingBytes = device.limits.maxStorageBufferBindingSize;
    device.addEventListener('uncapturederror', (ev) => {
      const e = (ev as GPUUncapturedErrorEvent).error;
      this.deviceError ??= e.message;
    });
    void device.lost.then((info) => {
      this.lost = `${info.reason}: ${info.message}`;
    });
  }

  // ---- buffers -------------------------------------------------------------------------

  /** A buffer for `numel` elements of `dtype` (4 bytes each), from the pool when one fits. */
  alloc(numel: number, dtype: DType): Handle {
    const bytes = this.sizeFor(numel, dtype);
    return this.track(this.pool.take(bytes) ?? this.createStorage(bytes, false), bytes, numel, dtype);
  }

  /** A new buffer holding `words` (the 4-byte elements of a tensor). */
  upload(words: ArrayBufferView, numel: number, dtype: DType): Handle {
    const bytes = this.sizeFor(numel, dtype);
    const buffer = this.createStorage(bytes, true);
    new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(words.buffer, words.byteOffset, numel * 4));
    buffer.unmap();
    return this.track(buffer, bytes, numel, dtype);
  }

  /** The pooled size of a tensor's buffer; throws when the device cannot bind that many bytes. */
  private sizeFor(numel: number, dtype: DType): number {
    if (numel * 4 > this.maxBindingBytes) {
      throw new Error(
        `webgpu: a ${dtype} tensor of ${numel} elements needs ${numel * 4} bytes, more than this device binds in one buffer (maxStorageBufferBindingSize ${this.maxBindingBytes}, adapter ${this.adapter.summary})`,
      );
    }
    return roundBytes(numel * 4);
  }

  private createStorage(bytes: number, mappedAtCreation: boolean): GPUBuffer {
    return this.device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      mappedAtCreation,
    });
  }

  private track(buffer: GPUBuffer, bytes: number, numel: number, dtype: DType): Handle {
    this.liveBuffers++;
    this.liveBytes += bytes;
    return { buffer, bytes, numel, dtype };
  }

  /** Returns a tensor's buffer to the pool. */
  release(h: Handle): void {
    this.liveBuffers--;
    this.liveBytes -= h.bytes;
    this.pool.give(h.buffer);
  }

  private destroyLater(b: GPUBuffer): void {
    if (this.encoder) this.afterSubmit.push(b);
    else b.destroy();
  }

  // ---- kernels -------------------------------------------------------------------------

  private pipeline(d: Dispatch): GPUComputePipeline {
    let p = this.pipelines.get(d.key);
    if (!p) {
      const module = this.device.createShaderModule({ code: d.code(), label: d.key });
      p = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
        label: d.key,
      });
      this.pipelinesBuilt++;
      this.pipelines.set(d.key, p);
    }
    return p;
  }

  private openPass(): GPUComputePassEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    this.pass ??= this.encoder.beginComputePass();
    return this.pass;
  }

  private closePass(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    return this.encoder;
  }

  /** A fresh status slot (buffer, byte offset) for a check read at the next read. */
  private slot(): { buffer: GPUBuffer; offset: number } {
    if (!this.status || this.statusUsed === SLOTS_PER_BUFFER) {
      this.status = this.device.createBuffer({
        size: SLOT_BYTES * SLOTS_PER_BUFFER,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      this.statusUsed = 0;
    }
    return { buffer: this.status, offset: SLOT_BYTES * this.statusUsed++ };
  }

  /** Records one kernel launch in the open batch. */
  run(d: Dispatch): void {
    const [x, y = 1, z = 1] = d.workgroups;
    if (x === 0 || y === 0 || z === 0) return;
    const pipeline = this.pipeline(d);
    const entries: GPUBindGroupEntry[] = d.buffers.map((buffer, binding) => ({
      binding,
      resource: { buffer },
    }));
    if (d.meta) entries.push({ binding: entries.length, resource: this.params(d.meta) });
    if (d.fails) {
      const s = this.slot();
      entries.push({ binding: entries.length, resource: { buffer: s.buffer, offset: s.offset, size: 8 } });
      this.checks.push({ ...s, message: d.fails, mustBeTrue: false });
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.openPass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y, z);
    this.dispatches++;
    if (++this.batchSize >= MAX_BATCH) this.flush();
  }

  /** Places launch parameters in the batch's arena (a new batch when it is full). */
  private params(meta: Uint32Array): GPUBufferBinding {
    const size = Math.max(16, Math.ceil(meta.byteLength / 16) * 16);
    if (size > ARENA_BYTES) {
      const buffer = this.device.createBuffer({
        size,
        usage: GPUBufferUsage.STORAGE,
        mappedAtCreation: true,
      });
      new Uint32Array(buffer.getMappedRange()).set(meta);
      buffer.unmap();
      this.afterSubmit.push(buffer);
      return { buffer, offset: 0, size };
    }
    const align = this.device.limits.minStorageBufferOffsetAlignment;
    let offset = Math.ceil(this.arenaUsed / align) * align;
    if (this.arena && offset + size > ARENA_BYTES) {
      this.flush();
      offset = 0;
    }
    if (!this.arena) {
      this.arena = this.device.createBuffer({
        size: ARENA_BYTES,
        usage: GPUBufferUsage.STORAGE,
        mappedAtCreation: true,
      });
      this.arenaWords = new Uint32Array(this.arena.getMappedRange());
      offset = 0;
    }
    this.arenaWords!.set(meta, offset / 4);
    this.arenaUsed = offset + size;
    return { buffer: this.arena, offset, size };
  }

  /** Copies `bytes` from `src` to `dst` in the open batch (ordered with the dispatches). */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes > 0) this.closePass().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Core's deferred check: the bool scalar in `cond` must be true at the next read. */
  deferCheck(cond: GPUBuffer, message: () => string): void {
    const s = this.slot();
    this.copy(cond, 0, s.buffer, s.offset, 4);
    this.checks.push({ ...s, message, mustBeTrue: true });
  }

  /** Submits the open batch. */
  flush(): void {
    if (this.arena) {
      this.arena.unmap();
      this.afterSubmit.push(this.arena);
      this.arena = null;
      this.arenaWords = null;
      this.arenaUsed = 0;
    }
    if (this.encoder) {
      this.closePass();
      this.device.queue.submit([this.encoder.finish()]);
      this.submits++;
      this.encoder = null;
      this.batchSize = 0;
    }
    this.destroyWhenDone(this.afterSubmit);
    this.afterSubmit = [];
  }

  /**
   * Destroys `buffers` once the queue has finished the work submitted so far (the spec allows
   * destroying earlier, but waiting keeps implementations from racing their own cleanup).
   */
  private destroyWhenDone(buffers: GPUBuffer[]): void {
    if (buffers.length === 0) return;
    void this.device.queue.onSubmittedWorkDone().then(() => {
      for (const b of buffers) b.destroy();
    });
  }

  /** Throws the device's own error (validation, out of memory, loss), if it reported one. */
  throwIfBroken(): void {
    if (this.lost)
      throw new Error(`webgpu: the device was lost (${this.lost}); adapter ${this.adapter.summary}`);
    if (this.deviceError) {
      const e = this.deviceError;
      this.deviceError = null;
      throw new Error(`webgpu: the device reported an error: ${e}`);
    }
  }

  /**
   * Reads `bytes` of `src` after everything recorded so far, and first every pending check:
   * throws the first failed check's message (all of them are consumed).
   */
  async read(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.throwIfBroken();
    const checks = this.checks;
    this.checks = [];
    this.status = null;
    const statusBuffers = [...new Set(checks.map((c) => c.buffer))];
    const encoder = this.closePass();
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    const staging = this.device.createBuffer({
      size,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    if (bytes > 0) encoder.copyBufferToBuffer(src, 0, staging, 0, size);
    const statusStaging = statusBuffers.map((b) => {
      const s = this.device.createBuffer({
        size: b.size,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      encoder.copyBufferToBuffer(b, 0, s, 0, b.size);
      return s;
    });
    this.afterSubmit.push(...statusBuffers);
    this.flush();
    try {
      await Promise.all([
        staging.mapAsync(GPUMapMode.READ),
        ...statusStaging.map((s) => s.mapAsync(GPUMapMode.READ)),
      ]);
      this.throwIfBroken();
      const words = statusStaging.map((s) => new Uint32Array(s.getMappedRange()));
      for (const c of checks) {
        const w = words[statusBuffers.indexOf(c.buffer)]!;
        const code = w[c.offset / 4]!;
        if (c.mustBeTrue ? code === 0 : code !== 0) throw new Error(c.message(code, w[c.offset / 4 + 1]!));
      }
      return staging.getMappedRange(0, size).slice(0, bytes);
    } finally {
      staging.unmap();
      for (const s of statusStaging) s.unmap();
      this.destroyWhenDone([staging, ...statusStaging]);
    }
  }

  /** Counters for `memory()`. */
  stats(): { numBuffers: number; numBytes: number; [counter: string]: number } {
    return {
      numBuffers: this.liveBuffers,
      numBytes: this.liveBytes,
      ...this.pool.stats(),
      pipelines: this.pipelines.size,
      pipelineLimit: this.pipelines.maxSize,
      pipelinesBuilt: this.pipelinesBuilt,
      pipelineEvictions: this.pipelines.evictions,
      dispatches: this.dispatches,
      submits: this.submits,
      pendingChecks: this.checks.length,
    };
  }

  destroy(): void {
    this.flush();
    this.pool.clear();
    this.pipelines.clear();
    this.device.destroy();
  }
}

/** Workgroup counts covering `n` invocations of `size`-wide groups, folded into y past the limit. */
export function groups1d(n: number, size: number, maxPerDim = 65535): [number, number] {
  const g = Math.ceil(n / size);
  if (g <= maxPerDim) return [g, 1];
  const y = Math.ceil(g / maxPerDim);
  return [Math.ceil(g / y), y];
}
