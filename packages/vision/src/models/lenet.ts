// LeNet-5 (LeCun et al. 1998) as PyTorch's tutorials write it: ReLU and max pooling in place
// of the original's scaled tanh and subsampling.
import { nn, type Tensor } from '@proj/core';

/** Options of {@link LeNet5} and {@link lenet5}. */
export interface LeNet5Options {
  /** Input channels (default 1). */
  inChannels?: number;
  /** Output classes (default 10). */
  numClasses?: number;
  /**
   * Input height and width: 28 (MNIST, default: the first convolution pads by 2, which
   * makes the 32x32 of the original) or 32 (no padding).
   */
  inputSize?: 28 | 32;
}

/**
 * LeNet-5: two 5x5 convolutions (6 and 16 channels), each followed by ReLU and 2x2 max
 * pooling, then 400 → 120 → 84 → classes with ReLU between. 61,706 parameters for MNIST.
 *
 * The PyTorch module with the same state-dict keys (`conv1.weight` … `fc3.bias`):
 * ```python
 * class LeNet5(nn.Module):
 *     def __init__(self, in_channels=1, num_classes=10, input_size=28):
 *         super().__init__()
 *         self.conv1 = nn.Conv2d(in_channels, 6, 5, padding=2 if input_size == 28 else 0)
 *         self.conv2 = nn.Conv2d(6, 16, 5)
 *         self.fc1 = nn.Linear(16 * 5 * 5, 120)
 *         self.fc2 = nn.Linear(120, 84)
 *         self.fc3 = nn.Linear(84, num_classes)
 *     def forward(self, x):
 *         x = F.max_pool2d(F.relu(self.conv1(x)), 2)
 *         x = F.max_pool2d(F.relu(self.conv2(x)), 2)
 *         x = torch.flatten(x, 1)
 *         return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
 * ```
 */
export class LeNet5 extends nn.Module {
  /** 5x5 convolution to 6 channels. */
  conv1: nn.Conv2d;
  /** 5x5 convolution to 16 channels. */
  conv2: nn.Conv2d;
  /** 400 → 120. */
  fc1: nn.Linear;
  /** 120 → 84. */
  fc2: nn.Linear;
  /** 84 → classes. */
  fc3: nn.Linear;

  /**
   * See {@link LeNet5Options} for the defaults (MNIST: 1 channel, 10 classes, 28x28).
   *
   * @throws Error if `inputSize` is neither 28 nor 32.
   */
  constructor(opts: LeNet5Options = {}) {
    super();
    const { inChannels = 1, numClasses = 10, inputSize = 28 } = opts;
    if (inputSize !== 28 && inputSize !== 32)
      throw new Error(`LeNet5: inputSize must be 28 or 32, got ${inputSize}`);
    this.conv1 = new nn.Conv2d(inChannels, 6, 5, { padding: inputSize === 28 ? 2 : 0 });
    this.conv2 = new nn.Conv2d(6, 16, 5);
    this.fc1 = new nn.Linear(16 * 5 * 5, 120);
    this.fc2 = new nn.Linear(120, 84);
    this.fc3 = new nn.Linear(84, numClasses);
  }

  override forward(x: Tensor): Tensor {
    const F = nn.functional;
    let y = F.maxPool2d(this.conv1.forward(x).relu(), 2);
    y = F.maxPool2d(this.conv2.forward(y).relu(), 2).flatten(1);
    return this.fc3.forward(this.fc2.forward(this.fc1.forward(y).relu()).relu());
  }
}

/**
 * LeNet-5 for 28x28 (default) or 32x32 images; see {@link LeNet5}.
 *
 * ```ts
 * const net = models.lenet5();            // MNIST: [B, 1, 28, 28] → [B, 10]
 * const cifar = models.lenet5({ inChannels: 3, inputSize: 32 });
 * ```
 */
export function lenet5(opts: LeNet5Options = {}): LeNet5 {
  return new LeNet5(opts);
}
