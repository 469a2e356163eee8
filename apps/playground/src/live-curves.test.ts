import { describe, expect, it } from 'vitest';
import { grey, hot } from './heatmap.js';
import { movingAverage } from './live-curves.js';

describe('chart and heat-map maths', () => {
  it('movingAverage averages the last w values (fewer at the start)', () => {
    expect(movingAverage([2, 4, 6, 8], 2)).toEqual([2, 3, 5, 7]);
    expect(movingAverage([], 3)).toEqual([]);
  });

  it('hot runs black → red → yellow → white, and clamps', () => {
    expect(hot(0)).toEqual([0, 0, 0]);
    expect(hot(1 / 3)).toEqual([255, 0, 0]);
    expect(hot(2 / 3)).toEqual([255, 255, 0]);
    expect(hot(1)).toEqual([255, 255, 255]);
    expect(hot(2)).toEqual([255, 255, 255]);
    expect(grey(0.5)).toEqual([128, 128, 128]);
  });
});
