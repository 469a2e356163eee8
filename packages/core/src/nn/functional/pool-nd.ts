// 1-D and 3-D max and average pooling. 1-D runs the 2-D functions over a height-1 image (as
// PyTorch's avg_pool1d does), so fused 2-D kernels serve it; 3-D is the differentiable
// window composite of pool-windows.ts.

import { div } from '../../ops/binary.js';
import { cast } from '../../ops/convert.js';
import { sum } from '../../ops/reduce.js';
import { squeeze, unsqueeze } from '../../ops/shape.js';
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
import type { Tensor } from '../../tensor/tensor.js';
import { single } from './conv-args.js';
import { avgPool2dImpl, type MaxPoolResult, maxPool2dImpl } from './pool.js';
import {
  checkPoolInput,
  type IntOrTuple,
  maxOverWindows,
  poolDivisors,
  poolGeometry,
  poolWindows,
} from './pool-windows.js';

// torch.nn.functional.max_pool1d/max_pool3d (boolean-dispatched: the documented order, ceil_mode
// before return_indices), their *_with_indices forms, avg_pool1d and avg_pool3d (C++ builtins:
// the documented orders; avg_pool1d has no divisor_override).
const head = [req('input', any), req('kernelSize', intOrTuple), opt('stride', optional(intOrTuple))];
const maxTail = [
  opt('padding', intOrTuple),
  opt('dilation', intOrTuple),
  opt('ceilMode', bool),
  opt('returnIndices', bool),
];
const MAX_POOL1D = signature('F.maxPool1d', [...head, ...maxTail]);
const MAX_POOL3D = signature('F.maxPool3d', [...head, ...maxTail]);
const MAX_POOL1D_WITH_INDICES = signature('F.maxPool1dWithIndices', [...head, ...maxTail]);
const MAX_POOL3D_WITH_INDICES = signature('F.maxPool3dWithIndices', [...head, ...maxTail]);
const avgTail = [opt('padding', intOrTuple), opt('ceilMode', bool), opt('countIncludePad', bool)];
const AVG_POOL1D = signature('F.avgPool1d', [...head, ...avgTail]);
const AVG_POOL3D = signature('F.avgPool3d', [...head, ...avgTail, opt('divisorOverride', optional(int))]);

/** Options of the 1-D and 3-D max poolings. */
export interface MaxPoolNdOptions {
  /** Step of the window (default: the kernel size). */
  stride?: IntOrTuple | null;
  /** Implicit -Infinity padding on each side (at most half the kernel; default 0). */
  padding?: IntOrTuple;
  /** Spacing between window taps (default 1). */
  dilation?: IntOrTuple;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

/** Options of {@link avgPool1d}. */
export interface AvgPool1dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: IntOrTuple | null;
  /** Implicit zero padding on each side (at most half the kernel; default 0). */
  padding?: IntOrTuple;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Whether padded zeros count in the divisor (default true). */
  countIncludePad?: boolean;
}

/** Options of {@link avgPool3d}. */
export interface AvgPool3dOptions extends AvgPool1dOptions {
  /** Divide every window by this instead of its size. */
  divisorOverride?: number | null;
}

type MaxRest<R extends boolean> = PosOrOpts<
  [stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean, returnIndices: R],
  MaxPoolNdOptions & { returnIndices?: R }
>;
type Parsed = { input: Tensor; kernelSize: IntOrTuple; returnIndices?: boolean } & MaxPoolNdOptions;

// ---- 1-D ---------------------------------------------------------------------------------

/** [1, v] for the 2-D functions from a 1-D argument (`null` stays null). */
function lift(
  op: string,
  name: string,
  v: IntOrTuple | null | undefined,
  min: number,
): [number, number] | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined; // PyTorch: stride=[] means the kernel size
  return [name === 'padding' ? 0 : 1, single(op, name, v as IntOrTuple, min)];
}

function maxPool1dImpl(a: Parsed): [Tensor, Tensor] {
  const op = 'maxPool1d';
  checkPoolInput(op, a.input, 1);
  const k = single(op, 'kernelSize', a.kernelSize, 1);
  const [y, idx] = maxPool2dImpl(
    unsqueeze(a.input, -2),
    [1, k],
    {
      stride: lift(op, 'stride', a.stride, 1) ?? [1, k],
      padding: lift(op, 'padding', a.padding ?? 0, 0),
      dilation: lift(op, 'dilation', a.dilation ?? 1, 1),
      ceilMode: a.ceilMode,
    },
    op,
  );
  // On a height-1 plane the flat index h·W + w is the position along L (int32 here: the
  // gradient's scatter index; callers cast what they return to int64, as PyTorch's).
  return [squeeze(y, -2), squeeze(idx, -2)];
}

/**
 * 1-D max pooling of x [N, C, L] (or [C, L]); padding counts as -Infinity. With
 * `returnIndices: true`, `[values, indices]` (int64 positions along L).
 *
 * ```ts
 * const y = F.maxPool1d(x, 3, { stride: 2, padding: 1 });
 * ```
 */
export function maxPool1d<R extends boolean = false>(
  input: Tensor,
  kernelSize: IntOrTuple,
  ...rest: MaxRest<R>
): MaxPoolResult<R> {
  const a = MAX_POOL1D.parse<Parsed>([input, kernelSize, ...rest]);
  const [y, idx] = maxPool1dImpl(a);
  return (a.returnIndices ? [y, cast(idx, 'int64')] : y) as MaxPoolResult<R>;
}

