// scatter_reduce: combines src values with x at the positions an index gives along a dim.
import { noGrad } from '../autograd/grad-mode.js';
import { anyRequiresGrad, record } from '../autograd/node.js';
import { fromArray } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { div, eq, maximum, minimum, mul, where } from './binary.js';
import { cast, detach } from './convert.js';
import { gather, scatterAdd } from './indexing.js';
import { inplace } from './inplace.js';
import { cat } from './join.js';
import { floor } from './pointwise.js';
import { putPositions, takePositions } from './put-positions.js';
import { scatterTargets, scatterValues } from './scatter.js';
import { expand, reshape } from './shape.js';
import { checkTensor, scalarLike } from './util.js';

/** The reductions of {@link scatterReduce} (PyTorch's `reduce`). */
export type ScatterReduction = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

const REDUCTIONS: readonly ScatterReduction[] = ['sum', 'prod', 'mean', 'amax', 'amin'];

/** Options of {@link scatterReduce}. */
export interface ScatterReduceOptions {
  /** Whether `x`'s own values take part in the reduction (default true). */
  includeSelf?: boolean;
}

/** Contributions grouped by target position: the order sorting them, group starts, and positions. */
interface Groups {
  readonly order: Int32Array;
  readonly starts: Int32Array;
  readonly targets: Int32Array;
}

function groupByPosition(positions: Int32Array): Groups {
  const n = positions.length;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => positions[a] - positions[b] || a - b,
  );
  const starts: number[] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 0 || positions[order[i]] !== positions[order[i - 1]]) {
      starts.push(i);
      targets.push(positions[order[i]]);
    }
  }
  starts.push(n);
  return { order, starts: Int32Array.from(starts), targets: Int32Array.from(targets) };
}

/**
 * One value per group: `combine` applied as a balanced tree within each group (log2 of the
 * largest group rounds of device ops, differentiable as composed). `neutral` pads odd groups
 * (prod); without it an odd element combines with itself (max/min).
 */
function reduceGroups(
  values: Tensor,
  g: Groups,
  combine: (a: Tensor, b: Tensor) => Tensor,
  neutral: number | null,
): Tensor {
  const pick = (t: Tensor, a: number[] | Int32Array): Tensor =>
    takePositions('scatterReduce', t, Int32Array.from(a), [a.length]);
  let cur = pick(values, g.order);
  // Group sizes as they shrink.
  let sizes = Array.from({ length: g.targets.length }, (_, k) => g.starts[k + 1] - g.starts[k]);
  while (sizes.some((s) => s > 1)) {
    const left: number[] = [];
    const right: number[] = [];
    const next: number[] = [];
    let at = 0;
    const m = cur.shape[0];
    for (const s of sizes) {
      for (let i = 0; i + 1 < s; i += 2) {
        left.push(at + i);
        right.push(at + i + 1);
      }
      if (s % 2 === 1) {
        left.push(at + s - 1);
        right.push(neutral === null ? at + s - 1 : m);
      }
      next.push(Math.ceil(s / 2));
      at += s;
    }
    const src = neutral === null ? cur : cat([cur, reshape(scalarLike(cur, neutral, cur.dtype), [1])]);
    cur = combine(pick(src, left), pick(src, right));
    sizes = next;
  }
  return cur;
}

/**
 * @internal scatter_reduce at precomputed row-major `positions` of `x` (one per element of
 * `values`, in order). See {@link scatterReduce}.
 */
