// PyTorch's examples/siamese_network/main.py, ported line by line: a ResNet-18 (first conv
// replaced for 1-channel MNIST, last layer removed) embeds both images of a pair; a
// Linear-ReLU-Linear head on the concatenated features and a sigmoid say whether the two
// digits are the same; BCELoss, Adadelta(lr=1.0), StepLR(gamma=0.7). Pairs come from
// APP_MATCHER: even indices a same-class pair, odd indices a different-class pair, drawn with
// Python's `random` (reproduced bit for bit; the original leaves it unseeded, `--pair-seed`,
// ours, seeds it). Ours too: `--limit N` / `--test-limit N` use the first N pairs.
import { cat, data, manualSeed, nn, noGrad, optim, type Tensor, tensor, tidy, where } from '@proj/core';
import '@proj/backend-cpu';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveSync } from '@proj/core/node';
import { datasets, models } from '@proj/vision/node';
import { OUT_DIR } from '../../out.js';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { enumerate, freeing, len, type RunOptions, range } from '../../pytorch/builtins.js';
import { random } from '../../pytorch/python-random.js';

const { StepLR } = optim.lrScheduler;

/**
 * Siamese network for image similarity estimation.
 * The network is composed of two identical networks, one for each input.
 * The output of each network is concatenated and passed to a linear layer.
 * The output of the linear layer passed through a sigmoid function.
 * `"FaceNet" <https://arxiv.org/pdf/1503.03832.pdf>`_ is a variant of the Siamese network.
 * This implementation varies from FaceNet as we use the `ResNet-18` model from
 * `"Deep Residual Learning for Image Recognition" <https://arxiv.org/pdf/1512.03385.pdf>`_ as our feature extractor.
 * In addition, we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
 */
export class SiameseNetwork extends nn.Module {
  resnet: nn.Module;
  fcInFeatures: number;
  fc: nn.Sequential;
  sigmoid: nn.Sigmoid;

  constructor() {
    super();
    // get resnet model
    this.resnet = models.resnet18({ weights: null });

    // over-write the first conv layer to be able to read MNIST images
    // as resnet18 reads (3,x,x) where 3 is RGB channels
    // whereas MNIST has (1,x,x) where 1 is a gray-scale channel
    (this.resnet as models.ResNet).conv1 = new nn.Conv2d(1, 64, [7, 7], {
      stride: [2, 2],
      padding: [3, 3],
      bias: false,
    });
    this.fcInFeatures = (this.resnet as models.ResNet).fc.inFeatures;

    // remove the last layer of resnet18 (linear layer which is before avgpool layer)
    this.resnet = new nn.Sequential(...this.resnet.children().slice(0, -1));

    // add linear layers to compare between the features of the two images
    this.fc = new nn.Sequential(
      new nn.Linear(this.fcInFeatures * 2, 256),
      new nn.ReLU(), // inplace=True: in-place activations are refused here (same numbers)
      new nn.Linear(256, 1),
    );

    this.sigmoid = new nn.Sigmoid();

    // initialize the weights
    this.resnet.apply((m) => this.initWeights(m));
    this.fc.apply((m) => this.initWeights(m));
  }

  initWeights(m: nn.Module): void {
    if (m instanceof nn.Linear) {
      nn.init.xavierUniform_(m.weight);
      m.bias!.detach().fill_(0.01); // m.bias.data.fill_(0.01): .data is detach() here
    }
  }

  forwardOnce(x: Tensor): Tensor {
    let output = this.resnet.forward(x) as Tensor;
    output = output.view(output.size(0), -1);
    return output;
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    // get two images' features
    const output1 = this.forwardOnce(input1);
    const output2 = this.forwardOnce(input2);

    // concatenate both images' features
    let output = cat([output1, output2], 1);

    // pass the concatenation to the linear layers
    output = this.fc.forward(output);

    // pass the out of the linear layers to sigmoid layer
    output = this.sigmoid.forward(output);

    return output;
  }
}

