import type { Tensor } from '../tensor/tensor.js';
import { type IndexEntry, isBasicIndex, parseIndex } from './index-parse.js';
import { indexPositions } from './index-positions.js';
import { takePositions } from './put-positions.js';
import { checkTensor } from './util.js';
import { viewOp } from './view.js';

/**
 * `x[idx]` as in Python (PyTorch's `Tensor.__getitem__`): each entry an integer (negative counts
 * from the end), a slice (`'1:3'`, `'::2'`, `'-3:'`, `slice(1, 3)`), `'...'`, `null` (a new
 * axis), an integer tensor (int32 or int64) or nested `number[]` (advanced indexing), or a bool
 * tensor / nested `boolean[]` (a mask over as many dims as it has; `true`/`false` are 0-d masks).
 *
 * Basic indexing (integers, slices, `'...'`, `null` only) returns a view sharing `x`'s storage:
 * `x.index(0).fill_(1)` writes into `x`. Advanced indexing returns a copy whose shape follows
 * PyTorch's rules: integers are applied first, then the advanced indices broadcast together;
 * their dims take the place of the indexed dims when those are adjacent, and go first when a
 * slice, `'...'` or new axis separates them. Differentiable (the gradient of an advanced index
 * adds up at repeated positions). An index out of range is an {@link IndexError} naming the dim
 * and its size.
 *
 * ```ts
 * x.index(0, '1:', null)         // x[0, 1:, None]   (a view)
 * x.index('...', [0, 2])         // x[..., [0, 2]]   (a copy)
 * x.index(x.gt(0))               // x[x > 0]         (1-D)
 * ```
 */
export function index(x: Tensor, ...idx: IndexEntry[]): Tensor {
  checkTensor('index', x);
  if (isBasicIndex(idx)) {
    const { view: y } = parseIndex('index', x, idx);
    // A fresh view even when nothing was indexed away (`x[:]` is not `x`).
    return y !== x ? y : viewOp('AliasBackward', x, (shape, strides, offset) => ({ shape, strides, offset }));
  }
  const { positions, shape } = indexPositions('index', x, idx);
  return takePositions('index', x, positions, shape);
}
