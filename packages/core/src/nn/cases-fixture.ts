// Test helper (not exported): what the nn fixture runners share — the encoded tensors of the
// PyTorch goldens under fixtures/, loading a file's cases once, and the closeness check.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { DataArray, Tensor } from '../index.js';

/** A tensor as the fixture scripts write it. */
export interface FixtureTensor {
  shape: number[];
  dtype?: string;
  data: number[];
}

const files = new Map<string, { name: string }[]>();

/** The cases of `fixtures/<file>` whose name starts with `prefix` (the file is read once). */
export function fixtureCases<C extends { name: string }>(file: string, prefix: string): C[] {
  let cases = files.get(file);
  if (cases === undefined) {
    cases = JSON.parse(readFileSync(new URL(`../../fixtures/${file}`, import.meta.url), 'utf8')).cases;
    files.set(file, cases!);
  }
  const out = cases!.filter((c) => c.name.startsWith(prefix)) as C[];
  if (out.length === 0) throw new Error(`no ${file} cases start with ${prefix}`);
  return out;
}

/** Asserts |actual − expected| <= atol + rtol·|expected| elementwise, naming the first bad entry. */
export function expectCloseTo(
  what: string,
  actual: Tensor,
  expected: FixtureTensor,
  rtol: number,
  atol: number,
): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const a = Array.from(actual.dataSync<DataArray>(), Number);
  for (let i = 0; i < expected.data.length; i++) {
    const e = expected.data[i];
    if (!(Math.abs(a[i] - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`${what}: entry ${i} is ${a[i]}, PyTorch has ${e} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
