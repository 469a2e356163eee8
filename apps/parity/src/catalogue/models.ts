// Model cases: small real models trained a few steps with each optimizer. Everything random
// (initialisation, data, dropout masks) comes from the core generator seeded per case, so every
// backend starts from the same weights and sees the same masks; we compare the loss of every
// step and the final parameters and buffers with the CPU backend.
import { manualSeed, nn, ones, optim, rand, randint, randn, type Tensor, tidy, zeros } from '@proj/core';
import { joinValues, release, releaseOptimizer, selectValues, values } from '../fixtures.js';
import type { Case, Outputs, Values } from '../types.js';

/**
 * How one training step runs: zeroGrad, losses, backward, step; returns the losses' Values (read
 * after the case on a backend that reads only asynchronously).
 */
type StepFn = (m: nn.Module, batch: Tensor[], opts: optim.Optimizer[]) => Values[];

/** One model of the catalogue. */
export interface ModelSpec {
  name: string;
  build(): nn.Module;
  /** Seeded inputs and targets. */
  batch(): Tensor[];
  /** The parameter sets that each get an optimizer (default: all parameters). */
  paramSets?(m: nn.Module): nn.Parameter[][];
  step: StepFn;
  /** The module exported to ONNX (the model itself when it is a Sequential) and its inputs. */
  exported(m: nn.Module, batch: Tensor[]): { module: nn.Module; inputs: Tensor[] };
  /**
   * The loss as `(output, target)` for models trained by one loss over `forward(batch[0])`
   * against `batch[1]` with one optimizer: what a compiled step takes (the compiled family).
   */
  loss?: (output: Tensor, target: Tensor) => Tensor;
  /**
   * Parameter slices left out of the comparison, `[name, start, end)`: entries whose gradient is
   * zero in exact arithmetic (adaptive optimizers turn its rounding noise into full steps).
   */
  noiseOnly?: [string, number, number][];
  /**
   * Realistic size (≥ 2^17 elements per activation): trained with SGD only and for fewer steps,
   * so that bugs that only appear at size (a GPU loop bound, a float32 accumulator) show up as
   * parity failures without multiplying the run time by every optimizer.
   */
  realistic?: boolean;
}

/**
 * The usual step: one loss over the whole model and one optimizer, through `step(closure)`
 * (the same numbers as zeroGrad, backward, step for every optimizer; LBFGS needs it). The loss
 * is the closure's first evaluation, as `step` returns it.
 */
const simpleStep =
  (loss: (m: nn.Module, batch: Tensor[]) => Tensor): StepFn =>
  (m, batch, [opt]) => {
    const l = opt!.step(() => {
      opt!.zeroGrad();
      const v = loss(m, batch);
      v.backward();
      return v;
    })!;
    return [values(l)];
  };

const ceOut = (o: Tensor, t: Tensor) => nn.functional.crossEntropy(o, t);
const mseOut = (o: Tensor, t: Tensor) => nn.functional.mseLoss(o, t);
const ce = (m: nn.Module, [x, y]: Tensor[]) => ceOut(m.forward(x!) as Tensor, y!);
const mse = (m: nn.Module, [x, y]: Tensor[]) => mseOut(m.forward(x!) as Tensor, y!);
const whole = (m: nn.Module, [x]: Tensor[]) => ({ module: m, inputs: [x!] });

/** A recurrent layer with a linear head on the last step (batch first). */
class RecurrentRegressor extends nn.Module {
  rnn: nn.LSTM | nn.GRU;
  head: nn.Linear;
  constructor(kind: 'LSTM' | 'GRU') {
    super();
    this.rnn =
      kind === 'LSTM' ? new nn.LSTM(3, 8, { batchFirst: true }) : new nn.GRU(3, 8, { batchFirst: true });
    this.head = new nn.Linear(8, 2);
  }
  override forward(x: Tensor): Tensor {
    // Narrowed per class: the two forwards are overloaded (tensor or PackedSequence input).
    const [out] = this.rnn instanceof nn.LSTM ? this.rnn.forward(x) : this.rnn.forward(x);
    const T = out.shape[1]!;
    return this.head.forward(out.narrow(1, T - 1, 1).squeeze(1));
  }
}

