// PyTorch's examples/mnist/main.py, ported line by line: the same Net (two convolutions,
// Dropout(0.25) and Dropout(0.5), log-softmax), NLL loss, Adadelta(lr=1.0) with StepLR(gamma=0.7),
// the same flags and defaults, the same printed lines. TypeScript changes only the syntax:
// `model(x)` is `model.forward(x)`, keywords are an options object, `with torch.no_grad()` is
// `noGrad(() => …)`, and each batch runs in `tidy` so its tensors are freed at once.
// Ours: `--limit N` / `--test-limit N` train and test on the first N images (quick runs).
import { data, flatten, manualSeed, nn, noGrad, optim, type Tensor, tidy } from '@proj/core';
import '@proj/backend-cpu';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { saveSync } from '@proj/core/node';
import { datasets, transforms } from '@proj/vision/node';
import { OUT_DIR } from '../../out.js';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { enumerate, freeing, len, type RunOptions, range } from '../../pytorch/builtins.js';

const F = nn.functional;
const { StepLR } = optim.lrScheduler;

export class Net extends nn.Module {
  conv1: nn.Conv2d;
  conv2: nn.Conv2d;
  dropout1: nn.Dropout;
  dropout2: nn.Dropout;
  fc1: nn.Linear;
  fc2: nn.Linear;

  constructor() {
    super();
    this.conv1 = new nn.Conv2d(1, 32, 3, 1);
    this.conv2 = new nn.Conv2d(32, 64, 3, 1);
    this.dropout1 = new nn.Dropout(0.25);
    this.dropout2 = new nn.Dropout(0.5);
    this.fc1 = new nn.Linear(9216, 128);
    this.fc2 = new nn.Linear(128, 10);
  }

  override forward(x: Tensor): Tensor {
    x = this.conv1.forward(x);
    x = F.relu(x);
    x = this.conv2.forward(x);
    x = F.relu(x);
    x = F.maxPool2d(x, 2);
    x = this.dropout1.forward(x);
    x = flatten(x, 1);
    x = this.fc1.forward(x);
    x = F.relu(x);
    x = this.dropout2.forward(x);
    x = this.fc2.forward(x);
    const output = F.logSoftmax(x, { dim: 1 });
    return output;
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
}

type Loader = data.DataLoader<[Tensor, number], [Tensor, Tensor]>;

function train(
  args: Args,
  model: Net,
  device: string,
  trainLoader: Loader,
  optimizer: optim.Optimizer,
  epoch: number,
) {
  model.train();
  for (let [batchIdx, [data, target]] of enumerate(freeing(trainLoader))) {
    const stop = tidy(() => {
      [data, target] = [data.to(device), target.to(device)];
      optimizer.zeroGrad();
      const output = model.forward(data);
      const loss = F.nllLoss(output, target);
      loss.backward();
      optimizer.step();
      if (batchIdx % args.logInterval === 0) {
        console.log(
          `Train Epoch: ${epoch} [${batchIdx * len(data)}/${len(trainLoader.dataset)} (${((100 * batchIdx) / len(trainLoader)).toFixed(0)}%)]\tLoss: ${loss.item().toFixed(6)}`,
        );
        if (args.dryRun) return true;
      }
      return false;
    });
    if (stop) break;
  }
}

function test(model: Net, device: string, testLoader: Loader): { testLoss: number; correct: number } {
  model.eval();
  let testLoss = 0;
  let correct = 0;
  noGrad(() => {
    for (let [data, target] of freeing(testLoader)) {
      tidy(() => {
        [data, target] = [data.to(device), target.to(device)];
        const output = model.forward(data);
        testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item(); // sum up batch loss
        const pred = output.argmax(1, true); // get the index of the max log-probability
        correct += pred.eq(target.view(pred.shape)).sum().item(); // view_as: no Tensor.viewAs here
      });
    }
  });

  testLoss /= len(testLoader.dataset);

  console.log(
    `\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${len(testLoader.dataset)} (${((100 * correct) / len(testLoader.dataset)).toFixed(0)}%)\n`,
  );
  return { testLoss, correct };
}

/** What the run shows, per epoch. */
export interface MnistResult {
  /** Average test NLL loss after each epoch. */
  testLoss: number[];
  /** Test accuracy (0..1) after each epoch. */
  accuracy: number[];
  /** Seconds per epoch (training and testing). */
  epochSeconds: number[];
  /** Images trained and tested on. */
  trainSize: number;
  testSize: number;
}

export function main(argv: readonly string[] = []): MnistResult {
  // Training settings
  const parser = new ArgumentParser({ description: 'PyTorch MNIST Example' });
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
  parser.addArgument('--dry-run', { action: 'store_true', help: 'quickly check a single pass' });
  parser.addArgument('--seed', { type: 'int', default: 1, metavar: 'S', help: 'random seed (default: 1)' });
  parser.addArgument('--log-interval', {
    type: 'int',
    default: 10,
    metavar: 'N',
    help: 'how many batches to wait before logging training status',
  });
  parser.addArgument('--save-model', { action: 'store_true', help: 'For Saving the current Model' });
  parser.addArgument('--limit', { type: 'int', help: 'ours: train on the first N images only' });
  parser.addArgument('--test-limit', { type: 'int', help: 'ours: test on the first N images only' });
  const args = parser.parseArgs<Args>(argv);

  // The CPU backend stands for PyTorch's CPU device; there is no accelerator to detect here.
  const device = 'cpu';

  manualSeed(args.seed);

  const trainKwargs = { batchSize: args.batchSize };
  const testKwargs = { batchSize: args.testBatchSize };

  const transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])]);
  let dataset1: data.MapStyleDataset<[Tensor, number]> = new datasets.MNIST('../data', {
    train: true,
    download: true,
    transform,
  });
  let dataset2: data.MapStyleDataset<[Tensor, number]> = new datasets.MNIST('../data', {
    train: false,
    transform,
  });
  // Ours: the first --limit / --test-limit images only.
  if (args.limit !== null) dataset1 = new data.Subset(dataset1, range(args.limit));
  if (args.testLimit !== null) dataset2 = new data.Subset(dataset2, range(args.testLimit));
  const trainLoader: Loader = new data.DataLoader(dataset1, trainKwargs);
  const testLoader: Loader = new data.DataLoader(dataset2, testKwargs);

  const model = new Net().to(device);
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const result: MnistResult = {
    testLoss: [],
    accuracy: [],
    epochSeconds: [],
    trainSize: dataset1.length,
    testSize: dataset2.length,
  };
  const scheduler = new StepLR(optimizer, 1, { gamma: args.gamma });
  for (const epoch of range(1, args.epochs + 1)) {
    const t0 = performance.now();
    train(args, model, device, trainLoader, optimizer, epoch);
    const { testLoss, correct } = test(model, device, testLoader);
    scheduler.step();
    result.epochSeconds.push((performance.now() - t0) / 1000);
    result.testLoss.push(testLoss);
    result.accuracy.push(correct / dataset2.length);
  }

  // torch.save(model.state_dict(), "mnist_cnn.pt"): a safetensors file here
  if (args.saveModel) {
    mkdirSync(OUT_DIR, { recursive: true });
    saveSync(join(OUT_DIR, 'mnist_cnn.safetensors'), model.stateDict());
  }
  return result;
}

/** The configuration the tests use: one epoch on 384 training and 300 test images. */
const FAST = ['--epochs', '1', '--limit', '384', '--test-limit', '300', '--log-interval', '3'];

export async function run(opts: RunOptions): Promise<MnistResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
