// Browser entry for browser.test.ts: runs ops and a short training on 'gpujs' and 'cpu' in the
// same page and hands the numbers back through `window.runParity`.
import '@proj/backend-cpu';
import {
  backendByName,
  manualSeed,
  matmul,
  max,
  mean,
  nn,
  optim,
  randint,
  randn,
  softmax,
  sum,
  type Tensor,
  tidy,
} from '@proj/core';
// The package itself, i.e. what `@proj/backend-gpujs` resolves to under the `source` condition:
// tsc rejects a self-reference by package name here (TS2209, tsconfig.json has no rootDir).
import '../index.js'; // registers 'gpujs'
import type { GpujsBackend } from '../index.js';

/** What the page hands back to the test. */
export interface ParityResult {
  /** gpu.js mode the backend picked ('webgl2' expected). */
  mode: string;
  /** The backend's renderer string (RENDERER / VERSION / UNMASKED_RENDERER_WEBGL). */
  renderer: string;
  /** Why WebGL2 is missing when the mode is not 'webgl2'; empty otherwise. */
  whyNotWebgl2: string;
  /** Op results per device, flat. */
  ops: Record<'cpu' | 'gpujs', Record<string, number[]>>;
  /** MLP losses and final weights per device. */
  train: Record<'cpu' | 'gpujs', { losses: number[]; weights: number[][] }>;
  /** Milliseconds spent per device (ops + training, compiles included). */
  ms: Record<'cpu' | 'gpujs', number>;
}

const flat = (t: Tensor): number[] => Array.from(t.dataSync() as Float32Array);

/** Asks a fresh canvas for WebGL2 and reports the browser's reason when it refuses. */
function probeWebgl2(): string {
  const canvas = document.createElement('canvas');
  let why = '';
  canvas.addEventListener('webglcontextcreationerror', (e) => {
    why = (e as WebGLContextEvent).statusMessage;
  });
  const gl = canvas.getContext('webgl2');
  if (gl) return 'a fresh canvas does get a WebGL2 context, yet gpu.js did not pick it';
  return `canvas.getContext('webgl2') returned null${why ? `: ${why}` : ''}`;
}

/** matmul, softmax and two reductions on seeded inputs, moved to `device`. */
function runOps(device: string): Record<string, number[]> {
  return tidy(() => {
    manualSeed(1);
    const a = randn([8, 16]).to(device);
    const b = randn([16, 5]).to(device);
    const x = randn([6, 10]).to(device);
    return {
      matmul: flat(matmul(a, b)),
      softmax: flat(softmax(x, -1)),
      sumDim0: flat(sum(x, 0)),
      mean: flat(mean(a)),
      maxDim1: flat(max(a, 1).values),
    };
  });
}

/** Five SGD steps of a small seeded MLP on `device`: losses and final weights. */
function runTrain(device: string): { losses: number[]; weights: number[][] } {
  return tidy(() => {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4)).to(device);
    const x = randn([16, 8]).to(device);
    const y = randint(0, 4, [16]).to(device);
    const opt = new optim.SGD([...model.parameters()] as nn.Parameter[], { lr: 0.1 });
    const lossFn = new nn.CrossEntropyLoss();
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) {
      losses.push(
        tidy(() => {
          opt.zeroGrad();
          const l = lossFn.forward(model.forward(x) as Tensor, y);
          l.backward();
          opt.step();
          return l.item() as number;
        }),
      );
    }
    return { losses, weights: [...model.parameters()].map(flat) };
  });
}

function runParity(): ParityResult {
  const gpu = backendByName('gpujs') as GpujsBackend;
  const { mode, renderer } = gpu.stats();
  const whyNotWebgl2 = mode === 'webgl2' ? '' : probeWebgl2();
  const ms = { cpu: 0, gpujs: 0 };
  const ops = {} as ParityResult['ops'];
  const train = {} as ParityResult['train'];
  for (const device of ['cpu', 'gpujs'] as const) {
    const t0 = performance.now();
    ops[device] = runOps(device);
    train[device] = runTrain(device);
    ms[device] = performance.now() - t0;
  }
  return { mode, renderer, whyNotWebgl2, ops, train, ms };
}

(globalThis as { runParity?: () => ParityResult }).runParity = runParity;
