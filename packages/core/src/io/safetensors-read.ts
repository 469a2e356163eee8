import type { DataArray, DType, TypedArray } from '../backend/types.js';
import { fromArray } from '../tensor/creation.js';
import { allocArray } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { findDuplicateKey } from './json-duplicates.js';
import {
  f16ToNumber,
  HOST_LITTLE_ENDIAN,
  MAX_HEADER_SIZE,
  type SafetensorsDType,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
  ST_ITEM_SIZE,
} from './safetensors-format.js';

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Backend to create the tensors on; the current backend when omitted. */
  device?: string;
}

/** The dtype each safetensors dtype loads as (F16/BF16, I64 and U8 exactly; I8/I16/U16 widen to int32). */
const LOADS_AS: Partial<Record<SafetensorsDType, DType>> = {
  F32: 'float32',
  F64: 'float64',
  F16: 'float16',
  BF16: 'bfloat16',
  I32: 'int32',
  I64: 'int64',
  U32: 'int64',
  U64: 'int64',
  I16: 'int32',
  U16: 'int32',
  I8: 'int32',
  U8: 'uint8',
  BOOL: 'bool',
};

function asBytes(op: string, bytes: Uint8Array | ArrayBuffer): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new Error(
    `${op}: expected a Uint8Array or ArrayBuffer, got ${bytes === null ? 'null' : typeof bytes}`,
  );
}

/**
 * Reads and validates the header of a safetensors file without reading tensor data: header
 * bounds, UTF-8, JSON, each entry's fields, known dtypes, sizes = numel × itemsize, and data
 * offsets that tile the data section exactly (in range, contiguous, no overlap, no trailing bytes).
 * The header half of safetensors' `safe_open`.
 *
 * @throws Error naming `op` and the problem.
 */
