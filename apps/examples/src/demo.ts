// pnpm demo: trains a CNN (or an MLP) on real MNIST on the embedded CPU backend with train.fit,
// reports the test accuracy, saves the model (safetensors, and ONNX when the ONNX package is
// there) and plots the training curves. `pnpm demo --help` lists the flags.
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { manualSeed, nn, optim, setBackend, type Tensor, tensor, train, zeros } from '@proj/core';
import '@proj/backend-cpu';
import { ProgressBar, save } from '@proj/core/node';
import { confusionMatrixSvg, imageGridSvg } from '@proj/plot';
import { PlotCallback, writePlot } from '@proj/plot/node';
import { datasets, models } from '@proj/vision/node';
import { OUT_DIR } from './out.js';

/** The demo's command-line options. */
export interface DemoArgs {
  backend: string;
  epochs: number;
  model: 'mlp' | 'cnn';
  fashion: boolean;
  batchSize: number;
  /** Adam's learning rate at the start of the cosine schedule. */
  lr: number;
  /** Use only the first `limit` training and test images (quick runs). */
  limit?: number;
  /** Print nothing while training (tests). */
  quiet: boolean;
  /** Write the model, ONNX file and plot (default true). */
  write: boolean;
}

/** Epochs of the default run of each model: few, yet enough for the accuracy targets. */
export const DEFAULT_EPOCHS = { cnn: 3, mlp: 5 } as const;
/** Adam's initial learning rate per model (the small CNN tolerates a larger one). */
export const DEFAULT_LR = { cnn: 2e-3, mlp: 1e-3 } as const;
/** Images of the training set held out for validation. */
export const VALIDATION_SIZE = 5000;

const HELP = `usage: pnpm demo [--model cnn|mlp] [--epochs N] [--batch-size N] [--backend cpu|gpujs|onnx]
                 [--lr X] [--fashion] [--limit N]`;

/** Parses `--flag value` options; unknown flags are an error. */
export function parseArgs(argv: readonly string[]): DemoArgs {
  const a: Partial<DemoArgs> = {
    backend: 'cpu',
    model: 'cnn',
    fashion: false,
    batchSize: 64,
    quiet: false,
    write: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    const num = () => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`demo: ${k} needs a positive integer, got '${v}'\n${HELP}`);
      i++;
      return n;
    };
    if (k === '--backend') a.backend = argv[++i];
    else if (k === '--epochs') a.epochs = num();
    else if (k === '--model') {
      if (v !== 'mlp' && v !== 'cnn') throw new Error(`demo: --model must be mlp or cnn, got '${v}'`);
      a.model = v;
      i++;
    } else if (k === '--batch-size') a.batchSize = num();
    else if (k === '--limit') a.limit = num();
    else if (k === '--lr') {
      a.lr = Number(v);
      if (!(a.lr > 0)) throw new Error(`demo: --lr needs a positive number, got '${v}'\n${HELP}`);
      i++;
    } else if (k === '--fashion') a.fashion = true;
    else if (k === '--quiet') a.quiet = true;
    else if (k === '--') continue;
    else throw new Error(`demo: unknown option '${k}'\n${HELP}`);
  }
  a.epochs ??= DEFAULT_EPOCHS[a.model as DemoArgs['model']];
  a.lr ??= DEFAULT_LR[a.model as DemoArgs['model']];
  return a as DemoArgs;
}

/**
 * The two models. The CNN (`models.mnistCnn` of @proj/vision, whose pretrained weights are
 * this demo's default run) is deliberately small (8 and 16 3x3 filters, 52k weights) because
 * the CPU backend's convolutions dominate the run time; with a 64-unit hidden layer it still
 * passes 98.5% on MNIST in three epochs.
 */
export function buildModel(kind: 'mlp' | 'cnn'): nn.Module {
  if (kind === 'mlp') {
    return new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(784, 256),
      new nn.ReLU(),
      new nn.Linear(256, 10),
    );
  }
  return models.mnistCnn();
}

/** Imports `@proj/backend-<name>` (which registers the backend) and makes it current. */
async function useBackend(name: string): Promise<void> {
  if (name !== 'cpu') {
    const pkg = `@proj/backend-${name}`;
    try {
      await import(pkg);
    } catch (e) {
      throw new Error(`demo: cannot import ${pkg} for --backend ${name}: ${(e as Error).message}`);
    }
  }
  setBackend(name);
}

/** Exports the model to ONNX when `@proj/backend-onnx` provides `exportOnnx`; else says why not. */
async function tryExportOnnx(model: nn.Module, example: Tensor, path: string): Promise<string | null> {
  const pkg = '@proj/backend-onnx';
  let mod: {
    exportOnnx?: (m: nn.Module, inputs: Tensor[], opts?: object) => Uint8Array | Promise<Uint8Array>;
  };
  try {
    mod = await import(pkg);
  } catch {
    console.log(`note: ONNX export skipped (${pkg} is not importable here)`);
    return null;
  }
  if (typeof mod.exportOnnx !== 'function') {
    console.log(`note: ONNX export skipped (${pkg} has no exportOnnx yet)`);
    return null;
  }
  await writeFile(path, await mod.exportOnnx(model, [example]));
  return path;
}

/** What a demo run measured. */
export interface DemoResult {
  history: train.History;
  testAccuracy: number;
  testLoss: number;
  seconds: number;
  files: string[];
}

