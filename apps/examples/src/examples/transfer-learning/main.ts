// Transfer learning: a small CNN learns digits 0-4; its convolutional feature extractor is then
// reused for digits 5-9. First the features are frozen (requiresGrad_(false)) and only a new
// linear head is trained; then everything is unfrozen and fine-tuned with a 10x lower learning
// rate. The trained features also travel through a safetensors file, as pretrained weights do.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { manualSeed, nn, optim, type Tensor, tensor, train } from '@proj/core';
import { load, save } from '@proj/core/node';
import '@proj/backend-cpu';
import { MNIST_CNN_FEATURES, mnistCnnFeatures } from '../../mnist/cnn.js';
import { loadMnist } from '../../mnist/load.js';
import { barChart, OUT_DIR, writeSvg } from '../../plot/index.js';

class Classifier extends nn.Module {
  features: nn.Sequential;
  head = new nn.Linear(MNIST_CNN_FEATURES, 5);

  constructor(features: nn.Sequential) {
    super();
    this.features = features;
  }

  override forward(x: Tensor): Tensor {
    return this.head.forward(this.features.forward(x));
  }
}

/** The images whose label lies in [from, from + 5), with labels shifted to 0..4. */
function digits(split: { images: Tensor; labels: Tensor }, from: number): [Tensor, Tensor] {
  const labels = split.labels.toArray() as number[];
  const keep = labels.flatMap((l, i) => (l >= from && l < from + 5 ? [i] : []));
  const idx = tensor(Int32Array.from(keep));
  return [split.images.indexSelect(0, idx), split.labels.indexSelect(0, idx).sub(from)];
}

/** What the example demonstrates: test accuracy after each phase. */
export interface TransferResult {
  /** The base model on digits 0-4. */
  baseAccuracy: number;
  /** A fresh model whose features were loaded from the saved safetensors file, on digits 0-4. */
  reloadedAccuracy: number;
  /** Digits 5-9 with frozen features and a new head. */
  frozenAccuracy: number;
  /** Largest change of any frozen feature weight while the head trained (0: truly frozen). */
  frozenDrift: number;
  /** Digits 5-9 after unfreezing and fine-tuning everything. */
  fineTunedAccuracy: number;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Runs the three phases on MNIST. */
export async function run(opts: { fast: boolean; outDir?: string }): Promise<TransferResult> {
  manualSeed(0);
  const trainSplit = loadMnist('train', { limit: opts.fast ? 2000 : 20000 });
  const testSplit = loadMnist('t10k', { limit: opts.fast ? 1000 : 10000 });
  const [trainA, testA] = [digits(trainSplit, 0), digits(testSplit, 0)];
  const [trainB, testB] = [digits(trainSplit, 5), digits(testSplit, 5)];
  const loss = new nn.CrossEntropyLoss();
  const fitOpts = { batchSize: 32, seed: 0, loss, verbose: 0 as const };
  const accuracy = (m: nn.Module, d: [Tensor, Tensor]) =>
    train.evaluate(m, d, { metrics: ['accuracy'] }).accuracy;

  // Phase 1: train the base model on digits 0-4 and save its features.
  const base = new Classifier(mnistCnnFeatures());
  const epochs = opts.fast ? 2 : 3;
  await train.fit(base, {
    ...fitOpts,
    train: trainA,
    epochs,
    optimizer: new optim.Adam(base.parameters(), { lr: 2e-3 }),
  });
  const baseAccuracy = accuracy(base, testA);
  const dir = opts.outDir ?? join(OUT_DIR, 'transfer-learning');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'features.safetensors');
  await save(path, base.features.stateDict());

  // Loading pretrained weights: a fresh feature extractor takes its weights from the file.
  const features = mnistCnnFeatures();
  features.loadStateDict(await load(path));
  const reloaded = new Classifier(features);
  reloaded.head.loadStateDict(base.head.stateDict());
  const reloadedAccuracy = accuracy(reloaded, testA);

  // Phase 2: freeze the features, train a new head on digits 5-9.
  const model = new Classifier(features); // a new, randomly initialised head
  model.features.requiresGrad_(false);
  const before = features.stateDict();
  await train.fit(model, {
    ...fitOpts,
    train: trainB,
    epochs,
    optimizer: new optim.Adam(model.head.parameters(), { lr: 2e-3 }),
  });
  const after = features.stateDict();
  const frozenDrift = Math.max(...Object.keys(before).map((k) => before[k].sub(after[k]).abs().max().item()));
  const frozenAccuracy = accuracy(model, testB);

  // Phase 3: unfreeze and fine-tune everything with a lower learning rate.
  model.features.requiresGrad_(true);
  await train.fit(model, {
    ...fitOpts,
    train: trainB,
    epochs: opts.fast ? 1 : 2,
    optimizer: new optim.Adam(model.parameters(), { lr: 2e-4 }),
  });
  const fineTunedAccuracy = accuracy(model, testB);

  const plot = opts.fast
    ? null
    : await writeSvg(
        'transfer-learning.svg',
        barChart(
          [
            { label: 'base (0-4)', value: baseAccuracy },
            { label: 'frozen + new head (5-9)', value: frozenAccuracy },
            { label: 'fine-tuned (5-9)', value: fineTunedAccuracy },
          ],
          { title: 'Transfer learning: test accuracy per phase', yTitle: 'test accuracy' },
        ),
      );
  const result = { baseAccuracy, reloadedAccuracy, frozenAccuracy, frozenDrift, fineTunedAccuracy, plot };
  report(result, path);
  return result;
}

const pct = (a: number) => `${(100 * a).toFixed(2)}%`;

/** Prints what the example shows. */
function report(r: TransferResult, path: string): void {
  console.log('Transfer learning on MNIST (test accuracy):');
  console.log(`  1. base CNN on digits 0-4:                  ${pct(r.baseAccuracy)}`);
  console.log(`     features reloaded from ${path}: ${pct(r.reloadedAccuracy)}`);
  console.log(
    `  2. frozen features + new head on 5-9:       ${pct(r.frozenAccuracy)} (features moved by ${r.frozenDrift})`,
  );
  console.log(`  3. unfrozen, fine-tuned at lr/10 on 5-9:    ${pct(r.fineTunedAccuracy)}`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
