// Issue 18: pytorch/examples' MNIST network in a plain loop (no tidy/dispose/await) stays bounded.
import { plainLoop } from '@proj/backend-tests';
import { expect, it } from 'vitest';
import './index.js';

it('cpu: main.py network, 150 steps without tidy, RSS stays bounded', () => {
  const samples = plainLoop('cpu', 150, 8, 25);
  console.log(
    `cpu plain loop (batch 8): ${samples.map((s) => `step ${s.step}: ${s.tensors} tensors, ${s.mib.toFixed(1)} MiB counted, RSS ${s.rssMiB.toFixed(0)} MiB`).join('; ')}`,
  );
  // Buffers go with their tensors (gcManaged): RSS from step 25 to 150 grows by far less than the
  // ~6.5 MiB per step (800 MiB) that unreleased activations would cost.
  expect(samples[samples.length - 1].rssMiB - samples[0].rssMiB).toBeLessThan(60);
}, 120_000);
