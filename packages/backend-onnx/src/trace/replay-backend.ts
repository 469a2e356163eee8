// The optimizer's JS computes its per-step numbers (Adam's bias corrections, a scheduled lr,
// a step counter) on the host, so a compiled step cannot hold them as constants. Each compiled
// step runs the optimizer's update again on this backend: nothing is computed and no graph is
// built, only the primitives' keys (to prove the code took the traced path) and the literals it
// makes (the values to feed) are recorded; the optimizer's own JS state advances as eagerly.
import type { DType, Shape, TensorInfo } from '@proj/core';
import type { OpCall } from '../backend/errors.js';
import type { Handle } from '../backend/storage.js';
import type { GraphBuilder } from '../proto/index.js';
import { type Lit, Sym, TraceBackend } from './trace-backend.js';

const asHandle = (h: Sym | Lit): Handle => h as unknown as Handle;

/** Records keys and literals of the optimizer's update (see the file comment). */
export class ReplayBackend extends TraceBackend {
  constructor(name: string) {
    super(name, 'replay');
    this.segment = 'opt';
  }

  override reset(): void {
    super.reset();
    this.segment = 'opt';
  }

  /** A placeholder (the replay declares no graph). */
  override input(_name: string, dtype: DType, dims: readonly number[]): Sym {
    return new Sym('', dtype, [...dims]);
  }

  /** No graph: a view of a graph value is a placeholder too. */
  protected override reshape(_name: string, _dims: readonly number[]): string {
    return '';
  }

  protected override exec(
    key: string,
    _build: () => GraphBuilder,
    _inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle[] {
    this.keys.push(key);
    const n = dims?.length ?? 1;
    const shape = (i: number) => dims?.[i] ?? call.out?.shape ?? [];
    return Array.from({ length: n }, (_, i) =>
      this.track(asHandle(new Sym('', call.out?.dtype ?? 'float32', shape(i)))),
    );
  }

  protected override execNarrowed(
    key: string,
    build: () => GraphBuilder,
    inputs: readonly Handle[],
    call: OpCall,
    dims?: readonly Shape[],
  ): Handle {
    return this.exec(key, build, inputs, call, dims)[0];
  }

  override deferCheck(_cond: TensorInfo, _message: () => string): void {
    // the traced graph checks it
  }

  override matmul(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown {
    this.keys.push(`matmul|${transA}|${transB}`);
    const out = [...a.shape.slice(0, -2), transA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2]];
    out.push(transB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1]);
    return this.track(asHandle(new Sym('', a.dtype, out)));
  }
}
