// torchvision.datasets.CIFAR10, from the binary batches on disk (nothing is downloaded).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '@proj/core';
import { Image } from '../image.js';
import { shaped } from '../shaped.js';
import { CIFAR10_CLASSES, parseCifarBatch } from './cifar-format.js';
import { VisionDataset, type VisionDatasetOptions } from './vision-dataset.js';

/** The folder the binary archive (cifar-10-binary.tar.gz) extracts to. */
export const CIFAR10_BIN_FOLDER = 'cifar-10-batches-bin';
const TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
];
const TEST_FILES = ['test_batch.bin'];

/** torchvision's `CIFAR10(root, train=True, transform=None, target_transform=None, download=False)` keywords. */
export interface CIFAR10Options<X, Y> extends VisionDatasetOptions<Image, X, Y> {
  /** The five training batches (default) or the test batch. */
  train?: boolean;
  /** Nothing is downloaded here: true only changes the error when the files are missing. */
  download?: boolean;
}

/**
 * torchvision's CIFAR10, read from the binary version of the data set (the files of
 * `cifar-10-binary.tar.gz`: `data_batch_1.bin` … `data_batch_5.bin`, `test_batch.bin`) under
 * `root/cifar-10-batches-bin/` (or directly in `root`). `getItem(i)` is
 * `[transform(image), targetTransform(label)]` with a 32x32 RGB {@link Image}; `data` is
 * uint8 [N, 32, 32, 3] (torchvision's HWC array) and `targets` a number array.
 *
 * ```ts
 * const train = new datasets.CIFAR10('./data', { train: true, transform: transforms.ToTensor() });
 * ```
 */
export class CIFAR10<X = Image, Y = number> extends VisionDataset<Image, X, Y> {
  /** The folder given. */
  readonly root: string;
  /** Whether this is the training split. */
  readonly train: boolean;
  /** The class names, in label order. */
  readonly classes: readonly string[] = CIFAR10_CLASSES;
  /** Class name → label. */
  readonly classToIdx: Readonly<Record<string, number>> = Object.fromEntries(
    CIFAR10_CLASSES.map((c, i) => [c, i]),
  );
  /** The labels, one per image (torchvision's `targets` list). */
  readonly targets: number[];
  private readonly pixels: Uint8Array;
  private dataTensor: Tensor | null = null;

  /**
   * Reads the split's batch files at once.
   *
   * @throws Error if `root` is not a string, a batch file is missing (the message says where
   * to get them) or a batch is not in the binary format.
   */
  constructor(root: string, opts: CIFAR10Options<X, Y> = {}) {
    super(opts);
    if (typeof root !== 'string') throw new Error(`CIFAR10: root must be a folder path, got ${typeof root}`);
    this.root = root;
    this.train = opts.train ?? true;
    const files = this.train ? TRAIN_FILES : TEST_FILES;
    const dir = [join(root, CIFAR10_BIN_FOLDER), root].find((d) =>
      files.every((f) => existsSync(join(d, f))),
    );
    if (dir === undefined) {
      const missing = files.filter((f) => !existsSync(join(root, CIFAR10_BIN_FOLDER, f)));
      throw new Error(
        `CIFAR10: ${missing.join(', ')} not found in ${join(root, CIFAR10_BIN_FOLDER)}; ` +
          `${opts.download ? 'nothing is downloaded here: ' : ''}extract the binary version (cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar.html) into ${root}`,
      );
    }
    const batches = files.map((f) => parseCifarBatch(readFileSync(join(dir, f)), join(dir, f)));
    const count = batches.reduce((n, b) => n + b.count, 0);
    this.pixels = new Uint8Array(count * 3072);
    this.targets = [];
    let at = 0;
    for (const b of batches) {
      this.pixels.set(b.pixels, at * 3072);
      for (const l of b.labels) this.targets.push(l);
      at += b.count;
    }
  }

  get length(): number {
    return this.targets.length;
  }

  /** All images as a uint8 tensor [N, 32, 32, 3] (torchvision's `.data`), made on first use (and again if disposed). */
  get data(): Tensor {
    if (!this.dataTensor || this.dataTensor.isDisposed) {
      this.dataTensor = shaped(this.pixels, [this.targets.length, 32, 32, 3]);
    }
    return this.dataTensor;
  }

  protected rawImage(i: number): Image {
    return new Image(32, 32, 'RGB', this.pixels.slice(i * 3072, (i + 1) * 3072));
  }

  protected rawTarget(i: number): number {
    return this.targets[i];
  }
}
