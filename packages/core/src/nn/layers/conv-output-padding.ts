// PyTorch's `_ConvTransposeNd._output_padding`: the output padding that makes a transposed
// convolution produce a requested `output_size` (forward's second argument).

import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../functional/conv-args.js';

/** Geometry of a transposed convolution layer. */
export interface TransposedGeometry {
  kernelSize: readonly number[];
  stride: readonly number[];
  padding: readonly number[];
  dilation: readonly number[];
  outputPadding: readonly number[];
}

/**
 * The layer's own output padding without `outputSize`; with it (the spatial size, or the full
 * size with batch and channel dims), the padding that reaches it, or PyTorch's error when no
 * padding in [0, stride) does.
 */
export function outputPaddingFor(
  op: string,
  input: Tensor,
  outputSize: readonly number[] | null | undefined,
  g: TransposedGeometry,
): number[] {
  if (outputSize === null || outputSize === undefined) return [...g.outputPadding];
  const n = g.kernelSize.length;
  const nonSpatial = input.ndim === n + 2 ? 2 : 1;
  let size = [...outputSize];
  if (size.length === nonSpatial + n) size = size.slice(nonSpatial);
  if (size.length !== n) {
    throw new Error(
      `${op}: for ${n}-D input, outputSize must have ${n} or ${n + nonSpatial} elements (got ${outputSize.length})`,
    );
  }
  const inSize = input.shape.slice(nonSpatial);
  const min = inSize.map(
    (s, d) => (s - 1) * g.stride[d] - 2 * g.padding[d] + g.dilation[d] * (g.kernelSize[d] - 1) + 1,
  );
  const max = min.map((m, d) => m + g.stride[d] - 1);
  if (size.some((s, d) => s < min[d] || s > max[d])) {
    throw new Error(
      `${op}: requested an output size of ${fmt(size)}, but valid sizes range from ${fmt(min)} to ${fmt(max)} (for an input of ${fmt(inSize)})`,
    );
  }
  return size.map((s, d) => s - min[d]);
}
