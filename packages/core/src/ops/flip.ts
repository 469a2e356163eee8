// Reordering along dims: flip, roll, rot90 (table entries, ops/table.ts). Built from indexSelect
// (reversed positions), narrow + cat (rotated halves) and transpose, so the gradients are those
// ops' own.
import {
  type Check,
  int,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
} from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { fmtShape, normDim, normDims } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { clone } from './convert.js';
import { indexSelect } from './indexing.js';
import { cat } from './join.js';
import { flatten, narrow, reshape, transpose } from './shape.js';
import { c, defineOps, type TableMethods, t } from './table.js';
import { checkTensor } from './util.js';

const intOrInts: Check = (v) =>
  (typeof v === 'number' && Number.isInteger(v)) || (Array.isArray(v) && v.every(Number.isInteger))
    ? null
    : 'an integer or an array of integers';
const ints = (v: number | readonly number[]): number[] => (typeof v === 'number' ? [v] : [...v]);

/** flip(input, dims) */
const FLIP = sig('flip', [req('input', tensor), req('dims', intOrInts)]);
/** roll(input, shifts, dims=None) */
const ROLL = sig('roll', [req('input', tensor), req('shifts', intOrInts), opt('dims', optional(intOrInts))]);
/** rot90(input, k=1, dims=[0,1]) */
const ROT90 = sig('rot90', [req('input', tensor), opt('k', int), opt('dims', intOrInts)]);

/** `x` reversed along dim `d` (an indexSelect of n-1 … 0). */
function reverse(x: Tensor, d: number): Tensor {
  const n = x.shape[d];
  if (n <= 1) return x;
  const idx = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
  return indexSelect(x, d, fromArray('flip', idx, [n], 'int32', { device: x.device }));
}

/**
 * The tensor with the order of its elements reversed along each of `dims` (a copy, as in
 * PyTorch).
 *
 * ```ts
 * flip(tensor([[1, 2], [3, 4]]), [1]); // tensor([[2., 1.], [4., 3.]])
 * ```
 */
export function flip(
  x: Tensor,
  ...rest: [dims: number | readonly number[]] | [options: { dims: number | readonly number[] }]
): Tensor {
  const a = FLIP.parse<{ input: Tensor; dims: number | readonly number[] }>([x, ...rest]);
  const input = checkTensor('flip', a.input);
  let y = input;
  for (const d of normDims('flip', ints(a.dims), input.ndim)) y = reverse(y, d);
  return y === input ? clone(input) : y;
}

/** Options of {@link roll}. */
export interface RollOptions {
  /** Places to shift by (one per dim of `dims`); elements shifted past the end come back at the start. */
  shifts?: number | readonly number[];
  /** Dims to roll; when omitted the tensor is rolled flattened and the shape restored. */
  dims?: number | readonly number[] | null;
}

/**
 * The elements shifted by `shifts` positions along `dims`, those pushed past the end coming
 * back at the start (PyTorch's `roll`); without `dims` the tensor is rolled flattened and
 * reshaped back. Several shifts go with as many dims.
 *
 * ```ts
 * roll(tensor([1, 2, 3, 4]), 1);           // tensor([4., 1., 2., 3.])
 * x.roll([1, -1], [0, 1]);
 * ```
 */
export function roll(
  x: Tensor,
  ...rest: PosOrOpts<
    [shifts: number | readonly number[], dims: number | readonly number[] | null],
    RollOptions
  >
): Tensor {
  const a = ROLL.parse<{ input: Tensor } & RollOptions>([x, ...rest]);
  const input = checkTensor('roll', a.input);
  const shifts = ints(a.shifts!);
  if (a.dims === undefined || a.dims === null) {
    if (shifts.length !== 1) {
      throw new Error(`roll: without dims, shifts must be a single integer, got ${JSON.stringify(a.shifts)}`);
    }
    return reshape(rollDim(flatten(input), shifts[0], 0), [...input.shape]);
  }
  const dims = ints(a.dims);
  if (dims.length !== shifts.length) {
    throw new Error(`roll: shifts and dims must align, got ${shifts.length} shifts and ${dims.length} dims`);
  }
  let y = input;
  dims.forEach((d, i) => {
    y = rollDim(y, shifts[i], normDim('roll', d, input.ndim));
  });
  return y === input ? clone(input) : y;
}

