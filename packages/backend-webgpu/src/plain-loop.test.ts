// Memory without tidy: a PyTorch-style training loop that never disposes anything stays bounded
// on webgpu (core releases the buffers of collected tensors; they return to the bounded pool).
import '@proj/backend-cpu';
import { manualSeed, memory, nn, optim, randn, setBackend } from '@proj/core';
import { afterAll, expect, it } from 'vitest';
import { initWebGPU } from './index.js';

await initWebGPU();
afterAll(() => setBackend('cpu'));

it('a training loop without tidy or dispose keeps live GPU bytes bounded', async () => {
  manualSeed(0);
  setBackend('webgpu');
  const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10));
  const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn([32, 64]);
  const y = randn([32, 10]).argmax(1);
  const live: number[] = [];
  for (let step = 0; step < 60; step++) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    await loss.data();
    if (step % 10 === 9) {
      (globalThis as { gc?: () => void }).gc?.();
      live.push(memory().backends.webgpu!.backend!.numBytes as number);
    }
  }
  // the garbage collector runs when it likes: compare the late steps with the early ones
  const early = Math.max(...live.slice(0, 5));
  const late = Math.max(...live.slice(-5));
  expect(late).toBeLessThan(early * 2 + 4 * 2 ** 20);
});
