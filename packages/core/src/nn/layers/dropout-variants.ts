// The dropout layers beside Dropout: channel-wise Dropout1d/2d/3d, AlphaDropout and
// FeatureAlphaDropout (PyTorch's _DropoutNd family). Identity in eval mode; masks from the
// seeded core generator.
import {
  notInplace,
  num,
  opt,
  type PosOrOpts,
  type Signature,
  signature,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import {
  alphaDropout,
  dropout1d,
  dropout2d,
  dropout3d,
  featureAlphaDropout,
} from '../functional/dropout-variants.js';
import { Module } from '../module.js';
import type { DropoutLayerOptions } from './dropout.js';

// PyTorch's nn.Dropout1d/… (p=0.5, inplace=False); `inplace` is accepted as false only.
const dropoutSignature = (owner: string): Signature =>
  signature(owner, [opt('p', num), opt('inplace', notInplace)]);
const SIGNATURES = {
  Dropout1d: dropoutSignature('Dropout1d'),
  Dropout2d: dropoutSignature('Dropout2d'),
  Dropout3d: dropoutSignature('Dropout3d'),
  AlphaDropout: dropoutSignature('AlphaDropout'),
  FeatureAlphaDropout: dropoutSignature('FeatureAlphaDropout'),
};

type Rest = PosOrOpts<[p: number, inplace: false], DropoutLayerOptions>;

/** PyTorch's `_DropoutNd`: the probability, its check and the repr. */
abstract class DropoutNd extends Module {
  /** Probability of zeroing an element (or a channel); the constructor throws outside [0, 1]. */
  readonly p: number;

  protected constructor(owner: keyof typeof SIGNATURES, rest: readonly unknown[]) {
    super();
    const p = SIGNATURES[owner].parse<DropoutLayerOptions>(rest).p ?? 0.5;
    if (!(p >= 0 && p <= 1))
      throw new Error(`${owner}: dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
  }

  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

/**
 * `torch.nn.Dropout1d`: zeroes whole channels of `(N, C, L)` (or `(C, L)`) input with
 * probability p in training, scaling the rest by 1/(1−p); output of the input's shape.
 */
export class Dropout1d extends DropoutNd {
  constructor(...rest: Rest) {
    super('Dropout1d', rest);
  }

  override forward(input: Tensor): Tensor {
    return dropout1d(input, this.p, this.training);
  }
}

/**
 * `torch.nn.Dropout2d`: zeroes whole channels of `(N, C, H, W)` input with probability p in
 * training, scaling the rest by 1/(1−p). As PyTorch 1.13, 3-D input is taken as `(N, C, L)`
 * (with its warning).
 *
 * ```ts
 * const drop = new nn.Dropout2d(0.2);
 * ```
 */
export class Dropout2d extends DropoutNd {
  constructor(...rest: Rest) {
    super('Dropout2d', rest);
  }

  override forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training);
  }
}

/**
 * `torch.nn.Dropout3d`: zeroes whole channels of `(N, C, D, H, W)` (or `(C, D, H, W)`) input with
 * probability p in training, scaling the rest by 1/(1−p).
 */
export class Dropout3d extends DropoutNd {
  constructor(...rest: Rest) {
    super('Dropout3d', rest);
  }

  override forward(input: Tensor): Tensor {
    return dropout3d(input, this.p, this.training);
  }
}

/**
 * `torch.nn.AlphaDropout`: dropout for SELU networks (keeps zero mean, unit variance); identity in eval
 * mode.
 */
export class AlphaDropout extends DropoutNd {
  constructor(...rest: Rest) {
    super('AlphaDropout', rest);
  }

  override forward(input: Tensor): Tensor {
    return alphaDropout(input, this.p, this.training);
  }
}

/**
 * `torch.nn.FeatureAlphaDropout`: alpha dropout of whole channels (one draw per (N, C)); identity in eval
 * mode.
 */
export class FeatureAlphaDropout extends DropoutNd {
  constructor(...rest: Rest) {
    super('FeatureAlphaDropout', rest);
  }

  override forward(input: Tensor): Tensor {
    return featureAlphaDropout(input, this.p, this.training);
  }
}
