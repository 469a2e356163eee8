// torch.nn.functional.interpolate for 3-D [N, C, L], 4-D [N, C, H, W] and 5-D [N, C, D, H, W]
// inputs. Nearest modes gather rows/columns (indexSelect); the linear and cubic modes multiply
// by small interpolation matrices, one per spatial dim (alongDim), and 'area' is adaptive
// average pooling, so gradients (also second ones) come from matmul and indexSelect.

import { indexSelect } from '../../ops/indexing.js';
import { checkFloat, checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  either,
  num,
  numOrTuple,
  onlyDefault,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { alongDim } from './along-dim.js';
import { fmt } from './conv-args.js';
import { adaptiveAvgPoolNd } from './pool-adaptive.js';

// torch.nn.functional.interpolate (inspect.signature).
const INTERPOLATE = signature('F.interpolate', [
  req('input', any),
  opt('size', optional(either(num, numOrTuple))),
  opt('scaleFactor', optional(either(num, numOrTuple))),
  opt('mode', str),
  opt('alignCorners', optional(bool)),
  opt('recomputeScaleFactor', optional(bool)),
  opt('antialias', onlyDefault(false, 'anti-aliased downsampling is not supported')),
]);

/** Interpolation modes of {@link interpolate}. */
export type InterpolateMode =
  | 'nearest'
  | 'nearest-exact'
  | 'linear'
  | 'bilinear'
  | 'bicubic'
  | 'trilinear'
  | 'area';

/** The interpolating modes (alignCorners applies) and the input rank each needs. */
const RANK_OF: Partial<Record<InterpolateMode, number>> = {
  linear: 3,
  bilinear: 4,
  bicubic: 4,
  trilinear: 5,
};

/** Options of {@link interpolate}: exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** Output spatial size: one number for every spatial dim, or one per dim. */
  size?: number | readonly number[] | null;
  /** Multiplier of the spatial size (output = floor(input · scaleFactor)). */
  scaleFactor?: number | readonly number[] | null;
  /** Default `'nearest'`. */
  mode?: InterpolateMode;
  /** Linear and cubic modes: align the corner pixels' centres (default false). */
  alignCorners?: boolean | null;
  /** With `scaleFactor`: sample with the recomputed input/output ratio instead of 1/scaleFactor. */
  recomputeScaleFactor?: boolean | null;
  /** Must be false. */
  antialias?: false;
}

const f32 = Math.fround;

/** Source index of each output position for nearest modes (float math, as PyTorch's kernels). */
function nearestIndex(out: number, size: number, scale: number, exact: boolean): Int32Array {
  const idx = new Int32Array(out);
  const s = f32(scale);
  for (let i = 0; i < out; i++) {
    const src = exact ? Math.floor(f32(f32(i + 0.5) * s)) : Math.floor(f32(i * s));
    idx[i] = Math.min(src, size - 1);
  }
  return idx;
}

/** [out, size] matrix of linear interpolation weights, PyTorch's source-coordinate rule. */
function linearMatrix(x: Tensor, out: number, size: number, scale: number, alignCorners: boolean): Tensor {
  const m = new (x.dtype === 'float64' ? Float64Array : Float32Array)(out * size);
  const r = x.dtype === 'float64' ? (v: number) => v : f32;
  const s = alignCorners ? (out > 1 ? r((size - 1) / (out - 1)) : 0) : r(scale);
  for (let i = 0; i < out; i++) {
    let src = alignCorners ? r(s * i) : r(r(s * r(i + 0.5)) - 0.5);
    if (src < 0) src = 0;
    const i0 = Math.min(Math.floor(src), size - 1);
    const i1 = i0 < size - 1 ? i0 + 1 : i0;
    const l1 = r(src - i0);
    m[i * size + i0] += 1 - l1;
    m[i * size + i1] += l1;
  }
  return fromArray('interpolate', m, [out, size], x.dtype, { device: x.device });
}

/**
 * [out, size] matrix of PyTorch's bicubic weights (Keys' kernel with A = −0.75) along one
 * dim: output i reads the 4 inputs around its source position, clamped to the border. The
 * weights are computed in the input's precision, as PyTorch's kernel does.
 */
function cubicMatrix(x: Tensor, out: number, size: number, scale: number, alignCorners: boolean): Tensor {
  const m = new (x.dtype === 'float64' ? Float64Array : Float32Array)(out * size);
  const r = x.dtype === 'float64' ? (v: number) => v : f32;
  const A = -0.75;
  const cc1 = (t: number) => r(r(r(r(r(r(A + 2) * t) - r(A + 3)) * t) * t) + 1);
  const cc2 = (t: number) => r(r(r(r(r(r(r(A * t) - r(5 * A)) * t) + r(8 * A)) * t) - r(4 * A)));
  const s = alignCorners ? (out > 1 ? r((size - 1) / (out - 1)) : 0) : r(scale);
  for (let i = 0; i < out; i++) {
    // area_pixel_compute_source_index with cubic=true: no clamping at 0.
    const src = alignCorners ? r(s * i) : r(r(s * r(i + 0.5)) - 0.5);
    // guard_index_and_lambda
    const i0 = Math.min(Math.floor(src), size - 1);
    const t = Math.min(Math.max(r(src - i0), 0), 1);
    const w = [cc2(r(t + 1)), cc1(t), cc1(r(1 - t)), cc2(r(r(1 - t) + 1))];
    for (let j = 0; j < 4; j++) {
      const col = Math.max(0, Math.min(size - 1, i0 - 1 + j));
      m[i * size + col] += w[j];
    }
  }
  return fromArray('interpolate', m, [out, size], x.dtype, { device: x.device });
}