/** A generator and a discriminator, trained in turn (one optimizer each). */
class Gan extends nn.Module {
  g = new nn.Sequential(new nn.Linear(4, 16), new nn.LeakyReLU(0.2), new nn.Linear(16, 6), new nn.Tanh());
  d = new nn.Sequential(new nn.Linear(6, 16), new nn.LeakyReLU(0.2), new nn.Linear(16, 1));
}

/** Discriminator step on real vs detached fakes, then generator step through the updated D. */
const ganStep: StepFn = (m, [real, z], [optD, optG]) => {
  const { g, d } = m as Gan;
  const bce = nn.functional.binaryCrossEntropyWithLogits;
  const n = real!.shape[0]!;
  const real1 = ones([n, 1]);
  const fake0 = zeros([n, 1]);
  optD!.zeroGrad();
  const fake = g.forward(z!) as Tensor;
  const lossD = bce(d.forward(real!) as Tensor, real1).add(bce(d.forward(fake.detach()) as Tensor, fake0));
  lossD.backward();
  optD!.step();
  optG!.zeroGrad();
  const lossG = bce(d.forward(g.forward(z!) as Tensor) as Tensor, real1);
  lossG.backward();
  optG!.step();
  return [values(lossD), values(lossG)];
};

/** The `pnpm demo` CNN (apps/examples): conv-pool-conv-pool-MLP on 28x28 images. */
const demoCnn = (): nn.Module =>
  new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 64),
    new nn.ReLU(),
    new nn.Linear(64, 10),
  );

