// What torchvision's datasets share (VisionDataset): a transform for the image, one for the
// target, and items addressed by index (negative from the end).
import { data } from '@proj/core';

/** The `transform` / `targetTransform` options every dataset takes. */
export interface VisionDatasetOptions<In, X, Y> {
  /** Applied to each image (an {@link Image} unless a custom loader says otherwise). */
  transform?: ((img: In) => X) | null;
  /** Applied to each target (a class index). */
  targetTransform?: ((target: number) => Y) | null;
}

/**
 * Base of the datasets: `getItem(i)` is `[transform(image i), targetTransform(target i)]`,
 * with `i` in [-length, length). A subclass supplies `length`, `rawImage` and `rawTarget`.
 *
 * @example
 * ```ts
 * class Squares extends datasets.VisionDataset<Image, Tensor, number> {
 *   get length() { return 4; }
 *   protected rawImage(i: number) { return new Image(8, 8, 'L', new Uint8Array(64).fill(60 * i)); }
 *   protected rawTarget(i: number) { return i % 2; }
 * }
 * const ds = new Squares({ transform: transforms.ToTensor() });
 * const [x, y] = ds.getItem(-1); // x: [1, 8, 8] float32, y: 1
 * ```
 */
export abstract class VisionDataset<In, X, Y> extends data.Dataset<[X, Y]> {
  /** The image transform, or null. */
  readonly transform: ((img: In) => X) | null;
  /** The target transform, or null. */
  readonly targetTransform: ((target: number) => Y) | null;

  /** Keeps the transforms (each null when omitted: the raw value is returned). */
  constructor(opts: VisionDatasetOptions<In, X, Y>) {
    super();
    this.transform = opts.transform ?? null;
    this.targetTransform = opts.targetTransform ?? null;
  }

  /** The untransformed image at a checked index. */
  protected abstract rawImage(index: number): In;
  /** The target at a checked index. */
  protected abstract rawTarget(index: number): number;

  /**
   * `[transform(image), targetTransform(target)]` of item `index` (negative counts from the end).
   *
   * @throws Error if `index` is not an integer in [-length, length).
   */
  getItem(index: number): [X, Y] {
    const n = this.length;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new Error(`${this.constructor.name}: index ${index} is out of range for ${n} items`);
    }
    const i = index < 0 ? index + n : index;
    const img = this.rawImage(i);
    const target = this.rawTarget(i);
    return [
      this.transform ? this.transform(img) : (img as unknown as X),
      this.targetTransform ? this.targetTransform(target) : (target as unknown as Y),
    ];
  }
}
