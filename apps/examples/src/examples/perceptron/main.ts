// A single-layer perceptron: one Linear(2, 1) neuron, trained with the logistic loss, then
// thresholded with a step function. It learns AND, which a straight line separates, but not
// XOR: no line puts (0,1) and (1,0) on one side and (0,0) and (1,1) on the other, so at best
// 3 of the 4 points come out right. (Minsky & Papert, 1969; see xor-mlp for the fix.)
import { manualSeed, nn, optim, tensor } from '@proj/core';
import '@proj/backend-cpu';

const INPUTS = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const TRUTH_TABLES = { AND: [0, 0, 0, 1], XOR: [0, 1, 1, 0] };

/** How the perceptron did on one truth table. */
export interface GateResult {
  /** Fraction of the four inputs classified right. */
  accuracy: number;
  /** Final logistic loss (ln 2 ≈ 0.693 means "no better than a coin"). */
  loss: number;
  predictions: number[];
}

/** Trains a perceptron on one truth table with full-batch gradient descent. */
export function trainGate(targets: number[], epochs: number): GateResult {
  manualSeed(0);
  const x = tensor(INPUTS);
  const y = tensor(targets).reshape(4, 1);
  const neuron = new nn.Linear(2, 1);
  const opt = new optim.SGD(neuron.parameters(), { lr: 0.5 });
  const lossFn = new nn.BCEWithLogitsLoss();
  let loss = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    opt.zeroGrad();
    const l = lossFn.forward(neuron.forward(x), y);
    l.backward();
    opt.step();
    loss = l.item() as number;
  }
  // The perceptron's output: the step function of the weighted sum.
  const predictions = new nn.Step().forward(neuron.forward(x)).reshape(4).toArray() as number[];
  const accuracy = predictions.filter((p, i) => p === targets[i]).length / 4;
  return { accuracy, loss, predictions };
}

/** Trains on AND and on XOR; returns both results. */
export async function run(opts: { fast: boolean }): Promise<{ AND: GateResult; XOR: GateResult }> {
  const epochs = opts.fast ? 500 : 2000;
  const result = { AND: trainGate(TRUTH_TABLES.AND, epochs), XOR: trainGate(TRUTH_TABLES.XOR, epochs) };
  for (const [gate, r] of Object.entries(result)) {
    console.log(
      `${gate}: predictions ${r.predictions.join(' ')} (want ${TRUTH_TABLES[gate as 'AND'].join(' ')}),`,
      `accuracy ${r.accuracy * 100}%, loss ${r.loss.toFixed(3)}`,
    );
  }
  console.log('AND is linearly separable and is learned; XOR is not, so a single neuron stays stuck.');
  return result;
}
