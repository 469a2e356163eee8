// Reads packages/vision/fixtures/vision.json (tools/fixtures/vision.py) for the tests.
import { readFileSync } from 'node:fs';
import { type DType, memory, type Tensor, tidy } from '@proj/core';
import { expect } from 'vitest';
import { Image, type ImageMode } from '../image.js';
import { shaped } from '../shaped.js';

/** A tensor as the fixture stores it: shape, dtype and flat row-major data. */
export interface FixtureTensor {
  shape: number[];
  dtype: DType;
  data: number[];
}

/** An image as the fixture stores it (HWC bytes). */
export interface FixtureImage {
  width: number;
  height: number;
  mode: ImageMode;
  data: number[];
}

/** One fixture record; the fields present depend on `kind`. */
export interface FixtureCase {
  name: string;
  kind: string;
  args: Record<string, any>;
  input: any;
  output: any;
  [key: string]: any;
}

const ALL: FixtureCase[] = JSON.parse(
  readFileSync(new URL('../../fixtures/vision.json', import.meta.url), 'utf8'),
).cases;

/** The cases of one kind. */
export function cases(kind: string): FixtureCase[] {
  const out = ALL.filter((c) => c.kind === kind);
  if (out.length === 0) throw new Error(`no fixture cases of kind '${kind}'`);
  return out;
}

/** The fixture tensor as a tensor. */
export function fromFixture(t: FixtureTensor): Tensor {
  if (t.dtype === 'uint8') return shaped(Uint8Array.from(t.data), t.shape);
  return shaped(t.data, t.shape, { dtype: t.dtype });
}

/** The fixture image as an {@link Image}. */
export function imageFromFixture(i: FixtureImage): Image {
  return new Image(i.width, i.height, i.mode, Uint8Array.from(i.data));
}

/**
 * Expects `actual` to have the fixture's shape and dtype and values within `atol + rtol·|e|`
 * (integer dtypes: within `atol`, default exact).
 */
export function expectTensorClose(actual: Tensor, expected: FixtureTensor, atol = 1e-5, rtol = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  const got = Array.from(tidy(() => actual.contiguous().dataSync()) as ArrayLike<number>);
  const integer = expected.dtype === 'uint8' || expected.dtype === 'int32' || expected.dtype === 'int64';
  let worst = 0;
  let at = -1;
  for (let i = 0; i < got.length; i++) {
    const excess = Math.abs(got[i] - expected.data[i]) - (integer ? 0 : rtol * Math.abs(expected.data[i]));
    if (excess > worst) [worst, at] = [excess, i];
  }
  const limit = integer ? (atol >= 1 ? atol : 0) : atol;
  if (worst > limit) {
    throw new Error(
      `element ${at}: got ${got[at]}, expected ${expected.data[at]} (off by ${worst} beyond tolerance ${limit})`,
    );
  }
}

/**
 * Runs `fn` and expects the number of live tensors to be the same afterwards: the code under
 * test freed its intermediates (`fn` disposes what it created itself).
 */
export function expectNoLeak(fn: () => void): void {
  const before = memory().numTensors;
  fn();
  expect(memory().numTensors - before).toBe(0);
}
