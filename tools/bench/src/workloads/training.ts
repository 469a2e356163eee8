/**
 * What the training-step workloads (W2–W4, W6) share: the plan, the labels, and one step per
 * library. Each workload file only builds its model (and names its optimizer); the step here is
 * the same for all of them: zero grads + forward + softmax cross-entropy (mean) + backward +
 * update (SGD lr 0.01, W6: Adam lr 1e-3) + reading the loss.
 */
import type { nn, optim, Tensor } from '@proj/core';
import type * as tfc from '@tensorflow/tfjs-core';
import { seededFloat32, summarize } from '../harness.js';
import type { Apis, Case, Losses, Prepared, Workload } from '../types.js';
import { readFirstAsync, readsSync } from './reads.js';

type Core = Apis['ours'];
type Tf = Apis['tfjs'];

/** BENCH.md's learning rate for every training workload. */
export const LR = 0.01;
/** Classes of every training workload. */
export const CLASSES = 10;
/** Seeds of the inputs and labels (the same for every JS subject). */
const X_SEED = 1;
const Y_SEED = 2;
/** Seed of the model weights: `manualSeed` on ours; the tfjs weights are drawn per variable. */
const W_SEED = 100;

/**
 * 20 timed steps after 5 warm-ups. `budgetS` caps a slow subject (tfjs-cpu on the CNN takes
 * seconds per step): it gets fewer iterations, at least 5, marked `*` in the table.
 */
export function trainingPlan(quick: boolean): Case['plan'] {
  if (quick) return { warmup: 1, iterations: 3, budgetS: 5, minIterations: 1 };
  return { warmup: 5, iterations: 20, budgetS: 30, minIterations: 5 };
}

/**
 * A training workload: ms per step (lower is better), one case of `batch` under {@link trainingPlan},
 * titled `<name> training step` and labelled `<id> <name> step`.
 */
export function trainingWorkload(
  id: string,
  name: string,
  batch: number,
  impls: Workload['impls'],
  cannot?: Workload['cannot'],
): Workload {
  return {
    id,
    title: `${name} training step`,
    unit: 'ms/step',
    higherIsBetter: false,
    training: true,
    ...(cannot ? { cannot } : {}),
    cases: ({ quick }) => [{ label: `${id} ${name} step`, params: { batch }, plan: trainingPlan(quick) }],
    figure: (_p, seconds) => seconds * 1e3,
    impls,
  };
}

/** The flat inputs of `batch` samples of shape `sample`, seeded, the same for every JS subject. */
export function seededInputs(batch: number, sample: readonly number[]): Float32Array {
  return seededFloat32(
    sample.reduce((a, b) => a * b, batch),
    X_SEED,
  );
}

/** Integer labels in [0, 10), seeded, the same for every JS subject. */
export function seededLabels(n: number): Int32Array {
  return Int32Array.from(seededFloat32(n, Y_SEED), (v) => Math.min(CLASSES - 1, Math.floor((v + 1) * 5)));
}

/** Keeps the loss of the first and of the latest step. */
class LossTrack {
  private first = Number.NaN;
  private last = Number.NaN;
  push(v: number): void {
    if (Number.isNaN(this.first)) this.first = v;
    this.last = v;
  }
  get(): Losses {
    return { first: this.first, last: this.last };
  }
}

/** The optimizer of a training workload of ours, built on the model's parameters. */
export type MakeOptimizer = (core: Core, params: nn.Parameter[]) => optim.Optimizer<any>;

/** BENCH.md's optimizer of W2–W4: plain SGD, lr 0.01. */
export const sgd: MakeOptimizer = (core, params) => new core.optim.SGD(params, { lr: LR });

/** A model of ours with its fixed batch, as a workload builds it for every subject of ours. */
export interface OursSetup {
  /** An `nn.Module` (so `compile` can trace it) whose forward maps the batch to 10 logits. */
  model: nn.Module & { forward(x: Tensor): Tensor };
  x: Tensor;
  y: Tensor;
  /** Further tensors to free with the batch (e.g. the flat tensor `x` is a view of). */
  also: Tensor[];
  /** The workload's optimizer (default {@link sgd}). */
  optimizer?: MakeOptimizer;
}

/**
 * The fixed batch of ours: {@link seededInputs} as x [batch, ...sample] and {@link seededLabels}
 * as y; `also` holds the flat tensor x is a view of.
 */
export function oursBatch(core: Core, batch: number, sample: readonly number[]): Omit<OursSetup, 'model'> {
  const flat = core.tensor(seededInputs(batch, sample));
  return {
    x: flat.reshape([batch, ...sample]),
    y: core.tensor(seededLabels(batch), { dtype: 'int32' }),
    also: [flat],
  };
}

/** Frees what a trainer of ours owns: the optimizer's state, the model's parameters (and their gradients) and buffers, the batch. */
function disposeSetup(opt: optim.Optimizer<any>, { model, x, y, also }: OursSetup): void {
  opt.zeroGrad();
  opt.disposeState();
  for (const t of [...model.parameters(), ...model.buffers(), x, y, ...also]) t.dispose();
}

