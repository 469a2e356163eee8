// gpujs vs the CPU backend on two workloads of tools/bench: matmul 512 (product read back in the
// timed call, like W1) and one SGD step of the W2 MLP 784-256-128-10 on a 64-row batch (loss read
// back). Also times a bare gpu.js matmul kernel (no @proj/core) to show the framework's overhead.
// Run: xvfb-run -a pnpm exec tsx --conditions=source scripts/speed.ts [--iters N]
import '@proj/backend-cpu';
import '../src/index.js';
import { backendByName, manualSeed, nn, optim, randint, randn, setBackend, tidy } from '@proj/core';
import { GPU } from '../src/gpujs.js';
import type { GpujsBackend } from '../src/index.js';

const iters = Number(process.argv[process.argv.indexOf('--iters') + 1]) || 5;

/** Median seconds of `iters` calls after one warm-up call. */
function time(fn: () => void): number {
  fn();
  const ts: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    fn();
    ts.push((performance.now() - t0) / 1e3);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

function matmul(backend: string, n: number): number {
  setBackend(backend);
  manualSeed(0);
  const a = randn([n, n]);
  const b = randn([n, n]);
  const s = time(() => tidy(() => void a.matmul(b).dataSync()));
  a.dispose();
  b.dispose();
  return s;
}

function mlpStep(backend: string): number {
  setBackend(backend);
  manualSeed(0);
  const model = new nn.Sequential(
    new nn.Linear(784, 256),
    new nn.ReLU(),
    new nn.Linear(256, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const x = randn([64, 784]);
  const y = randint(0, 10, [64]);
  const s = time(() =>
    tidy(() => {
      opt.zeroGrad();
      const loss = nn.functional.crossEntropy(model.forward(x), y);
      loss.backward();
      opt.step();
      void loss.dataSync();
    }),
  );
  x.dispose();
  y.dispose();
  for (const p of model.parameters()) {
    p.grad?.dispose();
    p.dispose();
  }
  return s;
}

/** The same product as one bare gpu.js kernel: upload two arrays, run, read back. */
function bareMatmul(n: number): number {
  const gpu = new GPU({ mode: 'headlessgl' });
  const k = gpu.createKernel(
    `function (a, b) { var s = 0.0; for (var i = 0; i < ${n}; i++) { s += a[this.thread.y][i] * b[i][this.thread.x]; } return s; }`,
    { output: [n, n], precision: 'single', tactic: 'precision' },
  );
  const rows = () => Array.from({ length: n }, () => Float32Array.from({ length: n }, Math.random));
  const a = rows();
  const b = rows();
  const s = time(() => void k(a, b));
  void gpu.destroy();
  return s;
}

const gpu = backendByName('gpujs') as GpujsBackend;
const rows: [string, number, number][] = [
  ['matmul 512x512 (s)', matmul('cpu', 512), matmul('gpujs', 512)],
  ['W2 MLP SGD step, batch 64 (ms)', mlpStep('cpu') * 1e3, mlpStep('gpujs') * 1e3],
];
const bare = gpu.mode === 'cpu' ? Number.NaN : bareMatmul(512);
setBackend('cpu');
console.log(`gpujs mode ${gpu.mode}, renderer ${gpu.stats().renderer}; median of ${iters} after 1 warm-up`);
console.log('workload                          cpu        gpujs');
for (const [name, c, g] of rows)
  console.log(`${name.padEnd(32)}  ${c.toFixed(3).padStart(9)}  ${g.toFixed(3).padStart(9)}`);
console.log(`bare gpu.js matmul kernel 512 (s): ${bare.toFixed(3)}`);
console.log(`gpujs stats: ${JSON.stringify(gpu.stats())}`);
