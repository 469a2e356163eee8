// ours-webgpu on the real backend: Dawn's Node bindings on SwiftShader. The bench itself never
// sets VK_ICD_FILENAMES (a machine with a GPU must use it); this test names SwiftShader's
// driver explicitly when the variable is unset, as the bench README tells a user to.
import { existsSync } from 'node:fs';
import * as core from '@proj/core';
import { describe, expect, it } from 'vitest';
import type { Job, Session } from '../types.js';
import { w1Matmul } from '../workloads/w1-matmul.js';
import { w2Mlp } from '../workloads/w2-mlp.js';
import { SWIFTSHADER_ICD, webgpuSubject } from './webgpu.js';

const icd = process.env.VK_ICD_FILENAMES ?? (existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined);

const title = icd
  ? 'ours-webgpu on Dawn'
  : `ours-webgpu on Dawn — skipped: no VK_ICD_FILENAMES and no ${SWIFTSHADER_ICD} (apt-get install chromium)`;

describe.skipIf(icd === undefined)(title, () => {
  it('starts, names its adapter, and times W1 and W2 with awaited reads, leaking nothing', async () => {
    const driver = icd as string;
    process.env.VK_ICD_FILENAMES = driver; // read by the Vulkan loader when Dawn starts
    const opened = await webgpuSubject(core).open([]);
    if (typeof opened === 'string') throw new Error(`ours-webgpu did not start: ${opened}`);
    const session: Session = opened;
    console.log(`[ours-webgpu] ${session.detail}${session.caveat ? `; ${session.caveat}` : ''}`);
    expect(session.detail).toMatch(/^adapter \S/);
    if (driver.includes('swiftshader')) {
      expect(session.info.software).toBe(true);
      expect(session.caveat).toBe('SwiftShader: CPU emulation, says nothing about GPUs');
    }
    const jobs: Job[] = [
      {
        workload: w1Matmul,
        case: { label: 'W1 N=64', params: { n: 64 }, plan: { warmup: 1, iterations: 2 } },
      },
      {
        workload: w2Mlp,
        case: { label: 'W2 MLP step', params: { batch: 16 }, plan: { warmup: 1, iterations: 2 } },
      },
    ];
    const before = core.memory().numTensors;
    for (const j of jobs) {
      const r = await session.measure(j);
      if (!r.ok) throw new Error(`${j.case.label}: ${r.note}`);
      // a note is a leak or a loss that did not fall
      expect(r.note, j.case.label).toBeUndefined();
      console.log(`[ours-webgpu] ${j.case.label}: median ${(r.summary.median * 1e3).toFixed(2)} ms`);
      if (r.losses) expect(r.losses.first).toBeGreaterThan(1.5); // about ln 10
    }
    expect(core.memory().numTensors).toBe(before);
    await session.close();
  }, 120_000);
});
