// PyTorch's examples/vae/main.py, ported line by line: a variational autoencoder on MNIST
// (784-400-20 encoder giving mu and logvar, the reparameterisation trick, 20-400-784 decoder
// with a sigmoid), loss = BCE summed over pixels + KL divergence, Adam(lr=1e-3), batch 128.
// The original runs at import time; here main() does, with the same flags. Pictures
// (torchvision's save_image) go to out/pytorch-vae/results/. Ours: `--limit N` /
// `--test-limit N` train and test on the first N images.
import {
  cat,
  data,
  exp,
  manualSeed,
  nn,
  noGrad,
  optim,
  randn,
  randnLike,
  sigmoid,
  sum,
  type Tensor,
  tidy,
} from '@proj/core';
import '@proj/backend-cpu';
import { join } from 'node:path';
import { datasets, transforms, utils } from '@proj/vision/node';
import { OUT_DIR } from '../../out.js';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { enumerate, freeing, len, type RunOptions, range } from '../../pytorch/builtins.js';

const F = nn.functional;
const RESULTS = join(OUT_DIR, 'pytorch-vae', 'results');

export class VAE extends nn.Module {
  fc1: nn.Linear;
  fc21: nn.Linear;
  fc22: nn.Linear;
  fc3: nn.Linear;
  fc4: nn.Linear;

  constructor() {
    super();

    this.fc1 = new nn.Linear(784, 400);
    this.fc21 = new nn.Linear(400, 20);
    this.fc22 = new nn.Linear(400, 20);
    this.fc3 = new nn.Linear(20, 400);
    this.fc4 = new nn.Linear(400, 784);
  }

  encode(x: Tensor): [Tensor, Tensor] {
    const h1 = F.relu(this.fc1.forward(x));
    return [this.fc21.forward(h1), this.fc22.forward(h1)];
  }

  reparameterize(mu: Tensor, logvar: Tensor): Tensor {
    const std = exp(logvar.mul(0.5));
    const eps = randnLike(std);
    return mu.add(eps.mul(std));
  }

  decode(z: Tensor): Tensor {
    const h3 = F.relu(this.fc3.forward(z));
    return sigmoid(this.fc4.forward(h3));
  }

  override forward(x: Tensor): [Tensor, Tensor, Tensor] {
    const [mu, logvar] = this.encode(x.view(-1, 784));
    const z = this.reparameterize(mu, logvar);
    return [this.decode(z), mu, logvar];
  }
}

// Reconstruction + KL divergence losses summed over all elements and batch
export function lossFunction(recon_x: Tensor, x: Tensor, mu: Tensor, logvar: Tensor): Tensor {
  const BCE = F.binaryCrossEntropy(recon_x, x.view(-1, 784), { reduction: 'sum' });

  // see Appendix B from VAE paper:
  // Kingma and Welling. Auto-Encoding Variational Bayes. ICLR, 2014
  // https://arxiv.org/abs/1312.6114
  // 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
  const KLD = sum(logvar.add(1).sub(mu.pow(2)).sub(logvar.exp())).mul(-0.5);

  return BCE.add(KLD);
}

interface Args {
  batchSize: number;
  epochs: number;
  noAccel: boolean;
  seed: number;
  logInterval: number;
  limit: number | null;
  testLimit: number | null;
}

type Loader = data.DataLoader<[Tensor, number], [Tensor, Tensor]>;

/** What the run shows, per epoch. */
export interface VaeResult {
  /** Average training loss per image (BCE + KLD) of each epoch. */
  trainLoss: number[];
  /** Average test loss per image after each epoch. */
  testLoss: number[];
  /** Seconds per epoch (training, testing and the pictures). */
  epochSeconds: number[];
  trainSize: number;
  testSize: number;
}

