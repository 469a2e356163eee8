// Max and average pooling over NCHW: the backend's fused kernel when present, otherwise the
// im2col taps of conv-composite. Gradients are recorded ops themselves (a scatter-add of the
// values' gradient; the adjoint of average pooling, whose own gradient is average pooling), so
// double backward works.
import { noGrad } from '../../autograd/grad-mode.js';
import { record } from '../../autograd/node.js';
import { poolOutSize } from '../../backend/shapes.js';
import type { Pool2dParams } from '../../backend/types.js';
import { binaryRaw } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { scatterAdd } from '../../ops/indexing.js';
import { reduceRaw } from '../../ops/reduce.js';
import { expand, reshape, squeeze, unsqueeze } from '../../ops/shape.js';
import { wrap } from '../../ops/util.js';
import {
  any,
  bool,
  int,
  intOrTuple,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
} from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkInput, fmt, type Pair, pair } from './conv-args.js';
import { foldTaps, unfoldTaps, type Window } from './conv-composite.js';
import { withZeroEdge } from './piecewise-linear.js';
import { poolDivisors } from './pool-windows.js';

// torch.nn.functional.max_pool2d (boolean-dispatched *args in PyTorch) and avg_pool2d (a C++
// builtin): their documented orders. Note ceil_mode before return_indices, unlike nn.MaxPool2d.
const poolHead = [req('input', any), req('kernelSize', intOrTuple), opt('stride', optional(intOrTuple))];
const MAX_POOL2D = signature('F.maxPool2d', [
  ...poolHead,
  opt('padding', intOrTuple),
  opt('dilation', intOrTuple),
  opt('ceilMode', bool),
  opt('returnIndices', bool),
]);
// torch.nn.functional.max_pool2d_with_indices: always returns (values, indices), whatever
// return_indices says (as PyTorch).
const MAX_POOL2D_WITH_INDICES = signature('F.maxPool2dWithIndices', [
  ...poolHead,
  opt('padding', intOrTuple),
  opt('dilation', intOrTuple),
  opt('ceilMode', bool),
  opt('returnIndices', bool),
]);
const AVG_POOL2D = signature('F.avgPool2d', [
  ...poolHead,
  opt('padding', intOrTuple),
  opt('ceilMode', bool),
  opt('countIncludePad', bool),
  opt('divisorOverride', optional(int)),
]);

type MaxPoolRest<R extends boolean = boolean> = PosOrOpts<
  [stride: Pair | null, padding: Pair, dilation: Pair, ceilMode: boolean, returnIndices: R],
  MaxPool2dOptions & { returnIndices?: R }
>;

/** What max pooling returns: the values, or `[values, indices]` with `returnIndices: true`. */
export type MaxPoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;
type PoolArgs = { input: Tensor; kernelSize: Pair };

/** Options of {@link maxPool2d}. */
export interface MaxPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: Pair | null;
  /** Implicit -Infinity padding on each side (at most half the kernel; default 0). */
  padding?: Pair;
  /** Spacing between window taps (default 1). */
  dilation?: Pair;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: Pair | null;
  /** Implicit zero padding on each side (at most half the kernel; default 0). */
  padding?: Pair;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Whether padded zeros count in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide every window by this instead of its size. */
  divisorOverride?: number | null;
}

interface Geometry {
  p: Pool2dParams;
  win: Window;
}

function geometry(
  op: string,
  x: Tensor,
  kernel: Pair,
  o: { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceilMode?: boolean },
): Geometry {
  const k = pair(op, 'kernelSize', kernel, 1);
  const stride = pair(op, 'stride', o.stride ?? k, 1);
  const padding = pair(op, 'padding', o.padding ?? 0, 0);
  const dilation = pair(op, 'dilation', o.dilation ?? 1, 1);
  const ceilMode = o.ceilMode ?? false;
  if (padding[0] > k[0] / 2 || padding[1] > k[1] / 2) {
    throw new Error(`${op}: padding ${fmt(padding)} should be at most half of the kernel size ${fmt(k)}`);
  }
  const [, , H, W] = x.shape;
  const out: [number, number] = [
    poolOutSize(H, k[0], stride[0], padding[0], dilation[0], ceilMode),
    poolOutSize(W, k[1], stride[1], padding[1], dilation[1], ceilMode),
  ];
  if (out[0] <= 0 || out[1] <= 0) {
    throw new Error(
      `${op}: output size [${out[0]}, ${out[1]}] is too small (input ${fmt(x.shape)}, kernel ${fmt(k)}, padding ${fmt(padding)}, dilation ${fmt(dilation)})`,
    );
  }
  return {
    p: { kernel: k, stride, padding, dilation, ceilMode },
    win: { kernel: k, stride, padding, dilation, out },
  };
}

