import '@proj/backend-cpu';
import { describe, expect, it } from 'vitest';
import { manualSeed, memory, nn, randn, type Tensor, tensor, tidy } from '../../index.js';
import { gradchecks } from '../../testing/index.js';

const F = nn.functional;
const f64 = { dtype: 'float64' as const };

describe('scaledDotProductAttention', () => {
  it('passes gradcheck (plain, causal, float mask)', () => {
    manualSeed(6);
    const before = memory().numTensors;
    tidy(() => {
      const q = randn([2, 3, 2], f64).requiresGrad_(true);
      const k = randn([2, 4, 2], f64).requiresGrad_(true);
      const v = randn([2, 4, 3], f64).requiresGrad_(true);
      const mask = randn([3, 4], f64);
      expect(
        gradchecks((a: Tensor, b: Tensor, c: Tensor) => F.scaledDotProductAttention(a, b, c), [q, k, v]),
      ).toBe(true);
      expect(
        gradchecks(
          (a: Tensor, b: Tensor, c: Tensor) => F.scaledDotProductAttention(a, b, c, { isCausal: true }),
          [q, k, v],
        ),
      ).toBe(true);
      expect(
        gradchecks(
          (a: Tensor, b: Tensor, c: Tensor) => F.scaledDotProductAttention(a, b, c, { attnMask: mask }),
          [q, k, v],
        ),
      ).toBe(true);
    });
    expect(memory().numTensors).toBe(before);
  });

  it('matches the definition; a bool mask marks positions that take part', () => {
    tidy(() => {
      const q = tensor([[1, 0]]);
      const k = tensor([
        [1, 0],
        [0, 1],
      ]);
      const v = tensor([
        [1, 2],
        [3, 4],
      ]);
      const w0 = Math.exp(1 / Math.SQRT2) / (Math.exp(1 / Math.SQRT2) + 1);
      const y = F.scaledDotProductAttention(q, k, v).dataSync();
      expect(y[0]).toBeCloseTo(w0 * 1 + (1 - w0) * 3, 6);
      const masked = F.scaledDotProductAttention(q, k, v, { attnMask: tensor([[false, true]]) }).dataSync();
      expect([...masked]).toEqual([3, 4]);
      const scaled = F.scaledDotProductAttention(q, k, v, { scale: 0 }).dataSync();
      expect([...scaled]).toEqual([2, 3]);
    });
  });

  it('is top-left causal and rejects isCausal with a mask', () => {
    tidy(() => {
      const v = tensor([[1], [10], [100]]);
      const y = F.scaledDotProductAttention(randn([2, 4]).mul(0), randn([3, 4]), v, {
        isCausal: true,
      }).dataSync();
      expect(y[0]).toBeCloseTo(1, 5);
      expect(y[1]).toBeCloseTo(5.5, 5);
      expect(() =>
        F.scaledDotProductAttention(v, v, v, { isCausal: true, attnMask: tensor([[true]]) }),
      ).toThrow(/either attnMask or isCausal/);
    });
  });
});
