// Issue 18: pytorch/examples' MNIST network in a plain loop (no tidy/dispose/await) on onnx.
import { plainLoop } from '@proj/backend-tests';
import { expect, it } from 'vitest';
import './index.js';

it('onnx: main.py network, 150 steps without tidy, RSS stays bounded (handles are JS memory)', () => {
  const samples = plainLoop('onnx', 150, 8, 25);
  console.log(
    `onnx plain loop (batch 8): ${samples.map((s) => `step ${s.step}: ${s.tensors} tensors, ${s.mib.toFixed(1)} MiB counted, RSS ${s.rssMiB.toFixed(0)} MiB`).join('; ')}`,
  );
  expect(samples[samples.length - 1].rssMiB - samples[0].rssMiB).toBeLessThan(100);
}, 180_000);
