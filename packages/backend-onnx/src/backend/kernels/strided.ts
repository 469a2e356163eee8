// Strided views (torch.as_strided / as_strided_scatter) of a whole storage buffer, seen flat.
//
// A read is planned as a chain of movement operators when the view is a permuted, stepped
// block of the buffer (transpose, narrow, select, expand, every step of a contiguous tensor):
// Slice of the rows it spans → Reshape to a grid whose dims are the view's strides → Slice of
// the grid → Transpose back to the view's dim order → Reshape → Expand over stride-0 dims. Sizes,
// offsets and shapes are int64 inputs, so one session serves a whole class of views. Any other
// view (overlapping windows, a diagonal running off the end, strides that do not divide) is a
// Gather with the flat positions of its elements as the index, computed on the host (core's
// `flatPositions`).
// A write through a view is ScatterElements of those positions into the flat buffer, or, for a
// contiguous run, Concat of the buffer's head, the new values and its tail.
import type { DType, Shape } from '@proj/core';
import { GraphBuilder, type OnnxDType } from '../../proto/index.js';
import { symbolic } from './dims.js';

/**
 * A view read as movement operators on the flat buffer (see the file comment). The values are
 * the int64 inputs of {@link stridedGridGraph}; the flags, rank and perm are its session key.
 */
export interface GridPlan {
  /** The rows of the buffer the view spans: `[start, end)`. */
  readonly start: number;
  readonly end: number;
  /**
   * The span is cut out of the buffer first (a copy); otherwise the whole buffer is the grid,
   * whose outer dim is then cut by the grid slice (one copy less).
   */
  readonly flatSlice: boolean;
  /**
   * The span (or the whole buffer) seen as a grid: one dim per non-trivial view dim in stride
   * order, then the stride-1 dim.
   */
  readonly grid: readonly number[];
  /** The view's block of the grid, `[gridStarts, gridEnds)` per grid dim. */
  readonly gridStarts: readonly number[];
  readonly gridEnds: readonly number[];
  /** The grid slice takes less than the whole grid (otherwise it is left out). */
  readonly gridSliced: boolean;
  /** Transpose from stride order back to the view's dim order, or null when they agree. */
  readonly perm: readonly number[] | null;
  /** The view's shape with 1 on its stride-0 (broadcast) dims: the Reshape before the Expand. */
  readonly pre: readonly number[];
  /** Some dim of size > 1 has stride 0: an Expand to the view's shape ends the chain. */
  readonly expand: boolean;
}

/**
 * Plans a non-empty view of a buffer of `length` elements as a {@link GridPlan}, or returns
 * null when its geometry is not a permuted, stepped block of the buffer.
 *
 * With the non-trivial dims sorted by stride (s_0 > s_1 > … > s_last, then a stride-1 dim
 * if s_last > 1), each stride must divide the one before it (m_k = s_{k-1} / s_k), and the
 * span of n_0 rows of s_0 elements from a start `a` must lie in the buffer, with the view's
 * first element at grid coordinates c_k = (offset - a) / s_k mod m_k that do not wrap
 * (c_k + n_k <= m_k). The start is the row boundary below the view (then, when s_0 divides
 * the buffer, the whole buffer is the grid and nothing is cut out first) or, when the view's
 * rows do not line up with the buffer's, the view's first element.
 */
export function planGrid(
  length: number,
  shape: Shape,
  strides: readonly number[],
  offset: number,
): GridPlan | null {
  const dims: { n: number; s: number; d: number }[] = [];
  shape.forEach((n, d) => {
    if (n > 1 && strides[d] > 0) dims.push({ n, s: strides[d], d });
  });
  dims.sort((a, b) => b.s - a.s || a.d - b.d);
  // the elements themselves: a stride-1 grid dim of which the view takes one
  if (dims.length === 0 || dims[dims.length - 1].s > 1) dims.push({ n: 1, s: 1, d: -1 });
  for (let k = 1; k < dims.length; k++) if (dims[k - 1].s % dims[k].s !== 0) return null;
  const s0 = dims[0].s;
  const span = dims[0].n * s0;
  for (const start of [offset - (offset % s0), offset]) {
    if (start + span > length) continue;
    const flatSlice = length % s0 !== 0 || start % s0 !== 0;
    const grid = [flatSlice ? dims[0].n : length / s0];
    const gridStarts = [flatSlice ? 0 : start / s0];
    const gridEnds = [gridStarts[0] + dims[0].n];
    let gridSliced = gridStarts[0] !== 0 || gridEnds[0] !== grid[0];
    let fits = true;
    for (let k = 1; k < dims.length && fits; k++) {
      const { n, s } = dims[k];
      const m = dims[k - 1].s / s;
      const c = Math.floor((offset - start) / s) % m;
      fits = c + n <= m;
      grid.push(m);
      gridStarts.push(c);
      gridEnds.push(c + n);
      if (c !== 0 || n !== m) gridSliced = true;
    }
    if (!fits) continue;
    // stride order → the view's order (the stride-1 element dim, when there is one, stays last)
    const order = dims.map((x, k) => ({ d: x.d, k })).filter((x) => x.d >= 0);
    order.sort((a, b) => a.d - b.d);
    const perm = order.map((x) => x.k);
    if (perm.length < dims.length) perm.push(dims.length - 1);
    return {
      start,
      end: start + span,
      flatSlice,
      grid,
      gridStarts,
      gridEnds,
      gridSliced,
      perm: perm.every((p, i) => p === i) ? null : perm,
      pre: shape.map((n, d) => (strides[d] === 0 ? 1 : n)),
      expand: shape.some((n, d) => n > 1 && strides[d] === 0),
    };
  }
  return null;
}

