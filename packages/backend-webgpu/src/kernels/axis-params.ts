// What the kernels along one axis of an index tensor (gather.ts, scatter-add.ts) share: how they
// see shapes and how their `params` begin.

/** A shape as these kernels see it: rank 0 as rank 1 of size 1 (the only valid index is 0). */
export const atLeast1d = (shape: readonly number[]): readonly number[] => (shape.length === 0 ? [1] : shape);

/**
 * The opening of a kernel body whose `params` begin [n, rank, axis]: invocations past n return,
 * and `rank`, `axis` and `rem` (the invocation's index, for the body to decode) are bound.
 */
export const AXIS_PARAMS = `
  if (i >= params[0]) { return; }
  let rank = params[1];
  let axis = params[2];
  var rem = i;`;
