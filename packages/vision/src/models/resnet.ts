// torchvision.models.resnet18 (torchvision/models/resnet.py, BasicBlock only), ported line by
// line: the same modules in the same order, hence PyTorch's state-dict keys, and the same
// initialisation (Kaiming normal, fan_out, for convolutions; BatchNorm weight 1, bias 0).
import { nn, type Tensor } from '@proj/core';

/** torchvision's `conv3x3`: a 3x3 convolution with padding, without bias. */
export function conv3x3(
  inPlanes: number,
  outPlanes: number,
  stride = 1,
  groups = 1,
  dilation = 1,
): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 3, {
    stride,
    padding: dilation,
    groups,
    bias: false,
    dilation,
  });
}

/** torchvision's `conv1x1`: a 1x1 convolution without bias. */
export function conv1x1(inPlanes: number, outPlanes: number, stride = 1): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });
}

/**
 * ResNet's basic block: two 3x3 convolutions with batch norm and a shortcut (through
 * `downsample` when the shape changes), as torchvision's `BasicBlock`.
 */
export class BasicBlock extends nn.Module {
  /** Output channels per `planes` (1 for the basic block). */
  static expansion = 1;
  /** The first 3x3 convolution (with the block's stride). */
  conv1: nn.Conv2d;
  /** Batch norm after conv1. */
  bn1: nn.BatchNorm2d;
  /** The ReLU used after bn1 and after the sum. */
  relu: nn.ReLU;
  /** The second 3x3 convolution. */
  conv2: nn.Conv2d;
  /** Batch norm after conv2. */
  bn2: nn.BatchNorm2d;
  /** The shortcut's 1x1 convolution and batch norm when the shape changes, else null (identity). */
  downsample: nn.Module | null;
  /** The stride of conv1. */
  stride: number;

  /**
   * A block from `inplanes` to `planes` channels; `stride` 2 halves the resolution, and then
   * (or when the channels change) `downsample` must map the input to the output's shape.
   */
  constructor(inplanes: number, planes: number, stride = 1, downsample: nn.Module | null = null) {
    super();
    // Both self.conv1 and self.downsample layers downsample the input when stride != 1
    this.conv1 = conv3x3(inplanes, planes, stride);
    this.bn1 = new nn.BatchNorm2d(planes);
    this.relu = new nn.ReLU(); // inplace=True is refused here (in-place activations are not supported); same numbers
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new nn.BatchNorm2d(planes);
    this.downsample = downsample;
    this.stride = stride;
  }

  override forward(x: Tensor): Tensor {
    let identity = x;

    let out = this.conv1.forward(x);
    out = this.bn1.forward(out);
    out = this.relu.forward(out);

    out = this.conv2.forward(out);
    out = this.bn2.forward(out);

    if (this.downsample !== null) identity = this.downsample.forward(x);

    out.add_(identity);
    out = this.relu.forward(out);

    return out;
  }
}

/**
 * torchvision's `_make_layer` for basic blocks: `blocks` blocks of `planes` channels, the first
 * with `stride` and, when the shape changes, a 1x1 convolution + batch norm shortcut.
 */
export function makeLayer(inplanes: number, planes: number, blocks: number, stride = 1): nn.Sequential {
  let downsample: nn.Module | null = null;
  if (stride !== 1 || inplanes !== planes * BasicBlock.expansion) {
    downsample = new nn.Sequential(
      conv1x1(inplanes, planes * BasicBlock.expansion, stride),
      new nn.BatchNorm2d(planes * BasicBlock.expansion),
    );
  }
  const layers: nn.Module[] = [new BasicBlock(inplanes, planes, stride, downsample)];
  for (let i = 1; i < blocks; i++) layers.push(new BasicBlock(planes * BasicBlock.expansion, planes));
  return new nn.Sequential(...layers);
}

/** torchvision's initialisation: Kaiming normal (fan_out) convolutions, batch norms weight 1 and bias 0. */
export function initResNet(m: nn.Module): void {
  for (const sub of m.modules()) {
    if (sub instanceof nn.Conv2d) {
      nn.init.kaimingNormal_(sub.weight, { mode: 'fan_out', nonlinearity: 'relu' });
    } else if (sub instanceof nn.BatchNorm2d) {
      nn.init.constant_(sub.weight as Tensor, 1);
      nn.init.constant_(sub.bias as Tensor, 0);
    }
  }
}

