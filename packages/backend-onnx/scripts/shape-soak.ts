// Memory and ORT sessions of the 'onnx' backend when every step has another batch size: an
// MLP (Linear+ReLU+Linear, CrossEntropyLoss, SGD) trained op by op for N distinct batch sizes
// (default 200: 1..200), plus compile and OnnxModel over the same sizes. Prints RSS
// and session counters before and after, so a per-shape leak shows as growth.
//
//   pnpm exec tsx --conditions=source scripts/shape-soak.ts [sizes] [what: eager|fused|model|all]
import '@proj/backend-cpu';
import { backendByName, manualSeed, memory, nn, optim, randint, randn, setBackend, tidy } from '@proj/core';
import { compile, exportOnnx, OnnxModel } from '../src/index.js';

const SIZES = Number(process.argv[2] ?? 200);
const WHAT = process.argv[3] ?? 'all';
const mb = () => {
  globalThis.gc?.();
  return (process.memoryUsage().rss / 2 ** 20).toFixed(1);
};
const model = () => new nn.Sequential(new nn.Linear(32, 64), new nn.ReLU(), new nn.Linear(64, 10));

async function main() {
  manualSeed(0);
  if (WHAT === 'eager' || WHAT === 'all') {
    setBackend('onnx');
    const m = model();
    const opt = new optim.SGD(m.parameters(), { lr: 0.01 });
    const lossFn = new nn.CrossEntropyLoss();
    const step = (b: number) =>
      tidy(() => {
        opt.zeroGrad();
        const l = lossFn.forward(m.forward(randn([b, 32])), randint(0, 10, [b], { dtype: 'int32' }));
        l.backward();
        opt.step();
        return l.item();
      });
    step(1); // warm: the first step builds the sessions every size shares
    const be = backendByName('onnx') as unknown as { stats(): Record<string, number> };
    const rss0 = mb();
    const s0 = { ...be.stats(), ...memory().backends.onnx?.backend };
    const t0 = performance.now();
    for (let b = 2; b <= SIZES; b++) step(b);
    const ms = performance.now() - t0;
    const s1 = { ...be.stats(), ...memory().backends.onnx?.backend };
    console.log(
      `eager op-by-op onnx, batch sizes 2..${SIZES}: RSS ${rss0} -> ${mb()} MiB, ${ms.toFixed(0)} ms`,
    );
    console.log('  before:', JSON.stringify(s0));
    console.log('  after: ', JSON.stringify(s1));
    setBackend('cpu');
  }
  if (WHAT === 'fused' || WHAT === 'all') {
    const m = model();
    const opt = new optim.SGD(m.parameters(), { lr: 0.01 });
    const xy = (b: number) => [randn([b, 32]), randint(0, 10, [b], { dtype: 'int32' })] as const;
    const train = compile(m, {
      loss: new nn.CrossEntropyLoss(),
      optimizer: opt,
      exampleInputs: xy(1),
    });
    const rss0 = mb();
    const t0 = performance.now();
    for (let b = 2; b <= SIZES; b++) tidy(() => train.step(...xy(b)).item());
    const ms = performance.now() - t0;
    console.log(`compile, batch sizes 2..${SIZES}: RSS ${rss0} -> ${mb()} MiB, ${ms.toFixed(0)} ms`);
    console.log('  stats:', JSON.stringify(train.stats()));
    train.dispose();
  }
  if (WHAT === 'model' || WHAT === 'all') {
    const m = model();
    const om = await OnnxModel.load(exportOnnx(m, [randn([1, 32])]));
    const rss0 = mb();
    for (let b = 2; b <= SIZES; b++) tidy(() => om.runSync([randn([b, 32])]));
    console.log(`OnnxModel.runSync, batch sizes 2..${SIZES}: RSS ${rss0} -> ${mb()} MiB`);
    await om.dispose();
  }
}
await main();
