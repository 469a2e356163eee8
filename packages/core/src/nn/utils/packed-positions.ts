// The index arithmetic of packed sequences (nn.utils.rnn and the recurrent layers' packed
// path): where each packed row sits in the padded [T, B] grid of the sorted batch.
import { cat } from '../../ops/join.js';
import { fromArray, full } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The lengths encoded by `batchSizes` (in sorted order). */
export function lengthsOf(batchSizes: readonly number[]): number[] {
  const B = batchSizes[0] ?? 0;
  return Array.from({ length: B }, (_, b) => batchSizes.filter((n) => n > b).length);
}

/**
 * Positions that turn packed `data` rows into a padded `[T, B]` grid (flattened, row
 * t·B + b) and back: `toPadded[t·B + b]` is the packed row of step t of sequence b, or `total`
 * (a padding row appended by the caller) where it has no step t; `toPacked` lists the grid
 * rows in packed order.
 */
export function packedPositions(
  batchSizes: readonly number[],
  T: number,
): { toPadded: Int32Array; toPacked: Int32Array } {
  const B = batchSizes[0] ?? 0;
  const total = batchSizes.reduce((a, b) => a + b, 0);
  const toPadded = new Int32Array(T * B).fill(total);
  const toPacked = new Int32Array(total);
  let row = 0;
  batchSizes.forEach((n, t) => {
    for (let b = 0; b < n; b++) {
      toPadded[t * B + b] = row;
      toPacked[row++] = t * B + b;
    }
  });
  return { toPadded, toPacked };
}

/** Packed `data` as a padded `[T, B, *]` grid in the packing's (sorted) batch order. */
export function packedToPadded(
  data: Tensor,
  batchSizes: readonly number[],
  T: number,
  paddingValue = 0,
): Tensor {
  const B = batchSizes[0] ?? 0;
  const feat = data.shape.slice(1);
  const { toPadded } = packedPositions(batchSizes, T);
  const padRow = full([1, ...feat], paddingValue, { dtype: data.dtype, device: data.device });
  const idx = fromArray('padPackedSequence', toPadded, [T * B], 'int32', { device: data.device });
  return cat([data, padRow], 0)
    .indexSelect(0, idx)
    .reshape([T, B, ...feat]);
}

/** The rows of a padded `[T, B, *]` grid that a packing holds, as packed data. */
export function paddedToPacked(padded: Tensor, batchSizes: readonly number[]): Tensor {
  const [T, B, ...feat] = padded.shape;
  const { toPacked } = packedPositions(batchSizes, T);
  const idx = fromArray('packPaddedSequence', toPacked, [toPacked.length], 'int32', {
    device: padded.device,
  });
  return padded.reshape([T * B, ...feat]).indexSelect(0, idx);
}
