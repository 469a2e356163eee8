// Dynamic-shape soak (issue 11): every new batch size used to compile a fresh set of sized
// kernels (~16 MB and 0.7 s each time on llvmpipe) and nothing was ever evicted. Now the
// kernel cache is an LRU with a limit, and kernel classes whose shapes keep changing switch
// to size-independent kernels, so 200 batch sizes cost a bounded cache and a few seconds.
import '@proj/backend-cpu';
import {
  backendByName,
  manualSeed,
  memory,
  nn,
  optim,
  randint,
  randn,
  setBackend,
  type Tensor,
  tidy,
} from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import './index.js';
import type { GpujsBackend } from './index.js';

const gpu = () => backendByName('gpujs') as GpujsBackend;
const stats = () => memory().backends.gpujs.backend as Record<string, number>;

afterAll(() => setBackend('cpu'));

/** A small classifier and its SGD optimizer on `device`, initialised from `seed`. */
function setup(device: string, seed: number) {
  manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(6, 12), new nn.ReLU(), new nn.Linear(12, 3));
  model.to(device);
  const opt = new optim.SGD([...model.parameters()], { lr: 0.05 });
  return { model, opt, loss: new nn.CrossEntropyLoss() };
}

function step(m: ReturnType<typeof setup>, x: Tensor, y: Tensor): number {
  return tidy(() => {
    m.opt.zeroGrad();
    const loss = m.loss.forward(m.model.forward(x) as Tensor, y);
    loss.backward();
    m.opt.step();
    return loss.item() as number;
  });
}

describe('gpujs dynamic shapes', () => {
  it('200 batch sizes keep the kernel cache and GL textures bounded, and match cpu', () => {
    const limit = 48;
    const previous = gpu().maxKernels;
    gpu().setMaxKernels(limit);
    const cpu = setup('cpu', 11);
    const gl = setup('gpujs', 11);
    // parameters and, from the first step on, their gradients
    let tensorsAfterFirst = 0;
    const t0 = performance.now();
    let mid: Record<string, number> = {};
    try {
      for (let b = 1; b <= 200; b++) {
        setBackend('cpu');
        manualSeed(1000 + b);
        const x = randn([b, 6]);
        const y = randint(0, 3, [b]);
        const xg = x.to('gpujs');
        const yg = y.to('gpujs');
        const want = step(cpu, x, y);
        const got = step(gl, xg, yg);
        for (const t of [x, y, xg, yg]) t.dispose();
        // the same trajectory: kernels evicted and recompiled still compute the same step
        expect(Math.abs(got - want), `batch ${b}: gpujs loss ${got}, cpu ${want}`).toBeLessThan(1e-4);
        const s = stats();
        expect(s.kernelCacheEntries).toBeLessThanOrEqual(limit);
        expect(s.kernelCacheLimit).toBe(limit);
        if (b === 1) tensorsAfterFirst = memory().numTensors;
        if (b === 100) mid = { ...s };
      }
      const end = stats();
      expect(end.kernelEvictions).toBeGreaterThan(0);
      // GL textures: live tensors plus at most an output and an upload texture per cached kernel,
      // and flat over the second hundred sizes
      expect(end.glTextures).toBeLessThanOrEqual(end.numTextures + 2 * limit);
      expect(end.glTextures).toBeLessThanOrEqual(mid.glTextures + 4);
      expect(end.numTextures).toBe(mid.numTextures);
      // most sizes reuse kernels: far fewer compiles than the ~16 per size of sized-only kernels
      expect(end.kernelCompiles - mid.kernelCompiles).toBeLessThan(100 * 2);
      expect(memory().numTensors).toBe(tensorsAfterFirst);
    } finally {
      gpu().setMaxKernels(previous);
      for (const m of [cpu, gl]) {
        for (const p of m.model.parameters()) {
          p.grad?.dispose();
          p.dispose();
        }
      }
    }
    // seconds for the record (the bound is the test timeout)
    console.log(`dynamic shapes: 200 batch sizes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 120_000);
});
