import '@proj/backend-cpu';
import { CpuBackend } from '@proj/backend-cpu';
import { afterEach, describe, expect, it } from 'vitest';
import {
  manualSeed,
  nn,
  optim,
  randint,
  randn,
  registerBackend,
  setBackend,
  type Tensor,
  tidy,
} from '../index.js';
import { setGrowthWarning } from './growth-watch.js';

/** The README's ten lines (a PyTorch-style loop: no tidy, no dispose, no await) for `steps` steps. */
function plainLoop(steps: number, onStep: (step: number) => void): void {
  manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn(256, 784);
  const y = randint(0, 10, [256]);
  for (let step = 1; step <= steps; step++) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x) as Tensor, y);
    loss.backward();
    opt.step();
    onStep(step);
  }
}

const rssMiB = (): number => process.memoryUsage().rss / 2 ** 20;

afterEach(() => {
  setBackend('cpu');
  setGrowthWarning((m) => console.warn(m));
});

describe('memory without tidy (issue 18)', () => {
  it('a synchronous PyTorch-style loop on cpu stays bounded: buffers go with their tensors', () => {
    // Before: the finalization registry held every buffer until the event loop turned, so RSS
    // grew ~0.3 MiB per step (92 → 213 MiB over 300 steps); now it is flat.
    const rss: number[] = [];
    plainLoop(300, (s) => {
      if (s % 50 === 0) rss.push(rssMiB());
    });
    console.log(`cpu plain loop, RSS MiB at steps 50..300: ${rss.map((r) => r.toFixed(0)).join(' ')}`);
    expect(rss[rss.length - 1] - rss[0]).toBeLessThan(32);
  });

  it('warns once, naming the fix, when tensors pile up on a device the GC cannot free', () => {
    registerBackend('cpu-native', () => Object.assign(new CpuBackend(), { gcManaged: false }));
    setBackend('cpu-native');
    const warnings: string[] = [];
    setGrowthWarning((m) => warnings.push(m));
    plainLoop(40, () => {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /alive on 'cpu-native' and the count grew at each of the last \d+ optimizer steps/,
    );
    expect(warnings[0]).toMatch(/tidy\(\(\) => \{ \.\.\. \}\)/);
  });

  it('does not warn for a tidy loop, nor on a gcManaged device', () => {
    const warnings: string[] = [];
    setGrowthWarning((m) => warnings.push(m));
    registerBackend('cpu-native2', () => Object.assign(new CpuBackend(), { gcManaged: false }));
    setBackend('cpu-native2');
    manualSeed(0);
    const model = new nn.Linear(8, 2);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    for (let i = 0; i < 40; i++) {
      tidy(() => {
        opt.zeroGrad();
        (model.forward(randn(4, 8)) as Tensor).pow(2).mean().backward();
        opt.step();
      });
    }
    setBackend('cpu');
    plainLoop(40, () => {});
    expect(warnings).toEqual([]);
  });
});
