// diag, diagEmbed and trace, composed from differentiable movement ops (pad, reshape, narrow,
// permute, diagonal) and sum, so their gradients need no code of their own.
import {
  int,
  opt,
  type PosOrOpts,
  req,
  signature as sig,
  tensor,
  unsupported,
} from '../signature/signature.js';
import { fmtShape, normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { clone } from './convert.js';
import { sum } from './reduce.js';
import { narrow, padConstant, permute, reshape, unsqueeze } from './shape.js';
import { checkTensor } from './util.js';
import { diagonal } from './view.js';

/** diag(input, diagonal=0, *, out=None) */
export const DIAG = sig('diag', [
  req('input', tensor),
  opt('diagonal', int),
  unsupported('out', 'writing into an existing tensor is not implemented; use the returned tensor', true),
]);
/** diag_embed(input, offset=0, dim1=-2, dim2=-1) */
export const DIAG_EMBED = sig('diagEmbed', [
  req('input', tensor),
  opt('offset', int),
  opt('dim1', int),
  opt('dim2', int),
]);
/** trace(input) */
export const TRACE = sig('trace', [req('input', tensor)]);

/** Options of {@link diagEmbed}. */
export interface DiagEmbedOptions {
  /** Which diagonal: 0 the main one (default), > 0 above it, < 0 below. */
  offset?: number;
  /** First dim of the matrices in the output (default -2). */
  dim1?: number;
  /** Second dim of the matrices in the output (default -1). */
  dim2?: number;
}

/**
 * `[..., n]` → `[..., m, m]` (m = n + |offset|) with the last dim on diagonal `offset` of the
 * two new last dims and zeros elsewhere. Row i of `[..., n, m + 1]` (the value, then m zeros)
 * laid out flat puts value i at flat position i·(m + 1), the main diagonal of an m×m matrix;
 * shifting the flat vector by `offset` (or `-offset·m` rows) moves it to the other diagonals.
 */
function embedLast(x: Tensor, offset: number): Tensor {
  const batch = x.shape.slice(0, -1);
  const n = x.shape[x.ndim - 1];
  const m = n + Math.abs(offset);
  const none = batch.map(() => [0, 0] as const);
  const rows = padConstant(unsqueeze(x, -1), [...none, [0, 0], [0, m]]); // [..., n, m + 1]
  const flat = reshape(rows, [...batch, n * (m + 1)]);
  const start = offset >= 0 ? offset : -offset * m;
  const total = start + n * (m + 1);
  const wanted = m * m;
  const placed =
    total >= wanted
      ? narrow(padConstant(flat, [...none, [start, 0]]), -1, 0, wanted)
      : padConstant(flat, [...none, [start, wanted - total]]);
  return reshape(placed, [...batch, m, m]);
}

/**
 * A tensor whose diagonals (over `dim1`, `dim2` of the result) hold the last dim of `input`:
 * `diagEmbed(x).diagonal(offset, dim1, dim2)` is `x`. PyTorch's `torch.diag_embed`.
 *
 * ```ts
 * diagEmbed(tensor([[1, 2], [3, 4]])); // [2, 2, 2]: two diagonal matrices
 * ```
 */
export function diagEmbed(
  input: Tensor,
  ...rest: PosOrOpts<[offset: number, dim1: number, dim2: number], DiagEmbedOptions>
): Tensor {
  const a = DIAG_EMBED.parse<{ input: Tensor } & DiagEmbedOptions>([input, ...rest]);
  const x = checkTensor('diagEmbed', a.input);
  const offset = a.offset ?? 0;
  if (x.ndim === 0) {
    throw new Error(
      'diagEmbed: expected a tensor with at least 1 dim (its last dim is the diagonal), got a 0-d tensor',
    );
  }
  const nd = x.ndim + 1;
  const d1 = normDim('diagEmbed', a.dim1 ?? -2, nd);
  const d2 = normDim('diagEmbed', a.dim2 ?? -1, nd);
  if (d1 === d2)
    throw new Error(`diagEmbed: diagonal dims cannot be identical (dim1 ${a.dim1}, dim2 ${a.dim2})`);
  const z = embedLast(x, offset); // [...batch, rows, cols]
  // Result dim d1 is the rows, d2 the columns, the batch dims fill the others in order.
  const perm: number[] = [];
  let next = 0;
  for (let i = 0; i < nd; i++) perm.push(i === d1 ? nd - 2 : i === d2 ? nd - 1 : next++);
  return permute(z, perm);
}

/**
 * A 1-D `input` as the `diagonal`-th diagonal of a square matrix (zeros elsewhere); of a 2-D
 * `input`, its `diagonal`-th diagonal as a new 1-D tensor (a copy, as PyTorch's `torch.diag`;
 * `diagonal()` is the view). `diagonal` > 0 is above the main diagonal.
 *
 * ```ts
 * diag(tensor([1, 2]));          // [[1, 0], [0, 2]]
 * diag(tensor([[1, 2], [3, 4]]), 1); // [2]
 * ```
 */
export function diag(input: Tensor, ...rest: PosOrOpts<[diagonal: number], { diagonal?: number }>): Tensor {
  const a = DIAG.parse<{ input: Tensor; diagonal?: number }>([input, ...rest]);
  const x = checkTensor('diag', a.input);
  const k = a.diagonal ?? 0;
  if (x.ndim === 1) return diagEmbed(x, k, 0, 1);
  if (x.ndim === 2) return clone(diagonal(x, k, 0, 1));
  throw new Error(`diag: expected a 1-D (vector) or 2-D (matrix) tensor, got shape ${fmtShape(x.shape)}`);
}

/**
 * The sum of the main diagonal of a 2-D tensor (a 0-d tensor; integer inputs sum to int64, as
 * PyTorch's `torch.trace`).
 */
export function trace(input: Tensor): Tensor {
  const a = TRACE.parse<{ input: Tensor }>([input]);
  const x = checkTensor('trace', a.input);
  if (x.ndim !== 2) throw new Error(`trace: expected a matrix (2-D tensor), got shape ${fmtShape(x.shape)}`);
  if (x.dtype === 'bool')
    throw new Error(`trace: not implemented for bool tensors (shape ${fmtShape(x.shape)}); cast with .int()`);
  return sum(diagonal(x, 0, 0, 1));
}
