// Adaptive pooling: PyTorch's start/end windows (window i of a dim of size S pooled to O spans
// floor(i·S/O) .. ceil((i+1)·S/O)). Average pooling multiplies each spatial dim by a small
// averaging matrix, so any backend with matmul (fused or composite) runs it; max pooling
// gathers each dim's windows (padded to the longest by repeating a window's last element,
// which never changes a maximum nor its first index) and takes the max of each.

import { noGrad } from '../../autograd/grad-mode.js';
import { cast } from '../../ops/convert.js';
import { gather, indexSelect } from '../../ops/indexing.js';
import { argExtremum } from '../../ops/reduce.js';
import { expand, permute, reshape, squeeze, unsqueeze } from '../../ops/shape.js';
import { any, bool, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { alongDim } from './along-dim.js';
import { fmt } from './conv-args.js';
import { avgPool2dImpl, type MaxPoolResult } from './pool.js';
import { checkPoolInput } from './pool-windows.js';

// torch.nn.functional.adaptive_avg_pool1d/2d (builtin / Python: (input, output_size)) and
// adaptive_max_pool1d/2d (boolean-dispatched: (input, output_size, return_indices=False)) and
// their *_with_indices forms. Sizes are checked below.
const ADAPTIVE_AVG_POOL1D = signature('F.adaptiveAvgPool1d', [req('input', any), req('outputSize', any)]);
const ADAPTIVE_AVG_POOL2D = signature('F.adaptiveAvgPool2d', [req('input', any), req('outputSize', any)]);
const maxParams = [req('input', any), req('outputSize', any), opt('returnIndices', bool)];
const ADAPTIVE_MAX_POOL1D = signature('F.adaptiveMaxPool1d', maxParams);
const ADAPTIVE_MAX_POOL2D = signature('F.adaptiveMaxPool2d', maxParams);
const ADAPTIVE_MAX_POOL1D_WITH_INDICES = signature('F.adaptiveMaxPool1dWithIndices', maxParams);
const ADAPTIVE_MAX_POOL2D_WITH_INDICES = signature('F.adaptiveMaxPool2dWithIndices', maxParams);

/** Output size of adaptive pooling: one size for every spatial dim, or one per dim where `null` keeps the input's. */
export type AdaptiveSize = number | readonly (number | null)[];

/** Window bounds [start, end) of output i along a dim of `size` pooled to `out`. */
const bounds = (i: number, size: number, out: number): [number, number] => [
  Math.floor((i * size) / out),
  Math.ceil(((i + 1) * size) / out),
];

/** The output size per spatial dim, PyTorch's checks (`null` keeps the input's size). */
function outputSizes(op: string, x: Tensor, n: number, outputSize: AdaptiveSize): number[] {
  const req =
    typeof outputSize === 'number' ? new Array<number>(n).fill(outputSize) : [...(outputSize ?? [])];
  const ok = (v: number | null) => (v === null ? n > 1 : Number.isInteger(v) && v >= 1);
  if (req.length !== n || !req.every(ok)) {
    throw new Error(
      `${op}: outputSize must be a positive integer or ${n === 1 ? 'a one-element list' : `${n} of them (or null)`}, got ${JSON.stringify(outputSize)}`,
    );
  }
  const size = x.shape.slice(x.ndim - n);
  if (size.some((s) => s === 0)) throw new Error(`${op}: input ${fmt(x.shape)} has an empty spatial dim`);
  return req.map((v, i) => v ?? size[i]);
}

/** [out, size] matrix averaging input rows of window i into row i. */
function averagingMatrix(x: Tensor, size: number, out: number): Tensor {
  const m = new (x.dtype === 'float64' ? Float64Array : Float32Array)(out * size);
  for (let i = 0; i < out; i++) {
    const [start, end] = bounds(i, size, out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return fromArray('adaptiveAvgPool', m, [out, size], x.dtype, { device: x.device });
}

/**
 * Adaptive average pooling over the last `n` dims of x (any leading dims), to `out` per dim.
 * Used by the adaptive average pools and by `interpolate(..., { mode: 'area' })`.
 */
export function adaptiveAvgPoolNd(op: string, x: Tensor, n: number, out: readonly number[]): Tensor {
  const lead = x.ndim - n;
  const size = x.shape.slice(lead);
  if (out.every((o, i) => o === size[i])) return x.mul(1);
  // Evenly dividing sizes of 4-D inputs are plain average pooling, which may have a fused kernel.
  if (n === 2 && x.ndim === 4 && size.every((s, i) => s % out[i] === 0)) {
    return avgPool2dImpl(x, [size[0] / out[0], size[1] / out[1]], {}, op);
  }
  let y = x;
  for (let i = 0; i < n; i++) {
    if (out[i] !== size[i]) y = alongDim(y, lead + i, averagingMatrix(x, size[i], out[i]));
  }
  return y;
}

/**
 * Adaptive 1-D average pooling of x [N, C, L] (or [C, L]) to `outputSize` positions.
 *
 * ```ts
 * const y = F.adaptiveAvgPool1d(x, 4);
 * ```
 */
export function adaptiveAvgPool1d(
  input: Tensor,
  ...rest: PosOrOpts<[outputSize: number | readonly number[]], { outputSize?: number | readonly number[] }>
): Tensor {
  const a = ADAPTIVE_AVG_POOL1D.parse<{ input: Tensor; outputSize: AdaptiveSize }>([input, ...rest]);
  const op = 'adaptiveAvgPool1d';
  checkPoolInput(op, a.input, 1);
  return adaptiveAvgPoolNd(op, a.input, 1, outputSizes(op, a.input, 1, a.outputSize));
}

/**
 * Adaptive 2-D average pooling of x [N, C, H, W] (or [C, H, W]) to `outputSize`; window i
 * spans floor(i·H/oH) .. ceil((i+1)·H/oH), as PyTorch.
 *
 * ```ts
 * const pooled = F.adaptiveAvgPool2d(x, 1);       // global average pooling → [N, C, 1, 1]
 * const y = F.adaptiveAvgPool2d(x, [7, null]);    // keep W
 * ```
 */
export function adaptiveAvgPool2d(
  input: Tensor,
  ...rest: PosOrOpts<[outputSize: AdaptiveSize], { outputSize?: AdaptiveSize }>
): Tensor {
  const a = ADAPTIVE_AVG_POOL2D.parse<{ input: Tensor; outputSize: AdaptiveSize }>([input, ...rest]);
  const op = 'adaptiveAvgPool2d';
  checkPoolInput(op, a.input, 2);
  const x = a.input;
  if (x.ndim === 3)
    return squeeze(adaptiveAvgPoolNd(op, unsqueeze(x, 0), 2, outputSizes(op, x, 2, a.outputSize)), 0);
  return adaptiveAvgPoolNd(op, x, 2, outputSizes(op, x, 2, a.outputSize));
}

/**
 * Adaptive max pooling over the last `n` dims of x: values and int64 flat indices within
 * each input plane (first maximum in row-major order on ties, as PyTorch's kernels).
 */
function adaptiveMaxPoolNd(op: string, x: Tensor, n: number, out: readonly number[]): [Tensor, Tensor] {
  const lead = x.ndim - n;
  const size = x.shape.slice(lead);
  const kmax = size.map((s, i) =>
    Math.max(...Array.from({ length: out[i] }, (_, o) => bounds(o, s, out[i])[1] - bounds(o, s, out[i])[0])),
  );
  // Per dim: the input position of tap t of window o (the window's last one repeated past its end).
  const pos = size.map((s, i) => {
    const p = new Int32Array(out[i] * kmax[i]);
    for (let o = 0; o < out[i]; o++) {
      const [start, end] = bounds(o, s, out[i]);
      for (let t = 0; t < kmax[i]; t++) p[o * kmax[i] + t] = Math.min(start + t, end - 1);
    }
    return p;
  });
  const dev = { device: x.device };
  let y = x;
  for (let i = 0; i < n; i++)
    y = indexSelect(y, lead + i, fromArray(op, pos[i], [pos[i].length], 'int32', dev));
  // [...lead, o1, k1, …, on, kn] → [...lead, o1, …, on, k1·…·kn]
  const split = [...x.shape.slice(0, lead), ...out.flatMap((o, i) => [o, kmax[i]])];
  const perm = [
    ...Array.from({ length: lead }, (_, d) => d),
    ...out.map((_, i) => lead + 2 * i),
    ...out.map((_, i) => lead + 2 * i + 1),
  ];
  const K = kmax.reduce((a, b) => a * b, 1);
  const windows = reshape(permute(reshape(y, split), ...perm), [...x.shape.slice(0, lead), ...out, K]);
  const tap = argExtremum('argmax', windows, -1, true, true);
  const values = squeeze(gather(windows, -1, tap), -1);
  // The flat input position of each (output, tap): a [P, K] table gathered at the chosen tap.
  const P = out.reduce((a, b) => a * b, 1);
  const st = new Array<number>(n).fill(1);
  for (let i = n - 2; i >= 0; i--) st[i] = st[i + 1] * size[i + 1];
  const table = new Int32Array(P * K);
  for (let p = 0; p < P; p++) {
    for (let k = 0; k < K; k++) {
      let rp = p;
      let rk = k;
      let flat = 0;
      for (let i = n - 1; i >= 0; i--) {
        flat += pos[i][(rp % out[i]) * kmax[i] + (rk % kmax[i])] * st[i];
        rp = Math.floor(rp / out[i]);
        rk = Math.floor(rk / kmax[i]);
      }
      table[p * K + k] = flat;
    }
  }
  const indices = noGrad(() => {
    const t = fromArray(op, table, [...out, K], 'int32', dev);
    const full = expand(reshape(t, [...new Array<number>(lead).fill(1), ...out, K]), windows.shape);
    return cast(squeeze(gather(full, -1, tap), -1), 'int64');
  });
  return [values, indices];
}

type MaxParsed = { input: Tensor; outputSize: AdaptiveSize; returnIndices?: boolean };
type MaxRest<R extends boolean, S> = PosOrOpts<
  [outputSize: S, returnIndices: R],
  { outputSize?: S; returnIndices?: R }
>;

function adaptiveMax(op: string, n: number, a: MaxParsed): [Tensor, Tensor] {
  checkPoolInput(op, a.input, n);
  return adaptiveMaxPoolNd(op, a.input, n, outputSizes(op, a.input, n, a.outputSize));
}

/**
 * Adaptive 1-D max pooling of x [N, C, L] (or [C, L]) to `outputSize` positions; with
 * `returnIndices: true`, `[values, indices]` (int64 positions along L).
 *
 * ```ts
 * const y = F.adaptiveMaxPool1d(x, 4);
 * ```
 */
export function adaptiveMaxPool1d<R extends boolean = false>(
  input: Tensor,
  ...rest: MaxRest<R, number | readonly number[]>
): MaxPoolResult<R> {
  const a = ADAPTIVE_MAX_POOL1D.parse<MaxParsed>([input, ...rest]);
  const [y, idx] = adaptiveMax('adaptiveMaxPool1d', 1, a);
  return (a.returnIndices ? [y, idx] : y) as MaxPoolResult<R>;
}

/** {@link adaptiveMaxPool1d} returning `[values, indices]` always. */
export function adaptiveMaxPool1dWithIndices(
  input: Tensor,
  ...rest: MaxRest<boolean, number | readonly number[]>
): [Tensor, Tensor] {
  return adaptiveMax(
    'adaptiveMaxPool1d',
    1,
    ADAPTIVE_MAX_POOL1D_WITH_INDICES.parse<MaxParsed>([input, ...rest]),
  );
}

/**
 * Adaptive 2-D max pooling of x [N, C, H, W] (or [C, H, W]) to `outputSize` (`null` keeps a
 * dim); with `returnIndices: true`, `[values, indices]` (int64 flat h·W + w, as PyTorch's).
 *
 * ```ts
 * const y = F.adaptiveMaxPool2d(x, [3, 3]);
 * const [v, idx] = F.adaptiveMaxPool2d(x, 2, true);
 * ```
 */
export function adaptiveMaxPool2d<R extends boolean = false>(
  input: Tensor,
  ...rest: MaxRest<R, AdaptiveSize>
): MaxPoolResult<R> {
  const a = ADAPTIVE_MAX_POOL2D.parse<MaxParsed>([input, ...rest]);
  const [y, idx] = adaptiveMax('adaptiveMaxPool2d', 2, a);
  return (a.returnIndices ? [y, idx] : y) as MaxPoolResult<R>;
}

/** {@link adaptiveMaxPool2d} returning `[values, indices]` always. */
export function adaptiveMaxPool2dWithIndices(
  input: Tensor,
  ...rest: MaxRest<boolean, AdaptiveSize>
): [Tensor, Tensor] {
  return adaptiveMax(
    'adaptiveMaxPool2d',
    2,
    ADAPTIVE_MAX_POOL2D_WITH_INDICES.parse<MaxParsed>([input, ...rest]),
  );
}
