/**
 * Work too long for one fragment's loop, done in passes. WebGL stops a shader invocation
 * after LOOP_LIMIT loop iterations (silently, on Mesa's llvmpipe), so every long loop is cut
 * into chunks of at most LOOP_BUDGET iterations whose partial results a further pass
 * combines: a tree reduction, which also spreads one long loop over many fragments.
 */
import type { DType, ReduceOp } from '@proj/core';
import type { KernelSpec } from './context.js';
import { gatherSpec } from './kernels/indexing.js';
import { reduceSpec } from './kernels/reduce.js';
import { softmaxOutSpec } from './kernels/softmax.js';
import { LOOP_BUDGET, planSplit, type Split } from './limits.js';
import type { GpuData } from './storage.js';

/** What the passes need of the backend: run a kernel into a new tracked buffer, free one. */
export interface Runner {
  run(spec: KernelSpec, n: number, dtype: DType, args: readonly unknown[]): GpuData;
  free(d: GpuData): void;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Reduces `axes` of `x` (of `shape`) with `op` into a new buffer of `dtype`, in as many
 * passes as the loop budget needs. With `exp` given, reduces exp(x - max) at the max or
 * elsewhere (the parts of softmax's sum).
 */
export function reduceLong(
  r: Runner,
  op: ReduceOp,
  x: GpuData,
  shape: readonly number[],
  axes: readonly number[],
  dtype: DType,
  exp?: { max: GpuData; part: 'tie' | 'rest' },
): GpuData {
  const R = axes.reduce((a, d) => a * shape[d], 1);
  const n = numel(shape) / R;
  const args = exp ? [x.arg, exp.max.arg] : [x.arg];
  const expShift = exp?.part;
  if (R <= LOOP_BUDGET) return r.run(reduceSpec(op, shape, axes, { expShift }), n, dtype, args);
  const split = planSplit(R);
  const P = split.parts;
  if (op !== 'argmax' && op !== 'argmin') {
    const part = r.run(reduceSpec(op, shape, axes, { split, expShift }), n * P, dtype, args);
    try {
      // exp-shifted terms are summed: the partial sums add up
      return reduceLong(r, op, part, [n, P], [1], dtype);
    } finally {
      r.free(part);
    }
  }
  // arg-reductions: each chunk's pick (value and global index), then the first chunk holding
  // the overall pick, then its index (first index on ties, NaN first, as in one pass)
  const vals = r.run(reduceSpec(op, shape, axes, { split, out: 'value' }), n * P, 'float32', args);
  const idx = r.run(reduceSpec(op, shape, axes, { split, out: 'index' }), n * P, 'int32', args);
  let which: GpuData | undefined;
  try {
    which = reduceLong(r, op, vals, [n, P], [1], 'int32');
    return r.run(gatherSpec([n, P], 1, [n, 1]), n, 'int32', [idx.arg, which.arg]);
  } finally {
    for (const d of [vals, idx, which]) if (d) r.free(d);
  }
}

/**
 * Softmax / log-softmax along a long `axis`: the row max, the row sums of exp(x - max) at the
 * max and elsewhere (tree reductions), then one elementwise pass. O(n) work, where the fused kernel recomputes
 * max and sum for every output element (O(n·A), and 2A loop iterations per fragment).
 */
export function softmaxLong(
  r: Runner,
  x: GpuData,
  shape: readonly number[],
  axis: number,
  log: boolean,
): GpuData {
  const parts: GpuData[] = [];
  try {
    const max = reduceLong(r, 'max', x, shape, [axis], x.dtype);
    parts.push(max);
    for (const part of ['tie', 'rest'] as const)
      parts.push(reduceLong(r, 'sum', x, shape, [axis], x.dtype, { max, part }));
    return r.run(softmaxOutSpec(shape, axis, log), x.n, x.dtype, [x.arg, ...parts.map((p) => p.arg)]);
  } finally {
    for (const p of parts) r.free(p);
  }
}

/**
 * Runs a kernel whose loop sums `total` terms of `per` loop iterations each: in one pass when
 * that fits the budget, else as partial sums over chunks of the terms (`make(split)` yields
 * n·parts outputs, chunk index fastest) added up by a further pass.
 */
export function sumSplit(
  r: Runner,
  make: (split?: Split) => KernelSpec,
  total: number,
  per: number,
  n: number,
  dtype: DType,
  args: readonly unknown[],
): GpuData {
  const split = planSplit(total, per);
  if (split.parts === 1) return r.run(make(), n, dtype, args);
  const part = r.run(make(split), n * split.parts, dtype, args);
  try {
    return reduceLong(r, 'sum', part, [n, split.parts], [1], dtype);
  } finally {
    r.free(part);
  }
}
