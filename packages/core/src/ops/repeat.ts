// Repetition along dims: repeat, tile, repeatInterleave (table entries, ops/table.ts). Built from
// reshape/expand (a whole-tensor repeat) and indexSelect (per-element repeat counts), so the
// gradients are theirs: the repeated copies' gradients summed back.
import type { DType } from '../backend/types.js';
import {
  type Check,
  int,
  kw,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
} from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import { fmtShape, normDim, shapeArg } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { indexSelect } from './indexing.js';
import { expand, flatten, reshape, type ShapeLike } from './shape.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

function checkSizes(op: string, what: string, sizes: readonly number[]): void {
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 0) {
      throw new Error(`${op}: ${what} must be non-negative integers, got ${JSON.stringify(sizes)}`);
    }
  }
}

/** Repeats `x` `reps[i]` times along dim i (reps has x's rank, or more: new leading dims). */
function tileAll(x: Tensor, reps: readonly number[]): Tensor {
  const shape = [...reps.slice(0, reps.length - x.ndim).map(() => 1), ...x.shape];
  // [s0, s1, …] → [1, s0, 1, s1, …] → expand [r0, s0, r1, s1, …] → [r0·s0, r1·s1, …]
  const spread = shape.flatMap((s) => [1, s]);
  const big = shape.flatMap((s, i) => [reps[i], s]);
  return reshape(
    expand(reshape(x, spread), big),
    shape.map((s, i) => s * reps[i]),
  );
}

/**
 * The tensor repeated `sizes[i]` times along each dim i (PyTorch's `Tensor.repeat(*sizes)`);
 * more sizes than dims add leading dims. Sizes may be spread or one array. The result is a
 * copy; its gradient sums the copies.
 *
 * ```ts
 * repeat(tensor([1, 2]), 2, 2); // tensor([[1., 2., 1., 2.], [1., 2., 1., 2.]])
 * x.repeat([3, 1]);
 * ```
 */
export function repeat(x: Tensor, ...sizes: ShapeLike): Tensor {
  checkTensor('repeat', x);
  const reps = shapeArg(sizes);
  checkSizes('repeat', 'sizes', reps);
  if (reps.length < x.ndim) {
    throw new Error(
      `repeat: the number of repeat dims (${reps.length}) can not be smaller than the number of dims of the tensor (shape ${fmtShape(x.shape)})`,
    );
  }
  return tileAll(x, reps);
}

/** tile(input, dims) */
const TILE = sig('tile', [
  req('input', tensor),
  req('dims', (v) => (Array.isArray(v) ? null : 'an array of integers')),
]);

/**
 * The tensor repeated `dims[i]` times along each dim (NumPy's `tile`): like {@link repeat}, but
 * fewer entries than dims are padded with leading 1s.
 *
 * ```ts
 * tile(tensor([[1, 2]]), [2]); // tensor([[1., 2., 1., 2.]])
 * ```
 */
export function tile(
  x: Tensor,
  ...rest: [dims: readonly number[]] | [options: { dims: readonly number[] }]
): Tensor {
  const a = TILE.parse<{ input: Tensor; dims: number[] }>([x, ...rest]);
  const input = checkTensor('tile', a.input);
  checkSizes('tile', 'dims', a.dims);
  const reps = [...new Array(Math.max(0, input.ndim - a.dims.length)).fill(1), ...a.dims];
  return tileAll(input, reps);
}

const intOrTensor: Check = (v) =>
  Number.isInteger(v) || v instanceof Tensor ? null : 'an integer or a Tensor';

/** repeat_interleave(input, repeats, dim=None, *, output_size=None) */
const REPEAT_INTERLEAVE = sig('repeatInterleave', [
  req('input', tensor),
  opt('repeats', intOrTensor),
  opt('dim', optional(int)),
  kw('outputSize', optional(int)),
]);

/** Options of {@link repeatInterleave}. */
export interface RepeatInterleaveOptions {
  /** The dim to repeat along (default: the flattened input). */
  dim?: number | null;
  /** The total size of the result along `dim`; checked against the repeats when given. */
  outputSize?: number | null;
}

/** The repeat counts of a repeats tensor, read back (they decide the result's shape). */
function counts(op: string, repeats: Tensor): number[] {
  if (isFloat(repeats.dtype) || repeats.dtype === 'bool' || repeats.ndim > 1) {
    throw new Error(
      `${op}: repeats must be a 0-d or 1-D integer tensor, got ${repeats.dtype} ${fmtShape(repeats.shape)}`,
    );
  }
  const n = Array.from(repeats.dataSync() as ArrayLike<number | bigint>, Number);
  if (n.some((r) => r < 0)) throw new Error(`${op}: repeats can not be negative, got ${JSON.stringify(n)}`);
  return n;
}

/**
 * Repeats each element (or slice along `dim`) `repeats` times, keeping their order
 * (`[a, b]` → `[a, a, b, b]`), PyTorch's `repeat_interleave`: `repeats` is an integer or an
 * integer tensor with one count per slice (or one for all); without `dim` the input is
 * flattened first. `repeatInterleave(counts)` alone repeats `0, 1, …` by the counts.
 * A tensor of counts is read back to size the result.
 *
 * ```ts
 * repeatInterleave(tensor([1, 2]), 2);                       // tensor([1., 1., 2., 2.])
 * x.repeatInterleave(tensor([1, 2]), 0);                      // row 0 once, row 1 twice
 * ```
 */
