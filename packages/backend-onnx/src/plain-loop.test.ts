// Issue 18: pytorch/examples' MNIST network in a plain loop (no tidy/dispose/await) on onnx.
import { plainLoop } from '@proj/backend-tests';
import { expect, it } from 'vitest';
import './index.js';

it('onnx: main.py network, 60 steps without tidy, RSS stays bounded (handles are JS memory)', () => {
  const samples = plainLoop('onnx', 60, 8, 15);
  console.log(
    `onnx plain loop (batch 8): ${samples.map((s) => `step ${s.step}: ${s.tensors} tensors, ${s.mib.toFixed(1)} MiB counted, RSS ${s.rssMiB.toFixed(0)} MiB`).join('; ')}`,
  );
  // What the loop would hold if dropped tensors were not freed: memory() still counts them.
  const counted = samples[samples.length - 1].mib - samples[0].mib;
  const rss = samples[samples.length - 1].rssMiB - samples[0].rssMiB;
  expect(counted).toBeGreaterThan(200);
  expect(rss).toBeLessThan(counted / 4);
}, 180_000);
