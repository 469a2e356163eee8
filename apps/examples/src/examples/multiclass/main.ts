// Multiclass classification with softmax: four Gaussian blobs, a small MLP ending in 4 logits,
// CrossEntropyLoss (log-softmax + NLL in one, as in PyTorch). Prints the confusion matrix and
// scikit-learn's classification report; writes the matrix and the decision regions to out/.
import { data, manualSeed, nn, optim, train } from '@proj/core';
import '@proj/backend-cpu';
import { classGrid, decisionBoundary, heatmap, pointsOf, sideBySide } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** Test accuracy, the confusion matrix (rows: true class) and the report text. */
export interface MulticlassResult {
  accuracy: number;
  confusion: number[][];
  report: string;
  /** Softmax probabilities of the first test sample (they sum to 1). */
  firstProbabilities: number[];
}

export async function run(opts: { fast: boolean }): Promise<MulticlassResult> {
  manualSeed(0);
  const centers = [
    [-3, -3],
    [3, -3],
    [0, 3],
    [0.5, 0],
  ];
  const [x, y] = data.makeBlobs(opts.fast ? 400 : 1200, { centers, clusterStd: 1.0, seed: 0 });
  const [xTrain, xTest, yTrain, yTest] = data.trainTestSplit(x, y, { testSize: 0.25, seed: 0 });
  const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 4));
  await train.fit(model, {
    train: [xTrain, yTrain],
    epochs: opts.fast ? 15 : 30,
    batchSize: 32,
    seed: 0,
    loss: new nn.CrossEntropyLoss(),
    optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
    metrics: ['accuracy'],
    verbose: 0,
  });
  const logits = train.predict(model, xTest);
  const accuracy = train.accuracy(logits, yTest);
  const confusion = train.confusionMatrix(logits, yTest).toArray() as number[][];
  const names = ['south-west', 'south-east', 'north', 'centre'];
  const report = train.classificationReport(logits, yTest, { targetNames: names });
  const firstProbabilities = logits.narrow(0, 0, 1).softmax(1).reshape(4).toArray() as number[];
  console.log(`test accuracy ${(accuracy * 100).toFixed(1)}%\n`);
  console.log('confusion matrix (rows: true class, columns: predicted):');
  for (const [i, row] of confusion.entries())
    console.log(`${names[i].padStart(11)} ${row.map((v) => String(v).padStart(4)).join('')}`);
  console.log(`\n${report}`);
  console.log(`softmax of the first test sample: ${firstProbabilities.map((p) => p.toFixed(3)).join(' ')}`);
  if (!opts.fast) {
    const points = pointsOf(xTest, yTest);
    const { grid, step } = classGrid(model, points, 60);
    const spec = sideBySide(
      [
        decisionBoundary(points, grid, step, { title: 'decision regions (test points)' }),
        heatmap(confusion, { title: 'confusion matrix', rowLabels: names, colLabels: names }),
      ],
      'Softmax classification of four blobs',
    );
    console.log(`wrote ${await writeSvg('multiclass.svg', spec)}`);
  }
  return { accuracy, confusion, report, firstProbabilities };
}