/**
 * One eager training step of ours per `run`, inside `tidy` so every intermediate is freed, its
 * loss read with `item()` (with `await data()` on a backend that reads only asynchronously);
 * `dispose` frees the model (parameters, their last gradients, buffers), the optimizer's state
 * and the batch.
 */
export function oursTrainer(core: Core, setup: OursSetup): Prepared {
  const { model, x, y } = setup;
  const opt = (setup.optimizer ?? sgd)(core, model.parameters());
  const lossFn = new core.nn.CrossEntropyLoss();
  const track = new LossTrack();
  const step = () => {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    return loss;
  };
  const common = { dispose: () => disposeSetup(opt, setup), losses: () => track.get() };
  if (!readsSync(core)) {
    // A backend read only with await (WebGPU): the step's kernels are queued inside tidy, the
    // loss is kept and read after it, so the step ends when the device has run all of them.
    return {
      async run() {
        track.push(await readFirstAsync(core.tidy(step)));
      },
      ...common,
    };
  }
  return {
    run() {
      track.push(core.tidy(() => step().item()));
    },
    ...common,
  };
}

/**
 * One compiled training step per `run`: `compile` (from `@proj/backend-onnx`) traces zero grads
 * + forward + loss + backward + update into one ONNX graph; each step is one session run, its
 * loss read with `item()`. The model, batch and optimizer are those of {@link oursTrainer}.
 * `compile` traces its first graph here, before the warm-ups (its `compileMs`); a step that
 * traces another graph (Adam's second step: the first created its state) is timed here, and
 * `compiled()` reports how many did, the last one, and their time beyond an ordinary step.
 */
export function compiledTrainer(api: Apis['onnxCompiled'], setup: OursSetup): Prepared {
  const { core, compile, intraOpNumThreads } = api;
  const { model, x, y } = setup;
  const opt = (setup.optimizer ?? sgd)(core, model.parameters());
  let train: ReturnType<typeof compile>;
  try {
    train = compile(model, {
      loss: new core.nn.CrossEntropyLoss(),
      optimizer: opt,
      exampleInputs: [x, y],
      intraOpNumThreads,
    });
  } catch (e) {
    disposeSetup(opt, setup); // a model compile refuses still frees its tensors
    throw e;
  }
  const initialTraces = train.stats().traces;
  const track = new LossTrack();
  /** Milliseconds of each step, and whether it traced a graph. */
  const steps: { ms: number; traced: boolean }[] = [];
  return {
    run() {
      const traces = train.stats().traces;
      const t0 = performance.now();
      track.push(core.tidy(() => train.step(x, y).item()));
      steps.push({ ms: performance.now() - t0, traced: train.stats().traces > traces });
    },
    dispose() {
      train.dispose();
      disposeSetup(opt, setup);
    },
    losses: () => track.get(),
    compiled: () => {
      const { traces, sessionsCreated, compileMs } = train.stats();
      const plain = steps.filter((s) => !s.traced).map((s) => s.ms);
      const median = plain.length ? summarize(plain, 0).median : 0;
      const traced = steps.filter((s) => s.traced);
      return {
        traces,
        sessionsCreated,
        compileMs,
        stepTraces: traces - initialTraces,
        lastTraceStep: steps.reduce((last, s, i) => (s.traced ? i + 1 : last), 0),
        stepTraceMs: traced.reduce((sum, s) => sum + Math.max(0, s.ms - median), 0),
      };
    },
  };
}

/** Seeds the default generator so ours initialises the same weights on every backend. */
export function seedOurs(core: Core): void {
  core.manualSeed(W_SEED);
}

/**
 * A tfjs weight, uniform in ±1/√fanIn (PyTorch's default bound for Linear/Conv/LSTM), from
 * the bench's seeded stream; `salt` tells the variables of one model apart.
 */
export function tfWeight<R extends tfc.Rank = tfc.Rank>(
  tf: Tf,
  shape: number[],
  fanIn: number,
  salt: number,
): tfc.Variable<R> {
  const n = shape.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(fanIn);
  const values = seededFloat32(n, W_SEED + salt).map((v) => v * bound);
  const init = tf.tensor(values, shape, 'float32');
  const v = tf.variable(init) as unknown as tfc.Variable<R>;
  init.dispose(); // the variable holds its own reference to the data
  return v;
}

/**
 * One training step of tfjs per `run`: `tf.train.sgd(0.01).minimize` computes the gradients of
 * the variables the logits depend on, applies them and disposes them (tfjs has no stored
 * gradients to zero); the loss is read back with `dataSync`.
 */
export function tfTrainer(
  tf: Tf,
  logits: () => tfc.Tensor,
  labels: Int32Array,
  vars: tfc.Variable[],
  also: tfc.Tensor[] = [],
): Prepared {
  const opt = tf.train.sgd(LR);
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES));
  const track = new LossTrack();
  const loss = () => tf.losses.softmaxCrossEntropy(oneHot, logits()) as tfc.Scalar;
  return {
    run() {
      const l = opt.minimize(loss, true, vars);
      if (!l) throw new Error('minimize returned no loss');
      track.push(l.dataSync()[0]);
      l.dispose();
    },
    dispose() {
      opt.dispose();
      for (const t of [oneHot, ...vars, ...also]) t.dispose();
    },
    losses: () => track.get(),
  };
}
