// Two layers that change how a network trains.
// Dropout: a wide MLP fitted to 60 noisy points memorises them (training loss near 0 while the
// validation loss climbs); Dropout(0.5) zeroes random hidden units at every step, so no unit
// can rely on another, and the train/validation gap shrinks. At eval() dropout is switched off.
// BatchNorm: a deep ReLU MLP trained with plain SGD; BatchNorm1d after every hidden Linear
// renormalises each unit over the batch, so the same learning rate makes much faster progress.
// Writes the curves to out/dropout-batchnorm.svg.
import { data, manualSeed, nn, optim, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart, sideBySide } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** Loss and accuracy (in eval mode) on the training and validation sets; the validation-loss curve. */
export interface DropoutRun {
  trainLoss: number;
  valLoss: number;
  /** valLoss - trainLoss: how much worse the model does on data it has not seen. */
  gap: number;
  trainAccuracy: number;
  valAccuracy: number;
  valLosses: number[];
}

/** Both comparisons. */
export interface DropoutBatchNormResult {
  dropout: Record<'without' | 'with Dropout(0.5)', DropoutRun>;
  batchNorm: Record<'without' | 'with BatchNorm1d', number[]>;
}

const lossFn = new nn.BCEWithLogitsLoss();
// Accuracy of one logit column against 0/1 targets: class 1 where the logit is positive.
const binaryAccuracy = (pred: Tensor, y: Tensor) => pred.gt(0).eq(y.gt(0.5)).float().mean().item() as number;

async function dropoutRun(p: number, sets: Tensor[][], epochs: number): Promise<DropoutRun> {
  const [[xTrain, yTrain], [xVal, yVal]] = sets;
  manualSeed(0);
  const hidden = () => [new nn.Linear(2, 128), new nn.ReLU(), ...(p > 0 ? [new nn.Dropout(p)] : [])];
  const model = new nn.Sequential(
    ...hidden(),
    new nn.Linear(128, 128),
    new nn.ReLU(),
    ...(p > 0 ? [new nn.Dropout(p)] : []),
    new nn.Linear(128, 1),
  );
  const history = await train.fit(model, {
    train: [xTrain, yTrain],
    val: [xVal, yVal],
    epochs,
    batchSize: 60, // the whole training set
    loss: lossFn,
    optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
    verbose: 0,
  });
  // evaluate() and predict() switch to eval mode, where dropout is off.
  const trainLoss = train.evaluate(model, [xTrain, yTrain], { loss: lossFn, batchSize: 500 }).loss;
  const valLoss = train.evaluate(model, [xVal, yVal], { loss: lossFn, batchSize: 500 }).loss;
  return {
    trainLoss,
    valLoss,
    gap: valLoss - trainLoss,
    trainAccuracy: binaryAccuracy(train.predict(model, xTrain), yTrain),
    valAccuracy: binaryAccuracy(train.predict(model, xVal), yVal),
    valLosses: history.history.val_loss,
  };
}

async function batchNormRun(useBn: boolean, x: Tensor, y: Tensor, epochs: number): Promise<number[]> {
  manualSeed(0);
  const layers: nn.Module[] = [];
  let width = 20;
  for (let i = 0; i < 6; i++) {
    layers.push(new nn.Linear(width, 64), ...(useBn ? [new nn.BatchNorm1d(64)] : []), new nn.ReLU());
    width = 64;
  }
  const model = new nn.Sequential(...layers, new nn.Linear(64, 4));
  const history = await train.fit(model, {
    train: [x, y],
    epochs,
    batchSize: 64,
    seed: 0,
    loss: new nn.CrossEntropyLoss(),
    optimizer: new optim.SGD(model.parameters(), { lr: 0.01 }),
    verbose: 0,
  });
  return history.history.loss;
}

export async function run(opts: { fast: boolean }): Promise<DropoutBatchNormResult> {
  const [x, labels] = data.makeMoons(560, { noise: 0.35, seed: 0 });
  const y = labels.float().reshape(-1, 1);
  const sets = [
    [x.narrow(0, 0, 60), y.narrow(0, 0, 60)],
    [x.narrow(0, 60, 500), y.narrow(0, 60, 500)],
  ];
  const epochs = 100; // long enough to memorise the 60 points; the same in fast mode
  const dropout = {
    without: await dropoutRun(0, sets, epochs),
    'with Dropout(0.5)': await dropoutRun(0.5, sets, epochs),
  };
  for (const [name, r] of Object.entries(dropout)) {
    console.log(
      `${name.padEnd(17)} loss train ${r.trainLoss.toFixed(3)} val ${r.valLoss.toFixed(3)} (gap ${r.gap.toFixed(3)});`,
      `accuracy train ${(r.trainAccuracy * 100).toFixed(1)}% val ${(r.valAccuracy * 100).toFixed(1)}%`,
    );
  }

  const [xc, yc] = data.makeClassification(opts.fast ? 512 : 2048, {
    nFeatures: 20,
    nInformative: 10,
    nClasses: 4,
    seed: 1,
  });
  const bnEpochs = opts.fast ? 6 : 20;
  const batchNorm = {
    without: await batchNormRun(false, xc, yc, bnEpochs),
    'with BatchNorm1d': await batchNormRun(true, xc, yc, bnEpochs),
  };
  for (const [name, losses] of Object.entries(batchNorm)) {
    console.log(`${name.padEnd(17)} training loss per epoch: ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  }
  if (!opts.fast) {
    const curve = (y: number[]) => ({ y, x: y.map((_, i) => i + 1) });
    const spec = sideBySide([
      lineChart(
        Object.entries(dropout).map(([name, r]) => ({ name, ...curve(r.valLosses) })),
        {
          title: 'Dropout: validation loss (60 training points)',
          xTitle: 'epoch',
          yTitle: 'val loss',
          width: 320,
          integerX: true,
        },
      ),
      lineChart(
        Object.entries(batchNorm).map(([name, l]) => ({ name, ...curve(l) })),
        {
          title: 'BatchNorm: training loss (6-layer MLP, SGD)',
          xTitle: 'epoch',
          yTitle: 'train loss',
          width: 320,
          integerX: true,
        },
      ),
    ]);
    console.log(`wrote ${await writeSvg('dropout-batchnorm.svg', spec)}`);
  }
  return { dropout, batchNorm };
}
