// torchvision.models.resnet18 (torchvision/models/resnet.py, BasicBlock only), ported line by
// line: the same modules in the same order, hence PyTorch's state-dict keys, and the same
// initialisation (Kaiming normal, fan_out, for convolutions; BatchNorm weight 1, bias 0).
import { nn, type Tensor } from '@proj/core';

/** 3x3 convolution with padding. */
function conv3x3(inPlanes: number, outPlanes: number, stride = 1, groups = 1, dilation = 1): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 3, {
    stride,
    padding: dilation,
    groups,
    bias: false,
    dilation,
  });
}

/** 1x1 convolution. */
function conv1x1(inPlanes: number, outPlanes: number, stride = 1): nn.Conv2d {
  return new nn.Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });
}

/** ResNet's basic block: two 3x3 convolutions and a shortcut. */
export class BasicBlock extends nn.Module {
  static expansion = 1;
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  relu: nn.ReLU;
  conv2: nn.Conv2d;
  bn2: nn.BatchNorm2d;
  downsample: nn.Module | null;
  stride: number;

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

/** torchvision's ResNet with basic blocks. */
export class ResNet extends nn.Module {
  inplanes = 64;
  dilation = 1;
  conv1: nn.Conv2d;
  bn1: nn.BatchNorm2d;
  relu: nn.ReLU;
  maxpool: nn.MaxPool2d;
  layer1: nn.Sequential;
  layer2: nn.Sequential;
  layer3: nn.Sequential;
  layer4: nn.Sequential;
  avgpool: nn.AdaptiveAvgPool2d;
  fc: nn.Linear;

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

    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        nn.init.kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      } else if (m instanceof nn.BatchNorm2d) {
        nn.init.constant_(m.weight as Tensor, 1);
        nn.init.constant_(m.bias as Tensor, 0);
      }
    }
  }

  private makeLayer(planes: number, blocks: number, stride = 1): nn.Sequential {
    let downsample: nn.Module | null = null;
    if (stride !== 1 || this.inplanes !== planes * BasicBlock.expansion) {
      downsample = new nn.Sequential(
        conv1x1(this.inplanes, planes * BasicBlock.expansion, stride),
        new nn.BatchNorm2d(planes * BasicBlock.expansion),
      );
    }

    const layers: nn.Module[] = [];
    layers.push(new BasicBlock(this.inplanes, planes, stride, downsample));
    this.inplanes = planes * BasicBlock.expansion;
    for (let i = 1; i < blocks; i++) layers.push(new BasicBlock(this.inplanes, planes));

    return new nn.Sequential(...layers);
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

/** `torchvision.models.resnet18(weights=None)`: no pretrained weights are shipped. */
export function resnet18(opts: { weights?: null; numClasses?: number } = {}): ResNet {
  if (opts.weights !== undefined && opts.weights !== null) {
    throw new Error('resnet18: pretrained weights are not available here (pass weights: null)');
  }
  return new ResNet([2, 2, 2, 2], opts.numClasses ?? 1000);
}
