// Browser entry for webgpu.test.ts: starts the backend on the page's `navigator.gpu`, runs the
// same small computations on 'cpu' and 'webgpu' in the page (inputs drawn on 'cpu' and moved),
// and hands both results back through `window.runWebGPU`. WebGPU results are read with
// `await data()`: the backend cannot read synchronously.
import '@proj/backend-cpu';
import {
  backendByName,
  manualSeed,
  matmul,
  memory,
  nn,
  rand,
  randn,
  softmax,
  sum,
  type Tensor,
  tensor,
  tidy,
} from '@proj/core';
// The package itself, i.e. what `@proj/backend-webgpu` resolves to under the `source` condition.
import { type AdapterReport, initWebGPU } from '../index.js';

/** One computation: its values on each device, flat, output after output. */
export interface Check {
  cpu: number[];
  webgpu: number[];
  /** Where each output starts in the flat arrays, and its name (e.g. the parameter a gradient belongs to). */
  parts: { name: string; at: number }[];
  /** What the computation threw on 'webgpu' (its values are then empty); the other checks still run. */
  error?: string;
  /** Milliseconds on 'webgpu', reads and first-use shader compiles included. */
  ms: number;
  /** Compute pipelines the backend built for it (shaders compiled on first use). */
  pipelinesBuilt: number;
}

/** What the page hands back to the test. */
export interface WebGPUPageResult {
  /** Whether the page has `navigator.gpu` at all. */
  hasNavigatorGpu: boolean;
  /** The adapter `initWebGPU()` found; absent when it failed (see `startError`). */
  adapter?: AdapterReport;
  startError?: string;
  /** `adapter.info.isFallbackAdapter` as Chromium reports it. */
  fallbackAdapter?: boolean;
  checks: Record<string, Check>;
  /** The message of `dataSync()` on a 'webgpu' tensor ('' if it did not throw). */
  dataSyncError: string;
  /** Live tensors after the checks minus before (0: nothing leaked). */
  leaked: number;
  /** Milliseconds for the checks on each device (webgpu: shader compiles included). */
  ms: Record<'cpu' | 'webgpu', number>;
}

/** What one computation returns: its named outputs, and kept tensors to free once they are read. */
interface Computed {
  outputs: [string, Tensor][];
  /** Tensors that outlive `tidy` (a module's parameters are kept), freed with the outputs. */
  free?: Tensor[];
}

/** A small MLP (Linear/ReLU/Linear), MSE loss, backward: the loss and every parameter's gradient. */
function mlp(device: string): Computed {
  manualSeed(3);
  const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 4)).to(device);
  const x = randn([12, 8]).to(device);
  const target = randn([12, 4]).to(device);
  const loss = new nn.MSELoss().forward(model.forward(x) as Tensor, target);
  loss.backward();
  const named = model.namedParameters();
  const grads = named.map(([name, p]): [string, Tensor] => [`grad ${name}`, p.grad as Tensor]);
  return { outputs: [['loss', loss], ...grads], free: named.map(([, p]) => p) };
}

/** The computations, each from inputs drawn on 'cpu' under its own seed and moved to `device`. */
const CHECKS: Record<string, (device: string) => Computed> = {
  'mlp forward+backward': mlp,
  'matmul 128x96 @ 96x64': (device) => {
    manualSeed(4);
    return { outputs: [['product', matmul(randn([128, 96]).to(device), randn([96, 64]).to(device))]] };
  },
  'sum of 2^17 elements': (device) => {
    manualSeed(5);
    const x = rand([1 << 17]).to(device);
    return {
      outputs: [
        ['sum', sum(x)],
        ['row sums [512, 256]', sum(x.reshape([512, 256]), 1)],
      ],
    };
  },
  'softmax [32, 50]': (device) => {
    manualSeed(6);
    return { outputs: [['softmax', softmax(randn([32, 50]).mul(4).to(device), -1)]] };
  },
  'conv2d [2,3,11,11] * [4,3,3,3], stride 2, padding 1': (device) => {
    manualSeed(7);
    const [x, w, b] = [randn([2, 3, 11, 11]), randn([4, 3, 3, 3]), randn([4])].map((t) => t.to(device));
    return { outputs: [['conv2d', nn.functional.conv2d(x, w, b, { stride: 2, padding: 1 })]] };
  },
};

/** Runs `fn` on `device` inside tidy, keeps its outputs, reads them (with await on 'webgpu') and frees them. */
async function values(
  fn: (device: string) => Computed,
  device: string,
): Promise<{ flat: number[]; parts: Check['parts'] }> {
  const { outputs, free = [] } = tidy(() => fn(device));
  try {
    const flat: number[] = [];
    const parts: Check['parts'] = [];
    for (const [name, t] of outputs) {
      parts.push({ name, at: flat.length });
      const v = device === 'cpu' ? t.dataSync() : await t.data();
      for (const x of v as Float32Array) flat.push(x);
    }
    return { flat, parts };
  } finally {
    for (const [, t] of outputs) t.dispose();
    for (const t of free) t.dispose();
  }
}

/** Pipelines the 'webgpu' backend has built so far (its memory report counts them). */
function pipelinesBuilt(): number {
  return Number(backendByName('webgpu').memory?.().pipelinesBuilt ?? 0);
}

async function runWebGPU(): Promise<WebGPUPageResult> {
  const nav = navigator as Navigator & { gpu?: GPU };
  const result: WebGPUPageResult = {
    hasNavigatorGpu: nav.gpu !== undefined,
    checks: {},
    dataSyncError: '',
    leaked: 0,
    ms: { cpu: 0, webgpu: 0 },
  };
  try {
    result.adapter = await initWebGPU();
    const adapter = await nav.gpu?.requestAdapter();
    result.fallbackAdapter = (
      adapter?.info as { isFallbackAdapter?: boolean } | undefined
    )?.isFallbackAdapter;
  } catch (e) {
    result.startError = (e as Error).message;
    return result;
  }
  const before = memory().numTensors;
  for (const [name, fn] of Object.entries(CHECKS)) {
    let t0 = performance.now();
    const cpu = await values(fn, 'cpu');
    result.ms.cpu += performance.now() - t0;
    t0 = performance.now();
    const built = pipelinesBuilt();
    let check: Omit<Check, 'ms' | 'pipelinesBuilt'>;
    try {
      const webgpu = await values(fn, 'webgpu');
      check = { cpu: cpu.flat, webgpu: webgpu.flat, parts: cpu.parts };
    } catch (e) {
      check = { cpu: cpu.flat, webgpu: [], parts: cpu.parts, error: (e as Error).message };
    }
    const ms = performance.now() - t0;
    result.checks[name] = { ...check, ms, pipelinesBuilt: pipelinesBuilt() - built };
    result.ms.webgpu += ms;
  }
  const t = tidy(() => tensor([1, 2, 3]).to('webgpu'));
  try {
    t.dataSync();
  } catch (e) {
    result.dataSyncError = (e as Error).message;
  } finally {
    t.dispose();
  }
  result.leaked = memory().numTensors - before;
  return result;
}

(globalThis as { runWebGPU?: () => Promise<WebGPUPageResult> }).runWebGPU = runWebGPU;
