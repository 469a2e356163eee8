import { type DataArray, type DType, Tensor, type TypedArray } from '@proj/core';
import { type DeferredReads, type Held, messageOf, type Outcome, type ReadKind } from './deferred-reads.js';
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
 *
 * On a backend that reads synchronously every check reads and judges at once. On one that
 * reads only asynchronously (`readsSync: false`) the checks that need values (`close`, `equal`,
 * `item`, `read`, and `throws` when the call returned normally) are judged after the body by
 * the runner ({@link DeferredReads}): the same comparisons and messages, read with `data()` /
 * `toArrayAsync()`. Cases are written once, for both.
 */
export class Tols {
  constructor(
    /** Backend the case runs on. */
    readonly backend: string,
    /** Tolerance preset for float comparisons. */
    readonly tol: Tolerance,
    /** Where value checks wait for their reads on an asynchronous backend; none: judge at once. */
    private readonly deferred?: DeferredReads,
  ) {}

  /** Whether value checks are judged after the body (the backend reads only asynchronously). */
  get defers(): boolean {
    return this.deferred !== undefined;
  }

  /**
   * Tensors and bytes that pending value checks hold as copies (always zero on a synchronous
   * backend): a case that counts `memory()` leaves them out.
   */
  held(): Held {
    return this.deferred?.held() ?? { numTensors: 0, numBytes: 0 };
  }

  /**
   * Float comparison: shape must equal the shape of `want`, values within the preset. `want` is
   * a nested literal, or a tensor whose values `got` must reproduce (a round trip).
   */
  close(got: Tensor, want: Nested<number> | Tensor, what = 'value'): void {
    this.compare(got, want, what, (arr, w) => {
      const g = flatten(arr as Nested<number | boolean>).map(Number);
      const wf = flatten(w as Nested<number>);
      const bad = g.findIndex((v, i) => !withinTolerance(v, wf[i], this.tol));
      if (bad >= 0) {
        fail(
          `${what}: element ${bad} is ${g[bad]}, expected ${wf[bad]} (rtol ${this.tol.rtol}, atol ${this.tol.atol})\n` +
            `  got      ${fmt(arr)}\n  expected ${fmt(w)}`,
        );
      }
    });
  }

  /**
   * Exact comparison (ints, bools, values that must not round); shape included. NaN equals NaN.
   * `want` is a nested literal, or a tensor whose values `got` must reproduce (the same seed).
   */
  equal(got: Tensor, want: Nested<number | boolean> | Tensor, what = 'value'): void {
    this.compare(got, want, what, (arr, w) => {
      const g = flatten(arr as Nested<number | boolean>);
      const wf = flatten(w);
      const bad = g.findIndex((v, i) => !sameExact(v, wf[i]));
      if (bad >= 0) {
        fail(
          `${what}: element ${bad} is ${String(g[bad])}, expected ${String(wf[bad])}\n  got      ${fmt(arr)}\n  expected ${fmt(w)}`,
        );
      }
    });
  }

  /**
   * `got.item()` is exactly `want`, of the same JS type (a bool tensor's item is a boolean, an
   * int64's a number). On an asynchronous backend: the value `item()` would give, read with
   * `toArrayAsync()`.
   */
  item(got: Tensor, want: number | boolean, what = 'item()'): void {
    const judge = (v: unknown) => {
      if (typeof v !== typeof want || !sameExact(v as number | boolean, want)) {
        fail(`${what} is ${String(v)} (${typeof v}), expected ${String(want)} (${typeof want})`);
      }
    };
    if (!this.deferred) {
      judge(got.item());
      return;
    }
    if (got.numel() !== 1)
      fail(`${what}: item() needs one element, the tensor has shape [${got.shape.join(', ')}]`);
    this.whenRead(got, 'array', what, (arr) => judge(flatten(arr as Nested<unknown>)[0]));
  }

