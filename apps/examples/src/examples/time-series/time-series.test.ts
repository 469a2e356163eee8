import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('time-series forecasting of a noisy sine', () => {
  it('the MLP and the LSTM both beat the naive forecast and approach the noise floor', async () => {
    const r = await run({ fast: true });
    for (const mse of [r.mlpMse, r.lstmMse]) {
      expect(mse).toBeLessThan(0.6 * r.naiveMse);
      expect(mse).toBeLessThan(2.5 * r.noiseFloor);
    }
  });
});
