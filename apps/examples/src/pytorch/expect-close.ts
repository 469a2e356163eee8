// Test helper: numbers that must agree with PyTorch's to a relative tolerance.
import { expect } from 'vitest';

/** Each `actual[i]` within `rtol · max(1, |expected[i]|)` of `expected[i]`, with a message naming `what`. */
export function expectClose(
  actual: readonly number[],
  expected: readonly number[],
  rtol: number,
  what = 'values',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tol = rtol * Math.max(1, Math.abs(expected[i]));
    expect(
      Math.abs(actual[i] - expected[i]),
      `${what}[${i}]: ${actual[i]} vs PyTorch's ${expected[i]}`,
    ).toBeLessThanOrEqual(tol);
  }
}
