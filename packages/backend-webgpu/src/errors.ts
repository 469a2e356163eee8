// The messages kernels report through status codes (see `Dispatch.fails`), surfaced at the next read.
import type { DType } from '@proj/core';

/** Status codes a kernel writes with `atomicMax(&status[0], code)`. */
export const STATUS = {
  /** An integer result does not fit its dtype. */
  range: 1,
  /** Integer division (or remainder) by zero. */
  divByZero: 2,
  /** An index outside the dimension it indexes. */
  index: 3,
} as const;

const RANGE: Record<string, string> = {
  int32: '[-2147483648, 2147483647]',
  int64: '[-2147483648, 2147483647] (webgpu computes int64 in 32 bits: WGSL has no 64-bit integers)',
  uint8: '[0, 255]',
  bool: '[0, 1]',
};

/**
 * The message for a failed integer kernel: `op` on operands of `shapes`, result dtype `dtype`.
 * Integers never wrap around (DESIGN: results that do not fit are errors).
 */
export function intStatusMessage(
  op: string,
  dtype: DType,
  shapes: readonly (readonly number[])[],
  code: number,
): string {
  const on = `${op} on ${dtype} tensors of shape ${shapes.map((s) => `[${s.join(', ')}]`).join(' and ')}`;
  if (code === STATUS.divByZero)
    return `${op}: integer division by zero (${on}); divide floats (.float()) for ±inf/nan`;
  if (code === STATUS.index) return `${op}: an index is out of range (${on})`;
  return `${op}: a result does not fit ${dtype} (range ${RANGE[dtype] ?? '?'}) in ${on}; integers never wrap around here — use a wider dtype (.float(), .double() on the CPU) for larger values`;
}
