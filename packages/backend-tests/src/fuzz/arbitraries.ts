import type { DType } from '@proj/core';
import fc from 'fast-check';

/** Which values a backend's fuzz run draws; a backend narrows them only with a stated reason. */
export interface ValueDomain {
  /** NaN and ±Infinity among the inputs. */
  nonFinite: boolean;
  /** float32 subnormals (WebGL flushes them to zero). */
  subnormals: boolean;
  /**
   * int32 values (inputs and results) the backend holds exactly: |v| < intBound. 2^31 for a true
   * int32; a backend that keeps int32 in float32 (gpujs: 2^24) refuses anything beyond with an
   * error, which the fuzz then expects.
   */
  intBound: number;
}

/** float32 values: mostly ordinary, some whole numbers, some extremes and (optionally) specials. */
export function float32Value(domain: ValueDomain, scale = 10, extremes = true): fc.Arbitrary<number> {
  const parts: fc.WeightedArbitrary<number>[] = [
    { weight: 8, arbitrary: fc.double({ min: -scale, max: scale, noNaN: true }).map(Math.fround) },
    { weight: 2, arbitrary: fc.integer({ min: -4, max: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, -1e-30, 0.5, -2.5) },
  ];
  // Magnitudes whose float32 sums and products overflow: only where one rounding decides.
  if (extremes) parts.push({ weight: 1, arbitrary: fc.constantFrom(1e30, -1e30, 3e38, -3e38) });
  if (domain.nonFinite)
    parts.push({
      weight: 1,
      arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    });
  if (domain.subnormals) {
    parts.push({ weight: 1, arbitrary: fc.constantFrom(Math.fround(1e-40), -Math.fround(1e-42)) });
    return fc.oneof(...parts);
  }
  // fc.double draws tiny values too: keep them out where the backend flushes subnormals.
  return fc.oneof(...parts).map((v) => (v !== 0 && Math.abs(v) < 2 ** -126 ? 0 : v));
}

/**
 * int32 values the backend can hold: small ones (ties, zeros), and now and then one near the
 * bound, large enough to overflow a sum or product.
 */
export function int32Value(domain: ValueDomain): fc.Arbitrary<number> {
  const b = domain.intBound;
  const large = [2 ** 30, -(2 ** 30), 2147483647, -2147483648, 65536, b - 1, 1 - b, b / 2].filter(
    (v) => Math.abs(v) < b,
  );
  return fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: -20, max: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom(...large) },
  );
}

/** A shape of rank 0–4, dims mostly 1–4 with an occasional empty dim. */
export const shapeArb: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 1, max: 4 }) },
    { weight: 1, arbitrary: fc.constant(0) },
  ),
  { maxLength: 4 },
);

/** A non-empty shape of rank 1–4. */
export const nonEmptyShape: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 1, max: 4 }), {
  minLength: 1,
  maxLength: 4,
});

/**
 * A shape `b` that broadcasts with `a`: a suffix of `a` with some dims set to 1, sometimes
 * with extra leading dims; the pair is returned in random order.
 */
export function broadcastPair(a: readonly number[]): fc.Arbitrary<[number[], number[]]> {
  return fc
    .record({
      keep: fc.integer({ min: 0, max: a.length }),
      ones: fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }),
      lead: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 1 }),
      swap: fc.boolean(),
    })
    .map(({ keep, ones, lead, swap }) => {
      const suffix = a.slice(a.length - keep).map((d, i) => (ones[a.length - keep + i] ? 1 : d));
      const b = keep === a.length ? [...lead, ...suffix] : suffix;
      const pair: [number[], number[]] = swap ? [b, [...a]] : [[...a], b];
      return pair;
    });
}

/** Values for a tensor of `dtype` and `n` elements. */
export function valuesFor(
  dtype: DType,
  n: number,
  domain: ValueDomain,
  scale?: number,
  extremes?: boolean,
): fc.Arbitrary<number[]> {
  const v =
    dtype === 'bool'
      ? fc.integer({ min: 0, max: 1 })
      : dtype === 'int32'
        ? int32Value(domain)
        : float32Value(domain, scale, extremes);
  return fc.array(v, { minLength: n, maxLength: n });
}

/** A dtype among those the fuzz mixes in elementwise ops. */
export const elementDtype: fc.Arbitrary<DType> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<DType>('float32') },
  { weight: 3, arbitrary: fc.constant<DType>('int32') },
  { weight: 1, arbitrary: fc.constant<DType>('bool') },
);