/** {@link maxPool1d} returning `[values, indices]` always (PyTorch's `max_pool1d_with_indices`). */
export function maxPool1dWithIndices(
  input: Tensor,
  kernelSize: IntOrTuple,
  ...rest: MaxRest<boolean>
): [Tensor, Tensor] {
  const [y, idx] = maxPool1dImpl(MAX_POOL1D_WITH_INDICES.parse<Parsed>([input, kernelSize, ...rest]));
  return [y, cast(idx, 'int64')];
}

/**
 * 1-D average pooling of x [N, C, L] (or [C, L]), as PyTorch's avg_pool1d.
 *
 * ```ts
 * const y = F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false });
 * ```
 */
export function avgPool1d(
  input: Tensor,
  kernelSize: IntOrTuple,
  ...rest: PosOrOpts<
    [stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean],
    AvgPool1dOptions
  >
): Tensor {
  const a = AVG_POOL1D.parse<{ input: Tensor; kernelSize: IntOrTuple } & AvgPool1dOptions>([
    input,
    kernelSize,
    ...rest,
  ]);
  const op = 'avgPool1d';
  checkPoolInput(op, a.input, 1);
  const k = single(op, 'kernelSize', a.kernelSize, 1);
  const y = avgPool2dImpl(
    unsqueeze(a.input, -2),
    [1, k],
    {
      stride: lift(op, 'stride', a.stride, 1) ?? [1, k],
      padding: lift(op, 'padding', a.padding ?? 0, 0),
      ceilMode: a.ceilMode,
      countIncludePad: a.countIncludePad,
    },
    op,
  );
  return squeeze(y, -2);
}

// ---- 3-D ---------------------------------------------------------------------------------

/** Runs `fn` on a batched view of an unbatched [C, D, H, W] input. */
function batched3d<T extends Tensor | [Tensor, Tensor]>(op: string, x: Tensor, fn: (x5: Tensor) => T): T {
  checkPoolInput(op, x, 3);
  if (x.ndim === 5) return fn(x);
  const r = fn(unsqueeze(x, 0));
  return (Array.isArray(r) ? r.map((t) => squeeze(t, 0)) : squeeze(r as Tensor, 0)) as T;
}

function maxPool3dImpl(a: Parsed): [Tensor, Tensor] {
  const op = 'maxPool3d';
  return batched3d(op, a.input, (x5) => maxOverWindows(x5, poolGeometry(op, x5, 3, a.kernelSize, a)));
}

/**
 * 3-D max pooling of x [N, C, D, H, W] (or [C, D, H, W]); padding counts as -Infinity. With
 * `returnIndices: true`, `[values, indices]`, the indices (int64) flat positions d·H·W + h·W + w
 * within each input volume, as PyTorch's.
 *
 * ```ts
 * const y = F.maxPool3d(x, 2);
 * const [v, idx] = F.maxPool3d(x, [2, 3, 3], { stride: 2, padding: 1, returnIndices: true });
 * ```
 */
export function maxPool3d<R extends boolean = false>(
  input: Tensor,
  kernelSize: IntOrTuple,
  ...rest: MaxRest<R>
): MaxPoolResult<R> {
  const a = MAX_POOL3D.parse<Parsed>([input, kernelSize, ...rest]);
  const [y, idx] = maxPool3dImpl(a);
  return (a.returnIndices ? [y, idx] : y) as MaxPoolResult<R>;
}

/** {@link maxPool3d} returning `[values, indices]` always (PyTorch's `max_pool3d_with_indices`). */
export function maxPool3dWithIndices(
  input: Tensor,
  kernelSize: IntOrTuple,
  ...rest: MaxRest<boolean>
): [Tensor, Tensor] {
  return maxPool3dImpl(MAX_POOL3D_WITH_INDICES.parse<Parsed>([input, kernelSize, ...rest]));
}

/**
 * 3-D average pooling of x [N, C, D, H, W] (or [C, D, H, W]), PyTorch's divisors
 * (`countIncludePad`, `ceilMode`, `divisorOverride`).
 *
 * ```ts
 * const y = F.avgPool3d(x, 3, { stride: 2, padding: 1 });
 * ```
 */
export function avgPool3d(
  input: Tensor,
  kernelSize: IntOrTuple,
  ...rest: PosOrOpts<
    [
      stride: IntOrTuple | null,
      padding: IntOrTuple,
      ceilMode: boolean,
      countIncludePad: boolean,
      divisorOverride: number | null,
    ],
    AvgPool3dOptions
  >
): Tensor {
  const a = AVG_POOL3D.parse<{ input: Tensor; kernelSize: IntOrTuple } & AvgPool3dOptions>([
    input,
    kernelSize,
    ...rest,
  ]);
  const op = 'avgPool3d';
  const override = a.divisorOverride;
  if (override !== null && override !== undefined && !(override > 0)) {
    throw new Error(`${op}: divisorOverride must be positive, got ${override}`);
  }
  return batched3d(op, a.input, (x5) => {
    const g = poolGeometry(op, x5, 3, a.kernelSize, a);
    const sums = sum(poolWindows(x5, g, 0), -1);
    return div(sums, poolDivisors(x5, x5.shape.slice(2), g, a.countIncludePad ?? true, override));
  });
}
