import type { DataArray, DType, IntDType, Shape } from '@proj/core';
import { narrowInt } from '@proj/core';
import type { GraphBuilder } from '../proto/index.js';
import { compiledGraphs } from '../runtime/compiled-graphs.js';
import type { NativeSessionOptions } from '../runtime/native-session.js';
import { DEFAULT_MAX_SESSIONS, SessionCache, type SessionStats } from '../runtime/session-cache.js';
import { traceKernelModels } from '../trace/kernel-models.js';
import { type OpCall, runError } from './errors.js';
import { OnnxLowering } from './onnx-lowering.js';
import { ortTensor, view } from './ort-storage.js';
import type { Handle } from './storage.js';

/** Options of the ONNX Runtime backend. */
export interface OnnxBackendOptions {
  /** ORT intra-op threads per session (default 1: predictable, comparable timings). */
  intraOpNumThreads?: number;
  /**
   * Live primitive sessions kept (least recently used ones are released past it; default
   * 256). Primitive models have symbolic sizes, so the working set does not grow with batch sizes.
   */
  maxSessions?: number;
}

/**
 * The ONNX Runtime backend: each storage handle is an ORT tensor in CPU memory, and every
 * primitive runs as a tiny ONNX model (see `OnnxLowering`) executed synchronously by
 * onnxruntime-node's native binding. The models have symbolic sizes (sizes, offsets and pads
 * are fed as inputs), so a session is built once per (op, dtypes, ranks, attributes) key and
 * serves every batch size; sessions live in a bounded LRU cache.
 *
 * @example
 * ```ts
 * import '@proj/backend-onnx'; // registers 'onnx'
 * setBackend('onnx');
 * const y = randn([2, 3]).relu(); // runs ORT's Relu
 * ```
 */
export class OnnxBackend extends OnnxLowering {
  private readonly cache: SessionCache;

  /**
   * A backend with its own session cache (see {@link OnnxBackendOptions}). Importing the
   * package registers one as `'onnx'`; construct one yourself for other options.
   *
   * @throws Error if `maxSessions` is not a positive integer or Infinity.
   */
  constructor(options: OnnxBackendOptions = {}) {
    super();
    const sessionOptions: NativeSessionOptions = { intraOpNumThreads: options.intraOpNumThreads ?? 1 };
    this.cache = new SessionCache(sessionOptions, options.maxSessions ?? DEFAULT_MAX_SESSIONS);
  }

  /** Session cache counters: sessions built, cache hits, runs, evictions. */
  stats(): SessionStats {
    return this.cache.stats();
  }

  /**
   * Sets how many primitive sessions stay live (default 256); the least recently used ones
   * past it are released at once. Infinity keeps every session.
   *
   * @throws Error if `maxSessions` is not a positive integer or Infinity.
   */
  setMaxSessions(maxSessions: number): void {
    this.cache.setLimit(maxSessions);
  }

  /**
   * @internal Takes ownership of an ORT tensor produced outside the backend (a compiled step's output)
   * as a storage handle, without copying; it is freed by `disposeData` like any other buffer.
   * The caller must not modify the tensor afterwards.
   */
  adopt(t: Handle): Handle {
    return this.track(t);
  }

  /** @internal Wraps host data as a handle (an ORT tensor; not copied). */
  protected tensor(data: DataArray, shape: Shape, dtype: DType): Handle {
    return ortTensor(data, shape, dtype);
  }

  /** @internal `h` seen with `shape` (same data). */
  protected view(h: Handle, shape: Shape, dtype: DType): Handle {
    return view(h, shape, dtype);
  }

  /** Runs the model cached under `k`; an ORT failure is reported as `call`'s, in core's terms. */
  private run(k: string, build: () => GraphBuilder, inputs: readonly Handle[], call: OpCall): Handle[] {
    try {
      return this.cache.run(k, build, inputs);
    } catch (e) {
      throw runError(call, e);
    }
  }

  /** @internal Runs the model cached under `k` and tracks its outputs as new buffers. */
  protected exec(
    k: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    _dims?: readonly Shape[],
  ): Handle[] {
    return this.run(k, build, inputs, call).map((h) => this.track(h));
  }

  /**
   * @internal Runs a model whose one output is the float64 value of an integer result, and
   * narrows it to that dtype with a range check (the web backend defers the narrowing to the read).
   */
  protected execNarrowed(
    k: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    _dims?: readonly Shape[],
  ): Handle {
    const [wide] = this.run(k, build, inputs, call);
    const shape = call.out?.shape ?? wide.dims;
    const dtype = (call.out?.dtype ?? 'int32') as IntDType;
    return this.track(this.tensor(narrowInt(call.op, wide.data as Float64Array, dtype), shape, dtype));
  }

  /** @internal The session-cache part of {@link memory} (the web backend reports its own cache). */
  protected sessionMemory(): Record<string, number> {
    const s = this.cache.stats();
    return {
      sessions: this.cache.size,
      sessionLimit: this.cache.limit,
      sessionsCreated: s.sessionsCreated,
      sessionEvictions: s.evictions,
      // compile's graphs (each bounded by its own maxGraphs) and the tracer's one-op models
      compiledGraphs: compiledGraphs(),
      traceKernelModels: traceKernelModels(),
    };
  }

  /** Releases every session and cached index tensor; the backend must not be used afterwards. */
  override destroy(): void {
    this.cache.dispose();
    super.destroy();
  }
}
