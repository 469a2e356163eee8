import {
  currentBackendName,
  manualSeed,
  memory,
  nn,
  optim,
  randint,
  randn,
  setBackend,
  tidy,
} from '@proj/core';

/** What one dynamic-shape soak measured. */
export interface SoakReport {
  /** Distinct batch sizes trained on. */
  sizes: number;
  seconds: number;
  /** Process RSS in MiB before the first and after the last size (Node only; 0 elsewhere). */
  rssBeforeMiB: number;
  rssAfterMiB: number;
  /** Live tensors before and after (the model's parameters and optimizer state are kept). */
  tensorsBefore: number;
  tensorsAfter: number;
  /** The backend's own memory report (buffers, caches) after the soak. */
  backend: Readonly<Record<string, unknown>> | undefined;
}

function rssMiB(): number {
  const proc = (globalThis as { process?: { memoryUsage?: () => { rss: number } } }).process;
  return proc?.memoryUsage ? proc.memoryUsage().rss / 2 ** 20 : 0;
}

/**
 * Trains a small MLP one SGD step at each of `sizes` distinct batch sizes (1, 2, …), as a server
 * with variable batches, a last short batch or variable-length data does. Every per-shape cache
 * of a backend (compiled kernels, sessions) is exercised once per size; a backend test asserts
 * that its caches stay within their bound and nothing leaks.
 */
export function dynamicShapeSoak(backend: string, sizes = 200, features = 8): SoakReport {
  const previous = currentBackendName();
  setBackend(backend);
  try {
    manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(features, 16), new nn.ReLU(), new nn.Linear(16, 4));
    const opt = new optim.SGD(model.parameters(), { lr: 0.01 });
    const loss = new nn.CrossEntropyLoss();
    // One warm-up step so that optimizer state and first-use allocations are in "before".
    const step = (n: number): void =>
      tidy(() => {
        opt.zeroGrad();
        const l = loss.forward(model.forward(randn([n, features])) as never, randint(0, 4, [n]));
        l.backward();
        opt.step();
        l.item();
      });
    step(1);
    const rssBeforeMiB = rssMiB();
    const tensorsBefore = memory().numTensors;
    const t0 = performance.now();
    for (let n = 2; n < sizes + 2; n++) step(n);
    const seconds = (performance.now() - t0) / 1000;
    const report: SoakReport = {
      sizes,
      seconds,
      rssBeforeMiB,
      rssAfterMiB: rssMiB(),
      tensorsBefore,
      tensorsAfter: memory().numTensors,
      backend: memory().backends[backend]?.backend,
    };
    for (const p of model.parameters()) p.dispose();
    opt.state.clear();
    return report;
  } finally {
    setBackend(previous);
  }
}
