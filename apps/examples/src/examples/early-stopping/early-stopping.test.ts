import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('early stopping with checkpointing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'early-stopping-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stops an overfitting run early and keeps the best weights in memory and on disk', async () => {
    const r = await run({ fast: true, outDir: dir });
    expect(r.epochsRun).toBeLessThan(r.maxEpochs);
    expect(r.bestEpoch).toBeLessThan(r.epochsRun - 1);
    // The model overfitted after its best epoch …
    expect(r.lastValLoss).toBeGreaterThan(1.5 * r.bestValLoss);
    // … but what we keep is the best epoch's model.
    expect(r.restoredValLoss).toBeCloseTo(r.bestValLoss, 5);
    expect(r.checkpointValLoss).toBeCloseTo(r.bestValLoss, 5);
  });
});
