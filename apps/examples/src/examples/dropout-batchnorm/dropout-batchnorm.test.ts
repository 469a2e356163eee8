import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('dropout-batchnorm', () => {
  it('dropout narrows the train/validation gap; batch norm speeds up SGD', async () => {
    const { dropout, batchNorm } = await run({ fast: true });
    const plain = dropout.without;
    const dropped = dropout['with Dropout(0.5)'];
    expect(plain.trainAccuracy).toBeGreaterThan(0.95); // memorised
    expect(dropped.gap).toBeLessThan(plain.gap);
    expect(dropped.valLoss).toBeLessThan(plain.valLoss);
    const bn = batchNorm['with BatchNorm1d'];
    const noBn = batchNorm.without;
    expect(bn.at(-1)!).toBeLessThan(0.8 * noBn.at(-1)!);
  });
});