export class APP_MATCHER extends data.Dataset<[Tensor, Tensor, Tensor]> {
  dataset: datasets.MNIST;
  data: Tensor;
  groupedExamples: Record<number, number[]> = {};

  constructor(root: string, train: boolean, download = false) {
    super();

    // get MNIST dataset
    this.dataset = new datasets.MNIST(root, { train, download });

    // as `self.dataset.data`'s shape is (Nx28x28), where N is the number of
    // examples in MNIST dataset, a single example has the dimensions of
    // (28x28) for (WxH), where W and H are the width and the height of the image.
    // However, every example should have (CxWxH) dimensions where C is the number
    // of channels to be passed to the network. As MNIST contains gray-scale images,
    // we add an additional dimension to corresponds to the number of channels.
    this.data = this.dataset.data.unsqueeze(1).clone();

    this.groupExamples();
  }

  /**
   * To ease the accessibility of data based on the class, we will use `group_examples` to group
   * examples based on class. Every key in `grouped_examples` corresponds to a class in MNIST
   * dataset. For every key in `grouped_examples`, every value will conform to all of the indices
   * for the MNIST dataset examples that correspond to that key.
   */
  groupExamples(): void {
    // get the targets from MNIST dataset
    const npArr = this.dataset.targets.clone().toArray() as number[]; // np.array(self.dataset.targets.clone())

    // group examples based on class
    this.groupedExamples = {};
    for (const i of range(0, 10)) {
      this.groupedExamples[i] = npArr.flatMap((t, k) => (t === i ? [k] : [])); // np.where(np_arr == i)[0]
    }
  }

  get length(): number {
    return this.data.shape[0];
  }

  /**
   * For every example, we will select two images. There are two cases, positive and negative
   * examples. For positive examples, we will have two images from the same class. For negative
   * examples, we will have two images from different classes. Given an index, if the index is
   * even, we will pick the second image from the same class, but it won't be the same image we
   * chose for the first class. If the index is odd, we will pick the second image from a
   * different class than the first image.
   */
  getItem(index: number): [Tensor, Tensor, Tensor] {
    // pick some random class for the first image
    const selectedClass = random.randint(0, 9);

    // pick a random index for the first image in the grouped indices based of the label
    // of the class
    const randomIndex1 = random.randint(0, this.groupedExamples[selectedClass].length - 1);

    // pick the index to get the first image
    const index1 = this.groupedExamples[selectedClass][randomIndex1];

    // get the first image
    const image1 = this.data.index(index1).clone().float();

    let image2: Tensor;
    let target: Tensor;
    // same class
    if (index % 2 === 0) {
      // pick a random index for the second image
      let randomIndex2 = random.randint(0, this.groupedExamples[selectedClass].length - 1);

      // ensure that the index of the second image isn't the same as the first image
      while (randomIndex2 === randomIndex1) {
        randomIndex2 = random.randint(0, this.groupedExamples[selectedClass].length - 1);
      }

      // pick the index to get the second image
      const index2 = this.groupedExamples[selectedClass][randomIndex2];

      // get the second image
      image2 = this.data.index(index2).clone().float();

      // set the label for this example to be positive (1)
      target = tensor(1, { dtype: 'float32' });
    }
    // different class
    else {
      // pick a random class
      let otherSelectedClass = random.randint(0, 9);

      // ensure that the class of the second image isn't the same as the first image
      while (otherSelectedClass === selectedClass) otherSelectedClass = random.randint(0, 9);

      // pick a random index for the second image in the grouped indices based of the label
      // of the class
      const randomIndex2 = random.randint(0, this.groupedExamples[otherSelectedClass].length - 1);

      // pick the index to get the second image
      const index2 = this.groupedExamples[otherSelectedClass][randomIndex2];

      // get the second image
      image2 = this.data.index(index2).clone().float();

      // set the label for this example to be negative (0)
      target = tensor(0, { dtype: 'float32' });
    }

    return [image1, image2, target];
  }
}