/** Runs `fn` on a batched view of an unbatched [C, H, W] input. */
function batched(op: string, x: Tensor, fn: (x4: Tensor) => Tensor): Tensor {
  if (x?.ndim === 3) return squeeze(fn(unsqueeze(x, 0)), 0);
  checkInput(op, x, 4, '[N, C, H, W] or [C, H, W]');
  return fn(x);
}

/** Flat index (h·W + w) within the input plane read by each tap and output position: [K, oH, oW]. */
function tapIndexTable(x: Tensor, win: Window): Tensor {
  const W = x.shape[3];
  const [kH, kW] = win.kernel;
  const [oH, oW] = win.out;
  const t = new Int32Array(kH * kW * oH * oW);
  let i = 0;
  for (let ki = 0; ki < kH; ki++) {
    for (let kj = 0; kj < kW; kj++) {
      for (let oh = 0; oh < oH; oh++) {
        const h = oh * win.stride[0] - win.padding[0] + ki * win.dilation[0];
        for (let ow = 0; ow < oW; ow++) {
          const w = ow * win.stride[1] - win.padding[1] + kj * win.dilation[1];
          t[i++] = h * W + w;
        }
      }
    }
  }
  return fromArray('maxPool2d', t, [kH * kW, oH, oW], 'int32', { device: x.device });
}

/** Max pooling values and int32 plane indices [N, C, oH, oW], fused or composite. */
function maxPoolRaw(x: Tensor, g: Geometry): [Tensor, Tensor] {
  const [N, C] = x.shape;
  const shape = [N, C, g.win.out[0], g.win.out[1]];
  const b = x._backend;
  if (b.maxPool2d) {
    const [v, i] = b.maxPool2d(x, g.p);
    return [x._fromKernel(v, shape, x.dtype), x._fromKernel(i, shape, 'int32')];
  }
  return noGrad(() => {
    const taps = unfoldTaps(x, g.win, Number.NEGATIVE_INFINITY);
    const values = reduceRaw('max', taps, [2], false);
    const tap = reduceRaw('argmax', taps, [2], true, true); // int32: backend gather indices
    taps.dispose();
    const table = tapIndexTable(x, g.win);
    const full = expand(table._view([1, 1, ...table.shape]), [N, C, ...table.shape]);
    const idx = wrap(x, b.gather(full, 2, tap), tap.shape, 'int32');
    table.dispose();
    full.dispose();
    tap.dispose();
    const r = idx._view(shape);
    idx.dispose();
    return [values, r];
  });
}

/**
 * Scatters `g` [N, C, oH, oW] onto the input plane positions `idx` → [N, C, H, W], with the
 * recorded scatterAdd (whose gradient gathers), so a second backward runs through it.
 */
function unpoolGrad(g: Tensor, idx: Tensor, xShape: readonly number[]): Tensor {
  const [N, C, H, W] = xShape;
  const P = idx.shape[2] * idx.shape[3];
  const zeros = wrap(g, g._backend.fill([N, C, H * W], g.dtype, 0), [N, C, H * W], g.dtype);
  return reshape(scatterAdd(zeros, 2, reshape(idx, [N, C, P]), reshape(g, [N, C, P])), xShape);
}

/**
 * 2-D max pooling of x [N, C, H, W] (or [C, H, W]); padding counts as -Infinity. With
 * `returnIndices: true` it returns `[values, indices]`, the indices (int64) being the flat
 * position h·W + w of each maximum within its input plane, as PyTorch's.
 *
 * ```ts
 * const y = F.maxPool2d(x, 2);                         // halves H and W
 * const z = F.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true });
 * const [v, idx] = F.maxPool2d(x, 2, { returnIndices: true });
 * ```
 */
export function maxPool2d<R extends boolean = false>(
  input: Tensor,
  kernelSize: Pair,
  ...rest: MaxPoolRest<R>
): MaxPoolResult<R> {
  const a = MAX_POOL2D.parse<PoolArgs & MaxPool2dOptions & { returnIndices?: boolean }>([
    input,
    kernelSize,
    ...rest,
  ]);
  const [y, idx] = maxPool2dImpl(a.input, a.kernelSize, a);
  return (a.returnIndices ? [y, cast(idx, 'int64')] : y) as MaxPoolResult<R>;
}

/**
 * {@link maxPool2d} that also returns the int64 flat index (h·W + w) within each input plane
 * of every chosen element (PyTorch's `max_pool2d_with_indices`, whatever `returnIndices` says).
 */
export function maxPool2dWithIndices(
  input: Tensor,
  kernelSize: Pair,
  ...rest: MaxPoolRest
): [Tensor, Tensor] {
  const a = MAX_POOL2D_WITH_INDICES.parse<PoolArgs & MaxPool2dOptions>([input, kernelSize, ...rest]);
  const [y, idx] = maxPool2dImpl(a.input, a.kernelSize, a);
  // the gradient scatters with the backend's int32 indices; the caller gets int64, as PyTorch's
  return [y, cast(idx, 'int64')];
}

