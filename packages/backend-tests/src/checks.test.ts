import type { Tensor } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { ConformanceError, flatten, shapeOf, Tols } from './checks.js';
import { TOLERANCES, withinTolerance } from './tolerance.js';

/** A stand-in with the three members the checks read, so they are tested without a backend. */
function fake(value: unknown, shape: number[], dtype = 'float32'): Tensor {
  return { toArray: () => value, shape, dtype } as unknown as Tensor;
}

const t = new Tols('test', TOLERANCES.strict);

describe('tolerance', () => {
  it('accepts relative and absolute error within the preset only', () => {
    expect(withinTolerance(1 + 5e-7, 1, TOLERANCES.strict)).toBe(true);
    expect(withinTolerance(1 + 5e-6, 1, TOLERANCES.strict)).toBe(false);
    expect(withinTolerance(1 + 5e-6, 1, TOLERANCES.balanced)).toBe(true);
    expect(withinTolerance(5e-7, 0, TOLERANCES.strict)).toBe(true);
  });
  it('matches NaN with NaN and infinities exactly', () => {
    expect(withinTolerance(Number.NaN, Number.NaN, TOLERANCES.permissive)).toBe(true);
    expect(withinTolerance(0, Number.NaN, TOLERANCES.permissive)).toBe(false);
    expect(withinTolerance(Number.NaN, 0, TOLERANCES.permissive)).toBe(false);
    expect(withinTolerance(1e38, Number.POSITIVE_INFINITY, TOLERANCES.permissive)).toBe(false);
    expect(withinTolerance(Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, TOLERANCES.strict)).toBe(true);
  });
});

describe('Tols', () => {
  it('infers shapes of nested literals, empty dims included', () => {
    expect(shapeOf(5)).toEqual([]);
    expect(shapeOf([[], []])).toEqual([2, 0]);
    expect(shapeOf([[[1], [2]]])).toEqual([1, 2, 1]);
    expect(flatten([[1, 2], [3]])).toEqual([1, 2, 3]);
  });
  it('close() checks shape and values', () => {
    t.close(fake([1, 2.0000001], [2]), [1, 2]);
    expect(() => t.close(fake([1, 2.1], [2]), [1, 2])).toThrow(/element 1 is 2.1, expected 2/);
    expect(() => t.close(fake([1, 2], [2]), [[1, 2]])).toThrow(/shape is \[2\], expected \[1,2\]/);
  });
  it('equal() is exact, treats NaN as equal and bools as distinct from 0/1', () => {
    t.equal(fake([Number.NaN, true], [2]), [Number.NaN, true]);
    expect(() => t.equal(fake([1.0000001], [1]), [1])).toThrow(ConformanceError);
    expect(() => t.equal(fake([1], [1]), [true])).toThrow(/expected true/);
  });
  it('throws() requires an error whose message matches every pattern', () => {
    t.throws(() => {
      throw new Error('add: shapes [2,3] and [4]');
    }, [/add/, /\[4\]/]);
    expect(() => t.throws(() => 1, /x/)).toThrow(/returned normally/);
    expect(() =>
      t.throws(() => {
        throw new Error('mul failed');
      }, /add/),
    ).toThrow(/does not match \/add\//);
  });
  it('dtype() and num() compare exactly when asked', () => {
    expect(() => t.dtype(fake(1, [], 'int32'), 'float32')).toThrow(/dtype is int32, expected float32/);
    t.num(0.1 + 0.2, 0.3, 'sum');
    expect(() => t.num(0.1 + 0.2, 0.3, 'sum', true)).toThrow(/got 0.30000000000000004/);
  });
});
