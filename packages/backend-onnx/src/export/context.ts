// State shared by the layer emitters of exportOnnx: the graph being built, the opset, the
// weights already written, and helpers for the node patterns several layers use.
import type { Tensor } from '@proj/core';
import type { OnnxDType } from '../proto/dtypes.js';
import { type AttrValue, floatAttr, type GraphBuilder } from '../proto/graph-builder.js';

/**
 * A value flowing through the exported graph: its name, element type, the shape it has for
 * the example inputs, and which axis (if any) is the symbolic `batch` dim.
 */
export interface Value {
  readonly name: string;
  readonly dtype: OnnxDType;
  readonly shape: readonly number[];
  /** Axis that carries the symbolic dim (the first dim of the inputs), or null. */
  readonly dyn: number | null;
}

/** What an emitter returns per output: its name and where the symbolic dim went. */
export interface Emitted {
  readonly name: string;
  readonly dyn: number | null;
}

/** The key of `name` under the module at `prefix` in a state dict (`'0.weight'`, `'weight'`). */
export function key(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** Graph, opset and helpers for the emitters. */
export class ExportContext {
  private readonly written = new Map<Tensor, string>();

  constructor(
    readonly g: GraphBuilder,
    readonly opset: number,
  ) {}

  /** The initialiser holding `t`, named by its state-dict key (written once, even if shared). */
  weight(t: Tensor, stateKey: string): string {
    const known = this.written.get(t);
    if (known) return known;
    this.g.initializer(stateKey, t);
    this.written.set(t, stateKey);
    return stateKey;
  }

  /** One-output node with a fresh name. */
  op(
    opType: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, AttrValue | undefined>> = {},
  ): string {
    return this.g.op(opType, inputs, attrs);
  }

  /** Multi-output node with fresh names. */
  ops(
    opType: string,
    inputs: readonly string[],
    n: number,
    attrs: Readonly<Record<string, AttrValue | undefined>> = {},
  ): string[] {
    return this.g.node(opType, inputs, n, attrs);
  }

  /** A scalar constant of `dtype` (broadcasts in elementwise ops). */
  scalar(v: number, dtype: OnnxDType = 'float32'): string {
    const data = dtype === 'float64' ? Float64Array.of(v) : Float32Array.of(v);
    return this.g.constant('c', data, [], dtype);
  }

  /** A float vector constant filled with `v` (e.g. LayerNorm's scale when it has none). */
  filled(v: number, n: number, dtype: OnnxDType = 'float32'): string {
    const data = dtype === 'float64' ? new Float64Array(n).fill(v) : new Float32Array(n).fill(v);
    return this.g.constant(v === 1 ? 'ones' : v === 0 ? 'zeros' : 'filled', data, [n], dtype);
  }

  /** An int64 vector constant. */
  int64s(values: readonly number[]): string {
    return this.g.int64s(values, 'shape');
  }

  transpose(x: string, perm: readonly number[]): string {
    return this.op('Transpose', [x], { perm: [...perm] });
  }

  /** Reshape to `shape` (ONNX semantics: 0 copies the input dim, -1 is inferred). */
  reshape(x: string, shape: readonly number[]): string {
    return this.op('Reshape', [x, this.int64s(shape)]);
  }

  unsqueeze(x: string, axes: readonly number[]): string {
    return this.op('Unsqueeze', [x, this.int64s(axes)]);
  }

  squeeze(x: string, axes: readonly number[]): string {
    return this.op('Squeeze', [x, this.int64s(axes)]);
  }

  /** Splits `x` along `axis` into equal parts (opset 13–17 take `split` sizes as an input). */
  split(x: string, parts: number, size: number, axis = 0): string[] {
    if (this.opset >= 18) return this.ops('Split', [x], parts, { axis, num_outputs: parts });
    return this.ops('Split', [x, this.int64s(new Array(parts).fill(size))], parts, { axis });
  }

  concat(xs: readonly string[], axis: number): string {
    return xs.length === 1 ? xs[0] : this.op('Concat', xs, { axis });
  }

  /** ReduceMean over `axes` (an attribute before opset 18, an input from 18). */
  reduceMean(x: string, axes: readonly number[], keepdims: boolean): string {
    const k = keepdims ? 1 : 0;
    if (this.opset >= 18) return this.op('ReduceMean', [x, this.int64s(axes)], { keepdims: k });
    return this.op('ReduceMean', [x], { axes: [...axes], keepdims: k });
  }

  /**
   * y = x·Wᵀ + b for a Linear weight `[out, in]`: Gemm for 2-D inputs, otherwise MatMul with
   * the transposed weight (folded by the runtime, as the weight is constant) and Add.
   */
  linear(x: string, rank: number, w: string, b: string | null): string {
    if (rank === 2) return this.op('Gemm', b ? [x, w, b] : [x, w], { transB: 1 });
    const y = this.op('MatMul', [x, this.transpose(w, [1, 0])]);
    return b ? this.op('Add', [y, b]) : y;
  }

  /** softplus(β·x)/β, and x where β·x > threshold (PyTorch's form; also keeps exp finite). */
  softplus(x: string, beta: number, threshold: number, dtype: OnnxDType): string {
    const bx = beta === 1 ? x : this.op('Mul', [x, this.scalar(beta, dtype)]);
    const big = this.op('Greater', [bx, this.scalar(threshold, dtype)]);
    // Clamp what Softplus sees so exp() cannot overflow in the branch Where discards.
    const safe = this.op('Min', [bx, this.scalar(threshold, dtype)]);
    let sp = this.op('Softplus', [safe]);
    if (beta !== 1) sp = this.op('Div', [sp, this.scalar(beta, dtype)]);
    return this.op('Where', [big, x, sp]);
  }

  /** GELU from Erf (exact) or Tanh (approximate); opset 17 has no Gelu operator. */
  gelu(x: string, approximate: 'none' | 'tanh', dtype: OnnxDType): string {
    const half = this.op('Mul', [x, this.scalar(0.5, dtype)]);
    let inner: string;
    if (approximate === 'tanh') {
      const x3 = this.op('Mul', [this.op('Mul', [x, x]), x]);
      const s = this.op('Add', [x, this.op('Mul', [x3, this.scalar(0.044715, dtype)])]);
      inner = this.op('Tanh', [this.op('Mul', [s, this.scalar(Math.sqrt(2 / Math.PI), dtype)])]);
    } else {
      inner = this.op('Erf', [this.op('Mul', [x, this.scalar(Math.SQRT1_2, dtype)])]);
    }
    return this.op('Mul', [half, this.op('Add', [inner, this.scalar(1, dtype)])]);
  }

  /** A FLOAT attribute value (kept FLOAT even when integral). */
  f(v: number): AttrValue {
    return floatAttr(v);
  }
}