export function main(argv: readonly string[] = []): VaeResult {
  const parser = new ArgumentParser({ description: 'VAE MNIST Example' });
  parser.addArgument('--batch-size', {
    type: 'int',
    default: 128,
    metavar: 'N',
    help: 'input batch size for training (default: 128)',
  });
  parser.addArgument('--epochs', {
    type: 'int',
    default: 10,
    metavar: 'N',
    help: 'number of epochs to train (default: 10)',
  });
  parser.addArgument('--no-accel', { action: 'store_true', help: 'disables accelerator' });
  parser.addArgument('--seed', { type: 'int', default: 1, metavar: 'S', help: 'random seed (default: 1)' });
  parser.addArgument('--log-interval', {
    type: 'int',
    default: 10,
    metavar: 'N',
    help: 'how many batches to wait before logging training status',
  });
  parser.addArgument('--limit', { type: 'int', help: 'ours: train on the first N images only' });
  parser.addArgument('--test-limit', { type: 'int', help: 'ours: test on the first N images only' });
  const args = parser.parseArgs<Args>(argv);

  manualSeed(args.seed);

  // The CPU backend stands for PyTorch's CPU device; there is no accelerator to detect here.
  const device = 'cpu';

  console.log(`Using device: ${device}`);

  const kwargs = {};
  let trainSet: data.MapStyleDataset<[Tensor, number]> = new datasets.MNIST('../data', {
    train: true,
    download: true,
    transform: transforms.ToTensor(),
  });
  let testSet: data.MapStyleDataset<[Tensor, number]> = new datasets.MNIST('../data', {
    train: false,
    transform: transforms.ToTensor(),
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
    batchSize: args.batchSize,
    shuffle: false,
    ...kwargs,
  });

  const model = new VAE().to(device);
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });

  function train(epoch: number): number {
    model.train();
    let trainLoss = 0;
    for (let [batchIdx, [data, _]] of enumerate(freeing(trainLoader))) {
      tidy(() => {
        data = data.to(device);
        optimizer.zeroGrad();
        const [reconBatch, mu, logvar] = model.forward(data);
        const loss = lossFunction(reconBatch, data, mu, logvar);
        loss.backward();
        trainLoss += loss.item();
        optimizer.step();
        if (batchIdx % args.logInterval === 0) {
          console.log(
            `Train Epoch: ${epoch} [${batchIdx * len(data)}/${len(trainLoader.dataset)} (${((100 * batchIdx) / len(trainLoader)).toFixed(0)}%)]\tLoss: ${(loss.item() / len(data)).toFixed(6)}`,
          );
        }
      });
    }

    console.log(`====> Epoch: ${epoch} Average loss: ${(trainLoss / len(trainLoader.dataset)).toFixed(4)}`);
    return trainLoss / len(trainLoader.dataset);
  }

  function test(epoch: number): number {
    model.eval();
    let testLoss = 0;
    noGrad(() => {
      for (let [i, [data, _]] of enumerate(freeing(testLoader))) {
        tidy(() => {
          data = data.to(device);
          const [reconBatch, mu, logvar] = model.forward(data);
          testLoss += lossFunction(reconBatch, data, mu, logvar).item();
          if (i === 0) {
            const n = Math.min(data.size(0), 8);
            const comparison = cat([
              data.index(`:${n}`),
              reconBatch.view(args.batchSize, 1, 28, 28).index(`:${n}`),
            ]);
            utils.saveImage(
              comparison.to('cpu'), // .cpu(): no Tensor.cpu() here
              join(RESULTS, `reconstruction_${epoch}.png`),
              { nrow: n },
            );
          }
        });
      }
    });

    testLoss /= len(testLoader.dataset);
    console.log(`====> Test set loss: ${testLoss.toFixed(4)}`);
    return testLoss;
  }

  const result: VaeResult = {
    trainLoss: [],
    testLoss: [],
    epochSeconds: [],
    trainSize: len(trainSet),
    testSize: len(testSet),
  };
  for (const epoch of range(1, args.epochs + 1)) {
    const t0 = performance.now();
    result.trainLoss.push(train(epoch));
    result.testLoss.push(test(epoch));
    noGrad(() =>
      tidy(() => {
        let sample = randn(64, 20).to(device);
        sample = model.decode(sample).to('cpu'); // .cpu(): no Tensor.cpu() here
        utils.saveImage(sample.view(64, 1, 28, 28), join(RESULTS, `sample_${epoch}.png`));
      }),
    );
    result.epochSeconds.push((performance.now() - t0) / 1000);
  }
  return result;
}

/** The configuration the tests use: one epoch on 1,280 training and 256 test images. */
const FAST = ['--epochs', '1', '--limit', '1280', '--test-limit', '256', '--log-interval', '5'];

export async function run(opts: RunOptions): Promise<VaeResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