  /**
   * Reads `xs` (each as `dataSync()` gives it: its dtype's array, typed as numbers as
   * `dataSync()` is: cast for int64's BigInt64Array) and hands the arrays to `check`, which
   * judges them with `ok` / `num`. For checks no other method expresses (storage
   * array types, statistics of random samples); on an asynchronous backend `check` runs after
   * the body, on the values the tensors had at this call.
   *
   * @example
   * ```ts
   * t.read(x, (v) => t.ok(v instanceof Float32Array, 'float32 storage is a Float32Array'));
   * t.read([a, b], (va, vb) => t.ok(va[0] === vb[0], 'same first value'));
   * ```
   */
  read(xs: Tensor | readonly Tensor[], check: (...values: TypedArray[]) => void, what = 'value'): void {
    const list = xs instanceof Tensor ? [xs] : [...xs];
    if (!this.deferred) {
      check(...list.map((x) => x.dataSync()));
      return;
    }
    this.deferred.read(list, 'data', (o) => check(...(valuesOf(o, what) as TypedArray[])));
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

  /**
   * `fn` throws, and the message matches every pattern (op name, shapes, ...). On an
   * asynchronous backend an error that depends on values (an index out of range, a probability
   * outside [0, 1], an integer overflow) surfaces at the next read, as a CUDA device-side assert
   * does: when `fn` returns normally there, the tensors it returned are read (or, when it
   * returned none, a fresh scalar, which surfaces the checks core deferred) and the read must
   * raise the error.
   */
  throws(fn: () => unknown, patterns: RegExp | readonly RegExp[], what = 'error'): void {
    let message: string | undefined;
    let result: unknown;
    try {
      result = fn();
    } catch (e) {
      message = messageOf(e);
    }
    if (message !== undefined || !this.deferred) {
      matchError(message, patterns, what, 'the call returned normally');
      return;
    }
    const judge = (o: Outcome) =>
      matchError(
        o.ok ? undefined : messageOf(o.error),
        patterns,
        what,
        `the call returned normally and reading its result on '${this.backend}' raised nothing`,
      );
    const returned = tensorsIn(result, 0);
    if (returned.length > 0) this.deferred.read(returned, 'data', judge);
    else this.deferred.probe(judge);
  }

  /**
   * Checks the shape, then judges `got`'s values (as `toArray()` gives them) against `want`'s:
   * now, or after the body when deferred (a tensor `want` is read with `got`).
   */
  private compare(
    got: Tensor,
    want: Nested<number | boolean> | Tensor,
    what: string,
    judge: (got: unknown, want: Nested<number | boolean>) => void,
  ): void {
    if (!(want instanceof Tensor)) {
      this.shape(got, shapeOf(want), what);
      this.whenRead(got, 'array', what, (arr) => judge(arr, want));
      return;
    }
    this.shape(got, want.shape, what);
    if (!this.deferred) {
      judge(got.toArray(), want.toArray() as Nested<number | boolean>);
      return;
    }
    this.deferred.read([got, want], 'array', (o) => {
      const [g, w] = valuesOf(o, what);
      judge(g, w as Nested<number | boolean>);
    });
  }

  /** Judges `got` as `toArray()` / `dataSync()` gives it: now, or after the body when deferred. */
  private whenRead(got: Tensor, kind: ReadKind, what: string, check: (v: unknown) => void): void {
    if (!this.deferred) {
      check(kind === 'array' ? got.toArray() : got.dataSync<DataArray>());
      return;
    }
    this.deferred.read([got], kind, (o) => check(valuesOf(o, what)[0]));
  }
}

/** The values a deferred read gave, or a failed check naming what could not be read. */
function valuesOf(o: Outcome, what: string): unknown[] {
  if (!o.ok) fail(`${what}: reading it raised: ${messageOf(o.error)}`);
  return o.values;
}

/** `message` (undefined: nothing was thrown, because of `none`) matches every pattern. */
function matchError(
  message: string | undefined,
  patterns: RegExp | readonly RegExp[],
  what: string,
  none: string,
): void {
  if (message === undefined) fail(`${what}: expected an error, but ${none}`);
  const list = Array.isArray(patterns) ? patterns : [patterns as RegExp];
  const missing = list.filter((p) => !p.test(message));
  if (missing.length > 0) {
    fail(`${what}: message ${JSON.stringify(message)} does not match ${missing.map(String).join(', ')}`);
  }
}

/** The tensors in a call's result: a tensor, or inside arrays and objects (`{ values, indices }`). */
function tensorsIn(v: unknown, depth: number): Tensor[] {
  if (v instanceof Tensor) return v.isDisposed ? [] : [v];
  if (v === null || typeof v !== 'object' || depth > 3) return [];
  const items = Array.isArray(v) ? v : Object.values(v);
  return items.flatMap((x) => tensorsIn(x, depth + 1));
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
