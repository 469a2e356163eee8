import type { DataArray } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * `x`'s values read back synchronously as numbers (int64 too: index-sized values), for ops that
 * decide on the host (counting, unique); a backend that only reads asynchronously gets an error
 * naming `op`.
 */
export function hostValues(op: string, x: Tensor): number[] {
  let data: DataArray;
  try {
    data = x.dataSync<DataArray>();
  } catch (e) {
    throw new Error(
      `${op}: computes on the host and needs a synchronous read, which the '${x.device}' backend refused (${(e as Error).message})`,
    );
  }
  return Array.from(data as ArrayLike<number | bigint>, Number);
}
