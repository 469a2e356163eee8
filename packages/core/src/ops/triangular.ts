// The triangles of matrices: tril, triu (table entries, ops/table.ts). A mask built on the host
// (rows × cols, broadcast over the batch) and a `where`, whose gradient keeps the same triangle.
import {
  int,
  opt,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { c, defineOps, type TableMethods, t } from './table.js';
import { checkTensor, scalarLike } from './util.js';

const out = unsupported(
  'out',
  'writing into an existing tensor is not implemented; use the returned tensor',
  true,
);
/** tril(input, diagonal=0, *, out=None) */
const TRIL = sig('tril', [req('input', tensor), opt('diagonal', int), out]);
/** triu(input, diagonal=0, *, out=None) */
const TRIU = sig('triu', [req('input', tensor), opt('diagonal', int), out]);

function triangle(op: 'tril' | 'triu', args: readonly unknown[]): Tensor {
  const a = (op === 'tril' ? TRIL : TRIU).parse<{ input: Tensor; diagonal?: number }>(args);
  const x = checkTensor(op, a.input);
  if (x.ndim < 2) {
    throw new Error(`${op}: input tensor must have at least 2 dimensions, got shape ${fmtShape(x.shape)}`);
  }
  const k = a.diagonal ?? 0;
  const [rows, cols] = x.shape.slice(-2);
  const keep = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) keep[i * cols + j] = (op === 'tril' ? j - i <= k : j - i >= k) ? 1 : 0;
  }
  const mask = fromArray(op, keep, [rows, cols], 'bool', { device: x.device });
  return where(mask, x, scalarLike(x, 0, x.dtype));
}

/**
 * The lower triangle of the matrices in the last two dims: elements on and below diagonal
 * `diagonal` (0 the main one, positive above, negative below) are kept, the others zeroed.
 *
 * ```ts
 * tril(ones([3, 3]));      // ones on and below the diagonal
 * x.tril(-1);              // strictly below
 * ```
 */
export function tril(x: Tensor, ...rest: PosOrOpts<[diagonal: number], { diagonal?: number }>): Tensor {
  return triangle('tril', [x, ...rest]);
}

/** The upper triangle of the matrices in the last two dims (on and above `diagonal`): see {@link tril}. */
export function triu(x: Tensor, ...rest: PosOrOpts<[diagonal: number], { diagonal?: number }>): Tensor {
  return triangle('triu', [x, ...rest]);
}

const cases = [
  c('square', [t([4, 4])]),
  c('wide_k1', [t([3, 5])], [1]),
  c('tall_k_neg', [t([5, 3])], [-1]),
  c('batched', [t([2, 3, 3])], [0]),
  c('k_large', [t([3, 3])], [5]),
  c('k_kw', [t([3, 4])], [], { diagonal: -2 }),
  c('noncontiguous', [t([3, 4], 'normal', { transposed: true })]),
  c('int64', [t([3, 3], 'smallint', { dtype: 'int64' })]),
  c('bool', [t([3, 3], 'bool')]),
  c('1d', [t([3])], [], undefined, { throws: true }),
];

const OPS = defineOps({
  tril: { fn: tril, cases },
  triu: { fn: triu, cases },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./triangular.js'), typeof OPS> {}
}
