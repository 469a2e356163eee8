// Issue 11 soak: 200 distinct batch sizes through a small model, forward + backward + SGD step,
// on the onnx backend op by op and with compile. Before the fix every new batch size
// built ~23 more ORT sessions and nothing was released (200 sizes: 4,614 sessions, +525 MiB
// RSS); now the primitive sessions have symbolic sizes (one set serves every size) and every
// session cache is a bounded LRU. RSS figures: scripts/shape-soak.ts.
import '@proj/backend-cpu';
import { backendByName, manualSeed, memory, nn, optim, randint, randn, setBackend, tidy } from '@proj/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { OnnxBackend } from './backend/onnx-backend.js';
import { compile } from './compile/compile.js';
import './index.js';

afterAll(() => setBackend('cpu'));

const SIZES = Array.from({ length: 200 }, (_, i) => i + 1);

function trainer() {
  manualSeed(7);
  const model = new nn.Sequential(new nn.Linear(32, 64), new nn.ReLU(), new nn.Linear(64, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new nn.CrossEntropyLoss();
  const step = (b: number) =>
    tidy(() => {
      manualSeed(1000 + b);
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(randn([b, 32])), randint(0, 10, [b], { dtype: 'int32' }));
      loss.backward();
      opt.step();
      return loss.item();
    });
  return { model, opt, step };
}

const onnxMemory = () => memory().backends.onnx?.backend as Record<string, number>;

describe('dynamic-shape soak on the onnx backend (issue 11)', () => {
  it('200 batch sizes op by op: no session per size, sessions within the limit, no leaked tensors', () => {
    setBackend('onnx');
    const be = backendByName('onnx') as OnnxBackend;
    const { step } = trainer();
    step(SIZES[0]); // the parameters' gradients exist from here on
    const tensors = memory().numTensors;
    const buffers = onnxMemory().numBuffers;
    let warm = 0;
    for (const b of SIZES.slice(1)) {
      expect(Number.isFinite(step(b))).toBe(true);
      const m = onnxMemory();
      expect(m.sessions).toBeLessThanOrEqual(m.sessionLimit);
      // sizes 1..3 meet every code path (a batch of 1 takes some of its own); after that no size builds anything
      if (b === 3) warm = m.sessionsCreated;
      if (b > 3) expect(m.sessionsCreated).toBe(warm);
    }
    expect(warm).toBeLessThan(60);
    expect(onnxMemory()).toMatchObject({ sessionEvictions: 0, sessionLimit: 256, numBuffers: buffers });
    expect(memory().numTensors).toBe(tensors);
    expect(be.stats().evictions).toBe(0);
    setBackend('cpu');
  });

  it('with a budget below the working set, sessions stay within it and training is unchanged', () => {
    setBackend('onnx');
    const be = backendByName('onnx') as OnnxBackend;
    const sizes = SIZES.slice(0, 16);
    const free = trainer();
    const want = sizes.map((b) => free.step(b));
    be.setMaxSessions(12);
    try {
      const evicted = onnxMemory().sessionEvictions;
      const bounded = trainer();
      for (const [i, b] of sizes.entries()) {
        expect(bounded.step(b)).toBe(want[i]);
        expect(onnxMemory().sessions).toBeLessThanOrEqual(12);
      }
      expect(onnxMemory().sessionEvictions).toBeGreaterThan(evicted);
    } finally {
      be.setMaxSessions(256);
      setBackend('cpu');
    }
  });

  it('200 batch sizes through compile: one graph with a symbolic batch, no leaked tensors', () => {
    const { model, opt } = trainer();
    const batch = (b: number) => [randn([b, 32]), randint(0, 10, [b], { dtype: 'int32' })] as const;
    const train = compile(model, {
      loss: new nn.CrossEntropyLoss(),
      optimizer: opt,
      exampleInputs: batch(1),
    });
    // after a first step the gradients exist (as after an eager step): the baseline
    tidy(() => train.step(...batch(1)).item());
    const tensors = memory().numTensors;
    for (const b of SIZES) {
      expect(Number.isFinite(tidy(() => train.step(...batch(b)).item()))).toBe(true);
      expect(train.stats().graphs).toBeLessThanOrEqual(8);
    }
    // one graph for every size (SGD without momentum has one code path)
    expect(train.stats()).toMatchObject({ traces: 1, graphs: 1, evictions: 0, runs: 201 });
    expect(memory().numTensors).toBe(tensors);
    train.dispose();
  });
});
