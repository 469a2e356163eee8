import { describe, expect, it } from 'vitest';
import {
  bfloat16BitsToFloat32,
  decodeHalf,
  encodeHalf,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  roundHalfInPlace,
  roundToHalf,
} from './half.js';

/** float32 bits of `v`, and the float32 with bits `u`. */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (v: number): number => {
  f32[0] = v;
  return u32[0];
};
const fromBits = (u: number): number => {
  u32[0] = u;
  return f32[0];
};

/**
 * An independent reference: the nearest value of `table` (sorted, finite, non-negative) to
 * |v|, ties to the one with an even last bit, in exact float64 arithmetic.
 */
function nearest(v: number, table: readonly number[], evenBit: (i: number) => boolean): number {
  const a = Math.abs(v);
  let lo = 0;
  let hi = table.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (table[mid] <= a) lo = mid;
    else hi = mid;
  }
  const dl = a - table[lo];
  const dh = table[hi] - a;
  const i = dl < dh ? lo : dh < dl ? hi : evenBit(lo) ? lo : hi;
  return v < 0 || Object.is(v, -0) ? -table[i] : table[i];
}

describe('float16', () => {
  it('decodes every bit pattern and encodes every value back to its bits', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = float16BitsToFloat32(h);
      if (Number.isNaN(v)) {
        expect((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0).toBe(true);
        expect(float32ToFloat16Bits(v) & 0x7fff).toBe(0x7e00);
        continue;
      }
      expect(Math.fround(v)).toBe(v); // every half is a float32
      expect(float32ToFloat16Bits(v)).toBe(h);
    }
  });

  it('rounds to nearest even: midpoints, just above and below, overflow and subnormals', () => {
    // positive finite halves (0 … 65504) plus 65536, the "next" value that becomes inf
    const table: number[] = [];
    for (let h = 0; h < 0x7c00; h++) table.push(float16BitsToFloat32(h));
    table.push(65536);
    const even = (i: number): boolean => i % 2 === 0;
    const ref = (v: number): number => {
      const r = nearest(Math.fround(v), table, even);
      return Math.abs(r) === 65536 ? Math.sign(r) * Number.POSITIVE_INFINITY : r;
    };
    for (let i = 0; i + 1 < table.length; i += 7) {
      const mid = (table[i] + table[i + 1]) / 2;
      for (const v of [mid, -mid, fromBits(bitsOf(mid) + 1), fromBits(bitsOf(mid) - 1)]) {
        expect(roundToHalf(v, 'float16')).toBe(ref(v));
      }
    }
    expect(roundToHalf(65519.99, 'float16')).toBe(65504);
    expect(roundToHalf(65520, 'float16')).toBe(Number.POSITIVE_INFINITY);
    expect(roundToHalf(70000, 'float16')).toBe(Number.POSITIVE_INFINITY);
    expect(roundToHalf(-70000, 'float16')).toBe(Number.NEGATIVE_INFINITY);
    expect(roundToHalf(2 ** -25, 'float16')).toBe(0); // a tie between 0 and 2^-24: even is 0
    expect(roundToHalf(3 * 2 ** -25, 'float16')).toBe(2 ** -23); // tie between 1 and 2 units: 2
    expect(roundToHalf(2 ** -24, 'float16')).toBe(2 ** -24);
    expect(Object.is(roundToHalf(-0, 'float16'), -0)).toBe(true);
    expect(Object.is(roundToHalf(-1e-10, 'float16'), -0)).toBe(true);
    expect(roundToHalf(1 / 3, 'float16')).toBe(0.333251953125);
  });

  it('goes through float32 first, as PyTorch converts a double', () => {
    // 1 + 2^-11 + 2^-40: directly to half it is above the midpoint (rounds up), but float32
    // drops 2^-40 and the tie rounds to even (1)
    expect(roundToHalf(1 + 2 ** -11 + 2 ** -40, 'float16')).toBe(1);
  });
});

describe('bfloat16', () => {
  it('decodes every bit pattern and encodes every value back to its bits', () => {
    for (let b = 0; b < 0x10000; b++) {
      const v = bfloat16BitsToFloat32(b);
      if (Number.isNaN(v)) {
        expect(float32ToBfloat16Bits(v)).toBe(0x7fc0);
        continue;
      }
      expect(float32ToBfloat16Bits(v)).toBe(b);
    }
  });

  it('rounds the upper 16 bits to nearest even, overflowing to inf', () => {
    const table: number[] = [];
    for (let b = 0; b < 0x7f80; b++) table.push(bfloat16BitsToFloat32(b));
    table.push(2 ** 128); // the value past the largest, which becomes inf
    const even = (i: number): boolean => i % 2 === 0;
    const ref = (v: number): number => {
      const r = nearest(v, table, even);
      return Math.abs(r) === 2 ** 128 ? Math.sign(r) * Number.POSITIVE_INFINITY : r;
    };
    for (let i = 0; i + 1 < table.length - 1; i += 5) {
      const mid = (table[i] + table[i + 1]) / 2; // a float32 (bfloat16 has 8 fewer bits)
      for (const v of [mid, -mid, fromBits(bitsOf(mid) + 1), fromBits(bitsOf(mid) - 1)]) {
        expect(roundToHalf(v, 'bfloat16')).toBe(ref(v));
      }
    }
    expect(roundToHalf(3.4e38, 'bfloat16')).toBe(Number.POSITIVE_INFINITY);
    expect(roundToHalf(70000, 'bfloat16')).toBe(70144);
    expect(roundToHalf(1 / 3, 'bfloat16')).toBe(0.333984375);
    expect(Object.is(roundToHalf(-0, 'bfloat16'), -0)).toBe(true);
  });
});

describe('arrays', () => {
  it('roundHalfInPlace matches the scalar conversions, NaN and infinities included', () => {
    const values = [0, -0, 1 / 3, 65504, 65520, 70000, -1e-7, 1e-8, 3e38, Number.NaN, Infinity, -Infinity];
    for (const dtype of ['float16', 'bfloat16'] as const) {
      const a = roundHalfInPlace(Float32Array.from(values), dtype);
      values.forEach((v, i) => {
        expect(Object.is(a[i], roundToHalf(v, dtype)), `${dtype} ${v}`).toBe(true);
      });
    }
  });

  it('encodeHalf and decodeHalf round-trip the bits', () => {
    const bits = Uint16Array.from({ length: 4096 }, (_, i) => (i * 16 + 3) & 0xffff);
    for (const dtype of ['float16', 'bfloat16'] as const) {
      const values = decodeHalf(bits, dtype);
      const back = encodeHalf(values, dtype);
      for (let i = 0; i < bits.length; i++) {
        if (!Number.isNaN(values[i])) expect(back[i]).toBe(bits[i]);
      }
    }
  });
});
