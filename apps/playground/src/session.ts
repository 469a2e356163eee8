// The model being trained in the page, on one backend at a time: training steps, test
// accuracy, and the prediction with its saliency map. Every read is asynchronous
// (`await t.data()`), because onnx-web can read no other way.
import {
  autograd,
  io,
  manualSeed,
  nn,
  noGrad,
  optim,
  setBackend,
  type Tensor,
  tensor,
  tidy,
  train,
} from '@proj/core';
import type { BackendName } from './backends.js';
import { BatchStream, normalise } from './dataset.js';
import type { MnistPack } from './mnist-pack.js';
import { mnistCnn } from './model.js';

/** What one training batch logged. */
export interface BatchLog {
  /** Batches trained since the model was created (1 for the first). */
  step: number;
  loss: number;
  /** Share of the batch classified right (by the predictions the step computed its loss on). */
  accuracy: number;
  /** Wall time of the step, reads included. */
  ms: number;
}

/** A classified image: the softmax of the logits, the winner and its saliency map. */
export interface Prediction {
  probs: number[];
  predicted: number;
  /** |d logit[predicted] / d pixel| for the 28 x 28 input pixels. */
  saliency: Float32Array;
}

/** Index of the largest of `n` values at `v[off..]`. */
function argmax(v: ArrayLike<number>, off = 0, n = v.length): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (v[off + i] > v[off + best]) best = i;
  return best;
}

/** Frees an optimizer's state tensors (Adam's moments): they stay on the device they were made on. */
function disposeState(opt: optim.Optimizer<any>): void {
  for (const s of opt.state.values())
    for (const v of Object.values(s)) if (typeof v === 'object') v.dispose();
}

/**
 * Adam's learning rate: the demo's 1e-3 (annealed over three epochs) learns too slowly for a
 * page where a few dozen batches should show the loss falling; 5e-3 halves it within ~12
 * batches of 32 and stays stable on this small CNN.
 */
export const LEARNING_RATE = 5e-3;

/**
 * The playground's training session. One model, Adam and cross-entropy, trained on the packed
 * MNIST subset on the current backend. `reset` starts over (seeded: the same weights and the
 * same batches on every backend); `moveTo` carries the trained weights to another backend.
 */
export class Session {
  backend: BackendName = 'cpu';
  model: nn.Sequential;
  optimizer: optim.Adam;
  readonly data: BatchStream;
  steps = 0;
  private readonly lossFn = new nn.CrossEntropyLoss();
  private stopping = false;
  private busy = false;

  constructor(pack: MnistPack) {
    this.data = new BatchStream(pack, 0);
    setBackend(this.backend);
    manualSeed(0);
    this.model = mnistCnn();
    this.optimizer = new optim.Adam(this.model.parameters(), { lr: LEARNING_RATE });
  }

