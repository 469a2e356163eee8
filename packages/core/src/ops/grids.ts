// meshgrid and cartesianProd: coordinate grids as expanded views of the inputs (reshape +
// expand), so they cost no copy and their gradients are expand's (summed back).
import { kw, oneOf, signature as sig } from '../signature/signature.js';
import { fmtShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { stack } from './join.js';
import { expand, reshape } from './shape.js';
import { checkSameDevice, checkTensor } from './util.js';

/** meshgrid(*tensors, indexing=None): the tensors are spread (or one array), `indexing` by name. */
export const MESHGRID = sig('meshgrid', [kw('indexing', oneOf('ij', 'xy', null))]);

/** Options of {@link meshgrid}. */
export interface MeshgridOptions {
  /** 'ij' (matrix indexing, the default) or 'xy' (Cartesian: the first two output dims swapped). */
  indexing?: 'ij' | 'xy' | null;
}

let warnedIndexing = false;

/** Splits `(...tensors, opts?)` or `([tensors], opts?)` into the tensors and the options. */
function gridArgs(op: string, args: readonly unknown[]): [Tensor[], unknown[]] {
  const list = args.length > 0 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const rest = list === args ? [] : args.slice(1);
  const tensors: Tensor[] = [];
  for (const v of list) {
    if (v instanceof Tensor) tensors.push(v);
    else if (list === args) rest.push(v);
    else
      throw new Error(`${op}: expected an array of tensors, found ${v === null ? 'null' : typeof v} in it`);
  }
  if (tensors.length === 0) throw new Error(`${op}: expects a non-empty list of tensors`);
  tensors.forEach((t, i) => {
    checkTensor(op, t, `tensors[${i}]`);
    checkSameDevice(op, tensors[0], t);
    if (t.dtype !== tensors[0].dtype) {
      throw new Error(
        `${op}: expects all tensors to have the same dtype, got ${tensors.map((x) => x.dtype).join(', ')}`,
      );
    }
  });
  return [tensors, rest];
}

/**
 * Coordinate grids of 0-D or 1-D tensors: output k holds `tensors[k]` along its own dim,
 * repeated along the others (a view, as in PyTorch). With `indexing: 'ij'` (the default, as in
 * PyTorch 1.13, which warns when it is not given) the outputs have shape `[n0, n1, ...]`; with
 * 'xy' the first two dims are swapped (`[n1, n0, ...]`), as NumPy's default.
 *
 * ```ts
 * const [gx, gy] = meshgrid(arange(3), arange(2), { indexing: 'xy' }); // each [2, 3]
 * ```
 */
export function meshgrid(...args: (Tensor | MeshgridOptions)[]): Tensor[];
export function meshgrid(tensors: readonly Tensor[], opts?: MeshgridOptions): Tensor[];
export function meshgrid(...args: unknown[]): Tensor[] {
  const [tensors, rest] = gridArgs('meshgrid', args);
  const a = MESHGRID.parse<MeshgridOptions>(rest);
  if (a.indexing === undefined || a.indexing === null) {
    if (!warnedIndexing) {
      warnedIndexing = true;
      console.warn(
        "meshgrid: in an upcoming release, it will be required to pass the indexing argument (using 'ij', PyTorch 1.13's default)",
      );
    }
  }
  return grids(tensors, a.indexing ?? 'ij');
}

function grids(tensors: readonly Tensor[], indexing: 'ij' | 'xy'): Tensor[] {
  for (const t of tensors) {
    if (t.ndim > 1) {
      throw new Error(
        `meshgrid: expected 0-D or 1-D tensors, got shapes ${tensors.map((x) => fmtShape(x.shape)).join(', ')}`,
      );
    }
  }
  const n = tensors.length;
  // Output dim of input k: 'xy' swaps the first two.
  const dimOf = (k: number): number => (indexing === 'xy' && n >= 2 && k < 2 ? 1 - k : k);
  const shape = new Array<number>(n);
  tensors.forEach((t, k) => {
    shape[dimOf(k)] = t.numel();
  });
  return tensors.map((t, k) => {
    const own = shape.map((s, d) => (d === dimOf(k) ? s : 1));
    return expand(reshape(t, own), shape);
  });
}

/**
 * The Cartesian product of 1-D tensors: a `[n0·n1·…, k]` tensor of every combination, the last
 * input varying fastest (`itertools.product`); one tensor is returned as it is, as PyTorch does.
 *
 * ```ts
 * cartesianProd(tensor([1, 2]), tensor([3, 4])); // [[1, 3], [1, 4], [2, 3], [2, 4]]
 * ```
 */
export function cartesianProd(...tensors: Tensor[]): Tensor;
export function cartesianProd(tensors: readonly Tensor[]): Tensor;
export function cartesianProd(...args: unknown[]): Tensor {
  const [tensors, rest] = gridArgs('cartesianProd', args);
  if (rest.length > 0) throw new Error('cartesianProd: takes tensors only (cartesianProd(a, b, ...))');
  for (const t of tensors) {
    if (t.ndim !== 1) throw new Error(`cartesianProd: expected 1-D tensors, got shape ${fmtShape(t.shape)}`);
  }
  if (tensors.length === 1) return tensors[0];
  const g = grids(tensors, 'ij');
  return stack(
    g.map((x) => reshape(x, [-1])),
    1,
  );
}
