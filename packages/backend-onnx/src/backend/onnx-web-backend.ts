import {
  type DataArray,
  type DType,
  type IntDType,
  narrowInt,
  type Shape,
  type TensorInfo,
  type TypedArray,
} from '@proj/core';
import type { GraphBuilder } from '../proto/index.js';
import type { OrtTensor } from '../runtime/native-session.js';
import type { SessionStats } from '../runtime/session-cache.js';
import { WebSessionCache } from '../runtime/web-session.js';
import { checkInt64Exact, type OpCall, runError } from './errors.js';
import { OnnxBackend } from './onnx-backend.js';
import { dataOf, type Handle } from './storage.js';

/** A host tensor in the ORT tensor shape (converted to onnxruntime-web's Tensor when fed). */
class HostTensor implements OrtTensor {
  constructor(
    readonly type: string,
    readonly data: OrtTensor['data'],
    readonly dims: readonly number[],
  ) {}
}

/** One recorded primitive: its model, inputs, and (once run) its outputs. */
interface PendingNode {
  key: string;
  build: () => GraphBuilder;
  inputs: Handle[];
  /** What the op was asked to compute, for the error if ORT fails on it. */
  call: OpCall;
  /** The one output is the float64 value of an integer result of this dtype: narrow it, with the range check, when read. */
  narrow?: IntDType;
  results?: Promise<OrtTensor[]>;
}

/**
 * A result that is not computed yet: output `index` of `node`, seen with `shape` (null: the
 * shape the model gives it).
 */
class Deferred implements OrtTensor {
  /** No host data until realised (memory() counts deferred buffers with 0 bytes). */
  readonly data = undefined as unknown as OrtTensor['data'];
  readonly type = '';
  constructor(
    readonly node: PendingNode,
    readonly index: number,
    readonly shape: readonly number[] | null,
  ) {}

  get dims(): readonly number[] {
    return this.shape ?? [];
  }
}

/**
 * The ONNX backend on onnxruntime-web (browsers, or wasm in Node). ORT-web only executes
 * asynchronously, so every op returns at once with a deferred handle that records the
 * primitive model and its inputs; `await t.data()` / `await t.toArrayAsync()` runs the
 * recorded graph of sessions in order. The synchronous readers throw.
 *
 * @example
 * ```ts
 * import { registerBackend, setBackend, randn } from '@proj/core';
 * import { OnnxWebBackend } from '@proj/backend-onnx';
 * registerBackend('onnx', () => new OnnxWebBackend(), { priority: 0 });
 * setBackend('onnx');
 * const y = randn([2, 3]).relu();
 * console.log(await y.data());
 * ```
 */
export class OnnxWebBackend extends OnnxBackend {
  /**
   * Not claimed here: a deferred result is counted by the bytes it holds so far, which only
   * disposeData sees, so its release stays with the finalizers.
   */
  override readonly gcManaged: boolean = false;
  /** Results are read with `await data()` only (see {@link readSync}). */
  readonly readsSync = false;
  private readonly web: WebSessionCache;
  private readonly outputCounts = new Map<string, number>();
  /** Core's value checks waiting for the next read (see {@link deferCheck}). */
  private pendingChecks: { cond: Handle; message: () => string }[] = [];

  /**
   * `numThreads`: wasm threads onnxruntime-web uses (`env.wasm.numThreads`, default 1; set when
   * onnxruntime-web is first loaded, so the first backend's value holds for the page);
   * `maxSessions`: live onnxruntime-web sessions kept (least recently used released past it;
   * default 256).
   *
   * @throws Error if `maxSessions` is not a positive integer or Infinity.
   */
  constructor(options: { numThreads?: number; maxSessions?: number } = {}) {
    super();
    this.web = new WebSessionCache(options.numThreads ?? 1, options.maxSessions);
  }

  override stats(): SessionStats {
    return this.web.stats();
  }

  override setMaxSessions(maxSessions: number): void {
    this.web.setLimit(maxSessions);
  }

  /** @internal The web session cache's counters. */
  protected override sessionMemory(): Record<string, number> {
    const s = this.web.stats();
    return {
      sessions: this.web.size,
      sessionLimit: this.web.limit,
      sessionsCreated: s.sessionsCreated,
      sessionEvictions: s.evictions,
    };
  }

  /** @internal A host tensor, converted to onnxruntime-web's Tensor when fed. */
  protected override tensor(data: DataArray, shape: Shape, dtype: DType): Handle {
    return new HostTensor(dtype, data as unknown as OrtTensor['data'], [...shape]);
  }