export function readSafetensorsHeader(
  bytes: Uint8Array | ArrayBuffer,
  op = 'loadSafetensors',
): SafetensorsHeader {
  const buf = asBytes(op, bytes);
  const size = buf.length;
  if (size < 8) {
    throw new Error(
      `${op}: file is ${size} bytes, too short for the 8-byte header length (file truncated or not safetensors)`,
    );
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 + 8n > BigInt(size)) {
    throw new Error(
      `${op}: header length ${n64} exceeds file size ${size} (file truncated or not safetensors)`,
    );
  }
  const n = Number(n64);
  if (n > MAX_HEADER_SIZE)
    throw new Error(`${op}: header length ${n} exceeds the limit of ${MAX_HEADER_SIZE} bytes`);
  if (n < 2)
    throw new Error(`${op}: header length ${n} is too small to hold a JSON object (not safetensors)`);
  // The reference reader demands '{' as the very first header byte. Checked on the raw bytes:
  // TextDecoder strips a UTF-8 byte-order mark by default, which would hide one.
  if (buf[8] !== 0x7b) {
    const first = buf[8].toString(16).padStart(2, '0');
    const why =
      buf[8] === 0xef && buf[9] === 0xbb && buf[10] === 0xbf
        ? 'a UTF-8 byte-order mark'
        : buf[8] === 0x20 || buf[8] === 0x09 || buf[8] === 0x0a || buf[8] === 0x0d
          ? 'whitespace'
          : 'not safetensors';
    throw new Error(`${op}: header does not start with '{': its first byte is 0x${first} (${why})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf.subarray(8, 8 + n));
  } catch {
    throw new Error(`${op}: header is not valid UTF-8 (file corrupt or not safetensors)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${op}: header is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${op}: header must be a JSON object`);
  }
  const dup = findDuplicateKey(text);
  if (dup !== null) throw new Error(`${op}: header has duplicate key ${JSON.stringify(dup)}`);

  // Names come from the file: null-prototype maps, so '__proto__' or 'constructor' are plain keys.
  const metadata: Record<string, string> = Object.create(null);
  const infos: [string, SafetensorsTensorInfo][] = [];
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null) continue; // the reference reads null as "no metadata" (an Option)
      if (typeof raw !== 'object' || Array.isArray(raw)) {
        throw new Error(`${op}: __metadata__ must be an object of strings, got ${describeJson(raw)}`);
      }
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') {
          throw new Error(`${op}: __metadata__ value of '${k}' must be a string, got ${describeJson(v)}`);
        }
        metadata[k] = v;
      }
      continue;
    }
    infos.push([name, parseInfo(op, name, raw)]);
  }

  // Order by offsets (as the reference reader does), then demand an exact tiling of the data.
  infos.sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  const dataStart = 8 + n;
  const dataSize = size - dataStart;
  let end = 0;
  let prev = '';
  for (const [name, info] of infos) {
    const [b, e] = info.dataOffsets;
    if (e > dataSize) {
      throw new Error(
        `${op}: data_offsets [${b}, ${e}] of '${name}' are out of range: the data section is ${dataSize} bytes (file truncated?)`,
      );
    }
    if (b < end)
      throw new Error(
        `${op}: data_offsets [${b}, ${e}] of '${name}' overlap '${prev}' (which ends at ${end})`,
      );
    if (b > end) {
      throw new Error(
        `${op}: offsets are not contiguous: bytes ${end}..${b} of the data section belong to no tensor (before '${name}')`,
      );
    }
    end = e;
    prev = name;
  }
  if (end !== dataSize) {
    throw new Error(
      `${op}: the data section is ${dataSize} bytes but the tensors cover ${end} (trailing bytes; file corrupt)`,
    );
  }
  const tensors: Record<string, SafetensorsTensorInfo> = Object.create(null);
  for (const [name, info] of infos) tensors[name] = info;
  return { metadata, tensors, dataStart };
}

/** A JSON value for messages, cut short: a hostile header may hold megabytes in one field. */
function preview(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** A JSON value's kind for messages: null, array, object, string, number, boolean. */
function describeJson(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

function parseInfo(op: string, name: string, raw: unknown): SafetensorsTensorInfo {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new Error(`${op}: entry '${name}' must be an object with dtype, shape and data_offsets`);
  }
  const r = raw as Record<string, unknown>;
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.hasOwn(r, field)) throw new Error(`${op}: tensor '${name}' is missing the field '${field}'`);
  }
  const dtype = r.dtype;
  if (typeof dtype !== 'string' || !Object.hasOwn(ST_ITEM_SIZE, dtype)) {
    throw new Error(
      `${op}: tensor '${name}' has unknown dtype ${preview(dtype)} (expected one of ${Object.keys(ST_ITEM_SIZE).join(', ')})`,
    );
  }
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const shape = r.shape;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new Error(
      `${op}: shape of '${name}' must be an array of non-negative integers, got ${preview(shape)}`,
    );
  }
  const off = r.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every(isCount)) {
    throw new Error(
      `${op}: data_offsets of '${name}' must be [begin, end] non-negative integers, got ${preview(off)}`,
    );
  }
  const [b, e] = off as [number, number];
  if (e < b) throw new Error(`${op}: data_offsets [${b}, ${e}] of '${name}' end before they begin`);
  const st = dtype as SafetensorsDType;
  const numel = sizeOf(shape as number[]);
  const nbytes = numel * ST_ITEM_SIZE[st];
  if (!Number.isSafeInteger(nbytes) || nbytes !== e - b) {
    throw new Error(
      `${op}: tensor '${name}' ${st} [${shape.join(',')}] needs ${numel} × ${ST_ITEM_SIZE[st]} = ${nbytes} bytes but data_offsets [${b}, ${e}] span ${e - b}`,
    );
  }
  return { dtype: st, shape: shape as number[], dataOffsets: [b, e] };
}

/**
 * The `__metadata__` string map of a safetensors file (`{}` when it has none), as safetensors'
 * `safe_open(...).metadata()`; validates the header.
 *
 * @throws Error when the header is invalid.
 */
export function safetensorsMetadata(bytes: Uint8Array | ArrayBuffer): Record<string, string> {
  return readSafetensorsHeader(bytes, 'safetensorsMetadata').metadata;
}

/**
 * Reads a safetensors file (from PyTorch's `safetensors`, ours, or any conforming writer) into
 * a state dict, after validating it completely. F32/F64/I32/BOOL load as such; F16 and BF16 as
 * float16 and bfloat16 (exactly: `dataSync()` gives a Float32Array of the values the bits
 * encode); I64 loads as int64 (exactly, any value), U64 and U32 as int64 (U64 past 2^63 - 1
 * throws), U8 as uint8, and the other integer types as int32. PyTorch's
 * `safetensors.torch.load(bytes)`.
 *
 * @throws Error naming the problem for an invalid file (header, offsets, a dtype we cannot
 *   load such as F8, a U64 value past 2^63 - 1); no tensor is created then.
 *
 * @example
 * ```ts
 * model.loadStateDict(io.loadSafetensors(new Uint8Array(await res.arrayBuffer())));
 * ```
 */
export function loadSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  opts: LoadSafetensorsOptions = {},
): Record<string, Tensor> {
  const op = 'loadSafetensors';
  const buf = asBytes(op, bytes);
  const header = readSafetensorsHeader(buf, op);
  // Tensor names come from the file: a null-prototype record keeps '__proto__' an ordinary key.
  const out: Record<string, Tensor> = Object.create(null);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // Decode everything before creating any tensor, so a bad value leaks nothing.
  const decoded: [string, DataArray, number[], DType][] = [];
  for (const [name, info] of Object.entries(header.tensors)) {
    const dtype = LOADS_AS[info.dtype];
    if (dtype === undefined)
      throw new Error(`${op}: tensor '${name}' has dtype ${info.dtype}, which this framework cannot load`);
    const numel = sizeOf(info.shape);
    const pos = header.dataStart + info.dataOffsets[0];
    const values =
      dtype === 'int64'
        ? decodeInt64(op, name, info.dtype, view, pos, allocArray(dtype, numel))
        : decode(op, name, info.dtype, view, pos, numel, allocArray(dtype, numel));
    decoded.push([name, values, info.shape, dtype]);
  }
  for (const [name, values, shape, dtype] of decoded) out[name] = fromArray(op, values, shape, dtype, opts);
  return out;
}

// Scratch for BF16 → float32 (the top half of a float32's bits), shared so decoding allocates nothing per element.
const BF16_BITS = new Uint32Array(1);
const BF16_VALUE = new Float32Array(BF16_BITS.buffer);

function decode(
  op: string,
  name: string,
  st: SafetensorsDType,
  view: DataView,
  pos: number,
  n: number,
  out: TypedArray,
): TypedArray {
  const size = ST_ITEM_SIZE[st];
  const direct = st === 'F32' || st === 'F64' || st === 'I32';
  if (direct && HOST_LITTLE_ENDIAN) {
    // Copy the bytes (the file's offsets need not be aligned for a typed-array view).
    new Uint8Array(out.buffer, out.byteOffset, n * size).set(
      new Uint8Array(view.buffer, view.byteOffset + pos, n * size),
    );
    return out;
  }
  for (let i = 0; i < n; i++) {
    const p = pos + i * size;
    switch (st) {
      case 'F32':
        out[i] = view.getFloat32(p, true);
        break;
      case 'F64':
        out[i] = view.getFloat64(p, true);
        break;
      case 'I32':
        out[i] = view.getInt32(p, true);
        break;
      case 'F16':
        out[i] = f16ToNumber(view.getUint16(p, true));
        break;
      case 'BF16':
        BF16_BITS[0] = view.getUint16(p, true) << 16;
        out[i] = BF16_VALUE[0];
        break;
      case 'BOOL':
        out[i] = view.getUint8(p) !== 0 ? 1 : 0;
        break;
      case 'U8':
        out[i] = view.getUint8(p);
        break;
      case 'I8':
        out[i] = view.getInt8(p);
        break;
      case 'U16':
        out[i] = view.getUint16(p, true);
        break;
      case 'I16':
        out[i] = view.getInt16(p, true);
        break;
      default:
        out[i] = wideInt(
          op,
          name,
          st,
          i,
          st === 'U32' ? BigInt(view.getUint32(p, true)) : read64(view, p, st),
        );
    }
  }
  return out;
}

const INT64_MAX = 2n ** 63n - 1n;

/** I64 (exactly, any value), U64 (up to 2^63 - 1) and U32 into an int64 array. */
function decodeInt64(
  op: string,
  name: string,
  st: SafetensorsDType,
  view: DataView,
  pos: number,
  out: BigInt64Array,
): BigInt64Array {
  const n = out.length;
  if (st === 'I64' && HOST_LITTLE_ENDIAN) {
    new Uint8Array(out.buffer, out.byteOffset, n * 8).set(
      new Uint8Array(view.buffer, view.byteOffset + pos, n * 8),
    );
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (st === 'U32') out[i] = BigInt(view.getUint32(pos + 4 * i, true));
    else if (st === 'I64') out[i] = view.getBigInt64(pos + 8 * i, true);
    else {
      const v = view.getBigUint64(pos + 8 * i, true);
      if (v > INT64_MAX) {
        throw new Error(
          `${op}: tensor '${name}' (${st}) holds ${v} at index ${i}, outside the int64 range of this framework`,
        );
      }
      out[i] = v;
    }
  }
  return out;
}

function read64(view: DataView, p: number, st: SafetensorsDType): bigint {
  return st === 'I64' ? view.getBigInt64(p, true) : view.getBigUint64(p, true);
}

function wideInt(op: string, name: string, st: SafetensorsDType, i: number, v: bigint): number {
  if (v < -2147483648n || v > 2147483647n) {
    throw new Error(
      `${op}: tensor '${name}' (${st}) holds ${v} at index ${i}, outside the int32 range of this framework`,
    );
  }
  return Number(v);
}
