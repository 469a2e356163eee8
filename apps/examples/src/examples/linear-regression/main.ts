// Linear regression, PyTorch style: a Linear(1, 1) model, MSELoss and SGD recover the slope of
// y = 2x + noise. Writes the data and the fitted line to out/linear-regression.svg.
import { Generator, manualSeed, nn, optim, rand, randn } from '@proj/core';
import '@proj/backend-cpu';
import { scatterChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** The slope and intercept found, and the final loss. */
export interface RegressionResult {
  slope: number;
  intercept: number;
  loss: number;
  /** Loss after each epoch. */
  losses: number[];
}

export async function run(opts: { fast: boolean }): Promise<RegressionResult> {
  manualSeed(0);
  const gen = new Generator(42);
  const n = 100;
  const x = rand([n, 1], { generator: gen }).mul(2).sub(1); // x in [-1, 1)
  const y = x.mul(2).add(randn([n, 1], { generator: gen }).mul(0.1)); // y = 2x + noise
  const model = new nn.Linear(1, 1);
  const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
  const lossFn = new nn.MSELoss();
  const losses: number[] = [];
  const epochs = opts.fast ? 150 : 300;
  for (let epoch = 0; epoch < epochs; epoch++) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item() as number);
  }
  const slope = model.weight.item() as number;
  const intercept = model.bias!.item() as number;
  const loss = losses[losses.length - 1];
  console.log(
    `learned y = ${slope.toFixed(3)} x + ${intercept.toFixed(3)} (truth: y = 2x), MSE ${loss.toFixed(4)}`,
  );
  console.log('The MSE cannot fall below the noise variance, 0.1^2 = 0.01.');
  if (!opts.fast) {
    const xs = x.reshape(n).toArray() as number[];
    const spec = scatterChart([{ name: 'data', x: xs, y: y.reshape(n).toArray() as number[] }], {
      title: 'Linear regression on y = 2x + noise',
      lines: [
        {
          name: `fit: y = ${slope.toFixed(2)}x + ${intercept.toFixed(2)}`,
          x: [-1, 1],
          y: [intercept - slope, intercept + slope],
        },
      ],
    });
    console.log(`wrote ${await writeSvg('linear-regression.svg', spec)}`);
  }
  return { slope, intercept, loss, losses };
}
