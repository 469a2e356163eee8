import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, nn, randn, tidy, zeros } from '../../index.js';

describe('PositionalEncoding', () => {
  it('adds the sinusoidal table of the PyTorch tutorial (buffer pe [maxLen, 1, dModel])', () => {
    tidy(() => {
      const pos = new nn.PositionalEncoding(4, { maxLen: 10, dropout: 0 });
      expect(pos.stateDict().pe.shape).toEqual([10, 1, 4]);
      const y = pos.forward(zeros([3, 2, 4]));
      const row = (p: number) => [Math.sin(p), Math.cos(p), Math.sin(p / 100), Math.cos(p / 100)];
      const data = y.dataSync();
      for (let t = 0; t < 3; t++) {
        for (let b = 0; b < 2; b++) {
          for (const [i, v] of row(t).entries()) expect(data[(t * 2 + b) * 4 + i]).toBeCloseTo(v, 6);
        }
      }
    });
  });

  it('supports batchFirst, odd dModel, and dropout only in training', () => {
    tidy(() => {
      const pos = new nn.PositionalEncoding(5, { maxLen: 6, batchFirst: true });
      manualSeed(9);
      const x = randn([2, 6, 5]);
      pos.eval();
      const y = pos.forward(x);
      expect(
        y
          .narrow(0, 0, 1)
          .sub(x.narrow(0, 0, 1))
          .dataSync()[5],
      ).toBeCloseTo(Math.sin(1), 6);
      pos.train();
      const z = pos.forward(x).dataSync();
      expect([...z].some((v) => v === 0)).toBe(true);
      expect(() => pos.forward(randn([1, 7, 5]))).toThrow(/exceeds maxLen 6/);
    });
  });
});
