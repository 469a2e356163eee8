import { describe, expect, it } from 'vitest';
import { flatPositions, isContiguousGeometry } from './strides.js';

describe('flatPositions', () => {
  it('lists storage positions in row-major order of the view', () => {
    expect(Array.from(flatPositions({ shape: [2, 3], strides: [1, 2], offset: 1 }))).toEqual([
      1, 3, 5, 2, 4, 6,
    ]);
    expect(Array.from(flatPositions({ shape: [2, 2], strides: [0, 1], offset: 3 }))).toEqual([3, 4, 3, 4]);
  });

  it('gives [offset] for a 0-d view and nothing for an empty one', () => {
    expect(Array.from(flatPositions({ shape: [], strides: [], offset: 4 }))).toEqual([4]);
    expect(Array.from(flatPositions({ shape: [3, 0], strides: [1, 1], offset: 2 }))).toEqual([]);
  });
});

describe('isContiguousGeometry', () => {
  it('holds for row-major strides, whatever the strides of size-1 dims', () => {
    expect(isContiguousGeometry([2, 1, 3], [3, 7, 1])).toBe(true);
    expect(isContiguousGeometry([2, 3], [4, 1])).toBe(false);
    expect(isContiguousGeometry([3, 2], [1, 3])).toBe(false);
  });
});
