// Grid search over hyperparameters: train the same MLP for every learning rate x hidden size
// pair, score each on a validation split, and keep the best. The test set is touched once, by
// the winner only, so its score is an honest estimate.
import { data, manualSeed, nn, optim, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { heatmap } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** One cell of the grid. */
export interface GridCell {
  lr: number;
  hidden: number;
  valAccuracy: number;
}

/** What the example demonstrates. */
export interface GridSearchResult {
  cells: GridCell[];
  best: GridCell;
  /** The best configuration's accuracy on the untouched test set. */
  testAccuracy: number;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

const makeModel = (hidden: number) =>
  new nn.Sequential(new nn.Linear(10, hidden), new nn.ReLU(), new nn.Linear(hidden, 3));

/** Runs the grid on a 3-class tabular problem. */
export async function run(opts: { fast: boolean }): Promise<GridSearchResult> {
  const [x, y] = data.makeClassification(opts.fast ? 900 : 3000, {
    nFeatures: 10,
    nInformative: 5,
    nClasses: 3,
    seed: 0,
  });
  // 60% train, 20% validation (to choose), 20% test (to report).
  const [xTrain, xRest, yTrain, yRest] = data.trainTestSplit(x, y, { testSize: 0.4, seed: 0 });
  const [xVal, xTest, yVal, yTest] = data.trainTestSplit(xRest, yRest, { testSize: 0.5, seed: 1 });
  const lrs = opts.fast ? [1e-4, 1e-2, 1e-1] : [1e-4, 1e-3, 1e-2, 1e-1];
  const hiddens = opts.fast ? [4, 32] : [4, 16, 64];
  const epochs = opts.fast ? 8 : 20;

  const fitOne = async (lr: number, hidden: number) => {
    manualSeed(0); // the same initial draw for every cell: only the hyperparameters differ
    const model = makeModel(hidden);
    await train.fit(model, {
      train: [xTrain, yTrain],
      epochs,
      batchSize: 32,
      seed: 0,
      loss: new nn.CrossEntropyLoss(),
      optimizer: new optim.Adam(model.parameters(), { lr }),
      verbose: 0,
    });
    return model;
  };
  const accuracy = (m: nn.Module, xs: Tensor, ys: Tensor) =>
    train.evaluate(m, [xs, ys], { metrics: ['accuracy'] }).accuracy;

  const cells: GridCell[] = [];
  for (const lr of lrs) {
    for (const hidden of hiddens) {
      const model = await fitOne(lr, hidden);
      cells.push({ lr, hidden, valAccuracy: accuracy(model, xVal, yVal) });
    }
  }
  const best = cells.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a));
  const testAccuracy = accuracy(await fitOne(best.lr, best.hidden), xTest, yTest);

  const plot = opts.fast
    ? null
    : await writeSvg(
        'grid-search.svg',
        heatmap(
          lrs.map((lr) =>
            hiddens.map((h) => cells.find((c) => c.lr === lr && c.hidden === h)?.valAccuracy ?? 0),
          ),
          {
            title: 'Grid search: validation accuracy',
            rowLabels: lrs.map(String),
            colLabels: hiddens.map(String),
            rowTitle: 'learning rate',
            colTitle: 'hidden units',
            digits: 3,
          },
        ),
      );
  const result = { cells, best, testAccuracy, plot };
  report(result, hiddens);
  return result;
}

/** Prints what the example shows: the table of validation accuracies and the winner. */
function report(r: GridSearchResult, hiddens: number[]): void {
  console.log('Grid search (validation accuracy):');
  console.log(`  ${'lr \\ hidden'.padEnd(12)}${hiddens.map((h) => String(h).padStart(8)).join('')}`);
  for (const lr of [...new Set(r.cells.map((c) => c.lr))]) {
    const row = hiddens.map((h) => r.cells.find((c) => c.lr === lr && c.hidden === h)?.valAccuracy ?? 0);
    console.log(`  ${String(lr).padEnd(12)}${row.map((a) => a.toFixed(3).padStart(8)).join('')}`);
  }
  console.log(
    `  best: lr ${r.best.lr}, ${r.best.hidden} hidden units; test accuracy ${r.testAccuracy.toFixed(3)}`,
  );
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