interface Args {
  batchSize: number;
  testBatchSize: number;
  epochs: number;
  lr: number;
  gamma: number;
  noAccel: boolean;
  dryRun: boolean;
  seed: number;
  logInterval: number;
  saveModel: boolean;
  limit: number | null;
  testLimit: number | null;
  pairSeed: number | null;
}

type Loader = data.DataLoader<[Tensor, Tensor, Tensor], [Tensor, Tensor, Tensor]>;

function train(
  args: Args,
  model: SiameseNetwork,
  device: string,
  trainLoader: Loader,
  optimizer: optim.Optimizer,
  epoch: number,
) {
  model.train();

  // we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
  const criterion = new nn.BCELoss();

  for (let [batchIdx, [images1, images2, targets]] of enumerate(freeing(trainLoader))) {
    const stop = tidy(() => {
      [images1, images2, targets] = [images1.to(device), images2.to(device), targets.to(device)];
      optimizer.zeroGrad();
      const outputs = model.forward(images1, images2).squeeze();
      const loss = criterion.forward(outputs, targets);
      loss.backward();
      optimizer.step();
      if (batchIdx % args.logInterval === 0) {
        console.log(
          `Train Epoch: ${epoch} [${batchIdx * len(images1)}/${len(trainLoader.dataset)} (${((100 * batchIdx) / len(trainLoader)).toFixed(0)}%)]\tLoss: ${loss.item().toFixed(6)}`,
        );
        if (args.dryRun) return true;
      }
      return false;
    });
    if (stop) break;
  }
}

function test(
  model: SiameseNetwork,
  device: string,
  testLoader: Loader,
): { testLoss: number; correct: number } {
  model.eval();
  let testLoss = 0;
  let correct = 0;

  // we aren't using `TripletLoss` as the MNIST dataset is simple, so `BCELoss` can do the trick.
  const criterion = new nn.BCELoss();

  noGrad(() => {
    for (let [images1, images2, targets] of freeing(testLoader)) {
      tidy(() => {
        [images1, images2, targets] = [images1.to(device), images2.to(device), targets.to(device)];
        const outputs = model.forward(images1, images2).squeeze();
        testLoss += criterion.forward(outputs, targets).sum().item(); // sum up batch loss
        const pred = where(outputs.gt(0.5), 1, 0); // get the index of the max log-probability
        correct += pred.eq(targets.view(pred.shape)).sum().item(); // view_as: no Tensor.viewAs here
      });
    }
  });

  testLoss /= len(testLoader.dataset);

  // for the 1st epoch, the average loss is 0.0001 and the accuracy 97-98%
  // using default settings. After completing the 10th epoch, the average
  // loss is 0.0000 and the accuracy 99.5-100% using default settings.
  console.log(
    `\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${len(testLoader.dataset)} (${((100 * correct) / len(testLoader.dataset)).toFixed(0)}%)\n`,
  );
  return { testLoss, correct };
}

/** What the run shows, per epoch. */
export interface SiameseResult {
  /** The printed average test loss (the batch-mean BCE summed over batches, divided by the pairs). */
  testLoss: number[];
  /** Share of test pairs called correctly (same / different digit). */
  accuracy: number[];
  /** Seconds per epoch (training and testing). */
  epochSeconds: number[];
  trainSize: number;
  testSize: number;
}

