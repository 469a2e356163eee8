import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('activations', () => {
  it('autograd derivatives match the textbook formulas', async () => {
    const c = await run({ fast: true });
    c.Sigmoid.x.forEach((_, i) => {
      const s = c.Sigmoid.f[i];
      expect(c.Sigmoid.df[i]).toBeCloseTo(s * (1 - s), 5);
      expect(c.Tanh.df[i]).toBeCloseTo(1 - c.Tanh.f[i] ** 2, 5);
      const x = c.ReLU.x[i];
      if (x !== 0) expect(c.ReLU.df[i]).toBe(x > 0 ? 1 : 0);
      if (x !== 0) expect(c.LeakyReLU.df[i]).toBeCloseTo(x > 0 ? 1 : 0.1, 6);
      expect(c.Softplus.df[i]).toBeCloseTo(s, 5); // softplus' = sigmoid
      expect(c.Step.df[i]).toBe(0);
    });
  });
  it('every smooth derivative agrees with finite differences of f', async () => {
    const c = await run({ fast: true });
    for (const name of ['GELU', 'SiLU', 'Mish', 'ELU', 'Softplus']) {
      const { x, f, df } = c[name];
      for (let i = 1; i < x.length - 1; i++) {
        // x = 0 is where ELU switches branches: only one-sided derivatives are compared there.
        if (x[i] === 0) continue;
        const slope = (f[i + 1] - f[i - 1]) / (x[i + 1] - x[i - 1]);
        expect(Math.abs(slope - df[i]), `${name} at x=${x[i]}`).toBeLessThan(0.05);
      }
    }
  });
});
