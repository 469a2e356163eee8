// Issue 18: GL textures are invisible to the garbage collector, so a synchronous loop that
// drops tensors without tidy cannot free them; the optimizer warns once, naming the fix.
import { manualSeed, memory, nn, optim, randint, randn, setBackend, type Tensor, tidy } from '@proj/core';
import { afterEach, expect, it, vi } from 'vitest';
import './index.js';

afterEach(() => {
  vi.restoreAllMocks();
});

function steps(n: number, wrap: (f: () => void) => void): void {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = randn(8, 16);
  const y = randint(0, 4, [8]);
  for (let i = 0; i < n; i++) {
    wrap(() => {
      opt.zeroGrad();
      nn.functional.crossEntropy(model.forward(x) as Tensor, y).backward();
      opt.step();
    });
  }
}

it('gpujs: a loop without tidy warns once that textures pile up, naming tidy()', () => {
  setBackend('gpujs');
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const before = memory().backends.gpujs?.numTensors ?? 0;
  steps(40, (f) => f());
  const grown = (memory().backends.gpujs?.numTensors ?? 0) - before;
  const ours = warn.mock.calls.filter(([m]) => String(m).includes("alive on 'gpujs'"));
  expect(grown).toBeGreaterThan(500);
  expect(ours).toHaveLength(1);
  expect(String(ours[0][0])).toMatch(/Wrap each step in tidy\(\(\) => \{ \.\.\. \}\)/);
});

it('gpujs: the same loop in tidy stays flat and does not warn', () => {
  setBackend('gpujs');
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  steps(2, (f) => tidy(f));
  const before = memory().backends.gpujs?.numTensors ?? 0;
  steps(40, (f) => tidy(f));
  // only the second run's model and data remain (4 parameters, x, y)
  expect((memory().backends.gpujs?.numTensors ?? 0) - before).toBeLessThan(20);
  expect(warn.mock.calls.filter(([m]) => String(m).includes("alive on 'gpujs'"))).toHaveLength(0);
});
