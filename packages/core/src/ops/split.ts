import { recordMulti } from '../autograd/node.js';
import { fmtShape, normDim } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cat } from './join.js';
import { padRaw } from './shape.js';
import { checkTensor, wrap } from './util.js';
import { makeView } from './view.js';

/**
 * Splits into chunks of `splitSize` (or the given sizes) along `dim`.
 *
 * The parts are recorded as the outputs of one op: backward joins their gradients once
 * (zeros for parts that got none), instead of padding each part's gradient to the full size
 * and adding them up.
 *
 * ```ts
 * const [i, f, g, o] = gates.split(64, -1);
 * ```
 */
export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  checkTensor('split', x);
  const d = normDim('split', dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (!Number.isInteger(splitSize) || splitSize <= 0)
      throw new Error(`split: splitSize must be a positive integer, got ${splitSize}`);
    sizes = [];
    for (let i = 0; i < n; i += splitSize) sizes.push(Math.min(splitSize, n - i));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...splitSize];
    for (const s of sizes) {
      if (!Number.isInteger(s) || s < 0)
        throw new Error(`split: sizes must be non-negative integers, got ${fmtShape(sizes)}`);
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n)
      throw new Error(`split: sizes ${fmtShape(sizes)} sum to ${total}, but dim ${dim} has size ${n}`);
  }
  const outs: Tensor[] = [];
  let offset = x._offset;
  for (const s of sizes) {
    const shape = [...x.shape];
    shape[d] = s;
    const part = makeView(x, { shape, strides: x._strides, offset });
    part._multiView = 'split';
    outs.push(part);
    offset += s * x._strides[d];
  }
  recordMulti('SplitBackward', outs, [x], (grads) => [joinGrads(x, grads, sizes, d)]);
  return outs;
}

/** Splits into `chunks` nearly equal parts along `dim` (the last may be smaller). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor('chunk', x);
  const d = normDim('chunk', dim, x.ndim);
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new Error(`chunk: chunks must be a positive integer, got ${chunks}`);
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/** The gradient of `x` from its parts' gradients along `d`: one cat (zeros where null). */
function joinGrads(
  x: Tensor,
  grads: readonly (Tensor | null)[],
  sizes: readonly number[],
  d: number,
): Tensor {
  let given = 0;
  let only = -1;
  for (let i = 0; i < grads.length; i++) {
    if (grads[i] !== null) {
      given++;
      only = i;
    }
  }
  if (given === 1) {
    if (grads.length === 1) return grads[0]!;
    // One part: pad it into place, one pass and no zero parts.
    const g = grads[only]!;
    let at = 0;
    for (let i = 0; i < only; i++) at += sizes[i];
    const pads = g.shape.map((n, k) => (k === d ? [at, x.shape[d] - at - n] : [0, 0]) as [number, number]);
    return padRaw(g, pads, 0);
  }
  const parts = grads.map((g, i) => {
    if (g !== null) return g;
    const shape = [...x.shape];
    shape[d] = sizes[i];
    return wrap(x, x._backend.fill(shape, x.dtype, 0), shape, x.dtype);
  });
  return cat(parts, d);
}