/** The models, as data: adding one is one entry. */
export const MODELS: ModelSpec[] = [
  {
    name: 'mlp',
    build: () =>
      new nn.Sequential(
        new nn.Linear(8, 16),
        new nn.ReLU(),
        new nn.Linear(16, 16),
        new nn.Tanh(),
        new nn.Linear(16, 4),
      ),
    batch: () => [randn([16, 8]), randint(0, 4, [16])],
    step: simpleStep(ce),
    loss: ceOut,
    exported: whole,
  },
  {
    name: 'cnn',
    build: () =>
      new nn.Sequential(
        // no bias before BatchNorm: its gradient is zero in exact arithmetic, so Adam/RMSprop
        // would turn rounding noise into full-size steps and the comparison would measure noise
        new nn.Conv2d(1, 4, 3, { padding: 1, bias: false }),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Dropout(0.25),
        new nn.Conv2d(4, 6, 3, { padding: 1 }),
        new nn.ReLU(),
        new nn.AvgPool2d(2),
        new nn.Flatten(),
        new nn.Linear(6 * 2 * 2, 3),
      ),
    batch: () => [randn([4, 1, 8, 8]), randint(0, 3, [4])],
    step: simpleStep(ce),
    loss: ceOut,
    exported: whole,
  },
  {
    name: 'lstm',
    build: () => new RecurrentRegressor('LSTM'),
    batch: () => [randn([4, 5, 3]), randn([4, 2])],
    step: simpleStep(mse),
    loss: mseOut,
    exported: (m, [x]) => ({ module: (m as RecurrentRegressor).rnn, inputs: [x!] }),
  },
  {
    name: 'gru',
    build: () => new RecurrentRegressor('GRU'),
    batch: () => [randn([4, 5, 3]), randn([4, 2])],
    step: simpleStep(mse),
    loss: mseOut,
    exported: (m, [x]) => ({ module: (m as RecurrentRegressor).rnn, inputs: [x!] }),
  },
  {
    name: 'transformer',
    build: () =>
      new nn.Sequential(
        new nn.Linear(4, 8),
        new nn.PositionalEncoding(8, { batchFirst: true, maxLen: 16 }),
        new nn.TransformerEncoder(
          new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }),
          2,
        ),
        new nn.Flatten(),
        new nn.Linear(5 * 8, 3),
      ),
    batch: () => [randn([3, 5, 4]), randint(0, 3, [3])],
    step: simpleStep(ce),
    loss: ceOut,
    exported: whole,
    // the key bias adds q·b_k to every score of a query; softmax cancels it
    noiseOnly: [
      ['2.layers.0.self_attn.in_proj_bias', 8, 16],
      ['2.layers.1.self_attn.in_proj_bias', 8, 16],
    ],
  },
  {
    name: 'autoencoder',
    build: () =>
      new nn.Sequential(
        new nn.Conv2d(1, 4, 3, { stride: 2, padding: 1 }),
        new nn.ReLU(),
        new nn.Conv2d(4, 8, 3, { stride: 2, padding: 1 }),
        new nn.ReLU(),
        new nn.ConvTranspose2d(8, 4, 3, { stride: 2, padding: 1, outputPadding: 1 }),
        new nn.ReLU(),
        new nn.ConvTranspose2d(4, 1, 3, { stride: 2, padding: 1, outputPadding: 1 }),
        new nn.Sigmoid(),
      ),
    batch: () => {
      const x = rand([2, 1, 8, 8]);
      return [x, x];
    },
    step: simpleStep(mse),
    loss: mseOut,
    exported: whole,
  },
  {
    name: 'gan',
    build: () => new Gan(),
    batch: () => [randn([8, 6]).tanh(), randn([8, 4])],
    paramSets: (m) => [[...(m as Gan).d.parameters()], [...(m as Gan).g.parameters()]] as nn.Parameter[][],
    step: ganStep,
    exported: (m, [, z]) => ({ module: (m as Gan).g, inputs: [z!] }),
  },
  {
    name: 'demo-cnn-256',
    build: demoCnn,
    // 256 images: 200,704 inputs, 1.6M activations after the first conv.
    batch: () => [rand([256, 1, 28, 28]), randint(0, 10, [256])],
    step: simpleStep(ce),
    loss: ceOut,
    exported: whole,
    realistic: true,
  },
  {
    name: 'autoencoder-256',
    build: () =>
      new nn.Sequential(
        new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1 }),
        new nn.ReLU(),
        new nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }),
        new nn.ReLU(),
        new nn.ConvTranspose2d(16, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }),
        new nn.ReLU(),
        new nn.ConvTranspose2d(8, 1, 3, { stride: 2, padding: 1, outputPadding: 1 }),
        new nn.Sigmoid(),
      ),
    // MSELoss over [256,1,28,28] = 200,704 elements (gpujs once stopped summing at 65535).
    batch: () => {
      const x = rand([256, 1, 28, 28]);
      return [x, x];
    },
    step: simpleStep(mse),
    loss: mseOut,
    exported: whole,
    realistic: true,
  },
];

/** Steps of a realistic-size case (each is a full forward/backward at batch 256). */
export const REALISTIC_STEPS = 2;

/** The optimizers every model trains with. */
export const OPTIMIZERS: Record<string, (p: nn.Parameter[]) => optim.Optimizer> = {
  sgd: (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9 }),
  adam: (p) => new optim.Adam(p, { lr: 0.01 }),
  // RMSprop's first step is lr * g / (sqrt(0.01 g^2) + eps) ≈ 10 lr sign(g): with the default
  // eps 1e-8 a gradient that is float32 rounding noise moves a weight by a full step in the
  // direction of the noise, and the comparison measures noise. eps 1e-4 keeps tiny gradients
  // linear (backend errors still show) while ordinary gradients see the same rule.
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.01, eps: 1e-4 }),
};

