import {
  currentBackendName,
  manualSeed,
  memory,
  nn,
  optim,
  rand,
  randint,
  setBackend,
  type Tensor,
} from '@proj/core';

/**
 * pytorch/examples' `mnist/main.py` network, ported line by line: two convolutions, max
 * pooling, dropout, two linear layers, log-softmax (its loss is nll_loss).
 */
export class MnistNet extends nn.Module {
  conv1 = new nn.Conv2d(1, 32, 3, { stride: 1 });
  conv2 = new nn.Conv2d(32, 64, 3, { stride: 1 });
  dropout1 = new nn.Dropout(0.25);
  dropout2 = new nn.Dropout(0.5);
  fc1 = new nn.Linear(9216, 128);
  fc2 = new nn.Linear(128, 10);

  override forward(x: Tensor): Tensor {
    let h = this.conv1.forward(x).relu();
    h = this.conv2.forward(h).relu();
    h = nn.functional.maxPool2d(h, 2);
    h = this.dropout1.forward(h).flatten(1);
    h = this.fc1.forward(h).relu();
    h = this.dropout2.forward(h);
    return this.fc2.forward(h).logSoftmax(1);
  }
}

/** One memory sample of {@link plainLoop}. */
export interface LoopSample {
  step: number;
  tensors: number;
  /** memory()'s bytes on the backend, MiB. */
  mib: number;
  /** Process RSS, MiB. */
  rssMiB: number;
}

/**
 * Trains {@link MnistNet} as main.py's `train()` does — zeroGrad, forward, nll_loss, backward,
 * step, `loss.item()` — in a plain synchronous loop with no `tidy`, `dispose` or `await`,
 * sampling memory every `every` steps. The batch is fixed random data (the figures concern
 * memory, not accuracy).
 */
export function plainLoop(backend: string, steps: number, batch: number, every = 50): LoopSample[] {
  const previous = currentBackendName();
  setBackend(backend);
  try {
    manualSeed(1);
    const model = new MnistNet();
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = rand([batch, 1, 28, 28]);
    const y = randint(0, 10, [batch]);
    const samples: LoopSample[] = [];
    model.train();
    for (let step = 1; step <= steps; step++) {
      opt.zeroGrad();
      const output = model.forward(x);
      const loss = nn.functional.nllLoss(output, y);
      loss.backward();
      opt.step();
      loss.item();
      if (step % every === 0) {
        const m = memory();
        samples.push({
          step,
          tensors: m.numTensors,
          mib: (m.backends[backend]?.numBytes ?? 0) / 2 ** 20,
          rssMiB: process.memoryUsage().rss / 2 ** 20,
        });
      }
    }
    return samples;
  } finally {
    setBackend(previous);
  }
}

/**
 * {@link plainLoop} (60 steps of batch 8) with its verdict for a backend whose buffers the
 * garbage collector frees (`gcManaged`): memory() still counts the dropped tensors (over
 * 200 MiB by the end), but RSS must have grown by less than a quarter of that. Returns the
 * summary line to log, or throws with it.
 */
export function checkPlainLoopBounded(backend: string): string {
  const samples = plainLoop(backend, 60, 8, 15);
  const line = `${backend} plain loop (batch 8): ${samples
    .map(
      (s) =>
        `step ${s.step}: ${s.tensors} tensors, ${s.mib.toFixed(1)} MiB counted, RSS ${s.rssMiB.toFixed(0)} MiB`,
    )
    .join('; ')}`;
  const counted = samples[samples.length - 1].mib - samples[0].mib;
  const rss = samples[samples.length - 1].rssMiB - samples[0].rssMiB;
  if (!(counted > 200 && rss < counted / 4)) {
    throw new Error(
      `${line}: RSS grew ${rss.toFixed(0)} MiB while ${counted.toFixed(0)} MiB of dropped tensors were counted`,
    );
  }
  return line;
}
