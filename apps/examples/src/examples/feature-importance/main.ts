// Permutation feature importance: shuffle one feature column of the test set, breaking its link
// to the label, and see how much the trained model's accuracy drops. Features the model relies on
// cost a lot; ignored ones cost nothing. The data come from makeClassification: 8 classes, one per
// corner of a cube in 3 informative features (columns 0-2), plus 7 pure-noise columns, so we know
// the right answer.
import { data, Generator, manualSeed, nn, optim, type Tensor, tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { barChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

const N_FEATURES = 10;
const N_INFORMATIVE = 3;

/** Accuracy drop when column `j` of `x` is shuffled, averaged over `repeats` shuffles. */
export function permutationImportance(
  model: nn.Module,
  x: Tensor,
  y: Tensor,
  repeats: number,
  gen: Generator,
): number[] {
  const accuracy = (xs: Tensor) =>
    train.evaluate(model, [xs, y], { metrics: ['accuracy'], batchSize: 1024 }).accuracy;
  const base = accuracy(x);
  const rows = x.toArray() as number[][];
  return Array.from({ length: x.shape[1] }, (_, j) => {
    let drop = 0;
    for (let r = 0; r < repeats; r++) {
      const perm = gen.permutation(rows.length);
      const shuffled = rows.map((row, i) => row.map((v, k) => (k === j ? rows[perm[i]][j] : v)));
      drop += base - accuracy(tensor(shuffled));
    }
    return drop / repeats;
  });
}

/** What the example demonstrates. */
export interface FeatureImportanceResult {
  testAccuracy: number;
  /** Accuracy drop per feature column when it is shuffled. */
  importance: number[];
  /** Feature columns from most to least important. */
  ranking: number[];
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Trains an MLP on the tabular problem and ranks its features by permutation importance. */
export async function run(opts: { fast: boolean }): Promise<FeatureImportanceResult> {
  manualSeed(0);
  // shuffle: false keeps the informative features in columns 0..2 (the samples are shuffled by the split).
  const [x, y] = data.makeClassification(opts.fast ? 800 : 3000, {
    nFeatures: N_FEATURES,
    nInformative: N_INFORMATIVE,
    nRedundant: 0,
    nClasses: 8,
    nClustersPerClass: 1,
    classSep: 2,
    shuffle: false,
    seed: 0,
  });
  const [xTrain, xTest, yTrain, yTest] = data.trainTestSplit(x, y, { testSize: 0.25, seed: 0 });
  const model = new nn.Sequential(new nn.Linear(N_FEATURES, 32), new nn.ReLU(), new nn.Linear(32, 8));
  await train.fit(model, {
    train: [xTrain, yTrain],
    epochs: opts.fast ? 15 : 30,
    batchSize: 32,
    seed: 0,
    loss: new nn.CrossEntropyLoss(),
    optimizer: new optim.Adam(model.parameters(), { lr: 5e-3 }),
    verbose: 0,
  });
  const testAccuracy = train.evaluate(model, [xTest, yTest], { metrics: ['accuracy'] }).accuracy;
  const importance = permutationImportance(model, xTest, yTest, opts.fast ? 3 : 10, new Generator(1));
  const ranking = importance.map((_, j) => j).sort((a, b) => importance[b] - importance[a]);

  const name = (j: number) => `x${j}${j < N_INFORMATIVE ? '*' : ''}`;
  const plot = opts.fast
    ? null
    : await writeSvg(
        'feature-importance.svg',
        barChart(
          importance.map((v, j) => ({ label: name(j), value: v })),
          { title: 'Permutation importance (* = informative feature)', yTitle: 'test accuracy drop' },
        ),
      );
  const result = { testAccuracy, importance, ranking, plot };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: FeatureImportanceResult): void {
  console.log(`Permutation feature importance (test accuracy ${(100 * r.testAccuracy).toFixed(1)}%):`);
  for (const j of r.ranking) {
    const tag = j < N_INFORMATIVE ? 'informative' : 'noise';
    const drop = (100 * r.importance[j]).toFixed(1).replace(/^-0\.0$/, '0.0');
    console.log(`  x${j} (${tag}): accuracy drops by ${drop} points`);
  }
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
