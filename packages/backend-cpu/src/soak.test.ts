// Dynamic shapes (issue 11): 200 distinct batch sizes leave no tensor, buffer or cache behind.
import { dynamicShapeSoak } from '@proj/backend-tests';
import { describe, expect, it } from 'vitest';
import './index.js';

describe('cpu: 200 distinct batch sizes', () => {
  it('keep live tensors, buffers and memory bounded (no per-shape state)', () => {
    const r = dynamicShapeSoak('cpu', 200);
    console.log(
      `cpu soak: ${r.sizes} sizes in ${r.seconds.toFixed(2)} s, RSS ${r.rssBeforeMiB.toFixed(0)} → ${r.rssAfterMiB.toFixed(0)} MiB, backend ${JSON.stringify(r.backend)}`,
    );
    expect(r.tensorsAfter).toBe(r.tensorsBefore);
    // The CPU backend keeps no per-shape state: only the wasm matmul scratch, bounded by the
    // largest product (here far below 1 MiB), and no buffer outlives its tensor.
    expect(Number(r.backend?.wasmHeapBytes ?? 0)).toBeLessThan(2 ** 20 * 4);
    expect(r.rssAfterMiB - r.rssBeforeMiB).toBeLessThan(64);
  });
});