export function scatterReduceAt(
  op: string,
  x: Tensor,
  positions: Int32Array,
  values: Tensor,
  reduce: ScatterReduction,
  includeSelf: boolean,
): Tensor {
  const n = positions.length;
  const numel = x.numel();
  const v = reshape(values, [n]);
  const g = groupByPosition(positions);
  const touched = g.targets;
  const zerosAt = (t: Tensor): Tensor =>
    putPositions(op, t, touched, expand(scalarLike(t, 0, t.dtype), [touched.length]), false);
  if (reduce === 'sum' || reduce === 'mean') {
    const base = includeSelf ? x : zerosAt(x);
    const summed = putPositions(op, base, positions, v, true);
    if (reduce === 'sum') return summed;
    const count = new Float64Array(numel).fill(1);
    for (const p of touched) count[p] = includeSelf ? 1 : 0;
    for (let i = 0; i < n; i++) count[positions[i]]++;
    const cdt = isFloat(x.dtype) ? x.dtype : 'float64';
    const countT = fromArray(op, count, x.shape, x._backend.supportsDtype(cdt) ? cdt : 'float32', {
      device: x.device,
    });
    if (isFloat(x.dtype)) return div(summed, cast(countT, x.dtype));
    // Integer mean rounds down, as PyTorch's.
    return cast(floor(div(summed, countT)), x.dtype);
  }
  if (reduce === 'prod') {
    const partial = reduceGroups(v, g, mul, 1);
    if (!includeSelf) return putPositions(op, x, touched, partial, false);
    const xs = takePositions(op, x, touched, [touched.length]);
    return putPositions(op, x, touched, mul(xs, partial), false);
  }
  // amax / amin: values from the tree, PyTorch's gradient (shared evenly among ties).
  const combine = reduce === 'amax' ? maximum : minimum;
  const result = noGrad(() => {
    const partial = reduceGroups(detach(v), g, combine, null);
    if (!includeSelf) return putPositions(op, detach(x), touched, partial, false);
    const xd = detach(x);
    const xs = takePositions(op, xd, touched, [touched.length]);
    return putPositions(op, xd, touched, combine(xs, partial), false);
  });
  const xf = reshape(x, [numel]);
  if (!isFloat(x.dtype) || !anyRequiresGrad([xf, v])) return result;
  // PyTorch's gradient: each position's gradient shared among the values equal to its result
  // (x's own value included), computed now so that later in-place writes cannot change it.
  const pos = fromArray(op, positions, [n], 'int32', { device: x.device });
  const [selfIs, srcIs, share] = noGrad(() => {
    const r = reshape(result, [numel]);
    const a = cast(eq(detach(xf), r), x.dtype);
    const b = cast(eq(detach(v), gather(r, 0, pos)), x.dtype);
    return [a, b, scatterAdd(a, 0, pos, b)];
  });
  const y = record(
    'ScatterReduceBackward',
    reshape(result, [numel]),
    [xf, v],
    (grad) => {
      const part = div(grad, share);
      let gSelf = mul(selfIs, part);
      if (!includeSelf) {
        const mask = new Uint8Array(numel);
        for (const p of touched) mask[p] = 1;
        const written = fromArray(op, mask, [numel], 'bool', { device: grad.device });
        gSelf = where(written, scalarLike(grad, 0, grad.dtype), gSelf);
      }
      return [xf._requiresGrad ? gSelf : null, v._requiresGrad ? mul(srcIs, gather(part, 0, pos)) : null];
    },
    [selfIs, srcIs, share, pos],
  );
  return reshape(y, x.shape);
}

/**
 * `x` with the values of `src` reduced into the positions `index` gives along `dim` (PyTorch's
 * `scatter_reduce`; for dim 0 `out[index[i][j]][j] ⊕= src[i][j]`), `reduce` one of `'sum'`,
 * `'prod'`, `'mean'`, `'amax'`, `'amin'`. With `includeSelf` (default true) `x`'s values take
 * part; without, positions that receive values forget `x`'s. Integer `'mean'` rounds down.
 * Differentiable in `x` and `src` (for amax/amin the gradient is shared evenly among the values
 * equal to the result, as PyTorch's).
 */
export function scatterReduce(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  reduce: ScatterReduction,
  opts: ScatterReduceOptions | boolean = {},
): Tensor {
  checkTensor('scatterReduce', x);
  checkTensor('scatterReduce', src, 'src');
  if (!REDUCTIONS.includes(reduce)) {
    throw new Error(
      `scatterReduce: reduce argument must be one of ${REDUCTIONS.map((r) => `'${r}'`).join(', ')}, got ${JSON.stringify(reduce)}`,
    );
  }
  let includeSelf = true;
  if (typeof opts === 'boolean') includeSelf = opts;
  else if (opts !== null && typeof opts === 'object') {
    const unknown = Object.keys(opts).filter((k) => k !== 'includeSelf');
    if (unknown.length > 0)
      throw new Error(`scatterReduce: unknown option '${unknown[0]}'; accepted: includeSelf`);
    includeSelf = opts.includeSelf ?? true;
  }
  const { positions } = scatterTargets('scatterReduce', x, dim, index, src.shape);
  const v = scatterValues('scatterReduce', x, index, src);
  return scatterReduceAt('scatterReduce', x, positions, v, reduce, includeSelf);
}

/** In-place {@link scatterReduce}. Returns `x`. */
export function scatterReduce_(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  reduce: ScatterReduction,
  opts: ScatterReduceOptions | boolean = {},
): Tensor {
  checkTensor('scatterReduce_', x);
  return inplace('scatterReduce_', x, (self) => scatterReduce(self, dim, index, src, reduce, opts));
}
