// ms per training step of the BENCH.md W2 MLP and W3 CNN (softmax cross-entropy, SGD lr 0.01,
// one fixed batch, the loss read back every step; medians after 20 warm-ups) in one run:
// compileTrainStep (one fused ORT session per step, parameters on 'cpu' and on 'onnx'),
// op-by-op on the 'onnx' backend, and eager on the CPU backend; plus PyTorch one-thread from
// tools/bench/py/bench_torch.py when /usr/bin/python3 has torch.
//
//   pnpm exec tsx --conditions=source scripts/fused-speed.ts [iterations]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import '@proj/backend-cpu';
import { manualSeed, nn, optim, randint, randn } from '@proj/core';
import { cnnW3, eagerStep, type Model, mlpW2 } from '../src/fused/workloads.js';
import { compileTrainStep } from '../src/index.js';

const WARMUP = 20;
const ITERATIONS = Number(process.argv[2] ?? 50);

const workloads: { id: string; make: () => Model; x: number[] }[] = [
  { id: 'W2', x: [64, 784], make: mlpW2 },
  { id: 'W3', x: [32, 1, 28, 28], make: cnnW3 },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Timing {
  ms: number;
  first: number;
  last: number;
}

function time(step: () => number): Timing {
  const losses: number[] = [];
  for (let i = 0; i < WARMUP; i++) losses.push(step());
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    losses.push(step());
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), first: losses[0], last: losses[losses.length - 1] };
}

function eager(w: (typeof workloads)[number], device: 'cpu' | 'onnx'): Timing {
  manualSeed(1);
  const model = w.make().to(device);
  const x = randn(w.x).to(device);
  const y = randint(0, 10, [w.x[0]]).to(device);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const lossFn = new nn.CrossEntropyLoss();
  return time(() => eagerStep(model, lossFn, opt, x, y));
}

function fused(w: (typeof workloads)[number], device: 'cpu' | 'onnx'): Timing {
  manualSeed(1);
  const model = w.make().to(device);
  const x = randn(w.x).to(device);
  const y = randint(0, 10, [w.x[0]]).to(device);
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
  const train = compileTrainStep(model, {
    loss: new nn.CrossEntropyLoss(),
    optimizer: opt,
    exampleInputs: [x, y],
  });
  const t = time(() => train.step(x, y));
  if (train.stats().sessionsCreated !== 1) throw new Error('fused step built more than one session');
  train.dispose();
  return t;
}

/** PyTorch one-thread via the bench's own script, or null when torch is not installed. */
function pytorch(): Record<string, number> | null {
  const script = fileURLToPath(new URL('../../../tools/bench/py/bench_torch.py', import.meta.url));
  if (!existsSync('/usr/bin/python3') || !existsSync(script)) return null;
  const plan = { warmup: WARMUP, iterations: ITERATIONS };
  const jobs = { jobs: workloads.map((w) => ({ workload: w.id, params: { batch: w.x[0] }, plan })) };
  const r = spawnSync('/usr/bin/python3', [script], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_CORETYPE: 'SkylakeX', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
  });
  if (r.status !== 0) return null;
  const out = JSON.parse(r.stdout) as { results: { samples?: number[] }[] };
  return Object.fromEntries(
    workloads.map((w, i) => [
      w.id,
      out.results[i].samples ? median(out.results[i].samples!) * 1000 : Number.NaN,
    ]),
  );
}

const torch = pytorch();
const rows: string[][] = [
  [
    'workload',
    'fused (params on cpu)',
    'fused (params on onnx)',
    'op-by-op onnx',
    'cpu backend',
    'PyTorch 1 thread',
  ],
];
for (const w of workloads) {
  const f = fused(w, 'cpu');
  const fo = fused(w, 'onnx');
  const o = eager(w, 'onnx');
  const c = eager(w, 'cpu');
  const pt = torch?.[w.id];
  const fmt = (t: Timing) =>
    `${t.ms.toFixed(2)} ms${pt ? ` (${(t.ms / pt).toFixed(2)}x)` : ''}  loss ${t.first.toFixed(3)}→${t.last.toFixed(3)}`;
  rows.push([w.id, fmt(f), fmt(fo), fmt(o), fmt(c), pt ? `${pt.toFixed(2)} ms` : 'not installed']);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join(' | '));
console.log(
  `medians of ${ITERATIONS} steps after ${WARMUP} warm-ups; ratios are to PyTorch one-thread in this run`,
);