  /** True while a training run or a prediction is under way. */
  get running(): boolean {
    return this.busy;
  }

  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy)
      throw new Error(`playground: cannot ${what} while another run is under way (stop it first)`);
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  /**
   * A fresh model (seed 0) on `backend`, the batches rewound: runs on every backend start alike.
   * With `pretrained`, the model starts from the weights `pnpm demo` trained (@proj/vision).
   */
  reset(backend: BackendName = this.backend, pretrained = false): Promise<void> {
    return this.exclusive('reset', async () => {
      disposeState(this.optimizer);
      for (const p of this.model.parameters()) {
        p.grad?.dispose();
        p.dispose();
      }
      setBackend(backend);
      this.backend = backend;
      manualSeed(0);
      this.model = mnistCnn(pretrained);
      this.optimizer = new optim.Adam(this.model.parameters(), { lr: LEARNING_RATE });
      this.data.rewind();
      this.steps = 0;
    });
  }

  /** Moves the trained weights to `backend`; Adam starts afresh there (its moments are dropped). */
  moveTo(backend: BackendName): Promise<void> {
    return this.exclusive('switch backends', async () => {
      if (backend === this.backend) return;
      await this.model.toAsync(backend);
      disposeState(this.optimizer);
      this.optimizer = new optim.Adam(this.model.parameters(), { lr: LEARNING_RATE });
      setBackend(backend);
      this.backend = backend;
    });
  }

  /**
   * The weights as a state dict on the CPU, read asynchronously (onnx-web cannot read
   * otherwise): what IndexedDB and the download store. Dispose it after use.
   */
  async hostStateDict(): Promise<Record<string, Tensor>> {
    const entries = Object.entries(this.model.stateDict());
    const host = await Promise.all(entries.map(async ([k, t]) => [k, await t.toAsync('cpu')] as const));
    return Object.fromEntries(host.map(([k, t], i) => [k, t === entries[i][1] ? t.clone() : t]));
  }

  /** Stores the weights in the page's IndexedDB under `key`. */
  save(key: string): Promise<void> {
    return this.exclusive('save', async () => {
      const sd = await this.hostStateDict();
      try {
        await io.saveToIndexedDB(key, sd);
      } finally {
        for (const t of Object.values(sd)) t.dispose();
      }
    });
  }

  /** Loads the weights stored under `key` into the model (on its backend); Adam starts afresh. */
  load(key: string): Promise<void> {
    return this.exclusive('load', async () => {
      const sd = await io.loadFromIndexedDB<Record<string, Tensor>>(key, { device: 'cpu' });
      try {
        // copies each CPU tensor into the parameter on the model's backend (copy_ moves it)
        this.model.loadStateDict(sd);
      } finally {
        for (const t of Object.values(sd)) t.dispose();
      }
      disposeState(this.optimizer);
      this.optimizer = new optim.Adam(this.model.parameters(), { lr: LEARNING_RATE });
    });
  }

  /** Asks a running {@link trainBatches} to end after its current batch. */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Trains `batches` batches of `batchSize` with `train.fit` (one epoch over a generator of
   * batches), calling `onBatch` after each. `yieldEvery: 'batch'` gives the page a frame
   * between batches, so the charts repaint and Stop is heard. On onnx-web, fit reads the loss
   * with `await data()` and computes the accuracy on a CPU copy of the predictions. Resolves
   * to the logs of the batches run.
   */
  trainBatches(
    batches: number,
    batchSize: number,
    onBatch: (log: BatchLog) => void = () => {},
  ): Promise<BatchLog[]> {
    return this.exclusive('train', async () => {
      this.stopping = false;
      const logs: BatchLog[] = [];
      const device = this.backend;
      const data = this.data;
      // fit pulls each batch inside the step's tidy: the tensors go with the step
      function* source(): Generator<[Tensor, Tensor]> {
        for (let b = 0; b < batches; b++) {
          const hb = data.next(batchSize);
          yield [tensor(hb.x, { device }).reshape(hb.n, 1, 28, 28), tensor(hb.y, { device })];
        }
      }
      let t0 = 0;
      const watch: train.Callback = new train.LambdaCallback({
        onBatchBegin: () => {
          t0 = performance.now();
        },
        onBatchEnd: (_batch, l) => {
          const log = { step: ++this.steps, loss: l.loss, accuracy: l.accuracy, ms: performance.now() - t0 };
          logs.push(log);
          onBatch(log);
          if (this.stopping) watch.context.stopTraining = true;
        },
      });
      await train.fit(this.model, {
        train: source(),
        loss: this.lossFn,
        optimizer: this.optimizer,
        metrics: ['accuracy'],
        callbacks: [watch],
        yieldEvery: 'batch',
        verbose: 0,
      });
      return logs;
    });
  }

  /**
   * Accuracy and mean loss on the first `count` test images (eval mode, no gradients), in
   * batches of `batchSize` (the training batch size reuses gpu.js's compiled kernels).
   */
  evaluate(count = 500, batchSize = 64): Promise<{ accuracy: number; loss: number; count: number }> {
    return this.exclusive('evaluate', async () => {
      const n = Math.min(count, this.data.pack.test.count);
      const device = this.backend;
      this.model.eval();
      let right = 0;
      let lossSum = 0;
      try {
        for (let at = 0; at < n; at += batchSize) {
          const hb = this.data.test(at, Math.min(batchSize, n - at));
          const { loss, logits } = tidy(() =>
            noGrad(() => {
              const x = tensor(hb.x, { device }).reshape(hb.n, 1, 28, 28);
              const out = this.model.forward(x) as Tensor;
              return { loss: this.lossFn.forward(out, tensor(hb.y, { device })), logits: out };
            }),
          );
          lossSum += (await loss.data())[0] * hb.n;
          const lv = await logits.data();
          loss.dispose();
          logits.dispose();
          for (let i = 0; i < hb.n; i++) if (argmax(lv, i * 10, 10) === hb.y[i]) right++;
          await train.nextFrame();
        }
      } finally {
        this.model.train();
      }
      return { accuracy: right / n, loss: lossSum / n, count: n };
    });
  }

  /**
   * Classifies a 28 x 28 image with values in [0, 1] (normalised here as the training images
   * are) and computes its saliency map: the gradient of the predicted class's logit with
   * respect to the input pixels, as absolute values. The predicted logit is picked on the
   * device (a mask of the row maximum), so forward and gradient run in one go on every backend.
   */
  predict(image01: Float32Array): Promise<Prediction> {
    if (image01.length !== 28 * 28) throw new Error(`predict: expected 784 pixels, got ${image01.length}`);
    return this.exclusive('classify', async () => {
      const device = this.backend;
      this.model.eval();
      try {
        const { probs, saliency } = tidy(() => {
          const x = tensor(normalise(image01), { device, requiresGrad: true });
          const logits = this.model.forward(x.reshape(1, 1, 28, 28)) as Tensor;
          const top = logits.detach();
          const mask = top.eq(top.amax(1, true)).float();
          const [g] = autograd.grad(logits.mul(mask).sum(), x);
          if (g === null) throw new Error('predict: the input received no gradient');
          return { probs: logits.detach().softmax(1), saliency: g.abs() };
        });
        const p = Array.from(await probs.data());
        const s = new Float32Array(await saliency.data());
        probs.dispose();
        saliency.dispose();
        return { probs: p, predicted: argmax(p), saliency: s };
      } finally {
        this.model.train();
      }
    });
  }
}
