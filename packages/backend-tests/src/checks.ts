import type { DType, Tensor } from '@proj/core';
import { type Tolerance, withinTolerance } from './tolerance.js';

/** A scalar or arbitrarily nested array of `T`, as `toArray()` returns and cases write expectations. */
export type Nested<T> = T | Nested<T>[];

/** Thrown by a failed check; the message says what was expected and what came back. */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
}

/**
 * The assertions a case gets, bound to the backend's tolerance preset. They need no test
 * runner, so the same cases run under vitest and in the coverage CLI.
 */
export class Tols {
  constructor(
    /** Backend the case runs on. */
    readonly backend: string,
    /** Tolerance preset for float comparisons. */
    readonly tol: Tolerance,
  ) {}

  /** Float comparison: shape must equal the shape of `want`, values within the preset. */
  close(got: Tensor, want: Nested<number>, what = 'value'): void {
    this.shape(got, shapeOf(want), what);
    const g = flatten(got.toArray() as Nested<number | boolean>).map(Number);
    const w = flatten(want);
    const bad = g.findIndex((v, i) => !withinTolerance(v, w[i], this.tol));
    if (bad >= 0) {
      fail(
        `${what}: element ${bad} is ${g[bad]}, expected ${w[bad]} (rtol ${this.tol.rtol}, atol ${this.tol.atol})\n` +
          `  got      ${fmt(got.toArray())}\n  expected ${fmt(want)}`,
      );
    }
  }

  /** Exact comparison (ints, bools, values that must not round); shape included. NaN equals NaN. */
  equal(got: Tensor, want: Nested<number | boolean>, what = 'value'): void {
    this.shape(got, shapeOf(want), what);
    const g = flatten(got.toArray() as Nested<number | boolean>);
    const w = flatten(want);
    const bad = g.findIndex((v, i) => !sameExact(v, w[i]));
    if (bad >= 0) {
      fail(
        `${what}: element ${bad} is ${String(g[bad])}, expected ${String(w[bad])}\n  got      ${fmt(got.toArray())}\n  expected ${fmt(want)}`,
      );
    }
  }

  /** The tensor's `shape` property equals `want`. */
  shape(got: Tensor, want: readonly number[], what = 'value'): void {
    if (!sameShape(got.shape, want))
      fail(`${what}: shape is [${got.shape.join(',')}], expected [${want.join(',')}]`);
  }

  /** The tensor's dtype equals `want`. */
  dtype(got: Tensor, want: DType, what = 'value'): void {
    if (got.dtype !== want) fail(`${what}: dtype is ${got.dtype}, expected ${want}`);
  }

  /** A plain number within the preset (or exactly, with `exact`). */
  num(got: number, want: number, what: string, exact = false): void {
    const ok = exact ? sameExact(got, want) : withinTolerance(got, want, this.tol);
    if (!ok) fail(`${what}: got ${got}, expected ${want}`);
  }

  /** Any condition, with a message for when it does not hold. */
  ok(cond: boolean, what: string): void {
    if (!cond) fail(what);
  }

  /** `fn` throws, and the message matches every pattern (op name, shapes, ...). */
  throws(fn: () => unknown, patterns: RegExp | readonly RegExp[], what = 'error'): void {
    let message: string | undefined;
    try {
      fn();
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    if (message === undefined) fail(`${what}: expected an error, but the call returned normally`);
    const list = Array.isArray(patterns) ? patterns : [patterns as RegExp];
    const missing = list.filter((p) => !p.test(message));
    if (missing.length > 0) {
      fail(`${what}: message ${JSON.stringify(message)} does not match ${missing.map(String).join(', ')}`);
    }
  }
}

/** Exact equality where NaN equals NaN and +0 equals -0. */
function sameExact(a: number | boolean, b: number | boolean): boolean {
  return Object.is(a, b) || (a === 0 && b === 0);
}

function fail(message: string): never {
  throw new ConformanceError(message);
}

/** Shape of a nested array literal: `[[1, 2, 3]]` → `[1, 3]`, `[[], []]` → `[2, 0]`, `5` → `[]`. */
export function shapeOf(x: Nested<unknown>): number[] {
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

/** Row-major list of the leaves of a nested array. */
export function flatten<T>(x: Nested<T>): T[] {
  return Array.isArray(x) ? (x as Nested<T>[]).flatMap((v) => flatten(v)) : [x as T];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function fmt(x: unknown): string {
  return JSON.stringify(x, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}
