// The two primitives behind indexing: reading and writing a tensor's elements at row-major flat
// positions computed on the host. Both run as gathers over inverse maps where they can (a GPU
// backend's scatter loops over every index for each output element; a gather does not).
import { record } from '../autograd/node.js';
import type { Backend } from '../backend/backend.js';
import type { DType, TensorInfo } from '../backend/types.js';
import { fromArray } from '../tensor/creation.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { cast, detach } from './convert.js';
import { gather } from './indexing.js';
import { reshape } from './shape.js';
import { scalarLike, wrap } from './util.js';

/** Host bookkeeping of a write at `positions` into `numel` elements. */
interface Plan {
  /** Which elements are written. */
  readonly mask: Uint8Array;
  /** For each written element, the LAST value index that targets it (0 elsewhere). */
  readonly inv: Int32Array;
  /** No position repeats. */
  readonly unique: boolean;
}

function planOf(positions: Int32Array, numel: number): Plan {
  const mask = new Uint8Array(numel);
  const inv = new Int32Array(numel);
  let unique = true;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    if (mask[p] !== 0) unique = false;
    mask[p] = 1;
    inv[p] = i;
  }
  return { mask, inv, unique };
}

const info = (handle: unknown, shape: readonly number[], dtype: DType): TensorInfo => ({
  handle,
  shape,
  dtype,
});

/**
 * The raw write (no recording): a new buffer holding `x` (flat, `numel`) with `v` (flat, n) put
 * at `positions`: replaced (last value wins) or, with `accumulate`, added.
 */
function putRaw(
  b: Backend,
  x: TensorInfo,
  v: TensorInfo,
  positions: Int32Array,
  plan: Plan,
  accumulate: boolean,
): unknown {
  const numel = x.shape[0];
  const n = positions.length;
  const dtype = x.dtype;
  const temps: unknown[] = [];
  const tmp = (h: unknown): unknown => {
    temps.push(h);
    return h;
  };
  try {
    const cond = info(tmp(b.write(plan.mask, [numel], 'bool')), [numel], 'bool');
    if (accumulate && !plan.unique) {
      // Repeated positions add up: a scatter-add (bool accumulates as a logical or).
      const work: DType = dtype === 'bool' ? 'int32' : dtype;
      const xs = work === dtype ? x : info(tmp(b.cast(x, work)), [numel], work);
      const vs = work === dtype ? v : info(tmp(b.cast(v, work)), [n], work);
      const pos = info(tmp(b.write(positions, [n], 'int32')), [n], 'int32');
      const sum = b.scatterAdd(xs, 0, pos, vs);
      if (work === dtype) return sum;
      tmp(sum);
      return b.cast(info(sum, [numel], work), dtype);
    }
    const inv = info(tmp(b.write(plan.inv, [numel], 'int32')), [numel], 'int32');
    const placed = info(tmp(b.gather(v, 0, inv)), [numel], dtype);
    if (!accumulate) return b.where(cond, placed, x, [numel]);
    if (dtype === 'bool')
      return b.binary('logicalOr', x, info(tmp(b.where(cond, placed, x, [numel])), [numel], dtype), [numel]);
    const zero = info(tmp(b.fill([], dtype, 0)), [], dtype);
    const add = info(tmp(b.where(cond, placed, zero, [numel])), [numel], dtype);
    return b.binary('add', x, add, [numel]);
  } finally {
    for (const h of temps) b.disposeData(h);
  }
}

/**
 * The primitive behind index_put, index_copy/add/fill, scatter and masked_scatter: a copy of
 * `x` in which the elements at the row-major flat `positions` take (or, with `accumulate`, add)
 * the values of `values` (same number of elements, in order; cast to `x`'s dtype). Out of place.
 *
 * With `accumulate` duplicates add up (PyTorch's `accumulate=True`). Without it a position
 * given several times keeps the LAST of its values (PyTorch leaves this undefined; its CPU
 * kernels also end with the last). Gradients as PyTorch's: `x` gets the gradient outside the
 * written positions (everywhere with `accumulate`); each value gets the gradient at its
 * position (duplicates included).
 */
export function putPositions(
  op: string,
  x: Tensor,
  positions: Int32Array,
  values: Tensor,
  accumulate: boolean,
): Tensor {
  const n = positions.length;
  if (values.numel() !== n) {
    throw new Error(`${op}: ${values.numel()} values ${fmtShape(values.shape)} for ${n} indexed positions`);
  }
  const numel = x.numel();
  const v = reshape(values.dtype === x.dtype ? values : cast(values, x.dtype), [n]);
  const xf = reshape(x, [numel]);
  const plan = planOf(positions, numel);
  let out: unknown;
  if (n === 0) out = xf._materialize();
  else {
    const xd = detach(xf);
    const vd = detach(v);
    try {
      out = putRaw(x._backend, xd, vd, positions, plan, accumulate);
    } finally {
      xd.dispose();
      vd.dispose();
    }
  }
  const y = wrap(x, out, [numel], x.dtype);
  const recorded = record(accumulate ? 'IndexPutAccumulateBackward' : 'IndexPutBackward', y, [xf, v], (g) => {
    let gx: Tensor | null = null;
    if (xf._requiresGrad) {
      gx = accumulate
        ? g
        : where(
            fromArray(op, plan.mask, [numel], 'bool', { device: g.device }),
            scalarLike(g, 0, g.dtype),
            g,
          );
    }
    const pos = () => fromArray(op, positions, [n], 'int32', { device: g.device });
    return [gx, v._requiresGrad && n > 0 ? gather(g, 0, pos()) : null];
  });
  return reshape(recorded, x.shape);
}

/**
 * The elements of `x` at the row-major flat `positions`, as a tensor of `shape` (a gather).
 * The gradient puts the output's gradient back at those positions, adding where they repeat.
 */
export function takePositions(
  op: string,
  x: Tensor,
  positions: Int32Array,
  shape: readonly number[],
): Tensor {
  const numel = x.numel();
  const n = positions.length;
  const xf = reshape(x, [numel]);
  const pos = fromArray(op, positions, [n], 'int32', { device: x.device });
  const xd = detach(xf);
  let h: unknown;
  try {
    h = n === 0 ? x._backend.fill([0], x.dtype, 0) : x._backend.gather(xd, 0, pos);
  } finally {
    xd.dispose();
  }
  const y = record('IndexBackward', wrap(x, h, [n], x.dtype), [xf], (g) => {
    const zeros = wrap(g, g._backend.fill([numel], g.dtype, 0), [numel], g.dtype);
    return [putPositions(op, zeros, positions, g, true)];
  });
  return reshape(y, shape);
}
