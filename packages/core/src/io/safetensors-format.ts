import { float16BitsToFloat32 } from '../tensor/half.js';

/**
 * The safetensors element types this module knows, with their byte sizes (the format's `Dtype`
 * names). Which of them load as which of our dtypes is documented at `loadSafetensors`.
 */
export const ST_ITEM_SIZE = {
  /** Boolean, one byte (0 or 1). */
  BOOL: 1,
  /** Unsigned 8-bit integer. */
  U8: 1,
  /** Signed 8-bit integer. */
  I8: 1,
  /** 8-bit float, 5 exponent and 2 mantissa bits. */
  F8_E5M2: 1,
  /** 8-bit float, 4 exponent and 3 mantissa bits. */
  F8_E4M3: 1,
  /** Signed 16-bit integer. */
  I16: 2,
  /** Unsigned 16-bit integer. */
  U16: 2,
  /** IEEE 754 half precision (float16). */
  F16: 2,
  /** bfloat16. */
  BF16: 2,
  /** Signed 32-bit integer. */
  I32: 4,
  /** Unsigned 32-bit integer. */
  U32: 4,
  /** IEEE 754 single precision (float32). */
  F32: 4,
  /** IEEE 754 double precision (float64). */
  F64: 8,
  /** Signed 64-bit integer. */
  I64: 8,
  /** Unsigned 64-bit integer. */
  U64: 8,
} as const;

/** A safetensors dtype name (`'F32'`, `'I64'`, …). */
export type SafetensorsDType = keyof typeof ST_ITEM_SIZE;

/**
 * The reference implementation orders its `Dtype` enum by alignment and lays tensors out by
 * descending enum position, then by name; the writer follows it so that our bytes equal theirs.
 */
export const ST_ORDER: readonly SafetensorsDType[] = Object.keys(ST_ITEM_SIZE) as SafetensorsDType[];

/** The header length limit of the reference reader (100 MB). */
export const MAX_HEADER_SIZE = 100_000_000;

/** True on little-endian hosts, where typed arrays can be copied to and from the file directly. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One tensor's entry in a safetensors header. */
export interface SafetensorsTensorInfo {
  /** The element type, as the file names it. */
  dtype: SafetensorsDType;
  /** The tensor's shape (`[]` for a scalar). */
  shape: number[];
  /** Byte range `[begin, end)` inside the data section (after the header). */
  dataOffsets: [number, number];
}

/** A parsed, validated safetensors header. */
export interface SafetensorsHeader {
  /** The free-form `__metadata__` string map (`{}` when absent). */
  metadata: Record<string, string>;
  /** Tensor entries by name, in file (offset) order. */
  tensors: Record<string, SafetensorsTensorInfo>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/** IEEE 754 half → number (exact). */
export const f16ToNumber = float16BitsToFloat32;

/** Compares two strings by Unicode code point, i.e. by their UTF-8 bytes (Rust's `str` order). */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
}