/**
 * Contract v2's optimizers, each trained on the models of {@link MORE_OPTIMIZER_MODELS} only
 * (every model × every optimizer would triple the model family's run time; their update rules
 * are checked against PyTorch per optimizer in the optim family).
 */
export const MORE_OPTIMIZERS: Record<string, (p: nn.Parameter[]) => optim.Optimizer> = {
  adadelta: (p) => new optim.Adadelta(p),
  adamax: (p) => new optim.Adamax(p, { lr: 0.01 }),
  nadam: (p) => new optim.NAdam(p, { lr: 0.01 }),
  radam: (p) => new optim.RAdam(p, { lr: 0.01 }),
  rprop: (p) => new optim.Rprop(p, { lr: 0.01 }),
  asgd: (p) => new optim.ASGD(p, { lr: 0.05, t0: 2 }),
  // A few iterations per step: the descent, not float32 stopping tests at an optimum.
  lbfgs: (p) => new optim.LBFGS(p, { lr: 0.5, maxIter: 3, historySize: 5 }),
  'lbfgs-strong-wolfe': (p) =>
    new optim.LBFGS(p, { maxIter: 3, historySize: 5, lineSearchFn: 'strong_wolfe' }),
};

/** The models that also train with {@link MORE_OPTIMIZERS}. */
export const MORE_OPTIMIZER_MODELS: readonly string[] = ['mlp', 'gru'];

/** Training steps per model case. */
export const STEPS = 5;

/** Seed of every model case: initialisation, data and dropout masks. */
export const SEED = 1234;

/** Trains `spec` with optimizer `optName` on the current backend; the losses and final state. */
export function train(spec: ModelSpec, optName: string): Outputs {
  manualSeed(SEED);
  const m = spec.build();
  const batch = spec.batch();
  const sets = spec.paramSets?.(m) ?? [[...m.parameters()] as nn.Parameter[]];
  const opts = sets.map((p) => (OPTIMIZERS[optName] ?? MORE_OPTIMIZERS[optName])!(p));
  m.train(true);
  const losses: Values[] = [];
  let perStep = 1;
  const steps = spec.realistic ? REALISTIC_STEPS : STEPS;
  for (let s = 0; s < steps; s++) {
    const ls = tidy(() => spec.step(m, batch, opts));
    perStep = ls.length;
    losses.push(...ls);
  }
  const res = trainedOutputs(spec, m, losses, perStep, steps);
  release(m);
  for (const o of opts) releaseOptimizer(o);
  return res;
}

/** The losses of every step, the final parameters (noise-only slices left out) and buffers. */
export function trainedOutputs(
  spec: ModelSpec,
  m: nn.Module,
  losses: readonly Values[],
  perStep: number,
  steps: number,
): Outputs {
  const res: Outputs = { loss: joinValues(losses, perStep > 1 ? [steps, perStep] : [steps]) };
  for (const [k, p] of m.namedParameters()) {
    const v = values(p);
    const cut = spec.noiseOnly?.find(([n]) => n === k);
    res[`param.${k}`] = cut
      ? selectValues(v, (i) => i < cut[1] || i >= cut[2], [p.numel() - (cut[2] - cut[1])])
      : v;
  }
  for (const [k, b] of m.namedBuffers()) res[`buffer.${k}`] = values(b);
  return res;
}

/** All model training cases: every model × every optimizer. */
export function modelCases(): Case[] {
  return MODELS.flatMap((spec) =>
    (spec.realistic
      ? ['sgd']
      : [
          ...Object.keys(OPTIMIZERS),
          ...(MORE_OPTIMIZER_MODELS.includes(spec.name) ? Object.keys(MORE_OPTIMIZERS) : []),
        ]
    ).map(
      (optName): Case => ({
        id: `model/${spec.name}/${optName}`,
        family: 'model',
        tolerance: 'training',
        run: () => train(spec, optName),
      }),
    ),
  );
}
