// Depth on curved data: a linear classifier (no hidden layer), a shallow net (one hidden layer
// of 4 units) and a deep net (three hidden layers of 16) on two concentric circles and on two
// moons. Only models with hidden layers can bend their boundary; the deep one bends it best.
// Writes the decision regions to out/deep-vs-shallow-<data>.svg.
import { data, manualSeed, nn, optim, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { classGrid, decisionBoundary, pointsOf, sideBySide } from '@proj/plot';
import { writeSvg } from '../../out.js';

const MODELS = {
  linear: () => new nn.Linear(2, 1),
  shallow: () => new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU(), new nn.Linear(4, 1)),
  deep: () =>
    new nn.Sequential(
      new nn.Linear(2, 16),
      new nn.ReLU(),
      new nn.Linear(16, 16),
      new nn.ReLU(),
      new nn.Linear(16, 16),
      new nn.ReLU(),
      new nn.Linear(16, 1),
    ),
};
type ModelName = keyof typeof MODELS;

/** Test accuracy of each model on each data set. */
export type DepthResult = Record<'circles' | 'moons', Record<ModelName, number>>;

// Binary accuracy from one logit column: class 1 where the logit is positive.
const accuracy = (pred: Tensor, y: Tensor) =>
  pred.reshape(-1).gt(0).eq(y.reshape(-1).gt(0.5)).float().mean().item() as number;

export async function run(opts: { fast: boolean }): Promise<DepthResult> {
  const n = opts.fast ? 300 : 1000;
  const epochs = opts.fast ? 30 : 100;
  const sets = {
    circles: data.makeCircles(n, { noise: 0.08, factor: 0.5, seed: 0 }),
    moons: data.makeMoons(n, { noise: 0.15, seed: 0 }),
  };
  const result = {} as DepthResult;
  for (const [name, [x, labels]] of Object.entries(sets) as [keyof DepthResult, Tensor[]][]) {
    const y = labels.float().reshape(-1, 1); // BCEWithLogitsLoss wants float targets
    const [xTrain, xTest, yTrain, yTest] = data.trainTestSplit(x, y, { testSize: 0.3, seed: 0 });
    result[name] = {} as Record<ModelName, number>;
    const panels = [];
    for (const [kind, make] of Object.entries(MODELS) as [ModelName, () => nn.Module][]) {
      manualSeed(0);
      const model = make();
      await train.fit(model, {
        train: [xTrain, yTrain],
        epochs,
        batchSize: 50,
        seed: 0,
        loss: new nn.BCEWithLogitsLoss(),
        optimizer: new optim.Adam(model.parameters(), { lr: 0.02 }),
        verbose: 0,
      });
      const acc = accuracy(train.predict(model, xTest), yTest);
      result[name][kind] = acc;
      console.log(`${name.padEnd(7)} ${kind.padEnd(7)} test accuracy ${(acc * 100).toFixed(1)}%`);
      if (!opts.fast) {
        const points = pointsOf(xTest, yTest.reshape(-1));
        const { grid, step } = classGrid(model, points, 50);
        panels.push(
          decisionBoundary(points, grid, step, {
            title: `${kind}: ${(acc * 100).toFixed(1)}%`,
            width: 240,
            height: 240,
          }),
        );
      }
    }
    if (!opts.fast)
      console.log(
        `wrote ${await writeSvg(`deep-vs-shallow-${name}.svg`, sideBySide(panels, `${name}: linear vs shallow vs deep`))}`,
      );
  }
  return result;
}
