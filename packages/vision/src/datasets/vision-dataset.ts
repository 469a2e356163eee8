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
 * with `i` in [-length, length).
 */
export abstract class VisionDataset<In, X, Y> extends data.Dataset<[X, Y]> {
  /** The image transform, or null. */
  readonly transform: ((img: In) => X) | null;
  /** The target transform, or null. */
  readonly targetTransform: ((target: number) => Y) | null;

  constructor(opts: VisionDatasetOptions<In, X, Y>) {
    super();
    this.transform = opts.transform ?? null;
    this.targetTransform = opts.targetTransform ?? null;
  }

  /** The untransformed image at a checked index. */
  protected abstract rawImage(index: number): In;
  /** The target at a checked index. */
  protected abstract rawTarget(index: number): number;

  /** `[transform(image), targetTransform(target)]` of item `index` (negative counts from the end). */
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
