import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('char-level LSTM/GRU text generation', () => {
  it('both cells learn the paragraph far below a uniform guess and write its words back', async () => {
    const r = await run({ fast: true });
    for (const cell of ['lstm', 'gru'] as const) {
      expect(r.loss[cell]).toBeLessThan(0.5 * r.uniformLoss);
      const cold = r.samples[cell].find((s) => s.temperature < 1)?.text ?? '';
      expect(cold).toHaveLength(60);
      expect(cold).toMatch(/\b(the|of|was)\b/);
    }
  });
});
