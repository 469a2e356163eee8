// The ResNets of He et al. for 32x32 images (CIFAR-10: 6n + 2 layers in three stages of 16, 32
// and 64 channels), built from torchvision's BasicBlock so the state-dict keys follow
// torchvision's naming (conv1, bn1, layer1..3, fc).
import { nn, type Tensor } from '@proj/core';
import { BasicBlock, conv3x3, initResNet, makeLayer } from './resnet.js';

/** Options of {@link CifarResNet}, {@link resnet8} and {@link resnet20}. */
export interface CifarResNetOptions {
  /** Output classes (default 10). */
  numClasses?: number;
  /** Input channels: 3 for CIFAR-10 (default), 1 for MNIST. */
  inChannels?: number;
}

/**
 * A ResNet for small images (28x28 or 32x32): a 3x3 stem of 16 channels, three stages of
 * basic blocks with 16, 32 and 64 channels (the last two halving the resolution), global
 * average pooling and a linear classifier. `layers` gives the blocks per stage.
 *
 * The PyTorch module with the same state-dict keys:
 * ```python
 * class CifarResNet(nn.Module):  # torchvision.models.resnet's BasicBlock and _make_layer
 *     def __init__(self, layers, num_classes=10, in_channels=3):
 *         super().__init__()
 *         self.inplanes = 16
 *         self.conv1 = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
 *         self.bn1 = nn.BatchNorm2d(16)
 *         self.relu = nn.ReLU(inplace=True)
 *         self.layer1 = self._make_layer(BasicBlock, 16, layers[0])
 *         self.layer2 = self._make_layer(BasicBlock, 32, layers[1], stride=2)
 *         self.layer3 = self._make_layer(BasicBlock, 64, layers[2], stride=2)
 *         self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
 *         self.fc = nn.Linear(64, num_classes)
 *     def forward(self, x):
 *         x = self.relu(self.bn1(self.conv1(x)))
 *         x = self.layer3(self.layer2(self.layer1(x)))
 *         return self.fc(torch.flatten(self.avgpool(x), 1))
 * ```
 */
export class CifarResNet extends nn.Module {
  /** The stem: a 3x3 convolution to 16 channels. */
  conv1: nn.Conv2d;
  /** Batch norm of the stem. */
  bn1: nn.BatchNorm2d;
  /** The ReLU after the stem (blocks have their own). */
  relu: nn.ReLU;
  /** Stage 1: 16 channels at full resolution. */
  layer1: nn.Sequential;
  /** Stage 2: 32 channels at half resolution. */
  layer2: nn.Sequential;
  /** Stage 3: 64 channels at a quarter resolution. */
  layer3: nn.Sequential;
  /** Global average pooling. */
  avgpool: nn.AdaptiveAvgPool2d;
  /** The classifier: 64 → classes. */
  fc: nn.Linear;

  /**
   * `layers`: the basic blocks of each stage (`[1, 1, 1]` is {@link resnet8}, `[3, 3, 3]`
   * {@link resnet20}; n blocks per stage make 6n + 2 layers).
   *
   * @throws Error if `layers` is not three positive integers.
   */
  constructor(layers: readonly [number, number, number], opts: CifarResNetOptions = {}) {
    super();
    const { numClasses = 10, inChannels = 3 } = opts;
    if (!Array.isArray(layers) || layers.length !== 3 || layers.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new Error(
        `CifarResNet: layers must be three positive block counts, got ${JSON.stringify(layers)}`,
      );
    }
    this.conv1 = conv3x3(inChannels, 16);
    this.bn1 = new nn.BatchNorm2d(16);
    this.relu = new nn.ReLU();
    this.layer1 = makeLayer(16, 16, layers[0]);
    this.layer2 = makeLayer(16 * BasicBlock.expansion, 32, layers[1], 2);
    this.layer3 = makeLayer(32 * BasicBlock.expansion, 64, layers[2], 2);
    this.avgpool = new nn.AdaptiveAvgPool2d([1, 1]);
    this.fc = new nn.Linear(64 * BasicBlock.expansion, numClasses);
    initResNet(this);
  }

  override forward(x: Tensor): Tensor {
    let y = this.relu.forward(this.bn1.forward(this.conv1.forward(x)));
    y = this.layer3.forward(this.layer2.forward(this.layer1.forward(y)));
    return this.fc.forward(this.avgpool.forward(y).flatten(1));
  }
}

/**
 * ResNet-8 for 28x28 or 32x32 images: one basic block per stage (78k parameters with 3 input
 * channels). Quick to train on the CPU backend.
 *
 * ```ts
 * const net = models.resnet8({ inChannels: 1 }); // MNIST
 * ```
 */
export function resnet8(opts: CifarResNetOptions = {}): CifarResNet {
  return new CifarResNet([1, 1, 1], opts);
}

/**
 * ResNet-20 of He et al. for CIFAR-10: three basic blocks per stage (0.27M parameters).
 *
 * ```ts
 * const net = models.resnet20(); // CIFAR-10: [B, 3, 32, 32] → [B, 10]
 * ```
 */
export function resnet20(opts: CifarResNetOptions = {}): CifarResNet {
  return new CifarResNet([3, 3, 3], opts);
}
