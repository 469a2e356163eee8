// Sliding windows over the last n dims of a tensor as a differentiable composite (pad, unfold
// views, one reshape), and PyTorch's pooling geometry: what 3-D pooling (and any pooling
// without a fused kernel) is built from. Gradients, also second ones, come from the recorded
// ops; every backend runs them.

import { poolOutSize } from '../../backend/shapes.js';
import { add } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { gather } from '../../ops/indexing.js';
import { argExtremum } from '../../ops/reduce.js';
import { expand, narrow, padConstant, reshape, squeeze } from '../../ops/shape.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import { sliceDim, unfold } from '../../ops/view.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt, ntuple } from './conv-args.js';

/** Geometry of a pooling window over the last n dims. */
export interface WindowGeometry {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  /** Output size per dim. */
  out: number[];
}

/** A pooling argument: one int for every spatial dim, or one per dim. */
export type IntOrTuple = number | readonly number[];

/**
 * PyTorch's pooling geometry over the last `n` dims of `x`, with its checks: padding at most
 * half the kernel, a positive output size; `ceilMode` as {@link poolOutSize}.
 */
export function poolGeometry(
  op: string,
  x: Tensor,
  n: number,
  kernelSize: IntOrTuple,
  o: { stride?: IntOrTuple | null; padding?: IntOrTuple; dilation?: IntOrTuple; ceilMode?: boolean },
): WindowGeometry {
  const kernel = ntuple(op, 'kernelSize', kernelSize, n, 1);
  const s = o.stride;
  // PyTorch: stride=None, and also an empty stride list, mean "the kernel size".
  const stride =
    s === null || s === undefined || (Array.isArray(s) && s.length === 0)
      ? kernel
      : ntuple(op, 'stride', s, n, 1);
  const padding = ntuple(op, 'padding', o.padding ?? 0, n, 0);
  const dilation = ntuple(op, 'dilation', o.dilation ?? 1, n, 1);
  if (padding.some((p, i) => p > Math.floor(kernel[i] / 2))) {
    throw new Error(
      `${op}: padding ${fmt(padding)} should be at most half of the kernel size ${fmt(kernel)}`,
    );
  }
  const size = x.shape.slice(x.ndim - n);
  const out = size.map((sz, i) =>
    poolOutSize(sz, kernel[i], stride[i], padding[i], dilation[i], o.ceilMode ?? false),
  );
  if (out.some((v) => v <= 0)) {
    throw new Error(
      `${op}: output size ${fmt(out)} is too small (input ${fmt(x.shape)}, kernel ${fmt(kernel)}, padding ${fmt(padding)}, dilation ${fmt(dilation)})`,
    );
  }
  return { kernel, stride, padding, dilation, out };
}

/**
 * The windows of `x` over its last n dims: [...lead, o1, …, on, K] with K = k1·…·kn taps in
 * row-major order, padded positions holding `padValue`. Window o reads, in dim i, the input
 * positions oᵢ·sᵢ − pᵢ + kᵢ·dᵢ.
 */
export function poolWindows(x: Tensor, g: WindowGeometry, padValue: number): Tensor {
  const n = g.kernel.length;
  const lead = x.ndim - n;
  const needed = g.out.map((o, i) => (o - 1) * g.stride[i] + g.dilation[i] * (g.kernel[i] - 1) + 1);
  const pads = x.shape.map((size, d): [number, number] => {
    const i = d - lead;
    return i < 0 ? [0, 0] : [g.padding[i], Math.max(0, needed[i] - size - g.padding[i])];
  });
  let y = pads.some(([b, a]) => b > 0 || a > 0) ? padConstant(x, pads, padValue) : x;
  for (let i = 0; i < n; i++) if (y.shape[lead + i] > needed[i]) y = narrow(y, lead + i, 0, needed[i]);
  for (let i = 0; i < n; i++) {
    const span = g.dilation[i] * (g.kernel[i] - 1) + 1;
    y = unfold(y, lead + i, span, g.stride[i]);
    if (g.dilation[i] > 1) y = sliceDim(y, y.ndim - 1, 0, span, g.dilation[i]);
  }
  const K = g.kernel.reduce((a, b) => a * b, 1);
  return reshape(y, [...x.shape.slice(0, lead), ...g.out, K]);
}

