// XOR with a multi-layer perceptron: one hidden layer of 4 tanh units bends the decision
// boundary, which a single neuron cannot (see perceptron). Writes the boundary the network
// learned to out/xor-mlp.svg.
import { manualSeed, nn, optim, tensor } from '@proj/core';
import '@proj/backend-cpu';
import { classGrid, decisionBoundary, pointsOf } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** What the example demonstrates. */
export interface XorResult {
  accuracy: number;
  loss: number;
  /** The network's probabilities for (0,0), (0,1), (1,0), (1,1). */
  probabilities: number[];
}

export async function run(opts: { fast: boolean }): Promise<XorResult> {
  manualSeed(0);
  const x = tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const y = tensor([0, 1, 1, 0]).reshape(4, 1);
  const model = new nn.Sequential(new nn.Linear(2, 4), new nn.Tanh(), new nn.Linear(4, 1));
  const opt = new optim.Adam(model.parameters(), { lr: 0.05 });
  const lossFn = new nn.BCEWithLogitsLoss();
  let loss = 0;
  for (let epoch = 1; epoch <= 300; epoch++) {
    opt.zeroGrad();
    const l = lossFn.forward(model.forward(x), y);
    l.backward();
    opt.step();
    loss = l.item() as number;
    if (epoch % 50 === 0) console.log(`epoch ${epoch}: loss ${loss.toFixed(4)}`);
  }
  const probabilities = model.forward(x).sigmoid().reshape(4).toArray() as number[];
  const accuracy = probabilities.filter((p, i) => Math.round(p) === [0, 1, 1, 0][i]).length / 4;
  console.log(
    `P(y=1) for 00 01 10 11: ${probabilities.map((p) => p.toFixed(3)).join(' ')}; accuracy ${accuracy * 100}%`,
  );
  if (!opts.fast) {
    const points = pointsOf(x, y.reshape(4));
    const { grid, step } = classGrid(model, points, 50);
    console.log(
      `wrote ${await writeSvg('xor-mlp.svg', decisionBoundary(points, grid, step, { title: 'XOR: 2-4-1 MLP decision regions' }))}`,
    );
  }
  return { accuracy, loss, probabilities };
}
