import type { DataArray, DType } from '../backend/types.js';
import { encodeHalf } from '../tensor/half.js';
import { Tensor } from '../tensor/tensor.js';
import {
  compareCodePoints,
  HOST_LITTLE_ENDIAN,
  type SafetensorsDType,
  ST_ITEM_SIZE,
  ST_ORDER,
} from './safetensors-format.js';

/** Options of {@link saveSafetensors}. */
export interface SaveSafetensorsOptions {
  /**
   * Write int32 tensors as I64 (PyTorch's default integer type, e.g. for labels or
   * `num_batches_tracked`): `true` for every int32 tensor, or the keys to widen.
   */
  int64?: boolean | readonly string[];
}

const DTYPE_NAME: Record<DType, SafetensorsDType> = {
  float32: 'F32',
  float64: 'F64',
  float16: 'F16',
  bfloat16: 'BF16',
  int32: 'I32',
  int64: 'I64',
  uint8: 'U8',
  bool: 'BOOL',
};

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: readonly number[];
  values: ArrayLike<number> | BigInt64Array;
  nbytes: number;
}

/**
 * Serialises a state dict to the safetensors format (the bytes PyTorch's `safetensors.torch.save`
 * writes for the same tensors): a u64 little-endian header length, a JSON header padded with
 * spaces to a multiple of 8, then each tensor's little-endian bytes, ordered by descending
 * alignment then name, as the reference implementation orders them.
 *
 * @throws Error when `stateDict` is not a record of tensors, a tensor is named `__metadata__`,
 *   a metadata value is not a string, or a tensor cannot be read synchronously (an
 *   asynchronous backend).
 *
 * @example
 * ```ts
 * const bytes = io.saveSafetensors(model.stateDict(), { epoch: '3' });
 * ```
 */
export function saveSafetensors(
  stateDict: Record<string, Tensor>,
  metadata?: Record<string, string> | null,
  opts: SaveSafetensorsOptions = {},
): Uint8Array {
  if (stateDict === null || typeof stateDict !== 'object') {
    throw new Error(
      `saveSafetensors: expected a record of tensors, got ${stateDict === null ? 'null' : typeof stateDict}`,
    );
  }
  const widen = new Set(opts.int64 === true ? Object.keys(stateDict) : opts.int64 || []);
  const entries: Entry[] = [];
  for (const [name, t] of Object.entries(stateDict)) {
    if (!(t instanceof Tensor))
      throw new Error(`saveSafetensors: value of '${name}' is not a Tensor (${describe(t)})`);
    if (name === '__metadata__')
      throw new Error(`saveSafetensors: '__metadata__' is reserved and cannot name a tensor`);
    t._check('saveSafetensors');
    const wide = widen.has(name) && t.dtype === 'int32';
    const dtype = wide ? 'I64' : DTYPE_NAME[t.dtype];
    const numel = t.numel();
    entries.push({
      name,
      dtype,
      shape: t.shape,
      values: numel ? t.dataSync<DataArray>() : [],
      nbytes: numel * ST_ITEM_SIZE[dtype],
    });
  }
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string')
        throw new Error(`saveSafetensors: metadata '${k}' must be a string, got ${describe(v)}`);
    }
  }
  entries.sort(
    (a, b) => ST_ORDER.indexOf(b.dtype) - ST_ORDER.indexOf(a.dtype) || compareCodePoints(a.name, b.name),
  );

  // Built by hand rather than with JSON.stringify of an object: JS objects enumerate
  // integer-like keys ("0", "1") first, which would break the reference ordering.
  const parts: string[] = [];
  if (metadata && Object.keys(metadata).length) {
    const keys = Object.keys(metadata).sort(compareCodePoints);
    parts.push(
      `"__metadata__":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`,
    );
  }
  let offset = 0;
  for (const e of entries) {
    const info = `{"dtype":"${e.dtype}","shape":[${e.shape.join(',')}],"data_offsets":[${offset},${offset + e.nbytes}]}`;
    parts.push(`${JSON.stringify(e.name)}:${info}`);
    offset += e.nbytes;
  }
  let header = new TextEncoder().encode(`{${parts.join(',')}}`);
  const pad = (8 - (header.length % 8)) % 8;
  if (pad) {
    const padded = new Uint8Array(header.length + pad).fill(0x20);
    padded.set(header);
    header = padded;
  }

  const out = new Uint8Array(8 + header.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(header.length), true);
  out.set(header, 8);
  let pos = 8 + header.length;
  for (const e of entries) {
    writeValues(view, out, pos, e);
    pos += e.nbytes;
  }
  return out;
}

function writeValues(view: DataView, out: Uint8Array, pos: number, e: Entry): void {
  const v = e.values;
  const n = v.length;
  if (v instanceof BigInt64Array) {
    // int64 (I64): every 64-bit value, exactly
    if (HOST_LITTLE_ENDIAN) out.set(new Uint8Array(v.buffer, v.byteOffset, e.nbytes), pos);
    else for (let i = 0; i < n; i++) view.setBigInt64(pos + 8 * i, v[i], true);
    return;
  }
  if (e.dtype === 'I64') {
    for (let i = 0; i < n; i++) view.setBigInt64(pos + 8 * i, BigInt(v[i]), true);
    return;
  }
  if (e.dtype === 'F16' || e.dtype === 'BF16') {
    // half values travel as float32: write their exact 16-bit patterns
    const bits = encodeHalf(v, e.dtype === 'F16' ? 'float16' : 'bfloat16');
    for (let i = 0; i < n; i++) view.setUint16(pos + 2 * i, bits[i], true);
    return;
  }
  if (HOST_LITTLE_ENDIAN && ArrayBuffer.isView(v)) {
    const bytes = v as unknown as ArrayBufferView;
    out.set(new Uint8Array(bytes.buffer, bytes.byteOffset, e.nbytes), pos);
    return;
  }
  for (let i = 0; i < n; i++) {
    if (e.dtype === 'F32') view.setFloat32(pos + 4 * i, v[i], true);
    else if (e.dtype === 'F64') view.setFloat64(pos + 8 * i, v[i], true);
    else if (e.dtype === 'I32') view.setInt32(pos + 4 * i, v[i], true);
    else if (e.dtype === 'U8') out[pos + i] = v[i];
    else out[pos + i] = v[i] ? 1 : 0;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}
