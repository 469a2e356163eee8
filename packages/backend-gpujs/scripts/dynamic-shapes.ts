// Dynamic-shape soak: one SGD step of a small MLP (8-16-4, cross-entropy) at each batch size
// 1..N on gpujs, printing seconds, RSS, the kernel cache and GL textures every 20 sizes.
//   xvfb-run -a pnpm exec tsx --conditions=source scripts/dynamic-shapes.ts 200
// (MESA_SHADER_CACHE_DISABLE=true keeps Mesa's on-disk shader cache out of the timing.)
import { manualSeed, memory, nn, optim, randint, randn, setBackend, type Tensor, tidy } from '@proj/core';
import '@proj/backend-gpujs';

setBackend('gpujs');
manualSeed(0);
const sizes = Number(process.argv[2] ?? 200);
const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4));
const opt = new optim.SGD([...model.parameters()], { lr: 0.01 });
const lossFn = new nn.CrossEntropyLoss();
const gl = () => memory().backends.gpujs.backend as Record<string, number>;
const t0 = performance.now();
for (let b = 1; b <= sizes; b++) {
  tidy(() => {
    const x = randn([b, 8]);
    const y = randint(0, 4, [b]);
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x) as Tensor, y);
    loss.backward();
    opt.step();
    loss.item();
  });
  if (b % 20 === 0 || b === sizes) {
    const m = gl();
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
    console.log(
      `${b} sizes: ${s} s, RSS ${rss} MB, kernels cached ${m.kernels} (compiled ${m.kernelCompiles ?? '?'}, evicted ${m.kernelEvictions ?? '?'}), GL textures ${m.glTextures}, live tensors ${memory().numTensors}`,
    );
  }
}
