import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('transfer learning on MNIST', () => {
  const dir = mkdtempSync(join(tmpdir(), 'transfer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses frozen features for new digits, then fine-tunes them', async () => {
    const r = await run({ fast: true, outDir: dir });
    expect(r.baseAccuracy).toBeGreaterThan(0.9);
    // The weights that went through the safetensors file give the same model.
    expect(r.reloadedAccuracy).toBe(r.baseAccuracy);
    // Frozen means frozen: training the head did not touch the features.
    expect(r.frozenDrift).toBe(0);
    expect(r.frozenAccuracy).toBeGreaterThan(0.75);
    expect(r.fineTunedAccuracy).toBeGreaterThan(r.frozenAccuracy);
  });
});
