// A convolutional autoencoder on MNIST: strided convolutions squeeze each 28x28 digit into a
// 4x7x7 code (196 numbers for 784 pixels) and transposed convolutions rebuild it; training
// minimises the pixel-wise MSE between input and output. The denoising variant gets a noisy digit as input but the clean
// digit as target, so it learns to remove the noise.
import { manualSeed, nn, optim, randn, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { imageGrid } from '@proj/plot';
import { datasets } from '@proj/vision/node';
import { writeSvg } from '../../out.js';

/** Encoder [B,1,28,28] → [B,4,7,7]; decoder back to [B,1,28,28] (normalised pixels). */
export function makeAutoencoder(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { stride: 2, padding: 1 }), // 14x14
    new nn.ReLU(),
    new nn.Conv2d(8, 4, 3, { stride: 2, padding: 1 }), // 7x7: the code
    new nn.ReLU(),
    new nn.ConvTranspose2d(4, 8, 3, { stride: 2, padding: 1, outputPadding: 1 }), // 14x14
    new nn.ReLU(),
    new nn.ConvTranspose2d(8, 1, 3, { stride: 2, padding: 1, outputPadding: 1 }), // 28x28
  );
}

/** Adds Gaussian noise of std `sigma` in pixel units (0..1), clipped to valid pixels, to normalised images. */
function addNoise(x: Tensor, sigma: number): Tensor {
  const pixels = x.mul(datasets.MNIST_STD).add(datasets.MNIST_MEAN);
  const noisy = pixels.add(randn(x.shape).mul(sigma)).clamp(0, 1);
  return noisy.sub(datasets.MNIST_MEAN).div(datasets.MNIST_STD);
}

/** What the example demonstrates (MSE in normalised pixel units on held-out digits). */
export interface AutoencoderResult {
  /** Predicting every pixel as the mean: the variance of the test pixels. */
  baselineMse: number;
  reconstructionMse: number;
  /** The noisy inputs' error, and the denoising autoencoder's output error, against the clean digits. */
  noisyMse: number;
  denoisedMse: number;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Trains both autoencoders on MNIST digits and compares their outputs with the clean test digits. */
export async function run(opts: { fast: boolean }): Promise<AutoencoderResult> {
  manualSeed(0);
  const { images } = datasets.loadMnist('train', { limit: opts.fast ? 1000 : 10000 });
  const test = datasets.loadMnist('t10k', { limit: opts.fast ? 200 : 1000 }).images;
  const fitOpts = {
    epochs: opts.fast ? 2 : 5,
    batchSize: 32,
    seed: 0,
    loss: new nn.MSELoss(),
    verbose: 0 as const,
  };
  const mse = (a: Tensor, b: Tensor) => a.sub(b).pow(2).mean().item();

  // 1. Plain autoencoder: the target is the input itself.
  const ae = makeAutoencoder();
  await train.fit(ae, {
    ...fitOpts,
    train: [images, images],
    optimizer: new optim.Adam(ae.parameters(), { lr: 3e-3 }),
  });
  const reconstructed = train.predict(ae, test);

  // 2. Denoising autoencoder: noisy input, clean target.
  const sigma = 0.4;
  const dae = makeAutoencoder();
  await train.fit(dae, {
    ...fitOpts,
    train: [addNoise(images, sigma), images],
    optimizer: new optim.Adam(dae.parameters(), { lr: 3e-3 }),
  });
  const noisyTest = addNoise(test, sigma);
  const denoised = train.predict(dae, noisyTest);

  const show = (t: Tensor) => t.narrow(0, 0, 8).reshape(8, 28, 28).toArray() as number[][][];
  const plot = opts.fast
    ? null
    : await writeSvg(
        'autoencoder.svg',
        imageGrid(
          [
            { label: 'original', images: show(test) },
            { label: 'reconstructed', images: show(reconstructed) },
            { label: 'noisy input', images: show(noisyTest) },
            { label: 'denoised', images: show(denoised) },
          ],
          { title: 'Convolutional autoencoder on MNIST test digits' },
        ),
      );
  const result: AutoencoderResult = {
    baselineMse: test.var().item(),
    reconstructionMse: mse(reconstructed, test),
    noisyMse: mse(noisyTest, test),
    denoisedMse: mse(denoised, test),
    plot,
  };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: AutoencoderResult): void {
  console.log('Convolutional autoencoder on MNIST (test MSE, normalised pixels):');
  console.log(`  predict the mean pixel:  ${r.baselineMse.toFixed(4)}`);
  console.log(`  autoencoder:             ${r.reconstructionMse.toFixed(4)}`);
  console.log(`  noisy input vs clean:    ${r.noisyMse.toFixed(4)}`);
  console.log(`  denoised output vs clean: ${r.denoisedMse.toFixed(4)}`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
