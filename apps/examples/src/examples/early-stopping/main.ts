// Early stopping with checkpointing: an MLP fitted to 12 noisy points overfits — the
// validation loss falls, then climbs. EarlyStopping ends training once it has not improved for
// `patience` epochs and restores the best weights; ModelCheckpoint (saveBestOnly) keeps the best
// model on disk, so a fresh model loaded from that file scores the same.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, manualSeed, nn, optim, rand, randn, type Tensor, train } from '@proj/core';
import { load, ModelCheckpoint } from '@proj/core/node';
import '@proj/backend-cpu';
import { lineChart } from '@proj/plot';
import { OUT_DIR, writeSvg } from '../../out.js';

/** What the example demonstrates. */
export interface EarlyStoppingResult {
  maxEpochs: number;
  /** Epochs that ran before EarlyStopping ended training. */
  epochsRun: number;
  /** The epoch (from 0) with the lowest validation loss. */
  bestEpoch: number;
  bestValLoss: number;
  /** Validation loss of the model after training (the restored best weights). */
  restoredValLoss: number;
  /** Validation loss of the last epoch that ran (what we would have kept without restoring). */
  lastValLoss: number;
  /** Validation loss of a fresh model loaded from the best checkpoint file. */
  checkpointValLoss: number;
  checkpointPath: string;
  trainLoss: number[];
  valLoss: number[];
  /** The loss curves' SVG. */
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** y = sin(3x) + noise on x in [-1, 1]. */
function noisySine(n: number, noise: number, gen: Generator): [Tensor, Tensor] {
  const x = rand([n, 1], { generator: gen }).mul(2).sub(1);
  const y = x
    .mul(3)
    .sin()
    .add(randn([n, 1], { generator: gen }).mul(noise));
  return [x, y];
}

const makeModel = () =>
  new nn.Sequential(
    new nn.Linear(1, 64),
    new nn.ReLU(),
    new nn.Linear(64, 64),
    new nn.ReLU(),
    new nn.Linear(64, 1),
  );

/** Trains until EarlyStopping stops it, saving the best model under `outDir`. */
export async function run(opts: { fast: boolean; outDir?: string }): Promise<EarlyStoppingResult> {
  manualSeed(0);
  const gen = new Generator(1);
  const trainSet = noisySine(12, 0.3, gen);
  const valSet = noisySine(200, 0.3, gen);
  const model = makeModel();
  const outDir = opts.outDir ?? join(OUT_DIR, 'early-stopping');
  mkdirSync(outDir, { recursive: true });
  const checkpointPath = join(outDir, 'best.safetensors');

  const maxEpochs = opts.fast ? 200 : 500;
  const patience = 40;
  const stopper = new train.EarlyStopping({ monitor: 'val_loss', patience, restoreBestWeights: true });
  const checkpoint = new ModelCheckpoint({
    filepath: checkpointPath,
    monitor: 'val_loss',
    saveBestOnly: true,
  });
  const loss = new nn.MSELoss();
  const history = await train.fit(model, {
    train: trainSet,
    val: valSet,
    epochs: maxEpochs,
    batchSize: 12,
    loss,
    optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
    callbacks: [stopper, checkpoint],
    verbose: 0,
  });
  const valLoss = history.history.val_loss;

  // The restored model, and a fresh one loaded from the checkpoint file, both score the best epoch's loss.
  const restoredValLoss = train.evaluate(model, valSet, { loss }).loss;
  const fresh = makeModel();
  fresh.loadStateDict(await load(checkpointPath));
  const checkpointValLoss = train.evaluate(fresh, valSet, { loss }).loss;
  for (const t of [...trainSet, ...valSet]) t.dispose();
  const plot = opts.fast
    ? null
    : await writeSvg(
        'early-stopping.svg',
        lineChart(
          [
            { name: 'train loss', y: history.history.loss },
            { name: 'val loss', y: valLoss },
          ],
          {
            title: `Early stopping: best epoch ${stopper.bestEpoch + 1} restored`,
            xTitle: 'epoch',
            yTitle: 'MSE',
            logY: true,
          },
        ),
      );

  const result: EarlyStoppingResult = {
    maxEpochs,
    epochsRun: history.epochs.length,
    bestEpoch: stopper.bestEpoch,
    bestValLoss: stopper.best,
    restoredValLoss,
    lastValLoss: valLoss[valLoss.length - 1],
    checkpointValLoss,
    checkpointPath,
    trainLoss: history.history.loss,
    valLoss,
    plot,
  };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: EarlyStoppingResult): void {
  console.log(`Early stopping: ran ${r.epochsRun} of ${r.maxEpochs} epochs; best epoch ${r.bestEpoch + 1}`);
  console.log(`  val loss at the best epoch:       ${r.bestValLoss.toFixed(4)}`);
  console.log(`  val loss at the last epoch:       ${r.lastValLoss.toFixed(4)}  (overfitting)`);
  console.log(`  val loss after restoring weights: ${r.restoredValLoss.toFixed(4)}`);
  console.log(`  val loss of the checkpoint file:  ${r.checkpointValLoss.toFixed(4)}  (${r.checkpointPath})`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