/**
 * Resizes the spatial dims of x [N, C, L], [N, C, H, W] or [N, C, D, H, W] as PyTorch's
 * interpolate: 'nearest' / 'nearest-exact' (any rank), 'linear' (3-D), 'bilinear' and
 * 'bicubic' (4-D), 'trilinear' (5-D), and 'area' (adaptive average pooling), with PyTorch's
 * sampling positions for both `alignCorners` settings.
 *
 * ```ts
 * F.interpolate(x, { scaleFactor: 2 });                                     // nearest
 * F.interpolate(x, { size: [64, 64], mode: 'bilinear', alignCorners: false });
 * F.interpolate(x, { scaleFactor: 2, mode: 'bicubic', alignCorners: true });
 * F.interpolate(x, { size: [7, 7], mode: 'area' });
 * ```
 */
export function interpolate(
  input: Tensor,
  ...rest: PosOrOpts<
    [
      size: number | readonly number[] | null,
      scaleFactor: number | readonly number[] | null,
      mode: InterpolateMode,
      alignCorners: boolean | null,
      recomputeScaleFactor: boolean | null,
      antialias: false,
    ],
    InterpolateOptions
  >
): Tensor {
  const opts = INTERPOLATE.parse<InterpolateOptions & { input: Tensor }>([input, ...rest]);
  const x = opts.input;
  const op = 'interpolate';
  checkTensor(op, x);
  checkFloat(op, x);
  const mode = opts.mode ?? 'nearest';
  const spatial = x.ndim - 2;
  if (spatial < 1 || spatial > 3) {
    throw new Error(`${op}: expected input [N, C, L], [N, C, H, W] or [N, C, D, H, W], got ${fmt(x.shape)}`);
  }
  const modes: InterpolateMode[] = [
    'nearest',
    'nearest-exact',
    'linear',
    'bilinear',
    'bicubic',
    'trilinear',
    'area',
  ];
  if (!modes.includes(mode)) {
    throw new Error(`${op}: mode must be one of ${modes.map((m) => `'${m}'`).join(', ')}, got '${mode}'`);
  }
  const rank = RANK_OF[mode];
  if (rank !== undefined && rank !== x.ndim) {
    throw new Error(`${op}: mode '${mode}' expects a ${rank}-D input, got ${fmt(x.shape)}`);
  }
  const interpolating = rank !== undefined;
  if (!interpolating && opts.alignCorners !== undefined && opts.alignCorners !== null) {
    throw new Error(
      `${op}: alignCorners can only be set with the interpolating modes linear, bilinear, bicubic and trilinear (mode '${mode}')`,
    );
  }
  const hasSize = opts.size !== undefined && opts.size !== null;
  const hasScale = opts.scaleFactor !== undefined && opts.scaleFactor !== null;
  if (hasSize === hasScale) throw new Error(`${op}: give exactly one of size and scaleFactor`);
  if (hasSize && opts.recomputeScaleFactor) {
    throw new Error(`${op}: recomputeScaleFactor is not meaningful with an explicit size`);
  }
  const perDim = (v: number | readonly number[], what: string): number[] => {
    const a = typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v];
    if (a.length !== spatial || !a.every((d) => d > 0 && Number.isFinite(d))) {
      throw new Error(
        `${op}: ${what} must be a positive number or ${spatial} of them for input ${fmt(x.shape)}, got ${JSON.stringify(v)}`,
      );
    }
    return a;
  };
  const inSize = x.shape.slice(2);
  let outSize: number[];
  let scales: number[];
  if (hasSize) {
    outSize = perDim(opts.size as number | number[], 'size');
    if (!outSize.every(Number.isInteger))
      throw new Error(`${op}: size must hold integers, got ${JSON.stringify(opts.size)}`);
    scales = outSize.map((o, i) => inSize[i] / o);
  } else {
    const sf = perDim(opts.scaleFactor as number | number[], 'scaleFactor');
    outSize = sf.map((f, i) => Math.floor(inSize[i] * f));
    if (outSize.some((o) => o < 1))
      throw new Error(
        `${op}: scaleFactor ${JSON.stringify(opts.scaleFactor)} gives an empty output for input ${fmt(x.shape)}`,
      );
    // recomputeScaleFactor: the kernel gets no scale and derives it from the sizes (PyTorch).
    scales = opts.recomputeScaleFactor ? outSize.map((o, i) => inSize[i] / o) : sf.map((f) => 1 / f);
  }
  const alignCorners = opts.alignCorners ?? false;
  if (mode === 'area') return adaptiveAvgPoolNd(op, x, spatial, outSize);
  let y = x;
  for (let i = 0; i < spatial; i++) {
    const dim = 2 + i;
    const size = inSize[i];
    const out = outSize[i];
    if (mode === 'bicubic') y = alongDim(y, dim, cubicMatrix(x, out, size, scales[i], alignCorners));
    else if (interpolating) y = alongDim(y, dim, linearMatrix(x, out, size, scales[i], alignCorners));
    else {
      const exact = mode === 'nearest-exact';
      const idx = fromArray(op, nearestIndex(out, size, scales[i], exact), [out], 'int32', {
        device: x.device,
      });
      y = indexSelect(y, dim, idx);
    }
  }
  return y === x ? x.mul(1) : y;
}