/** The session-key part of a plan: everything its graph depends on besides the dtype. */
export function gridPlanKey(p: GridPlan): string {
  return `${p.flatSlice ? 'f' : '-'}G${p.grid.length}:${p.gridSliced ? 's' : '-'}:${p.perm ? p.perm.join(',') : '-'}:r${p.pre.length}:${p.expand ? 'e' : '-'}`;
}

/** Whether the plan's chain reshapes the span into its grid (needed to slice or transpose it). */
export function reshapesGrid(p: GridPlan): boolean {
  return p.gridSliced || p.perm !== null;
}

/**
 * The movement chain of a {@link GridPlan}. Inputs, in order: `x`, the buffer seen with
 * {@link gridInputShape} (fed already shaped as the grid when the whole buffer is the grid, so
 * no Reshape has to copy a graph input); then the int64 inputs of {@link gridInputs}: with a
 * flat slice `start` and `end` ([1]) and, when the grid is sliced or transposed, `grid` ([G]);
 * with a grid slice `gstarts` and `gends` ([G]); `pre` ([rank]); with an Expand `shape` ([rank]).
 */
export function stridedGridGraph(dtype: DType, p: GridPlan): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const G = p.grid.length;
  const r = p.pre.length;
  const gridFed = !p.flatSlice && reshapesGrid(p);
  let y = g.input('x', t, symbolic('x', gridFed ? G : 1));
  if (p.flatSlice) {
    const start = g.input('start', 'int64', [1]);
    const end = g.input('end', 'int64', [1]);
    y = g.op('Slice', [y, start, end, g.int64s([0])]);
    if (reshapesGrid(p)) y = g.op('Reshape', [y, g.input('grid', 'int64', [G])]);
  }
  if (p.gridSliced) {
    const gs = g.input('gstarts', 'int64', [G]);
    const ge = g.input('gends', 'int64', [G]);
    y = g.op('Slice', [y, gs, ge, g.int64s(Array.from({ length: G }, (_, i) => i))]);
  }
  if (p.perm) y = g.op('Transpose', [y], { perm: p.perm });
  y = g.op('Reshape', [y, g.input('pre', 'int64', [r])]);
  if (p.expand) y = g.op('Expand', [y, g.input('shape', 'int64', [r])]);
  g.output(y, t);
  return g;
}

/** The shape the buffer (of `length` elements) is fed to {@link stridedGridGraph} with. */
export function gridInputShape(p: GridPlan, length: number): number[] {
  return !p.flatSlice && reshapesGrid(p) ? [...p.grid] : [length];
}

/** The int64 inputs of {@link stridedGridGraph} after `x`, in its order. */
export function gridInputs(p: GridPlan, shape: Shape): number[][] {
  const ins: number[][] = p.flatSlice ? [[p.start], [p.end]] : [];
  if (p.flatSlice && reshapesGrid(p)) ins.push([...p.grid]);
  if (p.gridSliced) ins.push([...p.gridStarts], [...p.gridEnds]);
  ins.push([...p.pre]);
  if (p.expand) ins.push([...shape]);
  return ins;
}

/** Gather of the flat buffer `x` at `index` (int32, the view's shape of rank `rank`). */
export function stridedGatherGraph(dtype: DType, rank: number): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const x = g.input('x', t, symbolic('x', 1));
  const index = g.input('index', 'int32', symbolic('i', rank));
  g.output(g.op('Gather', [x, index], { axis: 0 }), t);
  return g;
}

/** The flat buffer `x` with `src` (flat) written at the flat positions `index` (int32, distinct). */
export function stridedScatterGraph(dtype: DType): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const x = g.input('x', t, symbolic('x', 1));
  const index = g.input('index', 'int32', ['n']);
  const src = g.input('src', t, ['n']);
  g.output(g.op('ScatterElements', [x, index, src], { axis: 0, reduction: 'none' }), t);
  return g;
}

/**
 * The flat buffer `x` with the contiguous run `[start, end)` replaced by `src` (flat): Concat of
 * x's head, src and x's tail (`start`, `end`: int64 [1]; empty head or tail included).
 */
export function contiguousScatterGraph(dtype: DType): GraphBuilder {
  const g = new GraphBuilder('primitive');
  const t = dtype as OnnxDType;
  const x = g.input('x', t, symbolic('x', 1));
  const src = g.input('src', t, ['n']);
  const start = g.input('start', 'int64', [1]);
  const end = g.input('end', 'int64', [1]);
  const axes = g.int64s([0]);
  const head = g.op('Slice', [x, g.int64s([0]), start, axes]);
  const tail = g.op('Slice', [x, end, g.int64s([Number.MAX_SAFE_INTEGER]), axes]);
  g.output(g.op('Concat', [head, src, tail], { axis: 0 }), t);
  return g;
}
