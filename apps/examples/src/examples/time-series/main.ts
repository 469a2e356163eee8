// Time-series forecasting: predict the next value of a noisy sine from the previous `window`
// values, once with an MLP (the window as a flat feature vector) and once with an LSTM (the
// window as a sequence, read one step at a time). Both are compared with the naive forecast
// "the next value equals the last one" on the held-out end of the series.
import { arange, Generator, manualSeed, nn, optim, randn, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** What the example demonstrates: one-step-ahead test MSE of each forecaster. */
export interface TimeSeriesResult {
  mlpMse: number;
  lstmMse: number;
  /** Repeating the last observed value. */
  naiveMse: number;
  /** The variance of the added noise: no forecaster can beat it on average. */
  noiseFloor: number;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** s_t = sin(2πt / period) + noise. */
function noisySine(length: number, period: number, noise: number): Tensor {
  const t = arange(0, length);
  return t
    .mul((2 * Math.PI) / period)
    .sin()
    .add(randn([length], { generator: new Generator(7) }).mul(noise));
}

/** Sliding windows: x[i] = s[i .. i+window), y[i] = s[i+window]. */
function windows(s: Tensor, window: number): [Tensor, Tensor] {
  const n = s.shape[0] - window;
  const idx = arange(0, n, 1, { dtype: 'int32' })
    .unsqueeze(1)
    .add(arange(0, window, 1, { dtype: 'int32' }));
  const x = s.indexSelect(0, idx.reshape(-1)).reshape(n, window);
  const y = s.narrow(0, window, n).unsqueeze(1);
  return [x, y];
}

/** An LSTM reads the window as a sequence of scalars; a linear head maps its last state to the forecast. */
class LstmForecaster extends nn.Module {
  lstm: nn.LSTM;
  head: nn.Linear;

  constructor(hidden: number) {
    super();
    this.lstm = new nn.LSTM(1, hidden, { batchFirst: true });
    this.head = new nn.Linear(hidden, 1);
  }

  override forward(x: Tensor): Tensor {
    const [, [h]] = this.lstm.forward(x.unsqueeze(2)); // x [B, T] -> [B, T, 1]; h [1, B, hidden]
    return this.head.forward(h.squeeze(0));
  }
}

async function fitAndTest(
  model: nn.Module,
  trainSet: [Tensor, Tensor],
  testSet: [Tensor, Tensor],
  epochs: number,
) {
  const loss = new nn.MSELoss();
  await train.fit(model, {
    train: trainSet,
    epochs,
    batchSize: 32,
    seed: 0,
    loss,
    optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
    verbose: 0,
  });
  return { mse: train.evaluate(model, testSet, { loss }).loss, pred: train.predict(model, testSet[0]) };
}

/** Trains both forecasters on the first 80% of the series and tests on the rest. */
export async function run(opts: { fast: boolean }): Promise<TimeSeriesResult> {
  manualSeed(0);
  // The CPU backend steps an LSTM slowly, so the fast run uses a shorter window and a smaller state.
  const window = opts.fast ? 10 : 20;
  const noise = 0.1;
  const series = noisySine(opts.fast ? 400 : 1000, 40, noise);
  const [x, y] = windows(series, window);
  const nTrain = Math.floor(0.8 * x.shape[0]);
  const nTest = x.shape[0] - nTrain;
  const trainSet: [Tensor, Tensor] = [x.narrow(0, 0, nTrain), y.narrow(0, 0, nTrain)];
  const testSet: [Tensor, Tensor] = [x.narrow(0, nTrain, nTest), y.narrow(0, nTrain, nTest)];

  const mlp = new nn.Sequential(new nn.Linear(window, 32), new nn.ReLU(), new nn.Linear(32, 1));

  const mlpOut = await fitAndTest(mlp, trainSet, testSet, opts.fast ? 20 : 60);
  const lstmOut = await fitAndTest(
    new LstmForecaster(opts.fast ? 16 : 32),
    trainSet,
    testSet,
    opts.fast ? 15 : 20,
  );
  const last = testSet[0].narrow(1, window - 1, 1);
  const naiveMse = last.sub(testSet[1]).pow(2).mean().item();

  const show = Math.min(120, nTest);
  const head = (t: Tensor) => t.narrow(0, 0, show).reshape(-1).toArray() as number[];
  const plot = opts.fast
    ? null
    : await writeSvg(
        'time-series.svg',
        lineChart(
          [
            { name: 'observed', y: head(testSet[1]) },
            { name: 'MLP forecast', y: head(mlpOut.pred) },
            { name: 'LSTM forecast', y: head(lstmOut.pred) },
          ],
          {
            title: 'Noisy sine: one-step-ahead forecasts on the test span',
            xTitle: 'test step',
            yTitle: 'value',
          },
        ),
      );
  const result = { mlpMse: mlpOut.mse, lstmMse: lstmOut.mse, naiveMse, noiseFloor: noise ** 2, plot };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: TimeSeriesResult): void {
  console.log('Noisy sine forecasting (test MSE, one step ahead):');
  console.log(`  naive (repeat last): ${r.naiveMse.toFixed(4)}`);
  console.log(`  MLP on the window:   ${r.mlpMse.toFixed(4)}`);
  console.log(`  LSTM on the window:  ${r.lstmMse.toFixed(4)}`);
  console.log(`  noise floor:         ${r.noiseFloor.toFixed(4)}`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