/**
 * torchvision's ResNet with basic blocks, for 224x224 ImageNet images (a 7x7 stride-2 stem and
 * max pooling): `resnet18`. For 28x28 and 32x32 images see {@link CifarResNet}.
 */
export class ResNet extends nn.Module {
  /** Channels into the next stage while building (torchvision's `inplanes`). */
  inplanes = 64;
  /** torchvision's `dilation` (always 1 here: no dilated stages). */
  dilation = 1;
  /** The stem: a 7x7 stride-2 convolution to 64 channels. */
  conv1: nn.Conv2d;
  /** Batch norm of the stem. */
  bn1: nn.BatchNorm2d;
  /** The ReLU after the stem. */
  relu: nn.ReLU;
  /** 3x3 stride-2 max pooling after the stem. */
  maxpool: nn.MaxPool2d;
  /** Stage 1: 64 channels. */
  layer1: nn.Sequential;
  /** Stage 2: 128 channels, stride 2. */
  layer2: nn.Sequential;
  /** Stage 3: 256 channels, stride 2. */
  layer3: nn.Sequential;
  /** Stage 4: 512 channels, stride 2. */
  layer4: nn.Sequential;
  /** Global average pooling. */
  avgpool: nn.AdaptiveAvgPool2d;
  /** The classifier: 512 → classes. */
  fc: nn.Linear;

  /**
   * `layers`: the basic blocks of each of the four stages (`[2, 2, 2, 2]` is ResNet-18);
   * `numClasses`: outputs of `fc` (default 1000, ImageNet's). Input: [B, 3, H, W].
   */
  constructor(layers: readonly [number, number, number, number], numClasses = 1000) {
    super();
    this.conv1 = new nn.Conv2d(3, this.inplanes, 7, { stride: 2, padding: 3, bias: false });
    this.bn1 = new nn.BatchNorm2d(this.inplanes);
    this.relu = new nn.ReLU(); // inplace=True is refused here (in-place activations are not supported); same numbers
    this.maxpool = new nn.MaxPool2d(3, { stride: 2, padding: 1 });
    this.layer1 = this.makeLayer(64, layers[0]);
    this.layer2 = this.makeLayer(128, layers[1], 2);
    this.layer3 = this.makeLayer(256, layers[2], 2);
    this.layer4 = this.makeLayer(512, layers[3], 2);
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.fc = new nn.Linear(512 * BasicBlock.expansion, numClasses);
    initResNet(this);
  }

  private makeLayer(planes: number, blocks: number, stride = 1): nn.Sequential {
    const layer = makeLayer(this.inplanes, planes, blocks, stride);
    this.inplanes = planes * BasicBlock.expansion;
    return layer;
  }

  override forward(x: Tensor): Tensor {
    x = this.conv1.forward(x);
    x = this.bn1.forward(x);
    x = this.relu.forward(x);
    x = this.maxpool.forward(x);

    x = this.layer1.forward(x);
    x = this.layer2.forward(x);
    x = this.layer3.forward(x);
    x = this.layer4.forward(x);

    x = this.avgpool.forward(x);
    x = x.flatten(1);
    x = this.fc.forward(x);

    return x;
  }
}

/**
 * `torchvision.models.resnet18(weights=None)`: 11.7M parameters, state-dict keys as
 * torchvision's, so its ImageNet weights load with `loadStateDict` (none are shipped here).
 * `opts.numClasses` sets the classifier's outputs (default 1000); `opts.weights` only accepts
 * null (torchvision's `weights=None`).
 *
 * @throws Error if `opts.weights` is anything but null or undefined.
 *
 * ```ts
 * const net = models.resnet18({ numClasses: 10 }); // [B, 3, 224, 224] → [B, 10]
 * ```
 */
export function resnet18(opts: { weights?: null; numClasses?: number } = {}): ResNet {
  if (opts.weights !== undefined && opts.weights !== null) {
    throw new Error('resnet18: pretrained weights are not available here (pass weights: null)');
  }
  return new ResNet([2, 2, 2, 2], opts.numClasses ?? 1000);
}
