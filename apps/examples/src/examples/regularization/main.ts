// L1 and L2 regularisation on a linear model with 20 inputs of which only 4 matter. The data
// are few and noisy, so plain least squares gives every weight some value. Adding
// λ·Σ|w| (optim.l1Penalty, the lasso) to the loss drives the useless weights to ~0: a sparse
// model. Adding λ·Σw² (optim.l2Penalty, ridge / weight decay) shrinks all weights smoothly
// instead. Writes the learned weights to out/regularization.svg.
import { Generator, manualSeed, nn, optim, randn, type Tensor, tensor } from '@proj/core';
import '@proj/backend-cpu';
import { barChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

const FEATURES = 20;
/** The true weights: features 0..3 matter, the other 16 are noise. */
export const TRUE_WEIGHTS = [3, -2, 1.5, -1, ...new Array(FEATURES - 4).fill(0)];
/** Weights below this magnitude count as zero. */
export const ZERO = 0.02;

/** The penalties compared: none, L1 (lasso) and L2 (ridge). */
const PENALTIES: Record<string, ((params: Tensor[]) => Tensor) | null> = {
  none: null,
  'L1 (λ=0.3)': (p) => optim.l1Penalty(p, 0.3),
  'L2 (λ=0.1)': (p) => optim.l2Penalty(p, 0.1),
};

/** The learned weights of each run, with how many are ~0 and their L2 norm. */
export interface PenaltyRun {
  weights: number[];
  nearZero: number;
  norm: number;
  /** Mean absolute error of the 16 weights whose true value is 0. */
  noiseWeightError: number;
}

export async function run(opts: { fast: boolean }): Promise<Record<string, PenaltyRun>> {
  const gen = new Generator(0);
  const n = 40; // few samples for 20 features: plain least squares overfits the noise
  const x = randn([n, FEATURES], { generator: gen });
  const y = x.matmul(tensor(TRUE_WEIGHTS).reshape(FEATURES, 1)).add(randn([n, 1], { generator: gen }));
  const result: Record<string, PenaltyRun> = {};
  for (const [name, penalty] of Object.entries(PENALTIES)) {
    manualSeed(0);
    const model = new nn.Linear(FEATURES, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.02 });
    const mse = new nn.MSELoss();
    for (let epoch = 0; epoch < (opts.fast ? 400 : 1000); epoch++) {
      opt.zeroGrad();
      // Penalise the weights, not the bias (as weight decay in practice usually does).
      let loss = mse.forward(model.forward(x), y);
      if (penalty) loss = loss.add(penalty([model.weight]));
      loss.backward();
      opt.step();
    }
    const weights = model.weight.reshape(FEATURES).toArray() as number[];
    result[name] = {
      weights,
      nearZero: weights.filter((w) => Math.abs(w) < ZERO).length,
      norm: Math.hypot(...weights),
      noiseWeightError: weights.slice(4).reduce((s, w) => s + Math.abs(w), 0) / (FEATURES - 4),
    };
    const r = result[name];
    console.log(
      `${name.padEnd(12)} weights ${weights
        .slice(0, 6)
        .map((w) => w.toFixed(2))
        .join(' ')} …`,
      `|w| < ${ZERO}: ${r.nearZero}/${FEATURES}, ‖w‖ ${r.norm.toFixed(2)}, mean |noise weight| ${r.noiseWeightError.toFixed(3)}`,
    );
  }
  console.log(
    `truth        weights ${TRUE_WEIGHTS.slice(0, 6).join(' ')} … (16 zeros), ‖w‖ ${Math.hypot(...TRUE_WEIGHTS).toFixed(2)}`,
  );
  if (!opts.fast) {
    const bars = Object.entries(result).flatMap(([name, r]) =>
      r.weights.map((w, i) => ({ label: `w${i}`, value: w, group: name })),
    );
    const spec = barChart(bars, {
      title: 'Learned weights: none vs L1 vs L2 (only w0..w3 are real)',
      width: 700,
      yTitle: 'weight',
    });
    console.log(`wrote ${await writeSvg('regularization.svg', spec)}`);
  }
  return result;
}
