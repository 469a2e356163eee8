/**
 * float16 and bfloat16 conversions, bit-exact with PyTorch's `c10::Half` and `c10::BFloat16`
 * (no dependency on `Float16Array`, which Node 20 lacks).
 *
 * A value is first rounded to float32 (as PyTorch converts a double to a half through float),
 * then:
 * - float16: IEEE 754 binary16, round to nearest even, overflow to ±inf (anything from 65520
 *   up), gradual underflow to subnormals (down to 2^-24), -0 kept, NaN stays NaN
 *   (`c10::detail::fp16_ieee_from_fp32_value`);
 * - bfloat16: the upper 16 bits of the float32, rounded to nearest even
 *   (`c10::detail::round_to_nearest_even`); NaN becomes the quiet NaN 0x7fc0.
 *
 * Half tensors are stored as float32 values that are exactly representable in their half type
 * (see `backend/half-storage.ts`), so rounding a value to a half type here means "the float32
 * number nearest to it that the half type holds".
 */

/** The two 16-bit floating point dtypes. */
export type HalfDType = 'float16' | 'bfloat16';

/** Whether `dtype` is float16 or bfloat16. */
export function isHalf(dtype: string): dtype is HalfDType {
  return dtype === 'float16' || dtype === 'bfloat16';
}

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The float32 bit pattern of `v` (rounded to float32 first). */
function f32Bits(v: number): number {
  scratchF32[0] = v;
  return scratchU32[0];
}

/** float16 bits of a float32 bit pattern `x`. */
function f16FromF32Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const abs = x & 0x7fffffff;
  if (abs > 0x7f800000) return sign | 0x7e00; // NaN (quiet, sign kept, as c10)
  if (abs >= 0x477ff000) return sign | 0x7c00; // ≥ 65520 rounds past 65504: ±inf
  if (abs < 0x38800000) {
    // below 2^-14: a subnormal (or zero) in units of 2^-24, rounded to nearest even
    scratchU32[0] = abs;
    const q = scratchF32[0] * 16777216; // exact: scaling by a power of two
    const f = Math.floor(q);
    const d = q - f;
    const r = d > 0.5 || (d === 0.5 && (f & 1) === 1) ? f + 1 : f;
    return sign | r; // r = 0x400 is the smallest normal: the encoding carries over
  }
  // normal: rebias the exponent (127 → 15) and round the 23-bit mantissa to 10 bits
  const mant = abs & 0x7fffff;
  let h = ((((abs >>> 23) - 112) << 10) | (mant >>> 13)) >>> 0;
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++; // a carry bumps the exponent
  return sign | h;
}

/** float16 bits (0..0xffff) of `v`, rounded as PyTorch's `torch.float16` cast. */
export function float32ToFloat16Bits(v: number): number {
  return f16FromF32Bits(f32Bits(v));
}

/** The value of float16 bits `h` (exact; every float16 is a float32). */
export function float16BitsToFloat32(h: number): number {
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  let v: number;
  if (exp === 0) v = mant * 2 ** -24;
  else if (exp === 31) v = mant === 0 ? Number.POSITIVE_INFINITY : Number.NaN;
  else v = (1024 + mant) * 2 ** (exp - 25);
  return h & 0x8000 ? -v : v;
}

/** bfloat16 bits of a float32 bit pattern `x`. */
function bf16FromF32Bits(x: number): number {
  if ((x & 0x7fffffff) > 0x7f800000) return 0x7fc0; // NaN, as c10::BFloat16
  // round to nearest even on the upper 16 bits; never exceeds 2^32 for a non-NaN `x`
  return ((x + 0x7fff + ((x >>> 16) & 1)) / 65536) & 0xffff;
}

/** bfloat16 bits (0..0xffff) of `v`, rounded as PyTorch's `torch.bfloat16` cast. */
export function float32ToBfloat16Bits(v: number): number {
  return bf16FromF32Bits(f32Bits(v));
}

/** The value of bfloat16 bits `b` (exact: the float32 with `b` as its upper half). */
export function bfloat16BitsToFloat32(b: number): number {
  scratchU32[0] = (b & 0xffff) << 16;
  return scratchF32[0];
}

/** `v` rounded to the nearest value of `dtype` (as PyTorch's cast to that dtype). */
export function roundToHalf(v: number, dtype: HalfDType): number {
  return dtype === 'float16'
    ? float16BitsToFloat32(float32ToFloat16Bits(v))
    : bfloat16BitsToFloat32(float32ToBfloat16Bits(v));
}

/** Every float16 value by its bits, built on first use (256 KB). */
let f16Table: Float32Array | undefined;
function float16Table(): Float32Array {
  if (f16Table === undefined) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = float16BitsToFloat32(h);
  }
  return f16Table;
}

/** Rounds every element of `a` to the nearest value of `dtype`, in place; returns `a`. */
export function roundHalfInPlace(a: Float32Array, dtype: HalfDType): Float32Array {
  const u = new Uint32Array(a.buffer, a.byteOffset, a.length);
  if (dtype === 'float16') {
    const table = float16Table();
    for (let i = 0; i < u.length; i++) a[i] = table[f16FromF32Bits(u[i])];
  } else {
    for (let i = 0; i < u.length; i++) {
      const x = u[i];
      // NaN is left as it is (it stays NaN); everything else keeps its rounded upper half
      if ((x & 0x7fffffff) <= 0x7f800000) u[i] = bf16FromF32Bits(x) << 16;
    }
  }
  return a;
}

/** `values` rounded to `dtype`, as a new Float32Array (the carrier of half tensors). */
export function toHalfValues(values: ArrayLike<number>, dtype: HalfDType): Float32Array {
  return roundHalfInPlace(Float32Array.from(values), dtype);
}

/** The 16-bit patterns of `values` in `dtype` (what a safetensors F16/BF16 file holds). */
export function encodeHalf(values: ArrayLike<number>, dtype: HalfDType): Uint16Array {
  const out = new Uint16Array(values.length);
  const enc = dtype === 'float16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
  for (let i = 0; i < values.length; i++) out[i] = enc(values[i]);
  return out;
}

/** The values of 16-bit patterns of `dtype`, as a Float32Array (exact). */
export function decodeHalf(bits: ArrayLike<number>, dtype: HalfDType): Float32Array {
  const out = new Float32Array(bits.length);
  if (dtype === 'float16') {
    const table = float16Table();
    for (let i = 0; i < bits.length; i++) out[i] = table[bits[i] & 0xffff];
  } else {
    const u = new Uint32Array(out.buffer);
    for (let i = 0; i < bits.length; i++) u[i] = (bits[i] & 0xffff) << 16;
  }
  return out;
}
