// PyTorch's examples/mnist_rnn/main.py, ported line by line: each 28x28 image is a sequence of
// 28 rows fed to an LSTM(28, 64, batch_first); the last output goes through BatchNorm1d,
// Dropout2d (on a 2-D input: element-wise, with PyTorch 1.13's deprecation warning), two
// Linear layers and a log-softmax. NLL loss, Adadelta(lr=0.1), StepLR(gamma=0.7), shuffled
// loaders. Ours: `--limit N` / `--test-limit N` train and test on the first N images.
import { data, manualSeed, nn, noGrad, optim, type Tensor, tidy } from '@proj/core';
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
  rnn: nn.LSTM;
  batchnorm: nn.BatchNorm1d;
  dropout1: nn.Dropout2d;
  dropout2: nn.Dropout2d;
  fc1: nn.Linear;
  fc2: nn.Linear;

  constructor() {
    super();
    this.rnn = new nn.LSTM(28, 64, { batchFirst: true }); // input_size=28, hidden_size=64: required parameters are positional here;
    this.batchnorm = new nn.BatchNorm1d(64);
    this.dropout1 = new nn.Dropout2d(0.25);
    this.dropout2 = new nn.Dropout2d(0.5);
    this.fc1 = new nn.Linear(64, 32);
    this.fc2 = new nn.Linear(32, 10);
  }

  override forward(input: Tensor): Tensor {
    // Shape of input is (batch_size,1, 28, 28)
    // converting shape of input to (batch_size, 28, 28)
    // as required by RNN when batch_first is set True
    input = input.reshape(-1, 28, 28);
    let [output, _hidden] = this.rnn.forward(input);

    // RNN output shape is (seq_len, batch, input_size)
    // Get last output of RNN
    output = output.index(':', -1, ':');
    output = this.batchnorm.forward(output);
    output = this.dropout1.forward(output);
    output = this.fc1.forward(output);
    output = F.relu(output);
    output = this.dropout2.forward(output);
    output = this.fc2.forward(output);
    output = F.logSoftmax(output, { dim: 1 });
    return output;
  }
}

interface Args {
  batchSize: number;
  testBatchSize: number;
  epochs: number;
  lr: number;
  gamma: number;
  accel: boolean;
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

function test(
  args: Args,
  model: Net,
  device: string,
  testLoader: Loader,
): { testLoss: number; correct: number } {
  model.eval();
  let testLoss = 0;
  let correct = 0;
  noGrad(() => {
    for (let [data, target] of freeing(testLoader)) {
      const stop = tidy(() => {
        [data, target] = [data.to(device), target.to(device)];
        const output = model.forward(data);
        testLoss += F.nllLoss(output, target, { reduction: 'sum' }).item(); // sum up batch loss
        const pred = output.argmax(1, true); // get the index of the max log-probability
        correct += pred.eq(target.view(pred.shape)).sum().item(); // view_as: no Tensor.viewAs here
        return args.dryRun;
      });
      if (stop) break;
    }
  });

  testLoss /= len(testLoader.dataset);

  console.log(
    `\nTest set: Average loss: ${testLoss.toFixed(4)}, Accuracy: ${correct}/${len(testLoader.dataset)} (${((100 * correct) / len(testLoader.dataset)).toFixed(0)}%)\n`,
  );
  return { testLoss, correct };
}

/** What the run shows, per epoch. */
export interface MnistRnnResult {
  /** Average test NLL loss after each epoch. */
  testLoss: number[];
  /** Test accuracy (0..1) after each epoch. */
  accuracy: number[];
  /** Seconds per epoch (training and testing). */
  epochSeconds: number[];
  trainSize: number;
  testSize: number;
}

export function main(argv: readonly string[] = []): MnistRnnResult {
  // Training settings
  const parser = new ArgumentParser({ description: 'PyTorch MNIST Example using RNN' });
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
    default: 0.1,
    metavar: 'LR',
    help: 'learning rate (default: 0.1)',
  });
  parser.addArgument('--gamma', {
    type: 'float',
    default: 0.7,
    metavar: 'M',
    help: 'learning rate step gamma (default: 0.7)',
  });
  parser.addArgument('--accel', { action: 'store_true', help: 'enables accelerator' });
  parser.addArgument('--dry-run', { action: 'store_true', help: 'quickly check a single pass' });
  parser.addArgument('--seed', { type: 'int', default: 1, metavar: 'S', help: 'random seed (default: 1)' });
  parser.addArgument('--log-interval', {
    type: 'int',
    default: 10,
    metavar: 'N',
    help: 'how many batches to wait before logging training status',
  });
  parser.addArgument('--save-model', { action: 'store_true', help: 'for Saving the current Model' });
  parser.addArgument('--limit', { type: 'int', help: 'ours: train on the first N images only' });
  parser.addArgument('--test-limit', { type: 'int', help: 'ours: test on the first N images only' });
  const args = parser.parseArgs<Args>(argv);

  // The CPU backend stands for PyTorch's CPU device; there is no accelerator here.
  const device = 'cpu';

  manualSeed(args.seed);

  const kwargs = {};
  const transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.1307], [0.3081])]);
  let trainSet: data.MapStyleDataset<[Tensor, number]> = new datasets.MNIST('../data', {
    train: true,
    download: true,
    transform,
  });
  let testSet: data.MapStyleDataset<[Tensor, number]> = new datasets.MNIST('../data', {
    train: false,
    transform,
  });
  // Ours: the first --limit / --test-limit images only.
  if (args.limit !== null) trainSet = new data.Subset(trainSet, range(args.limit));
  if (args.testLimit !== null) testSet = new data.Subset(testSet, range(args.testLimit));
  const trainLoader: Loader = new data.DataLoader(trainSet, {
    batchSize: args.batchSize,
    shuffle: true,
    ...kwargs,
  });
  const testLoader: Loader = new data.DataLoader(testSet, {
    batchSize: args.testBatchSize,
    shuffle: true,
    ...kwargs,
  });

  const model = new Net().to(device);
  const optimizer = new optim.Adadelta(model.parameters(), { lr: args.lr });

  const result: MnistRnnResult = {
    testLoss: [],
    accuracy: [],
    epochSeconds: [],
    trainSize: len(trainSet),
    testSize: len(testSet),
  };
  const scheduler = new StepLR(optimizer, 1, { gamma: args.gamma });
  for (const epoch of range(1, args.epochs + 1)) {
    const t0 = performance.now();
    train(args, model, device, trainLoader, optimizer, epoch);
    const { testLoss, correct } = test(args, model, device, testLoader);
    scheduler.step();
    result.epochSeconds.push((performance.now() - t0) / 1000);
    result.testLoss.push(testLoss);
    result.accuracy.push(correct / len(testSet));
  }

  // torch.save(model.state_dict(), "mnist_rnn.pt"): a safetensors file here
  if (args.saveModel) {
    mkdirSync(OUT_DIR, { recursive: true });
    saveSync(join(OUT_DIR, 'mnist_rnn.safetensors'), model.stateDict());
  }
  return result;
}

/**
 * The configuration the tests use: two epochs on 1,280 training and 500 test images, with the
 * original's --lr flag at 1.0 (the default 0.1 barely moves in 20 batches, in PyTorch too).
 */
const FAST = ['--epochs', '2', '--limit', '1280', '--test-limit', '500', '--lr', '1', '--log-interval', '10'];

export async function run(opts: RunOptions): Promise<MnistRnnResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