/** Trains and evaluates one model as `args` say; the CLI below prints around it. */
export async function runDemo(args: DemoArgs): Promise<DemoResult> {
  const t0 = performance.now();
  await useBackend(args.backend);
  manualSeed(0);
  const kind: datasets.MnistKind = args.fashion ? 'fashion' : 'mnist';
  const all = datasets.loadMnist('train', { limit: args.limit, kind });
  const test = datasets.loadMnist('t10k', { limit: args.limit, kind });
  // The last 5,000 training images (a tenth of them with --limit) are held out for validation.
  const n = all.images.shape[0];
  const nVal = args.limit ? Math.ceil(n / 10) : VALIDATION_SIZE;
  const trainSet = [all.images.narrow(0, 0, n - nVal), all.labels.narrow(0, 0, n - nVal)] as const;
  const valSet = [all.images.narrow(0, n - nVal, nVal), all.labels.narrow(0, n - nVal, nVal)] as const;

  const model = buildModel(args.model);
  const loss = new nn.CrossEntropyLoss();
  const log = args.quiet ? () => {} : console.log;
  log(
    `${args.model.toUpperCase()} on ${kind === 'fashion' ? 'Fashion-MNIST' : 'MNIST'} with the ${args.backend} backend`,
  );
  log(
    `${n - nVal} training, ${nVal} validation, ${test.images.shape[0]} test images; batch ${args.batchSize}`,
  );
  if (!args.quiet) log(model.summary([1, 1, 28, 28]));

  // Adam, its learning rate annealed to zero along a cosine over the run (stepped every batch):
  // the small steps at the end settle the weights and gain a few tenths of a percent.
  const optimizer = new optim.Adam(model.parameters(), { lr: args.lr });
  const steps = args.epochs * Math.ceil(trainSet[0].shape[0] / args.batchSize);
  // Loss and accuracy per batch and per epoch, and the learning rate, redrawn after each epoch.
  const plotDir = resolve(OUT_DIR, `${kind}-${args.model}`);
  const plots = args.write ? [new PlotCallback({ dir: plotDir, formats: ['svg', 'png'] })] : [];
  const history = await train.fit(model, {
    train: trainSet,
    val: valSet,
    epochs: args.epochs,
    batchSize: args.batchSize,
    seed: 0,
    loss,
    optimizer,
    scheduler: new optim.lrScheduler.CosineAnnealingLR(optimizer, steps),
    schedulerStep: 'batch',
    metrics: ['accuracy'],
    callbacks: [new ProgressBar({ silent: args.quiet }), ...plots],
  });
  const { loss: testLoss, accuracy } = train.evaluate(model, [test.images, test.labels], {
    loss,
    metrics: ['accuracy'],
    batchSize: 500,
  });

  const files: string[] = [];
  if (args.write) {
    await mkdir(OUT_DIR, { recursive: true });
    const stem = resolve(OUT_DIR, `${kind}-${args.model}`);
    await save(`${stem}.safetensors`, model.stateDict());
    files.push(`${stem}.safetensors`);
    const example = zeros([1, 1, 28, 28]);
    try {
      const onnx = await tryExportOnnx(model, example, `${stem}.onnx`);
      if (onnx) files.push(onnx);
    } catch (e) {
      console.log(`note: ONNX export failed: ${(e as Error).message}`);
    } finally {
      example.dispose();
    }
    files.push(...plots.flatMap((p) => p.files), ...(await writeTestPlots(model, test, plotDir)));
  }
  for (const t of [all.images, all.labels, test.images, test.labels, ...trainSet, ...valSet]) t.dispose();
  return { history, testAccuracy: accuracy, testLoss, seconds: (performance.now() - t0) / 1000, files };
}

/**
 * The test set's confusion matrix and up to 32 misclassified test images (captioned
 * 'true → predicted'), as SVG and PNG in `dir`; returns the paths.
 */
async function writeTestPlots(
  model: nn.Module,
  test: { images: Tensor; labels: Tensor },
  dir: string,
): Promise<string[]> {
  const logits = train.predict(model, test.images, { batchSize: 500 });
  const pred = logits.argmax(1);
  const cm = train.metrics.confusionMatrix(pred, test.labels, 10);
  const p = pred.toArray() as number[];
  const t = test.labels.toArray() as number[];
  const wrong = p.flatMap((v, i) => (v === t[i] ? [] : [i])).slice(0, 32);
  const svgs: [string, string][] = [
    ['confusion-matrix', await confusionMatrixSvg(cm, undefined, { title: 'test set' })],
  ];
  if (wrong.length > 0) {
    const idx = tensor(wrong, { dtype: 'int64' });
    const images = test.images.indexSelect(0, idx);
    const labels = wrong.map((i) => `${t[i]} → ${p[i]}`);
    // The images are normalised (mean 0, std 1): normalize maps the batch's range to black..white.
    const opts = { labels, nrow: 8, normalize: true, title: 'misclassified test images (true → predicted)' };
    svgs.push(['misclassified', await imageGridSvg(images, opts)]);
    for (const x of [idx, images]) x.dispose();
  }
  for (const x of [logits, pred, cm]) x.dispose();
  const files: string[] = [];
  for (const [name, svg] of svgs) {
    for (const ext of ['svg', 'png'])
      files.push(await writePlot(resolve(dir, `${name}.${ext}`), svg, { scale: 2 }));
  }
  return files;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const args = parseArgs(argv);
  const r = await runDemo(args);
  console.log(`test accuracy ${(r.testAccuracy * 100).toFixed(2)}% (loss ${r.testLoss.toFixed(4)})`);
  for (const f of r.files) console.log(`wrote ${f}`);
  console.log(`wall time ${r.seconds.toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exitCode = 1;
  });
}
