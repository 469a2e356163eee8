import { noGrad } from '../autograd/grad-mode.js';
import { tidy } from '../tensor/scope.js';
import { sizeOf } from '../tensor/shape.js';
import { flatPositions, type Geometry } from '../tensor/strides.js';
import { Tensor } from '../tensor/tensor.js';
import { advancedPositions, type IndexEntry, parseIndex } from './index-parse.js';

/** The elements `x[idx]` selects: their row-major flat positions in `x`, in the result's order. */
export interface IndexPositions {
  /** Row-major flat position in `x` of each element of the result (row-major order). */
  readonly positions: Int32Array;
  /** The shape of `x[idx]`. */
  readonly shape: number[];
  /** Whether an advanced index (tensor, array, mask) was involved. */
  readonly advanced: boolean;
}

/**
 * Where the elements of `x[idx]` sit in `x` (row-major flat positions), computed on the host
 * from the index alone (`x`'s values are not read). The result's shape follows PyTorch's rules:
 * integers select first, then the advanced indices broadcast together; their dims take the place
 * of the indexed dims when those are adjacent, and go first when a slice, '...' or new axis
 * separates them.
 */
export function indexPositions(op: string, x: Tensor, entries: readonly IndexEntry[]): IndexPositions {
  return tidy(() =>
    noGrad(() => {
      // Views of a stand-in with x's shape and row-major strides: their geometry is positions in x.
      const dense = new Tensor(x._storage, x.shape, x.dtype);
      const { view: y, adv } = parseIndex(op, dense, entries);
      const g: Geometry = { shape: y.shape, strides: y._strides, offset: y._offset };
      if (adv.length === 0) return { positions: flatPositions(g), shape: [...y.shape], advanced: false };
      const advDims = adv.map((a) => a.dim);
      const { positions: advOff, shape: bShape } = advancedPositions(
        op,
        adv,
        advDims.map((d) => y._strides[d]),
      );
      const rest = y.shape.map((_, i) => i).filter((i) => !advDims.includes(i));
      const adjacent = advDims.every((d, i) => i === 0 || d === advDims[i - 1] + 1);
      // Rest dims before the broadcast dims: those before the first advanced dim when adjacent.
      const nBefore = adjacent ? advDims[0] : 0;
      const before = rest.slice(0, nBefore);
      const after = rest.slice(nBefore);
      const geom = (dims: number[]): Geometry => ({
        shape: dims.map((d) => y.shape[d]),
        strides: dims.map((d) => y._strides[d]),
        offset: 0,
      });
      const pb = flatPositions(geom(before));
      const pa = flatPositions(geom(after));
      const shape = [...before.map((d) => y.shape[d]), ...bShape, ...after.map((d) => y.shape[d])];
      const positions = new Int32Array(sizeOf(shape));
      let at = 0;
      for (let i = 0; i < pb.length; i++) {
        for (let j = 0; j < advOff.length; j++) {
          const base = y._offset + pb[i] + advOff[j];
          for (let k = 0; k < pa.length; k++) positions[at++] = base + pa[k];
        }
      }
      return { positions, shape, advanced: true };
    }),
  );
}
