// Char-level text generation: an LSTM (and a GRU) learns to predict the next character of a
// short public-domain paragraph (the opening of Dickens' "A Tale of Two Cities", 1859), then
// writes new text one character at a time, sampling from softmax(logits / temperature):
// a low temperature picks the likeliest characters, a high one takes more risks.
import { Generator, manualSeed, nn, noGrad, optim, type Tensor, tensor, tidy, train } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** The corpus, embedded in the source (public domain). */
export const TEXT =
  'It was the best of times, it was the worst of times, it was the age of wisdom, it was the age of ' +
  'foolishness, it was the epoch of belief, it was the epoch of incredulity, it was the season of Light, ' +
  'it was the season of Darkness, it was the spring of hope, it was the winter of despair, we had ' +
  'everything before us, we had nothing before us, we were all going direct to Heaven, we were all going ' +
  'direct the other way - in short, the period was so far like the present period, that some of its ' +
  'noisiest authorities insisted on its being received, for good or for evil, in the superlative degree ' +
  'of comparison only.';

const PROMPT = 'It was the ';
const VOCAB = [...new Set(TEXT)].sort();
const encode = (s: string) => [...s].map((c) => VOCAB.indexOf(c));

type Cell = 'lstm' | 'gru';
type State = Tensor | [Tensor, Tensor] | null;

/** Embedding → LSTM or GRU → a linear layer giving next-character logits at every position. */
class CharModel extends nn.Module {
  embed: nn.Embedding;
  rnn: nn.LSTM | nn.GRU;
  head: nn.Linear;

  constructor(cell: Cell, hidden: number) {
    super();
    this.embed = new nn.Embedding(VOCAB.length, 16);
    this.rnn =
      cell === 'lstm'
        ? new nn.LSTM(16, hidden, { batchFirst: true })
        : new nn.GRU(16, hidden, { batchFirst: true });
    this.head = new nn.Linear(hidden, VOCAB.length);
  }

  /** `x` [B, T] character ids (and the state carried over) → logits [B, T, V] and the new state. */
  step(x: Tensor, state: State): [Tensor, State] {
    const e = this.embed.forward(x);
    // Narrowed per class: the two forwards are overloaded (tensor or PackedSequence input).
    const [out, next] = (
      this.rnn instanceof nn.LSTM ? this.rnn.forward(e, state as any) : this.rnn.forward(e, state as any)
    ) as [Tensor, State];
    return [this.head.forward(out), next];
  }

  override forward(x: Tensor): Tensor {
    return this.step(x, null)[0];
  }
}

/** Every window of `len` + 1 characters: inputs are the first `len`, targets the last `len`. */
function windows(len: number): [Tensor, Tensor] {
  const ids = encode(TEXT);
  const xs: number[][] = [];
  const ys: number[][] = [];
  for (let i = 0; i + len < ids.length; i++) {
    xs.push(ids.slice(i, i + len));
    ys.push(ids.slice(i + 1, i + len + 1));
  }
  return [tensor(xs, { dtype: 'int32' }), tensor(ys, { dtype: 'int32' })];
}

/** Writes `count` characters after `prompt`, sampling each from softmax(logits / temperature). */
export function sample(
  model: CharModel,
  prompt: string,
  count: number,
  temperature: number,
  gen: Generator,
): string {
  model.eval();
  return tidy(() =>
    noGrad(() => {
      let [logits, state] = model.step(tensor([encode(prompt)], { dtype: 'int32' }), null);
      let out = '';
      for (let i = 0; i < count; i++) {
        const last = logits.narrow(1, logits.shape[1] - 1, 1).reshape(-1);
        const probs = last.div(temperature).softmax(0).toArray() as number[];
        let r = gen.random();
        let id = probs.findIndex((p) => (r -= p) < 0);
        if (id < 0) id = probs.length - 1; // rounding left r a hair above 0
        out += VOCAB[id];
        [logits, state] = model.step(tensor([[id]], { dtype: 'int32' }), state);
      }
      return out;
    }),
  );
}

/** What the example demonstrates, per recurrent cell. */
export interface CharRnnResult {
  /** Cross-entropy per character (nats) after training; a uniform guess scores ln(vocabulary size). */
  loss: Record<Cell, number>;
  uniformLoss: number;
  /** Text generated after the prompt "It was the " at a low and a high temperature. */
  samples: Record<Cell, { temperature: number; text: string }[]>;
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Trains an LSTM and a GRU on the paragraph and samples from both. */
export async function run(opts: { fast: boolean }): Promise<CharRnnResult> {
  const [x, y] = windows(opts.fast ? 12 : 24);
  const ce = new nn.CrossEntropyLoss();
  const loss = (logits: Tensor, target: Tensor) =>
    ce.forward(logits.reshape(-1, VOCAB.length), target.reshape(-1));
  const result: CharRnnResult = {
    loss: { lstm: 0, gru: 0 },
    uniformLoss: Math.log(VOCAB.length),
    samples: { lstm: [], gru: [] },
    plot: null,
  };
  const curves = [];
  for (const cell of ['lstm', 'gru'] as const) {
    manualSeed(0);
    const model = new CharModel(cell, opts.fast ? 32 : 64);
    const history = await train.fit(model, {
      train: [x, y],
      epochs: opts.fast ? 5 : 25,
      batchSize: opts.fast ? 64 : 32,
      seed: 0,
      loss,
      optimizer: new optim.Adam(model.parameters(), { lr: opts.fast ? 0.02 : 0.005 }),
      verbose: 0,
    });
    result.loss[cell] = train.evaluate(model, [x, y], { loss, batchSize: 256 }).loss;
    curves.push({ name: cell.toUpperCase(), y: history.batches.map((b) => b.loss) });
    for (const temperature of [0.5, 1.5]) {
      const text = sample(model, PROMPT, opts.fast ? 60 : 200, temperature, new Generator(1));
      result.samples[cell].push({ temperature, text });
    }
  }
  result.plot = opts.fast
    ? null
    : await writeSvg(
        'char-rnn.svg',
        lineChart(curves, {
          title: 'Char-level RNN: training loss per batch',
          xTitle: 'batch',
          yTitle: 'cross-entropy (nats/char)',
        }),
      );
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: CharRnnResult): void {
  console.log(
    `Char-level text generation (${VOCAB.length} characters; uniform guess ${r.uniformLoss.toFixed(2)} nats/char)`,
  );
  for (const cell of ['lstm', 'gru'] as const) {
    console.log(`${cell.toUpperCase()}: ${r.loss[cell].toFixed(3)} nats/char`);
    for (const s of r.samples[cell]) console.log(`  temperature ${s.temperature}: ${PROMPT}${s.text}`);
  }
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