export function repeatInterleave(
  x: Tensor,
  ...rest: PosOrOpts<[repeats: number | Tensor, dim: number | null], RepeatInterleaveOptions>
): Tensor {
  const a = REPEAT_INTERLEAVE.parse<{ input: Tensor; repeats?: number | Tensor } & RepeatInterleaveOptions>([
    x,
    ...rest,
  ]);
  const op = 'repeatInterleave';
  const input = checkTensor(op, a.input);
  if (a.repeats === undefined) {
    // repeat_interleave(repeats): the indices 0..n-1, each repeated by its count
    const reps = counts(op, input);
    const idx = reps.flatMap((r, i) => new Array<number>(r).fill(i));
    const dtype = indexDtypeOf(input);
    const data = dtype === 'int64' ? BigInt64Array.from(idx, BigInt) : Int32Array.from(idx);
    return fromArray(op, data, [idx.length], dtype, { device: input.device });
  }
  const base = a.dim === undefined || a.dim === null ? flatten(input) : input;
  const d = a.dim === undefined || a.dim === null ? 0 : normDim(op, a.dim, input.ndim);
  const size = base.ndim === 0 ? 1 : base.shape[d];
  const src = base.ndim === 0 ? reshape(base, [1]) : base;
  let out: Tensor;
  let total: number;
  if (typeof a.repeats === 'number') {
    if (a.repeats < 0) throw new Error(`${op}: repeats can not be negative, got ${a.repeats}`);
    // [.., n, ..] → [.., n, 1, ..] → expand [.., n, r, ..] → [.., n·r, ..]
    const shape = [...src.shape];
    const spread = [...shape.slice(0, d + 1), 1, ...shape.slice(d + 1)];
    const big = [...shape.slice(0, d + 1), a.repeats, ...shape.slice(d + 1)];
    total = size * a.repeats;
    const target = [...shape];
    target[d] = total;
    out = reshape(expand(reshape(src, spread), big), target);
  } else {
    const reps = counts(op, a.repeats);
    if (reps.length !== 1 && reps.length !== size) {
      throw new Error(
        `${op}: repeats must have the same size as input along dim (${size}) or size 1, got ${reps.length}`,
      );
    }
    const each = reps.length === 1 ? new Array<number>(size).fill(reps[0]) : reps;
    const idx = each.flatMap((r, i) => new Array<number>(r).fill(i));
    total = idx.length;
    const index = fromArray(op, Int32Array.from(idx), [idx.length], 'int32', { device: input.device });
    out = indexSelect(src, d, index);
  }
  if (a.outputSize !== undefined && a.outputSize !== null && a.outputSize !== total) {
    throw new Error(`${op}: outputSize ${a.outputSize} does not match the repeats' total ${total}`);
  }
  return out;
}

/** PyTorch's index dtype: int64 where the backend stores it. */
function indexDtypeOf(like: Tensor): DType {
  return like._backend.supportsDtype('int64') ? 'int64' : 'int32';
}

const OPS = defineOps({
  repeat: {
    fn: repeat,
    torch: 'Tensor.repeat',
    cases: [
      c('same_rank', [t([2, 3])], [2, 3]),
      c('new_dims', [t([2, 3])], [2, 1, 2]),
      c('array', [t([3])], [[2, 2]]),
      c('ones', [t([2, 3])], [1, 1]),
      c('zero', [t([2, 3])], [0, 2]),
      c('scalar', [t([])], [3]),
      c('noncontiguous', [t([3, 4], 'normal', { transposed: true })], [2, 1]),
      c('int64', [t([3], 'smallint', { dtype: 'int64' })], [2]),
      c('bool', [t([2], 'bool')], [2, 2]),
      c('too_few', [t([2, 3])], [2], undefined, { throws: true }),
    ],
  },
  tile: {
    fn: tile,
    cases: [
      c('same_rank', [t([2, 3])], [[2, 3]]),
      c('fewer', [t([2, 3])], [[2]]),
      c('more', [t([3])], [[2, 2]]),
      c('kw', [t([2, 2])], [], { dims: [1, 3] }),
      c('int64', [t([3], 'smallint', { dtype: 'int64' })], [[2]]),
    ],
  },
  repeatInterleave: {
    fn: repeatInterleave,
    cases: [
      c('int_flat', [t([2, 3])], [2]),
      c('int_dim', [t([2, 3])], [2, 1]),
      c('int_dim0', [t([2, 3])], [3, 0]),
      c('tensor_dim', [t([3, 2]), v([1, 0, 2], { dtype: 'int64' })], [0]),
      c('tensor_one', [t([2, 3]), v([2], { dtype: 'int64' })], [1]),
      c('tensor_flat', [t([2, 2]), v([1, 2, 0, 3], { dtype: 'int64' })]),
      c('output_size', [t([2, 3]), v([1, 2], { dtype: 'int64' })], [0], { outputSize: 3 }),
      c('scalar', [t([])], [3]),
      c('counts_only', [v([1, 0, 3], { dtype: 'int64' })]),
      c('int64_input', [t([4], 'smallint', { dtype: 'int64' })], [2]),
      c('bad_counts', [t([2, 3]), v([1, 2, 3], { dtype: 'int64' })], [0], undefined, { throws: true }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./repeat.js'), typeof OPS> {}
}
