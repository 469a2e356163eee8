// transforms.RandomHorizontalFlip and RandomVerticalFlip.

import { defaultGenerator } from '@proj/core';
import { hflip, vflip } from './functional/flip.js';
import type { RandomOptions } from './random.js';
import { type ImageLike, type Transform, withRepr } from './transform.js';

function checkP(op: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`${op}: p must be a probability in [0, 1], got ${p}`);
}

/**
 * `transforms.RandomHorizontalFlip(p = 0.5)`: mirrors the image left to right with
 * probability `p` (one draw from core's seeded generator, or `opts.generator`, per call).
 *
 * @throws Error if `p` is not in [0, 1].
 *
 * @example
 * ```ts
 * const augment = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()]);
 * ```
 */
export function RandomHorizontalFlip(p = 0.5, opts: RandomOptions = {}): Transform<ImageLike, ImageLike> {
  checkP('RandomHorizontalFlip', p);
  const g = opts.generator ?? defaultGenerator;
  return withRepr(
    <T extends ImageLike>(img: T): T => (g.random() < p ? hflip(img) : img),
    `RandomHorizontalFlip(p=${p})`,
  );
}

/**
 * `transforms.RandomVerticalFlip(p = 0.5)`: turns the image upside down with probability `p`
 * (one draw from core's seeded generator, or `opts.generator`, per call).
 *
 * @throws Error if `p` is not in [0, 1].
 */
export function RandomVerticalFlip(p = 0.5, opts: RandomOptions = {}): Transform<ImageLike, ImageLike> {
  checkP('RandomVerticalFlip', p);
  const g = opts.generator ?? defaultGenerator;
  return withRepr(
    <T extends ImageLike>(img: T): T => (g.random() < p ? vflip(img) : img),
    `RandomVerticalFlip(p=${p})`,
  );
}