  /** @internal `h` seen with `shape`; a deferred result stays deferred. */
  protected override view(h: Handle, shape: Shape, dtype: DType): Handle {
    const same = h.dims.length === shape.length && h.dims.every((d, i) => d === shape[i]);
    if (h instanceof Deferred) return h.shape && same ? h : new Deferred(h.node, h.index, [...shape]);
    return same ? h : this.tensor(dataOf(h), shape, dtype);
  }

  /** @internal Records the op and returns deferred handles to its outputs. */
  // Nothing runs here, so nothing fails here: ORT's errors surface from `await t.data()`.
  protected override exec(
    key: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
  ): Handle[] {
    const node: PendingNode = { key, build, inputs: [...inputs], call };
    let outputs = this.outputCounts.get(key);
    if (outputs === undefined) {
      outputs = build().outputNames.length;
      this.outputCounts.set(key, outputs);
    }
    return Array.from({ length: outputs }, (_, i) => this.track(new Deferred(node, i, null)));
  }

  /** @internal Records the op; its float64 result is narrowed to its integer dtype when it is read. */
  protected override execNarrowed(
    key: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
  ): Handle {
    const [h] = this.exec(key, build, inputs, call) as Deferred[];
    const dtype = (call.out?.dtype ?? 'int32') as IntDType;
    h.node.narrow = dtype;
    return this.view(h, call.out?.shape ?? [], dtype);
  }

  /** @internal The handle's values, or undefined while it is deferred. */
  protected override hostData(h: Handle): DataArray | undefined {
    // index bounds of a deferred index tensor cannot be checked without running it
    return h instanceof Deferred ? undefined : dataOf(h);
  }

  /**
   * int64 is stored within ±(2^53 - 1) here: deferred results cannot be checked on the host
   * before the float64 ops that compute with them, so larger values are refused at the source.
   */
  override write(values: DataArray, shape: Shape, dtype: DType): unknown {
    if (dtype === 'int64') checkInt64Exact('write', values);
    return super.write(values, shape, dtype);
  }

  /**
   * Always throws: onnxruntime-web computes asynchronously, so results are read with
   * `await t.data()` or `await t.toArrayAsync()` (`dataSync()`, `item()`, `toArray()` throw).
   */
  override readSync(_x: TensorInfo): TypedArray {
    throw new Error(
      'onnx (onnxruntime-web) runs asynchronously: dataSync()/item()/toArray() are not available; ' +
        'use await t.data() or await t.toArrayAsync()',
    );
  }

  /**
   * Holds core's check that the bool scalar `cond` is true until the next read, which runs it
   * first and throws `message()` if it is false (the read's own value is never returned then).
   */
  deferCheck(cond: TensorInfo, message: () => string): void {
    this.pendingChecks.push({ cond: cond.handle as Handle, message });
  }

  /** Runs every pending check; throws the first failure's message after running them all. */
  private async runChecks(): Promise<void> {
    const checks = this.pendingChecks;
    this.pendingChecks = [];
    let failed: (() => string) | undefined;
    for (const c of checks) {
      const t = await this.realize(c.cond);
      if (!(t.data as Uint8Array)[0]) failed ??= c.message;
    }
    if (failed) throw new Error(failed());
  }

  override async read(x: TensorInfo): Promise<TypedArray> {
    await this.runChecks();
    const t = await this.realize(x.handle as Handle);
    return (t.data as unknown as TypedArray).slice();
  }

  /** Computes a handle: its inputs first, then its own session (each node runs once). */
  private async realize(h: Handle): Promise<OrtTensor> {
    if (!(h instanceof Deferred)) return h;
    const node = h.node;
    node.results ??= (async () => {
      const inputs = await Promise.all(node.inputs.map((i) => this.realize(i)));
      let out: OrtTensor[];
      try {
        out = await this.web.run(node.key, node.build, inputs);
      } catch (e) {
        throw runError(node.call, e);
      }
      if (node.narrow) {
        // integer overflow (and x/0) surfaces here, from the read, instead of wrapping silently
        const [w] = out;
        const narrowed = narrowInt(node.call.op, w.data as Float64Array, node.narrow);
        out = [new HostTensor(node.narrow, narrowed as never, w.dims)];
      }
      // the inputs are no longer needed by this node
      node.inputs = [];
      return out;
    })();
    const t = (await node.results)[h.index];
    return new HostTensor(t.type, t.data, h.shape ?? t.dims);
  }

  /** Releases every onnxruntime-web session; the backend must not be used afterwards. */
  override destroy(): void {
    void this.web.dispose();
    super.destroy();
  }
}
