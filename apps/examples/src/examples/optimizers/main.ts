// Optimizers compared on one problem: the same MLP, the same initial weights (same seed) and the
// same mini-batches, trained with SGD, SGD with momentum, RMSprop and Adam. Momentum and the
// adaptive methods (per-weight step sizes) get much further in the same number of steps.
// Writes the loss curves to out/optimizers.svg.
import { data, manualSeed, nn, optim, train } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** The optimizers compared, with learning rates typical of each. */
export const OPTIMIZERS: Record<string, (params: nn.Parameter[]) => optim.Optimizer<any>> = {
  SGD: (p) => new optim.SGD(p, { lr: 0.01 }),
  'SGD + momentum 0.9': (p) => new optim.SGD(p, { lr: 0.01, momentum: 0.9 }),
  RMSprop: (p) => new optim.RMSprop(p, { lr: 0.003 }),
  Adam: (p) => new optim.Adam(p, { lr: 0.003 }),
};

/** Training loss per epoch, by optimizer. */
export type OptimizerResult = Record<string, number[]>;

export async function run(opts: { fast: boolean }): Promise<OptimizerResult> {
  const [x, y] = data.makeClassification(opts.fast ? 256 : 1024, {
    nFeatures: 10,
    nInformative: 5,
    nClasses: 3,
    seed: 0,
  });
  const result: OptimizerResult = {};
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    manualSeed(0); // identical initial weights for every optimizer
    const model = new nn.Sequential(new nn.Linear(10, 32), new nn.Tanh(), new nn.Linear(32, 3));
    const history = await train.fit(model, {
      train: [x, y],
      epochs: opts.fast ? 15 : 40,
      batchSize: 32,
      seed: 0, // identical batches too
      loss: new nn.CrossEntropyLoss(),
      optimizer: make(model.parameters()),
      verbose: 0,
    });
    result[name] = history.history.loss;
    console.log(
      `${name.padEnd(19)} loss: epoch 1 ${result[name][0].toFixed(3)} -> last ${result[name].at(-1)!.toFixed(3)}`,
    );
  }
  if (!opts.fast) {
    const series = Object.entries(result).map(([name, y]) => ({ name, y, x: y.map((_, i) => i + 1) }));
    const spec = lineChart(series, {
      title: 'Same model, same data, four optimizers',
      xTitle: 'epoch',
      yTitle: 'training loss',
      integerX: true,
    });
    console.log(`wrote ${await writeSvg('optimizers.svg', spec)}`);
  }
  return result;
}
