// The ours-webgpu subject: skipped with the reason when there is no adapter (the bench never picks
// a Vulkan driver itself), marked when the adapter is software, and every workload's iteration
// ending in an awaited read on a backend that reads only asynchronously. Those paths run against
// onnxruntime-web's backend registered as 'webgpu' (readsSync false, as WebGPU; no Dawn needed);
// webgpu-dawn.test.ts starts the real backend on Dawn with SwiftShader.
import { OnnxWebBackend } from '@proj/backend-onnx';
import * as core from '@proj/core';
import { describe, expect, it } from 'vitest';
import { formatTable, type Run } from '../report.js';
import type { Job, Session } from '../types.js';
import { w0Overhead } from '../workloads/w0-overhead.js';
import { w1Matmul } from '../workloads/w1-matmul.js';
import { w2Mlp } from '../workloads/w2-mlp.js';
import {
  noAdapterNote,
  PackageLoadError,
  SWIFTSHADER_ICD,
  softwareCaveat,
  type WebGPUAdapter,
  webgpuSubject,
} from './webgpu.js';

const SWIFTSHADER: WebGPUAdapter = {
  implementation: 'webgpu (Dawn)',
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader driver 5.0.0',
  software: true,
  summary: 'SwiftShader driver 5.0.0 [google/swiftshader] via webgpu (Dawn) — software adapter',
};
const HARDWARE: WebGPUAdapter = {
  implementation: 'webgpu (Dawn)',
  vendor: 'nvidia',
  architecture: 'ampere',
  description: 'NVIDIA GeForce RTX 3080',
  software: false,
  summary: 'NVIDIA GeForce RTX 3080 [nvidia/ampere] via webgpu (Dawn)',
};

/** A job of `workload` with its own params and a short plan. */
const job = (workload: Job['workload'], params: Record<string, number>): Job => ({
  workload,
  case: { label: `${workload.id} test`, params, plan: { warmup: 1, iterations: 2 } },
});

describe('ours-webgpu without an adapter', () => {
  it('is skipped with the adapter error and, with VK_ICD_FILENAMES unset, how to run SwiftShader', async () => {
    const error = new Error('webgpu: webgpu (Dawn) offers no adapter (no usable GPU driver)');
    const note = noAdapterNote(error, {});
    expect(note).toContain('initWebGPU() failed: webgpu: webgpu (Dawn) offers no adapter');
    expect(note).toContain(
      `VK_ICD_FILENAMES is unset; without a GPU run VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`,
    );
    expect(noAdapterNote(error, { VK_ICD_FILENAMES: '/x/icd.json' })).toMatch(
      /\(VK_ICD_FILENAMES=\/x\/icd\.json\)$/,
    );
    // the backend's own error names the variable already: only its state is added
    const named = new Error(`no adapter; point VK_ICD_FILENAMES at ${SWIFTSHADER_ICD}`);
    expect(noAdapterNote(named, {})).toBe(
      `initWebGPU() failed: ${named.message} (VK_ICD_FILENAMES is unset)`,
    );
    const opened = await webgpuSubject(core, () => Promise.reject(error)).open([]);
    expect(typeof opened).toBe('string');
    expect(opened).toContain('offers no adapter');
  });

  it('says so when the package itself did not load (no adapter was asked for)', () => {
    const note = noAdapterNote(
      new PackageLoadError('@proj/backend-webgpu did not load: Cannot find module x'),
      {},
    );
    expect(note).toBe('@proj/backend-webgpu did not load: Cannot find module x');
  });
});

describe('a software adapter is marked', () => {
  it('SwiftShader and other software adapters get the caveat, a GPU none', () => {
    expect(softwareCaveat(SWIFTSHADER)).toBe('SwiftShader: CPU emulation, says nothing about GPUs');
    expect(
      softwareCaveat({ ...SWIFTSHADER, architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }),
    ).toBe('software adapter (llvmpipe (LLVM 15.0.6, 256 bits)): CPU emulation, says nothing about GPUs');
    expect(softwareCaveat(HARDWARE)).toBeUndefined();
  });

  it('in the table: † on the column and the caveat under it, beside the adapter line', () => {
    const w = job(w0Overhead, { ops: 1 });
    const ok = {
      ok: true as const,
      samples: [1e-6],
      summary: { median: 1e-6, p10: 1e-6, p90: 1e-6, iterations: 1, warmup: 0 },
      reduced: false,
    };
    const run: Run = {
      startedAt: new Date(),
      argv: [],
      jobs: [w],
      subjects: [
        {
          id: 'ours-webgpu',
          title: 'ours webgpu',
          detail: `adapter ${SWIFTSHADER.summary}`,
          caveat: 'SwiftShader: CPU emulation, says nothing about GPUs',
        },
      ],
      results: new Map([['ours-webgpu', new Map([[w, ok]])]]),
    };
    const table = formatTable(run);
    expect(table.split('\n')[0]).toMatch(/ours-webgpu †$/);
    expect(table).toContain(`ours-webgpu: adapter ${SWIFTSHADER.summary}`);
    expect(table).toContain('† ours-webgpu: SwiftShader: CPU emulation, says nothing about GPUs');
  });
});

describe('ours-webgpu on a backend that reads only asynchronously (onnx-web as a stand-in)', () => {
  core.registerBackend('webgpu', () => new OnnxWebBackend(), { priority: -1 });

  async function open(adapter: WebGPUAdapter): Promise<Session> {
    const s = await webgpuSubject(core, async () => adapter).open([]);
    if (typeof s === 'string') throw new Error(s);
    return s;
  }

  it('names the adapter, carries the caveat only for a software one, and switches to the backend', async () => {
    const hw = await open(HARDWARE);
    expect(hw.caveat).toBeUndefined();
    expect(hw.detail).toBe(`adapter ${HARDWARE.summary}`);
    const sw = await open(SWIFTSHADER);
    expect(sw.caveat).toBe('SwiftShader: CPU emulation, says nothing about GPUs');
    expect(sw.info).toMatchObject({ backend: 'webgpu', adapter: SWIFTSHADER.summary, software: true });
    expect(core.currentBackendName()).toBe('webgpu');
    expect(core.getBackend().readsSync).toBe(false);
  });

  it('W0, W1 and a W2 step run with an awaited read (dataSync would throw), leaking nothing', async () => {
    const session = await open(SWIFTSHADER);
    const probe = core.tensor([1]);
    expect(() => probe.dataSync()).toThrow(/data\(\)/);
    probe.dispose();
    const before = core.memory().numTensors;
    for (const j of [job(w0Overhead, { ops: 20 }), job(w1Matmul, { n: 8 }), job(w2Mlp, { batch: 8 })]) {
      // the iteration returns a promise: its read is awaited inside the timing
      const prepared = await j.workload.impls.ours!(core, j.case.params);
      const iteration = prepared.run();
      expect(iteration, j.workload.id).toBeInstanceOf(Promise);
      await iteration;
      prepared.dispose();
      const r = await session.measure(j);
      expect(r.ok, `${j.workload.id}: ${r.ok ? '' : r.note}`).toBe(true);
      if (r.ok) expect(r.note, j.workload.id).toBeUndefined(); // no leak, and W2's loss fell
    }
    expect(core.memory().numTensors).toBe(before);
  }, 60_000);
});
