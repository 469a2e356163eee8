// VGG (Simonyan & Zisserman) with torchvision's module layout (features, avgpool, classifier)
// and make_layers, sized for 28x28 and 32x32 images by default.
import { nn, type Tensor } from '@proj/core';

/** A VGG configuration: output channels of each 3x3 convolution, 'M' for a 2x2 max pooling. */
export type VggConfig = readonly (number | 'M')[];

/** The default configuration of {@link vgg}: three stages of two convolutions (32, 64, 128 channels). */
export const VGG_SMALL: VggConfig = [32, 32, 'M', 64, 64, 'M', 128, 128, 'M'];

/**
 * torchvision's `make_layers(cfg, batch_norm)`: 3x3 convolutions (padding 1), each followed by
 * batch norm (optionally) and ReLU, with max pooling at each 'M'. `inChannels` is the input's
 * channel count (default 3).
 *
 * @throws Error if an entry of `cfg` is neither a positive integer nor 'M'.
 *
 * @example
 * ```ts
 * const features = models.makeLayers([64, 'M', 128, 'M'], true, 1); // [B, 1, 28, 28] → [B, 128, 7, 7]
 * ```
 */
export function makeLayers(cfg: VggConfig, batchNorm = false, inChannels = 3): nn.Sequential {
  const layers: nn.Module[] = [];
  let c = inChannels;
  for (const v of cfg) {
    if (v === 'M') {
      layers.push(new nn.MaxPool2d(2, { stride: 2 }));
      continue;
    }
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`makeLayers: channels must be positive integers or 'M', got ${v}`);
    layers.push(new nn.Conv2d(c, v, 3, { padding: 1 }));
    if (batchNorm) layers.push(new nn.BatchNorm2d(v));
    layers.push(new nn.ReLU());
    c = v;
  }
  return new nn.Sequential(...layers);
}

/** Options of {@link VGG}. */
export interface VggOptions {
  /** Output classes (default 1000, as torchvision). */
  numClasses?: number;
  /** Channels out of `features` (default 512, as torchvision). */
  featureChannels?: number;
  /** Side of the adaptive average pooling before the classifier (default 7, as torchvision). */
  poolSize?: number;
  /** Units of the two hidden layers of the classifier (default 4096, as torchvision). */
  hidden?: number;
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
  /** torchvision's initialisation (default true): Kaiming normal convolutions, N(0, 0.01) linears, zero biases. */
  initWeights?: boolean;
}

/**
 * torchvision's VGG: `features` (from {@link makeLayers}), `avgpool` (adaptive, `poolSize`
 * square) and `classifier` (Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear), so the
 * state-dict keys are torchvision's (`features.0.weight`, `classifier.6.bias`, …).
 */
export class VGG extends nn.Module {
  /** The convolution stages ({@link makeLayers}). */
  features: nn.Sequential;
  /** Adaptive average pooling to `poolSize` x `poolSize`. */
  avgpool: nn.AdaptiveAvgPool2d;
  /** Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear. */
  classifier: nn.Sequential;

  /**
   * A VGG over `features`, whose output must have `opts.featureChannels` channels (default 512).
   *
   * @example
   * ```ts
   * // torchvision's vgg11_bn (untrained)
   * const cfg: models.VggConfig = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'];
   * const net = new models.VGG(models.makeLayers(cfg, true));
   * ```
   */
  constructor(features: nn.Sequential, opts: VggOptions = {}) {
    super();
    const { numClasses = 1000, featureChannels = 512, poolSize = 7, hidden = 4096, dropout = 0.5 } = opts;
    this.features = features;
    this.avgpool = new nn.AdaptiveAvgPool2d([poolSize, poolSize]);
    this.classifier = new nn.Sequential(
      new nn.Linear(featureChannels * poolSize * poolSize, hidden),
      new nn.ReLU(),
      new nn.Dropout(dropout),
      new nn.Linear(hidden, hidden),
      new nn.ReLU(),
      new nn.Dropout(dropout),
      new nn.Linear(hidden, numClasses),
    );
    if (opts.initWeights ?? true) {
      for (const m of this.modules()) {
        if (m instanceof nn.Conv2d) {
          nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
          if (m.bias) nn.init.constant_(m.bias, 0);
        } else if (m instanceof nn.BatchNorm2d) {
          nn.init.constant_(m.weight as Tensor, 1);
          nn.init.constant_(m.bias as Tensor, 0);
        } else if (m instanceof nn.Linear) {
          nn.init.normal_(m.weight, 0, 0.01);
          if (m.bias) nn.init.constant_(m.bias, 0);
        }
      }
    }
  }

  override forward(x: Tensor): Tensor {
    const y = this.avgpool.forward(this.features.forward(x)).flatten(1);
    return this.classifier.forward(y);
  }
}

/** Options of {@link vgg}. */
export interface SmallVggOptions {
  /** The convolution stages (default {@link VGG_SMALL}). */
  cfg?: VggConfig;
  /** Batch norm after each convolution (default true). */
  batchNorm?: boolean;
  /** Input channels (default 3; 1 for MNIST). */
  inChannels?: number;
  /** Output classes (default 10). */
  numClasses?: number;
  /** Units of the classifier's hidden layers (default 256). */
  hidden?: number;
  /** Dropout in the classifier (default 0.5). */
  dropout?: number;
}

/**
 * A small VGG-style network for 28x28 or 32x32 images: {@link VGG_SMALL}'s three stages of
 * two 3x3 convolutions (32, 64, 128 channels) with batch norm, global average pooling
 * (`poolSize` 1) and a 128 → 256 → 256 → classes classifier. The same module in PyTorch is
 * torchvision's `VGG(make_layers(cfg, batch_norm=True), num_classes=10)` with
 * `avgpool = nn.AdaptiveAvgPool2d((1, 1))` and the classifier's sizes changed to these
 * (`make_layers` starting from `in_channels`).
 *
 * @throws Error if `cfg` has no convolution or an entry that is neither a positive integer nor 'M'.
 *
 * ```ts
 * const net = models.vgg({ numClasses: 10 }); // CIFAR-10: [B, 3, 32, 32] → [B, 10]
 * ```
 */
export function vgg(opts: SmallVggOptions = {}): VGG {
  const {
    cfg = VGG_SMALL,
    batchNorm = true,
    inChannels = 3,
    numClasses = 10,
    hidden = 256,
    dropout = 0.5,
  } = opts;
  const last = [...cfg].reverse().find((v) => v !== 'M');
  if (typeof last !== 'number')
    throw new Error(`vgg: cfg needs at least one convolution, got ${JSON.stringify(cfg)}`);
  return new VGG(makeLayers(cfg, batchNorm, inChannels), {
    numClasses,
    featureChannels: last,
    poolSize: 1,
    hidden,
    dropout,
  });
}
