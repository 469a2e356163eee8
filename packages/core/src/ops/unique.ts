// unique (a table entry, ops/table.ts): the distinct elements, decided on the host after one
// synchronous read (the result's size depends on the data), their values then gathered on the
// device from the input, so they are exactly the input's elements in any dtype.
import { any, bool, opt, type PosOrOpts, req, signature as sig, tensor } from '../signature/signature.js';
import { fromArray } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { hostValues } from './host-values.js';
import { indexSelect } from './indexing.js';
import { noDerivative } from './no-derivative.js';
import { flatten } from './shape.js';
import { c, defineOps, type TableMethods, t, v } from './table.js';
import { checkTensor } from './util.js';

/** unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None) */
const UNIQUE = sig('unique', [
  req('input', tensor),
  opt('sorted', bool),
  opt('returnInverse', bool),
  opt('returnCounts', bool),
  opt('dim', any),
]);

/** Options of {@link unique}. */
export interface UniqueOptions {
  /** Ascending order (always: PyTorch's unsorted order on CPU is its hash table's, unspecified). */
  sorted?: boolean;
  /** Also return, for each input element, the index of its value in the result (int64, input's shape). */
  returnInverse?: boolean;
  /** Also return how often each value occurs (int64). */
  returnCounts?: boolean;
  /** Only null (unique elements of the flattened input): unique slices along a dim are not implemented. */
  dim?: number | null;
}

const int64 = (xs: readonly number[]): BigInt64Array => BigInt64Array.from(xs, BigInt);

/**
 * The distinct elements of the input (flattened), in ascending order: PyTorch's `unique` with
 * `dim=None`. With `returnInverse` and/or `returnCounts`, an array `[values, inverse?, counts?]`
 * (PyTorch's tuple order). NaNs are all distinct and sort last. `sorted=false` still sorts
 * (PyTorch leaves that order unspecified); `dim` other than null is refused (not implemented).
 * No derivative (as in PyTorch). Reads the input back to decide the result's size.
 *
 * ```ts
 * unique(tensor([3, 1, 3, 2]));                                     // tensor([1., 2., 3.])
 * const [values, inverse, counts] = unique(x, { returnInverse: true, returnCounts: true }) as Tensor[];
 * ```
 */
export function unique(
  x: Tensor,
  ...rest: PosOrOpts<
    [sorted: boolean, returnInverse: boolean, returnCounts: boolean, dim: number | null],
    UniqueOptions
  >
): Tensor | Tensor[] {
  const a = UNIQUE.parse<{ input: Tensor } & UniqueOptions>([x, ...rest]);
  const op = 'unique';
  const input = checkTensor(op, a.input);
  if (a.dim !== undefined && a.dim !== null) {
    throw new Error(
      `${op}: dim=${String(a.dim)} is not implemented: only dim=null (the unique elements of the flattened input)`,
    );
  }
  const flat = flatten(input);
  const values = hostValues(op, flat);
  // positions in ascending order of value, NaN last; ties keep their input order
  const order = values.map((_, i) => i);
  order.sort((i, j) => {
    const p = values[i];
    const q = values[j];
    const pn = Number.isNaN(p);
    const qn = Number.isNaN(q);
    if (pn || qn) return pn === qn ? i - j : pn ? 1 : -1;
    return p < q ? -1 : p > q ? 1 : i - j;
  });
  const first: number[] = [];
  const counts: number[] = [];
  const inverse = new Array<number>(values.length);
  for (const i of order) {
    const last = first.length - 1;
    // NaN != NaN: each NaN is a value of its own
    if (last >= 0 && values[first[last]] === values[i]) counts[last]++;
    else {
      first.push(i);
      counts.push(1);
    }
    inverse[i] = first.length - 1;
  }
  const device = { device: input.device };
  const pos = fromArray(op, Int32Array.from(first), [first.length], 'int32', device);
  let out = indexSelect(flat, 0, pos);
  if (isFloat(out.dtype)) out = noDerivative(op, out.detach(), [input]);
  if (!a.returnInverse && !a.returnCounts) return out;
  const result = [out];
  if (a.returnInverse) result.push(fromArray(op, int64(inverse), [...input.shape], 'int64', device));
  if (a.returnCounts) result.push(fromArray(op, int64(counts), [counts.length], 'int64', device));
  return result;
}

const OPS = defineOps({
  unique: {
    fn: unique,
    grad: false,
    cases: [
      c('floats', [v([3, 1.5, 3, -2, 1.5, 0])]),
      c('smallint_2d', [t([4, 5], 'smallint')]),
      c('inverse', [t([3, 4], 'smallint')], [true, true]),
      c('counts', [t([10], 'smallint')], [], { returnCounts: true }),
      c('both', [t([2, 3, 2], 'smallint')], [], { returnInverse: true, returnCounts: true }),
      c('int64', [t([8], 'smallint', { dtype: 'int64' })], [true, true, true]),
      c('bool', [t([6], 'bool')]),
      c('scalar', [t([])], [], { returnInverse: true }),
      c('empty', [t([0])], [], { returnCounts: true }),
      c('dim', [t([2, 3], 'smallint')], [], { dim: 0 }, { throws: 'ours' }),
    ],
  },
});

declare module '../tensor/tensor.js' {
  interface Tensor extends TableMethods<typeof import('./unique.js'), typeof OPS> {}
}