/** Row-major strides of the last n dims of `shape`. */
function planeStrides(shape: readonly number[], n: number): number[] {
  const size = shape.slice(shape.length - n);
  const st = new Array<number>(n).fill(1);
  for (let i = n - 2; i >= 0; i--) st[i] = st[i + 1] * size[i + 1];
  return st;
}

/**
 * Max over each window with PyTorch's index: values [...lead, o1..on] and, int64, the flat
 * position of each maximum within its input plane (the last n dims), first maximum on ties.
 */
export function maxOverWindows(x: Tensor, g: WindowGeometry): [Tensor, Tensor] {
  const n = g.kernel.length;
  const w = poolWindows(x, g, Number.NEGATIVE_INFINITY);
  const tap = argExtremum('argmax', w, -1, true, true); // int32 [..., 1]
  const values = squeeze(gather(w, -1, tap), -1);
  // The flat input position splits into the window's start (per output) and the tap's offset.
  const st = planeStrides(x.shape, n);
  const P = g.out.reduce((a, b) => a * b, 1);
  const base = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    let rest = p;
    let pos = 0;
    for (let i = n - 1; i >= 0; i--) {
      const o = rest % g.out[i];
      rest = Math.floor(rest / g.out[i]);
      pos += (o * g.stride[i] - g.padding[i]) * st[i];
    }
    base[p] = pos;
  }
  const K = g.kernel.reduce((a, b) => a * b, 1);
  const offset = new Int32Array(K);
  for (let k = 0; k < K; k++) {
    let rest = k;
    let pos = 0;
    for (let i = n - 1; i >= 0; i--) {
      pos += (rest % g.kernel[i]) * g.dilation[i] * st[i];
      rest = Math.floor(rest / g.kernel[i]);
    }
    offset[k] = pos;
  }
  const dev = { device: x.device };
  const offs = fromArray('maxPool', offset, [K], 'int32', dev);
  const flatTap = reshape(tap, [tap.numel()]);
  const tapOffset = reshape(gather(offs, 0, flatTap), values.shape);
  const bases = fromArray('maxPool', base, g.out, 'int32', dev);
  const idx = add(tapOffset, expand(bases, values.shape));
  return [values, cast(idx, 'int64')];
}

/**
 * Per-output divisors of average pooling (shape `g.out`) over an input of spatial `size`
 * (dtype and device of `like`), PyTorch's rule: the window's size
 * clipped to input + padding (`countIncludePad`) or to the input alone, or `override`.
 */
export function poolDivisors(
  like: Tensor,
  size: readonly number[],
  g: WindowGeometry,
  includePad: boolean,
  override: number | null | undefined,
): Tensor {
  const n = g.kernel.length;
  const P = g.out.reduce((a, b) => a * b, 1);
  const d = new (like.dtype === 'float64' ? Float64Array : Float32Array)(P);
  if (override !== null && override !== undefined) d.fill(override);
  else {
    const count = (o: number, i: number): number => {
      const start = o * g.stride[i] - g.padding[i];
      const end = Math.min(start + g.kernel[i], size[i] + g.padding[i]);
      return includePad ? end - start : Math.min(end, size[i]) - Math.max(start, 0);
    };
    for (let p = 0; p < P; p++) {
      let rest = p;
      let c = 1;
      for (let i = n - 1; i >= 0; i--) {
        c *= count(rest % g.out[i], i);
        rest = Math.floor(rest / g.out[i]);
      }
      d[p] = c;
    }
  }
  return fromArray('avgPool', d, g.out, like.dtype, { device: like.device });
}

/** Checks `x` is a float tensor with `n` spatial dims after one or two leading ones. */
export function checkPoolInput(op: string, x: Tensor, n: number): void {
  checkTensor(op, x);
  const names = ['L', 'H, W', 'D, H, W'][n - 1];
  if (x.ndim !== n + 1 && x.ndim !== n + 2) {
    throw new Error(`${op}: expected input [N, C, ${names}] or [C, ${names}], got ${fmt(x.shape)}`);
  }
  checkFloat(op, x);
}
