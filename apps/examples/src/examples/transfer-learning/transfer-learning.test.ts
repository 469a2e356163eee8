import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('transfer learning from MNIST digits to Fashion-MNIST', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transfer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses the pretrained digit features, frozen, for clothes, then fine-tunes them', async () => {
    const r = await run({ fast: true, outDir: dir });
    // models.mnistCnn({ pretrained: true }) is the demo's trained CNN.
    expect(r.baseAccuracy).toBeGreaterThan(0.98);
    // The weights that went through the safetensors file give the same model.
    expect(r.reloadedAccuracy).toBe(r.baseAccuracy);
    // Frozen means frozen: training the head did not touch the features.
    expect(r.frozenDrift).toBe(0);
    expect(r.frozenAccuracy).toBeGreaterThan(0.75);
    expect(r.fineTunedAccuracy).toBeGreaterThan(r.frozenAccuracy);
  });
});
