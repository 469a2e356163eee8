import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { memory, tensor, tidy } from '../index.js';
import { MinMaxScaler, StandardScaler } from './index.js';

const close = (got: unknown, want: number[][]): void => {
  // float32 statistics: compare at 1e-6 relative.
  (got as number[][]).forEach((row, i) => {
    row.forEach((v, j) => {
      expect(Math.abs(v - want[i][j])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i][j])));
    });
  });
};

describe('scalers', () => {
  it('StandardScaler uses the biased std and leaves constant features unscaled', () => {
    tidy(() => {
      const x = tensor([
        [1, 10, 5],
        [2, 20, 5],
        [3, 60, 5],
      ]);
      const s = new StandardScaler().fit(x);
      // Feature 0: mean 2, biased var 2/3; feature 1: mean 30, var ((20²+10²+30²)/3) = 466.67.
      close([s.mean!.toArray() as number[]], [[2, 30, 5]]);
      close([s.var!.toArray() as number[]], [[2 / 3, 1400 / 3, 0]]);
      close([s.scale!.toArray() as number[]], [[Math.sqrt(2 / 3), Math.sqrt(1400 / 3), 1]]);
      const z = s.transform(x);
      close(z.toArray(), [
        [-1 / Math.sqrt(2 / 3), -20 / Math.sqrt(1400 / 3), 0],
        [0, -10 / Math.sqrt(1400 / 3), 0],
        [1 / Math.sqrt(2 / 3), 30 / Math.sqrt(1400 / 3), 0],
      ]);
      close(s.inverseTransform(z).toArray(), x.toArray() as number[][]);
      expect(() => s.transform(tensor([[1, 2]]))).toThrow(
        'StandardScaler.transform: x has shape [1,2] but the scaler was fitted on features [3]',
      );
      expect(() => new StandardScaler().transform(x)).toThrow('not fitted yet');
    });
  });

  it('MinMaxScaler maps each feature onto featureRange', () => {
    tidy(() => {
      const x = tensor([
        [0, -1],
        [5, 1],
        [10, 3],
      ]);
      const s = new MinMaxScaler([-1, 1]);
      close(s.fitTransform(x).toArray(), [
        [-1, -1],
        [0, 0],
        [1, 1],
      ]);
      close([s.scale!.toArray() as number[]], [[0.2, 0.5]]);
      close([s.min!.toArray() as number[]], [[-1, -0.5]]);
      close(s.inverseTransform(tensor([[0, 0.5]])).toArray(), [[5, 2]]);
      expect(() => new MinMaxScaler([1, 0])).toThrow(
        'MinMaxScaler: minimum of the desired feature range must be smaller',
      );
    });
  });

  it('keeps its statistics alive across tidy and frees them on dispose', () => {
    const before = memory().numTensors;
    const s = tidy(() => new StandardScaler().fit(tensor([[1], [3]])));
    expect(s.mean!.toArray()).toEqual([2]);
    s.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
