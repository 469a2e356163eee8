// torch.nn.functional.interpolate for 3-D [N, C, L] and 4-D [N, C, H, W] inputs. Nearest modes
// gather rows/columns (indexSelect); linear modes multiply by small interpolation matrices,
// one per spatial dim, so gradients come from matmul and indexSelect.

import { indexSelect } from '../../ops/indexing.js';
import { matmul } from '../../ops/matmul.js';
import { transpose } from '../../ops/shape.js';
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
import { fmt } from './conv-args.js';

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
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear';

/** Options of {@link interpolate}: exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** Output spatial size: one number for every spatial dim, or one per dim. */
  size?: number | readonly number[] | null;
  /** Multiplier of the spatial size (output = floor(input · scaleFactor)). */
  scaleFactor?: number | readonly number[] | null;
  /** Default `'nearest'`. */
  mode?: InterpolateMode;
  /** Linear modes: align the corner pixels' centres (default false). */
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
 * Resizes the spatial dims of x [N, C, L] or [N, C, H, W] by nearest or (bi)linear
 * interpolation, matching PyTorch's sampling positions.
 *
 * ```ts
 * F.interpolate(x, { scaleFactor: 2 });                                     // nearest
 * F.interpolate(x, { size: [64, 64], mode: 'bilinear', alignCorners: false });
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
  if (spatial !== 1 && spatial !== 2) {
    throw new Error(`${op}: expected input [N, C, L] or [N, C, H, W], got ${fmt(x.shape)}`);
  }
  const linear = mode === 'linear' || mode === 'bilinear';
  if (!linear && mode !== 'nearest' && mode !== 'nearest-exact') {
    throw new Error(`${op}: mode must be 'nearest', 'nearest-exact', 'linear' or 'bilinear', got '${mode}'`);
  }
  if (linear && (mode === 'linear') !== (spatial === 1)) {
    throw new Error(
      `${op}: mode '${mode}' expects a ${mode === 'linear' ? '3' : '4'}-D input, got ${fmt(x.shape)}`,
    );
  }
  if (!linear && opts.alignCorners !== undefined && opts.alignCorners !== null) {
    throw new Error(`${op}: alignCorners can only be set with the linear modes (mode '${mode}')`);
  }
  const hasSize = opts.size !== undefined && opts.size !== null;
  const hasScale = opts.scaleFactor !== undefined && opts.scaleFactor !== null;
  if (hasSize === hasScale) throw new Error(`${op}: give exactly one of size and scaleFactor`);
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
  let y = x;
  for (let i = 0; i < spatial; i++) {
    const dim = 2 + i;
    const size = inSize[i];
    const out = outSize[i];
    if (linear) {
      const m = linearMatrix(x, out, size, scales[i], alignCorners);
      // The last dim multiplies from the right, H (of 4-D) from the left.
      y = dim === x.ndim - 1 ? matmul(y, transpose(m, 0, 1)) : matmul(m, y);
    } else {
      const idx = fromArray(
        op,
        nearestIndex(out, size, scales[i], mode === 'nearest-exact'),
        [out],
        'int32',
        {
          device: x.device,
        },
      );
      y = indexSelect(y, dim, idx);
    }
  }
  return y === x ? x.mul(1) : y;
}