export function main(argv: readonly string[] = []): SiameseResult {
  // Training settings
  const parser = new ArgumentParser({ description: 'PyTorch Siamese network Example' });
  parser.addArgument('--batch-size', {
    type: 'int',
    default: 64,
    metavar: 'N',
    help: 'input batch size for training (default: 64)',
  });
  parser.addArgument('--test-batch-size', {
    type: 'int',
    default: 1000,
    metavar: 'N',
    help: 'input batch size for testing (default: 1000)',
  });
  parser.addArgument('--epochs', {
    type: 'int',
    default: 14,
    metavar: 'N',
    help: 'number of epochs to train (default: 14)',
  });
  parser.addArgument('--lr', {
    type: 'float',
    default: 1.0,
    metavar: 'LR',
    help: 'learning rate (default: 1.0)',
  });
  parser.addArgument('--gamma', {
    type: 'float',
    default: 0.7,
    metavar: 'M',
    help: 'Learning rate step gamma (default: 0.7)',
  });
  parser.addArgument('--no-accel', { action: 'store_true', help: 'disables accelerator' });
  parser.addArgument('--dry-run', {
    action: 'store_true',
    default: false,
    help: 'quickly check a single pass',
  });
  parser.addArgument('--seed', { type: 'int', default: 1, metavar: 'S', help: 'random seed (default: 1)' });
  parser.addArgument('--log-interval', {
    type: 'int',
    default: 10,
    metavar: 'N',
    help: 'how many batches to wait before logging training status',
  });
  parser.addArgument('--save-model', {
    action: 'store_true',
    default: false,
    help: 'For Saving the current Model',
  });
  parser.addArgument('--limit', { type: 'int', help: 'ours: train on the first N pairs only' });
  parser.addArgument('--test-limit', { type: 'int', help: 'ours: test on the first N pairs only' });
  parser.addArgument('--pair-seed', { type: 'int', help: "ours: seed Python's random (the pairs)" });
  const args = parser.parseArgs<Args>(argv);

  manualSeed(args.seed);
  if (args.pairSeed !== null) random.seed(args.pairSeed);

  // The CPU backend stands for PyTorch's CPU device; there is no accelerator to detect here.
  const device = 'cpu';

  console.log(`Using device: ${device}`);

  const trainKwargs = { batchSize: args.batchSize };
  const testKwargs = { batchSize: args.testBatchSize };

  let trainDataset: data.MapStyleDataset<[Tensor, Tensor, Tensor]> = new APP_MATCHER('../data', true, true);
  let testDataset: data.MapStyleDataset<[Tensor, Tensor, Tensor]> = new APP_MATCHER('../data', false);
  // Ours: the first --limit / --test-limit pairs only.
  if (args.limit !== null) trainDataset = new data.Subset(trainDataset, range(args.limit));
  if (args.testLimit !== null) testDataset = new data.Subset(testDataset, range(args.testLimit));
  const trainLoader: Loader = new data.DataLoader(trainDataset, trainKwargs);
  const testLoader: Loader = new data.DataLoader(testDataset, testKwargs);

  const model = new SiameseNetwork().to(device);
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const result: SiameseResult = {
    testLoss: [],
    accuracy: [],
    epochSeconds: [],
    trainSize: len(trainDataset),
    testSize: len(testDataset),
  };
  const scheduler = new StepLR(optimizer, 1, { gamma: args.gamma });
  for (const epoch of range(1, args.epochs + 1)) {
    const t0 = performance.now();
    train(args, model, device, trainLoader, optimizer, epoch);
    const { testLoss, correct } = test(model, device, testLoader);
    scheduler.step();
    result.epochSeconds.push((performance.now() - t0) / 1000);
    result.testLoss.push(testLoss);
    result.accuracy.push(correct / len(testDataset));
  }

  if (args.saveModel) {
    // torch.save(model.state_dict(), "siamese_network.pt"): a safetensors file here
    mkdirSync(OUT_DIR, { recursive: true });
    saveSync(join(OUT_DIR, 'siamese_network.safetensors'), model.stateDict());
  }
  return result;
}

/** The configuration the tests use: one epoch on 16 training pairs (batch 8) and 16 test pairs. */
const FAST = [
  '--epochs',
  '1',
  '--limit',
  '16',
  '--test-limit',
  '16',
  '--batch-size',
  '8',
  '--log-interval',
  '1',
  '--pair-seed',
  '1',
];

export async function run(opts: RunOptions): Promise<SiameseResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
