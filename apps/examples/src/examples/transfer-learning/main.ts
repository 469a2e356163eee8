// Transfer learning with pretrained weights: the CNN that `pnpm demo` trained on MNIST digits
// ships inside @proj/vision (`models.mnistCnn({ pretrained: true })`). Its convolutional features
// are reused for Fashion-MNIST's clothes: first frozen (requiresGrad_(false)) under a new linear
// head, then unfrozen and fine-tuned with a 10x lower learning rate. The pretrained weights also
// travel through a safetensors file, as weights do between programs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { manualSeed, nn, optim, type Tensor, train } from '@proj/core';
import { load, save } from '@proj/core/node';
import '@proj/backend-cpu';
import { barChart } from '@proj/plot';
import { datasets, models } from '@proj/vision/node';
import { OUT_DIR, writeSvg } from '../../out.js';

/** The pretrained digit features under a new head for the ten clothes classes. */
class Classifier extends nn.Module {
  features: nn.Sequential;
  head = new nn.Linear(models.MNIST_CNN_FEATURES, 10);

  constructor(features: nn.Sequential) {
    super();
    this.features = features;
  }

  override forward(x: Tensor): Tensor {
    return this.head.forward(this.features.forward(x));
  }
}

/** What the example demonstrates: test accuracy after each phase. */
export interface TransferResult {
  /** The pretrained CNN on MNIST's test digits. */
  baseAccuracy: number;
  /** A fresh CNN whose weights were loaded from the safetensors file the pretrained one was saved to. */
  reloadedAccuracy: number;
  /** Fashion-MNIST with the frozen digit features and a new head. */
  frozenAccuracy: number;
  /** Largest change of any frozen feature weight while the head trained (0: truly frozen). */
  frozenDrift: number;
  /** Fashion-MNIST after unfreezing and fine-tuning everything. */
  fineTunedAccuracy: number;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Runs the phases: MNIST digits (pretrained), then Fashion-MNIST (transferred). */
export async function run(opts: { fast: boolean; outDir?: string }): Promise<TransferResult> {
  manualSeed(0);
  const loss = new nn.CrossEntropyLoss();
  const fitOpts = { batchSize: 32, seed: 0, loss, verbose: 0 as const };
  const accuracy = (m: nn.Module, d: [Tensor, Tensor]) =>
    train.evaluate(m, d, { metrics: ['accuracy'] }).accuracy;

  // Phase 1: the pretrained digit classifier, and its weights through a safetensors file.
  const digits = datasets.loadMnist('t10k', { limit: opts.fast ? 1000 : 10000 });
  const pretrained = models.mnistCnn({ pretrained: true });
  const baseAccuracy = accuracy(pretrained, [digits.images, digits.labels]);
  const dir = opts.outDir ?? join(OUT_DIR, 'transfer-learning');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'mnist-cnn.safetensors');
  await save(path, pretrained.stateDict());
  const reloaded = models.mnistCnn();
  reloaded.loadStateDict(await load(path));
  const reloadedAccuracy = accuracy(reloaded, [digits.images, digits.labels]);

  // Phase 2: the digit features, frozen, under a new head trained on clothes.
  const clothes = datasets.loadMnist('train', { kind: 'fashion', limit: opts.fast ? 2000 : 20000 });
  const clothesTest = datasets.loadMnist('t10k', { kind: 'fashion', limit: opts.fast ? 1000 : 10000 });
  const trainSet: [Tensor, Tensor] = [clothes.images, clothes.labels];
  const testSet: [Tensor, Tensor] = [clothesTest.images, clothesTest.labels];
  const features = models.mnistCnnFeatures({ pretrained: true });
  const model = new Classifier(features);
  model.features.requiresGrad_(false);
  const before = features.stateDict();
  const epochs = opts.fast ? 2 : 3;
  await train.fit(model, {
    ...fitOpts,
    train: trainSet,
    epochs,
    optimizer: new optim.Adam(model.head.parameters(), { lr: 2e-3 }),
  });
  const after = features.stateDict();
  const frozenDrift = Math.max(...Object.keys(before).map((k) => before[k].sub(after[k]).abs().max().item()));
  const frozenAccuracy = accuracy(model, testSet);

  // Phase 3: unfreeze and fine-tune everything with a lower learning rate.
  model.features.requiresGrad_(true);
  await train.fit(model, {
    ...fitOpts,
    train: trainSet,
    epochs: opts.fast ? 1 : 2,
    optimizer: new optim.Adam(model.parameters(), { lr: 2e-4 }),
  });
  const fineTunedAccuracy = accuracy(model, testSet);

  const plot = opts.fast
    ? null
    : await writeSvg(
        'transfer-learning.svg',
        barChart(
          [
            { label: 'pretrained (MNIST)', value: baseAccuracy },
            { label: 'frozen + new head (Fashion)', value: frozenAccuracy },
            { label: 'fine-tuned (Fashion)', value: fineTunedAccuracy },
          ],
          { title: 'Transfer learning: test accuracy per phase', yTitle: 'test accuracy' },
        ),
      );
  for (const t of [digits.images, digits.labels, ...trainSet, ...testSet]) t.dispose();
  const result = { baseAccuracy, reloadedAccuracy, frozenAccuracy, frozenDrift, fineTunedAccuracy, plot };
  report(result, path);
  return result;
}

const pct = (a: number) => `${(100 * a).toFixed(2)}%`;

/** Prints what the example shows. */
function report(r: TransferResult, path: string): void {
  console.log('Transfer learning from MNIST digits to Fashion-MNIST clothes (test accuracy):');
  console.log(`  1. pretrained CNN (models.mnistCnn) on MNIST:        ${pct(r.baseAccuracy)}`);
  console.log(`     its weights reloaded from ${path}: ${pct(r.reloadedAccuracy)}`);
  console.log(
    `  2. frozen digit features + new head on Fashion-MNIST: ${pct(r.frozenAccuracy)} (features moved by ${r.frozenDrift})`,
  );
  console.log(`  3. unfrozen, fine-tuned at lr/10 on Fashion-MNIST:   ${pct(r.fineTunedAccuracy)}`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
