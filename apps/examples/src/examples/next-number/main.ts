// RNN next-number prediction: an nn.RNN reads five numbers of an arithmetic sequence
// (start a, step d: 3, 7, 11, 15, 19) one at a time, and a linear head on its last hidden state
// predicts the next one (23). The network is never told the rule; it infers a and d from the
// examples. Then it continues an unseen sequence autoregressively, feeding its own predictions back.
import { Generator, manualSeed, nn, noGrad, optim, type Tensor, tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { scatterChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

const STEPS = 5;
/** Numbers are divided by this so the RNN sees values of order 1. */
const SCALE = 40;

/** What the example demonstrates. */
export interface NextNumberResult {
  /** Fraction of test sequences whose rounded prediction is the true next number. */
  accuracy: number;
  /** Mean absolute error of the prediction, in the sequences' own units. */
  mae: number;
  /** A test sequence and the numbers the RNN appended to it, one at a time. */
  prompt: number[];
  continuation: number[];
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** `n` arithmetic sequences of STEPS + 1 numbers: start in [0, 20), step in [-3, 6). */
function sequences(n: number, gen: Generator): [Tensor, Tensor] {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = gen.int(0, 20);
    const d = gen.int(-3, 6);
    x.push(Array.from({ length: STEPS }, (_, k) => (a + k * d) / SCALE));
    y.push((a + STEPS * d) / SCALE);
  }
  return [tensor(x), tensor(y).unsqueeze(1)];
}

/** The RNN reads `[B, T]` numbers and predicts the next one from its last hidden state. */
class NextNumber extends nn.Module {
  rnn = new nn.RNN(1, 32, { batchFirst: true });
  head = new nn.Linear(32, 1);

  override forward(x: Tensor): Tensor {
    const [, h] = this.rnn.forward(x.unsqueeze(2)); // h [1, B, 32]
    return this.head.forward(h.squeeze(0));
  }
}

/** Feeds the model its own predictions to continue `prompt` by `count` numbers. */
function continueSequence(model: nn.Module, prompt: number[], count: number): number[] {
  const seq = [...prompt];
  model.eval();
  noGrad(() => {
    for (let i = 0; i < count; i++) {
      const last = tensor([seq.slice(-STEPS).map((v) => v / SCALE)]);
      seq.push(Math.round(model.forward(last).item() * SCALE));
    }
  });
  return seq.slice(prompt.length);
}

/** Trains the RNN on random arithmetic sequences and tests it on fresh ones. */
export async function run(opts: { fast: boolean }): Promise<NextNumberResult> {
  manualSeed(0);
  const gen = new Generator(3);
  const trainSet = sequences(opts.fast ? 1000 : 4000, gen);
  const testSet = sequences(500, gen);
  const model = new NextNumber();
  await train.fit(model, {
    train: trainSet,
    epochs: opts.fast ? 15 : 40,
    batchSize: 32,
    seed: 0,
    loss: new nn.MSELoss(),
    optimizer: new optim.Adam(model.parameters(), { lr: 0.005 }),
    verbose: 0,
  });
  const pred = train.predict(model, testSet[0]).mul(SCALE);
  const truth = testSet[1].mul(SCALE);
  const accuracy = pred.round().eq(truth.round()).float().mean().item();
  const mae = pred.sub(truth).abs().mean().item();

  const prompt = [2, 5, 8, 11, 14];
  const continuation = continueSequence(model, prompt, 4);
  const p = pred.reshape(-1).toArray() as number[];
  const t = truth.reshape(-1).toArray() as number[];
  const plot = opts.fast
    ? null
    : await writeSvg(
        'next-number.svg',
        scatterChart([{ name: 'test sequences', x: t, y: p }], {
          title: 'RNN: predicted vs true next number',
          xTitle: 'true next number',
          yTitle: 'predicted',
          lines: [
            { name: 'perfect', x: [Math.min(...t), Math.max(...t)], y: [Math.min(...t), Math.max(...t)] },
          ],
        }),
      );
  const result = { accuracy, mae, prompt, continuation, plot };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: NextNumberResult): void {
  console.log('RNN next-number prediction on arithmetic sequences:');
  console.log(`  exact (rounded) next number on test sequences: ${(100 * r.accuracy).toFixed(1)}%`);
  console.log(`  mean absolute error: ${r.mae.toFixed(3)}`);
  console.log(`  ${r.prompt.join(', ')} -> ${r.continuation.join(', ')}`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
