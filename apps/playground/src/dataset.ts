// Batches of the packed MNIST subset as host arrays, ready to become tensors on any backend.
import { Generator } from '@proj/core';
import type { MnistPack, MnistSplitBytes } from './mnist-pack.js';

/** Mean and std of MNIST's training pixels in [0, 1], as torchvision's MNIST examples normalise. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** One batch: `x` normalised pixels `[n, 1, 28, 28]` (flat), `y` the labels. */
export interface HostBatch {
  n: number;
  x: Float32Array;
  y: Int32Array;
}

/** Normalises pixels in [0, 1] as the training images are. */
export function normalise(pixels01: Float32Array): Float32Array {
  const out = new Float32Array(pixels01.length);
  for (let i = 0; i < out.length; i++) out[i] = (pixels01[i] - MNIST_MEAN) / MNIST_STD;
  return out;
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  // core's seeded generator, so every backend sees the same batches in the same order
  const g = new Generator(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(g.random() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Gathers images `idx` of `split` into a normalised batch. */
export function gather(split: MnistSplitBytes, pxPerImage: number, idx: ArrayLike<number>): HostBatch {
  const n = idx.length;
  const x = new Float32Array(n * pxPerImage);
  const y = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    const i = idx[b];
    if (!(i >= 0 && i < split.count)) throw new Error(`gather: image ${i} is outside 0..${split.count - 1}`);
    const src = split.pixels.subarray(i * pxPerImage, (i + 1) * pxPerImage);
    for (let k = 0; k < pxPerImage; k++) x[b * pxPerImage + k] = (src[k] / 255 - MNIST_MEAN) / MNIST_STD;
    y[b] = split.labels[i];
  }
  return { n, x, y };
}

/**
 * Training batches drawn in a seeded shuffled order, reshuffled (with the next seed) each time
 * the order runs out; `rewind()` starts over from the first order, so a fresh model on another
 * backend sees exactly the same batches.
 */
export class BatchStream {
  private order: Int32Array;
  private at = 0;
  private epoch = 0;

  constructor(
    readonly pack: MnistPack,
    private readonly seed = 0,
  ) {
    this.order = permutation(pack.train.count, seed);
  }

  /** Images per sample. */
  get pixels(): number {
    return this.pack.rows * this.pack.cols;
  }

  /** Back to the first batch of the first order. */
  rewind(): void {
    this.epoch = 0;
    this.at = 0;
    this.order = permutation(this.pack.train.count, this.seed);
  }

  /** The next `size` training images (a batch never spans two orders). */
  next(size: number): HostBatch {
    if (this.at + size > this.order.length) {
      this.epoch++;
      this.at = 0;
      this.order = permutation(this.pack.train.count, this.seed + this.epoch);
    }
    const idx = this.order.subarray(this.at, this.at + size);
    this.at += size;
    return gather(this.pack.train, this.pixels, idx);
  }

  /** Test images `start .. start + size - 1` (unshuffled). */
  test(start: number, size: number): HostBatch {
    const idx = Int32Array.from({ length: size }, (_, i) => start + i);
    return gather(this.pack.test, this.pixels, idx);
  }
}
