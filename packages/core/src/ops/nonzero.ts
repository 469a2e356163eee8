import type { DataArray } from '../backend/types.js';
import { fromArray } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { indexDtype, maskCoords } from './index-parse.js';
import { checkTensor } from './util.js';

/** Options of {@link nonzero}. */
export interface NonzeroOptions {
  /** Return one 1-D tensor of indices per dim instead of one `[n, ndim]` tensor (PyTorch's `as_tuple`). */
  asTuple?: boolean;
}

/** A 0/1 array of whether each element of `x` is non-zero (NaN counts as non-zero). */
export function truthMask(x: Tensor): Uint8Array {
  const raw = x.dataSync<DataArray>();
  const out = new Uint8Array(raw.length);
  if (raw instanceof BigInt64Array) for (let i = 0; i < raw.length; i++) out[i] = raw[i] !== 0n ? 1 : 0;
  else for (let i = 0; i < raw.length; i++) out[i] = raw[i] !== 0 ? 1 : 0;
  return out;
}

/**
 * The indices of the non-zero elements of `x` (PyTorch's `nonzero`): an `[n, ndim]` tensor, one
 * row per element in row-major order, or with `{ asTuple: true }` an array of `ndim` 1-D tensors
 * (a 0-d input counts as 1-D). Indices are int64 (PyTorch's index dtype) on a backend that stores
 * int64, else int32. Reads `x` on the host (the result's size depends on its values).
 */
export function nonzero(x: Tensor, opts: { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, opts?: { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, opts?: NonzeroOptions): Tensor | Tensor[];
export function nonzero(x: Tensor, opts: NonzeroOptions = {}): Tensor | Tensor[] {
  checkTensor('nonzero', x);
  if (opts === null || typeof opts !== 'object') throw new TypeError('nonzero: options must be { asTuple }');
  const unknown = Object.keys(opts).filter((k) => k !== 'asTuple');
  if (unknown.length > 0) throw new Error(`nonzero: unknown option '${unknown[0]}'; accepted: asTuple`);
  const dtype = indexDtype(x);
  const mask = truthMask(x);
  const tupleShape = x.ndim === 0 ? [1] : x.shape;
  const coords = maskCoords(mask, opts.asTuple ? tupleShape : x.shape);
  const n = mask.reduce((a, b) => a + b, 0);
  const upload = (v: Int32Array, shape: number[]): Tensor =>
    fromArray('nonzero', dtype === 'int64' ? BigInt64Array.from(v, BigInt) : v, shape, dtype, {
      device: x.device,
    });
  if (opts.asTuple) return coords.map((c) => upload(c, [n]));
  const k = x.ndim;
  const rows = new Int32Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) rows[i * k + j] = coords[j][i];
  return upload(rows, [n, k]);
}

/** `where(cond)` with one argument: {@link nonzero} of `cond` with `asTuple` (as PyTorch). */
export function whereIndices(cond: Tensor): Tensor[] {
  return nonzero(cond, { asTuple: true });
}
