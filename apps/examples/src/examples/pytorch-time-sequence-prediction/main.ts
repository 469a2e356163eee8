// PyTorch's examples/time_sequence_prediction/train.py, ported line by line: two LSTMCells
// (51 units) and a Linear layer in float64 learn sine waves with LBFGS(lr=0.8) and a closure,
// then predict 1000 steps past the end of 3 held-out waves. The data are generate_sine_wave.py's,
// computed in process (NumPy's seeded generator reproduced). matplotlib's figures become SVG
// charts under out/ (none in the fast run). Ours, for quick runs: `--length L` keeps the first L
// steps of each wave, `--future F` predicts F steps (1000 in the original), `--max-iter K` sets
// LBFGS's max_iter (PyTorch's default 20).
import { cat, manualSeed, nn, noGrad, optim, type Tensor, zeros } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart } from '@proj/plot';
import { writeSvg } from '../../out.js';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { type RunOptions, range } from '../../pytorch/builtins.js';
import { generateSineWave } from './generate-sine-wave.js';

export class Sequence extends nn.Module {
  lstm1: nn.LSTMCell;
  lstm2: nn.LSTMCell;
  linear: nn.Linear;

  constructor() {
    super();
    this.lstm1 = new nn.LSTMCell(1, 51);
    this.lstm2 = new nn.LSTMCell(51, 51);
    this.linear = new nn.Linear(51, 1);
  }

  override forward(input: Tensor, future = 0): Tensor {
    const outputs: Tensor[] = [];
    let h_t = zeros([input.size(0), 51], { dtype: 'float64' });
    let c_t = zeros([input.size(0), 51], { dtype: 'float64' });
    let h_t2 = zeros([input.size(0), 51], { dtype: 'float64' });
    let c_t2 = zeros([input.size(0), 51], { dtype: 'float64' });

    let output!: Tensor;
    for (const input_t of input.split(1, 1)) {
      [h_t, c_t] = this.lstm1.forward(input_t, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2.forward(h_t, [h_t2, c_t2]);
      output = this.linear.forward(h_t2);
      outputs.push(output); // outputs += [output]
    }
    for (const _i of range(future)) {
      // if we should predict the future
      [h_t, c_t] = this.lstm1.forward(output, [h_t, c_t]);
      [h_t2, c_t2] = this.lstm2.forward(h_t, [h_t2, c_t2]);
      output = this.linear.forward(h_t2);
      outputs.push(output); // outputs += [output]
    }
    return cat(outputs, 1);
  }
}

/** What the run shows, per LBFGS step. */
export interface TimeSequenceResult {
  /** Training loss of each closure evaluation, in order (the lines `loss:` prints). */
  losses: number[];
  /** Test loss after each step (on the known part of the 3 held-out waves). */
  testLoss: number[];
  /** Seconds per step (the LBFGS step and the 1000-step prediction). */
  stepSeconds: number[];
  /** The pictures written to out/. */
  plots: string[];
}

export async function main(argv: readonly string[] = []): Promise<TimeSequenceResult> {
  const parser = new ArgumentParser();
  parser.addArgument('--steps', { type: 'int', default: 15, help: 'steps to run' });
  parser.addArgument('--length', {
    type: 'int',
    default: 1000,
    help: 'ours: the first L steps of each wave',
  });
  parser.addArgument('--future', { type: 'int', default: 1000, help: 'ours: steps to predict past the end' });
  parser.addArgument('--max-iter', {
    type: 'int',
    default: 20,
    help: "ours: LBFGS's max_iter (PyTorch's default 20)",
  });
  parser.addArgument('--no-plot', { action: 'store_true', help: 'ours: write no pictures' });
  const opt = parser.parseArgs<{
    steps: number;
    length: number;
    future: number;
    maxIter: number;
    noPlot: boolean;
  }>(argv);
  // set random seed to 0 (np.random.seed(0) too in the original; nothing here draws from NumPy)
  manualSeed(0);
  // load data and make training set
  const data = generateSineWave().index(':', `:${opt.length}`);
  const input = data.index('3:', ':-1');
  const target = data.index('3:', '1:');
  const test_input = data.index(':3', ':-1');
  const test_target = data.index(':3', '1:');
  // build the model
  const seq = new Sequence();
  seq.double();
  const criterion = new nn.MSELoss();
  // use LBFGS as optimizer since we can load the whole data to train
  const optimizer = new optim.LBFGS(seq.parameters(), { lr: 0.8, maxIter: opt.maxIter });
  const result: TimeSequenceResult = { losses: [], testLoss: [], stepSeconds: [], plots: [] };
  //begin to train
  for (const i of range(opt.steps)) {
    const t0 = performance.now();
    console.log('STEP: ', i);
    const closure = () => {
      optimizer.zeroGrad();
      const out = seq.forward(input);
      const loss = criterion.forward(out, target);
      console.log('loss:', loss.item());
      result.losses.push(loss.item());
      loss.backward();
      return loss;
    };
    optimizer.step(closure);
    // begin to predict, no need to track gradient here
    const y = noGrad(() => {
      const future = opt.future;
      const pred = seq.forward(test_input, future);
      const loss = criterion.forward(pred.index(':', `:-${future}`), test_target);
      console.log('test loss:', loss.item());
      result.testLoss.push(loss.item());
      return pred.detach().toArray() as number[][];
    });
    result.stepSeconds.push((performance.now() - t0) / 1000);
    // draw the result
    if (!opt.noPlot) result.plots.push(await draw(y, input.size(1), i));
  }
  return result;
}

/** The original's matplotlib figure: each wave solid up to the input's length, dotted after. */
async function draw(y: number[][], known: number, i: number): Promise<string> {
  const series = y.flatMap((yi, k) => [
    { name: `wave ${k}`, x: range(known), y: yi.slice(0, known) },
    { name: `wave ${k} (predicted)`, x: range(known, yi.length), y: yi.slice(known) },
  ]);
  return writeSvg(
    `predict${i}.svg`,
    lineChart(series, {
      title: 'Predict future values for time sequences (dashed lines: predicted values)',
      xTitle: 'x',
      yTitle: 'y',
      width: 900,
      height: 300,
    }),
  );
}

/** The configuration the tests use: one LBFGS step of 10 iterations on the first 20 steps of each wave. */
const FAST = ['--steps', '1', '--length', '20', '--future', '20', '--max-iter', '10', '--no-plot'];

export async function run(opts: RunOptions): Promise<TimeSequenceResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  await main(process.argv.slice(2));