/**
 * Max pooling values and int32 plane indices without argument parsing; `op` names the caller
 * in errors (maxPool1d runs here over a height-1 image).
 */
export function maxPool2dImpl(
  x: Tensor,
  kernelSize: Pair,
  opts: MaxPool2dOptions,
  op = 'maxPool2d',
): [Tensor, Tensor] {
  let indices: Tensor | undefined;
  const y = batched(op, x, (x4) => {
    const g = geometry(op, x4, kernelSize, opts);
    const [values, idx] = maxPoolRaw(x4, g);
    indices = idx;
    return record(
      'MaxPool2DWithIndicesBackward',
      values,
      [x4],
      (gr) => [withZeroEdge('MaxPool2DWithIndicesBackwardBackward', unpoolGrad(gr, idx, x4.shape), x4)],
      [idx],
    );
  });
  const idx = indices as Tensor;
  return [y, x.ndim === 3 ? idx._view(idx.shape.slice(1)) : idx];
}

/**
 * 2-D average pooling of x [N, C, H, W] (or [C, H, W]).
 *
 * ```ts
 * const y = F.avgPool2d(x, 2);
 * const z = F.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false });
 * ```
 */
export function avgPool2d(
  input: Tensor,
  kernelSize: Pair,
  ...rest: PosOrOpts<
    [
      stride: Pair | null,
      padding: Pair,
      ceilMode: boolean,
      countIncludePad: boolean,
      divisorOverride: number | null,
    ],
    AvgPool2dOptions
  >
): Tensor {
  const a = AVG_POOL2D.parse<PoolArgs & AvgPool2dOptions>([input, kernelSize, ...rest]);
  return avgPool2dImpl(a.input, a.kernelSize, {
    stride: a.stride,
    padding: a.padding,
    ceilMode: a.ceilMode,
    countIncludePad: a.countIncludePad,
    divisorOverride: a.divisorOverride,
  });
}

/** {@link avgPool2d} without argument parsing (adaptive pooling's evenly dividing case, avgPool1d). */
export function avgPool2dImpl(x: Tensor, kernelSize: Pair, opts: AvgPool2dOptions, op = 'avgPool2d'): Tensor {
  return batched(op, x, (x4) => {
    const g = geometry(op, x4, kernelSize, opts);
    const override = opts.divisorOverride;
    if (override !== null && override !== undefined && !(override > 0)) {
      throw new Error(`${op}: divisorOverride must be positive, got ${override}`);
    }
    return avgPoolOp(x4, { g, includePad: opts.countIncludePad ?? true, override });
  });
}

interface AvgPool {
  g: Geometry;
  includePad: boolean;
  override: number | null | undefined;
}

/** Average pooling of x [N, C, H, W], recorded with its adjoint as the gradient. */
function avgPoolOp(x4: Tensor, a: AvgPool): Tensor {
  const { g, includePad, override } = a;
  const [N, C] = x4.shape;
  const shape = [N, C, g.win.out[0], g.win.out[1]];
  const b = x4._backend;
  let y: Tensor;
  if (b.avgPool2d && (override === null || override === undefined)) {
    y = x4._fromKernel(b.avgPool2d(x4, { ...g.p, countIncludePad: includePad }), shape, x4.dtype);
  } else {
    y = noGrad(() => {
      const taps = unfoldTaps(x4, g.win, 0);
      const s = reduceRaw('sum', taps, [2], false);
      taps.dispose();
      const div = poolDivisors(x4, x4.shape.slice(2), g.win, includePad, override);
      const r = binaryRaw('div', s, div);
      s.dispose();
      div.dispose();
      return r;
    });
  }
  const xShape = x4.shape;
  return record('AvgPool2DBackward', y, [x4], (gr) => [
    withZeroEdge('AvgPool2DBackwardBackward', avgPoolAdjoint(gr, xShape, a), x4),
  ]);
}

/**
 * The gradient of average pooling: each output's gradient over its divisor, summed back onto
 * the window (col2im). It is linear with average pooling as its own gradient (recorded).
 */
function avgPoolAdjoint(gr: Tensor, xShape: readonly number[], a: AvgPool): Tensor {
  const { g, includePad, override } = a;
  const [N, C] = xShape;
  const [oH, oW] = g.win.out;
  const K = g.p.kernel[0] * g.p.kernel[1];
  const dx = noGrad(() => {
    const div = poolDivisors(gr, xShape.slice(2), g.win, includePad, override);
    const scaled = binaryRaw('div', gr, div);
    div.dispose();
    const sv = scaled._view([N, C, 1, oH, oW]);
    const taps = expand(sv, [N, C, K, oH, oW]);
    const r = foldTaps(taps, xShape, g.win);
    scaled.dispose();
    sv.dispose();
    taps.dispose();
    return r;
  });
  return record('AvgPool2DBackwardBackward', dx, [gr], (gg) => [avgPoolOp(gg, a)]);
}
