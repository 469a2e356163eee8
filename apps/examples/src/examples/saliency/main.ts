// Saliency maps: which pixels does a trained MNIST classifier look at? The gradient of the
// predicted class's score with respect to the input image (Simonyan et al., 2013) says how
// much each pixel would change that score. Autograd computes it like any other gradient: mark
// the input with requiresGrad, run forward, call backward on the score, read `x.grad`.
import { manualSeed, nn, optim, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { imageGrid } from '@proj/plot';
import { datasets, models } from '@proj/vision/node';
import { writeSvg } from '../../out.js';

/** |∂ score(predicted class) / ∂ pixel| for each image in `x` [B,1,28,28] → [B,1,28,28]. */
export function saliency(model: nn.Module, x: Tensor): Tensor {
  model.eval();
  const input = x.detach().requiresGrad_(true);
  const logits = model.forward(input);
  const predicted = logits.argmax(1).unsqueeze(1);
  logits.gather(1, predicted).sum().backward(); // images are independent: one backward for the batch
  const grad = input.grad as Tensor;
  const map = grad.abs();
  grad.dispose(); // gradients outlive tidy() (they belong to their leaf); this one is no longer needed
  return map;
}

/** What the example demonstrates. */
export interface SaliencyResult {
  testAccuracy: number;
  /** Mean saliency on the digit's ink (pixel > 0.5) and on the 4-pixel border of the image. */
  inkSaliency: number;
  borderSaliency: number;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Trains a small CNN on MNIST and computes saliency maps of test digits. */
export async function run(opts: { fast: boolean }): Promise<SaliencyResult> {
  manualSeed(0);
  const trainSet = datasets.loadMnist('train', { limit: opts.fast ? 2000 : 10000 });
  const test = datasets.loadMnist('t10k', { limit: opts.fast ? 500 : 10000 });
  const model = new nn.Sequential(models.mnistCnnFeatures(), new nn.Linear(models.MNIST_CNN_FEATURES, 10));
  await train.fit(model, {
    train: [trainSet.images, trainSet.labels],
    epochs: opts.fast ? 1 : 2,
    batchSize: 32,
    seed: 0,
    loss: new nn.CrossEntropyLoss(),
    optimizer: new optim.Adam(model.parameters(), { lr: 2e-3 }),
    verbose: 0,
  });
  const testAccuracy = train.evaluate(model, [test.images, test.labels], { metrics: ['accuracy'] }).accuracy;

  const x = test.images.narrow(0, 0, 64);
  const sal = saliency(model, x);
  const ink = x.mul(datasets.MNIST_STD).add(datasets.MNIST_MEAN).gt(0.5).float(); // the digit's strokes
  const inkSaliency = sal.mul(ink).sum().item() / ink.sum().item();
  const border = sal.sum().item() - sal.narrow(2, 4, 20).narrow(3, 4, 20).sum().item();
  const borderSaliency = border / (64 * (28 * 28 - 20 * 20));

  const show = (t: Tensor) => t.narrow(0, 0, 8).reshape(8, 28, 28).toArray() as number[][][];
  const plot = opts.fast
    ? null
    : await writeSvg(
        'saliency.svg',
        imageGrid(
          [
            { label: 'digit', images: show(x) },
            { label: 'saliency', images: show(sal) },
          ],
          { title: 'Saliency: |d score / d pixel| of the predicted class' },
        ),
      );
  const result = { testAccuracy, inkSaliency, borderSaliency, plot };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: SaliencyResult): void {
  console.log(`Saliency maps of a CNN (test accuracy ${(100 * r.testAccuracy).toFixed(2)}%):`);
  console.log(`  mean |gradient| on the digit's strokes: ${r.inkSaliency.toExponential(3)}`);
  console.log(`  mean |gradient| on the image border:    ${r.borderSaliency.toExponential(3)}`);
  console.log(`  ratio: ${(r.inkSaliency / r.borderSaliency).toFixed(1)}x`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