function rollDim(x: Tensor, shift: number, d: number): Tensor {
  const n = x.ndim === 0 ? 1 : x.shape[d];
  if (n === 0 || x.ndim === 0) return x;
  const s = ((shift % n) + n) % n;
  if (s === 0) return x;
  return cat([narrow(x, d, n - s, s), narrow(x, d, 0, n - s)], d);
}

/** Options of {@link rot90}. */
export interface Rot90Options {
  /** Number of quarter turns (default 1; negative turns the other way). */
  k?: number;
  /** The plane to rotate in, two dims (default `[0, 1]`): from the first toward the second. */
  dims?: readonly number[];
}

/**
 * The tensor rotated by 90° `k` times in the plane of `dims` (default the first two), from the
 * first dim toward the second, as PyTorch's `rot90` (negative `k` turns the other way).
 *
 * ```ts
 * rot90(tensor([[1, 2], [3, 4]])); // tensor([[2., 4.], [1., 3.]])
 * ```
 */
export function rot90(
  x: Tensor,
  ...rest: PosOrOpts<[k: number, dims: readonly number[]], Rot90Options>
): Tensor {
  const a = ROT90.parse<{ input: Tensor } & Rot90Options>([x, ...rest]);
  const input = checkTensor('rot90', a.input);
  const dims = ints(a.dims ?? [0, 1]);
  if (dims.length !== 2)
    throw new Error(`rot90: expected 2 dims, got ${dims.length} (${JSON.stringify(dims)})`);
  if (input.ndim < 2)
    throw new Error(`rot90: expected a tensor of at least 2 dims, got shape ${fmtShape(input.shape)}`);
  const [d0, d1] = dims.map((d) => normDim('rot90', d, input.ndim));
  if (d0 === d1) throw new Error(`rot90: the rotation dims must differ, got ${JSON.stringify(dims)}`);
  const k = (((a.k ?? 1) % 4) + 4) % 4;
  // PyTorch's: k=1 flips dims[1] then swaps; k=2 flips both; k=3 flips dims[0] then swaps
  if (k === 1) return transpose(reverse(input, d1), d0, d1);
  if (k === 2) return reverse(reverse(input, d0), d1);
  if (k === 3) return transpose(reverse(input, d0), d0, d1);
  return clone(input);
}

const OPS = defineOps({
  flip: {
    fn: flip,
    cases: [
      c('dim0', [t([3, 4])], [[0]]),
      c('both', [t([3, 4])], [[0, 1]]),
      c('neg_dim', [t([2, 3, 4])], [[-1]]),
      c('kw', [t([2, 3])], [], { dims: [1] }),
      c('empty_dims', [t([2, 3])], [[]]),
      c('noncontiguous', [t([3, 4], 'normal', { transposed: true })], [[1]]),
      c('int64', [t([5], 'smallint', { dtype: 'int64' })], [[0]]),
      c('bool', [t([4], 'bool')], [[0]]),
      c('repeated_dim', [t([2, 3])], [[0, 0]], undefined, { throws: true }),
    ],
  },
  roll: {
    fn: roll,
    cases: [
      c('flat', [t([2, 3])], [1]),
      c('flat_negative', [t([2, 3])], [-4]),
      c('dim', [t([3, 4])], [1, 1]),
      c(
        'dims',
        [t([3, 4])],
        [
          [1, -1],
          [0, 1],
        ],
      ),
      c('large_shift', [t([5])], [12, 0]),
      c('kw', [t([2, 4])], [], { shifts: 3, dims: -1 }),
      c('zero_shift', [t([3])], [0, 0]),
      c('int64', [t([5], 'smallint', { dtype: 'int64' })], [2]),
      c('mismatch', [t([2, 3])], [[1, 2], [0]], undefined, { throws: true }),
    ],
  },
  rot90: {
    fn: rot90,
    cases: [
      c('default', [t([2, 3])]),
      c('k2', [t([2, 3])], [2]),
      c('k3', [t([2, 3])], [3]),
      c('k_negative', [t([2, 3])], [-1]),
      c('k4', [t([2, 3])], [4]),
      c('dims', [t([2, 3, 4])], [1, [2, 0]]),
      c('kw', [t([2, 3, 4])], [], { k: 1, dims: [1, 2] }),
      c('int64', [t([2, 2], 'smallint', { dtype: 'int64' })]),
      c('same_dims', [t([2, 3])], [1, [0, 0]], undefined, { throws: true }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./flip.js'), typeof OPS> {}
}
