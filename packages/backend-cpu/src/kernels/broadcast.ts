import type { Shape } from '@proj/core';

/**
 * Element strides of a contiguous `shape` laid against the broadcast `outShape`
 * (right-aligned, NumPy rules): 0 on dims that are missing or of size 1.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const r = outShape.length;
  const off = r - shape.length;
  const s = new Array<number>(r).fill(0);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i + off] = shape[i] === 1 ? 0 : acc;
    acc *= shape[i];
  }
  return s;
}

/** A loop nest after {@link collapseDims}: the dims and, per operand, its strides on them. */
export interface Collapsed {
  shape: number[];
  strides: number[][];
}

/**
 * Drops size-1 dims and merges adjacent dims that every operand walks contiguously (or all
 * stretch), so that broadcast loops run over as few, as long rows as possible. A scalar loop
 * nest comes back as shape `[1]`.
 */
export function collapseDims(shape: Shape, strides: readonly (readonly number[])[]): Collapsed {
  const k = strides.length;
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let j = 0; j < k && merge; j++) {
      // The previous (outer) dim continues this one iff its stride is this stride × this size.
      if (outStrides[j][last] !== strides[j][d] * n) merge = false;
    }
    if (merge) {
      outShape[last] *= n;
      for (let j = 0; j < k; j++) outStrides[j][last] = strides[j][d];
    } else {
      outShape.push(n);
      for (let j = 0; j < k; j++) outStrides[j].push(strides[j][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let j = 0; j < k; j++) outStrides[j].push(0);
  }
  return { shape: outShape, strides: outStrides };
}
