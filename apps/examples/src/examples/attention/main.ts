// Attention weights of a small transformer: a one-layer TransformerEncoder learns to reverse a
// sequence of tokens (output position i must emit input token L-1-i). Nothing but attention
// moves information between positions, so after training each query position attends to its
// mirror position: the head-averaged attention matrix becomes an anti-diagonal.
import { arange, manualSeed, nn, noGrad, optim, randint, type Tensor, train } from '@proj/core';
import '@proj/backend-cpu';
import { heatmap } from '@proj/plot';
import { writeSvg } from '../../out.js';

const VOCAB = 10;
const LENGTH = 6;
const D_MODEL = 32;

/** Embedding + sinusoidal positions → one encoder layer → per-position token logits. */
class Reverser extends nn.Module {
  embed = new nn.Embedding(VOCAB, D_MODEL);
  pos = new nn.PositionalEncoding(D_MODEL, { dropout: 0, batchFirst: true });
  encoder = new nn.TransformerEncoder(
    new nn.TransformerEncoderLayer(D_MODEL, 2, { dimFeedforward: 64, dropout: 0, batchFirst: true }),
    1,
  );
  head = new nn.Linear(D_MODEL, VOCAB);

  /** What the encoder sees: token embeddings plus positions, [B, L, D]. */
  embedded(x: Tensor): Tensor {
    return this.pos.forward(this.embed.forward(x));
  }

  override forward(x: Tensor): Tensor {
    return this.head.forward(this.encoder.forward(this.embedded(x))); // [B, L, VOCAB]
  }

  /** The layer's self-attention weights, averaged over heads: [B, L (query), L (key)]. */
  attention(x: Tensor): Tensor {
    const layer = this.encoder.layers.children()[0] as nn.TransformerEncoderLayer;
    const h = this.embedded(x);
    return layer.self_attn.forward(h, h, h, { needWeights: true })[1] as Tensor;
  }
}

/** What the example demonstrates. */
export interface AttentionResult {
  /** Fraction of test tokens put in the right (reversed) place. */
  accuracy: number;
  /** Mean attention weight on the mirror position (uniform attention would give 1 / LENGTH). */
  mirrorAttention: number;
  /** Attention matrix of one test sequence, rows = output positions, columns = input positions. */
  example: { tokens: number[]; weights: number[][] };
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Trains the reverser and reads its attention weights on fresh sequences. */
export async function run(opts: { fast: boolean }): Promise<AttentionResult> {
  manualSeed(0);
  const mirror = arange(LENGTH - 1, -1, -1, { dtype: 'int32' }); // [5, 4, 3, 2, 1, 0]
  const sequences = (n: number): [Tensor, Tensor] => {
    const x = randint(0, VOCAB, [n, LENGTH]);
    return [x, x.indexSelect(1, mirror)];
  };
  const trainSet = sequences(opts.fast ? 2000 : 8000);
  const [xTest, yTest] = sequences(500);
  const model = new Reverser();
  const ce = new nn.CrossEntropyLoss();
  const loss = (logits: Tensor, target: Tensor) => ce.forward(logits.reshape(-1, VOCAB), target.reshape(-1));
  await train.fit(model, {
    train: trainSet,
    epochs: opts.fast ? 4 : 10,
    batchSize: 64,
    seed: 0,
    loss,
    optimizer: new optim.Adam(model.parameters(), { lr: 0.005 }),
    verbose: 0,
  });

  const accuracy = train.predict(model, xTest).argmax(2).eq(yTest).float().mean().item();
  model.eval();
  const weights = noGrad(() => model.attention(xTest)); // [500, L, L]
  // Weight of query i on key L-1-i, averaged over queries and sequences.
  const onMirror = weights.gather(2, mirror.reshape(1, LENGTH, 1).expand(xTest.shape[0], LENGTH, 1));
  const mirrorAttention = onMirror.mean().item();

  const tokens = xTest.narrow(0, 0, 1).reshape(-1).toArray() as number[];
  const example = weights.narrow(0, 0, 1).squeeze(0).toArray() as number[][];
  const plot = opts.fast
    ? null
    : await writeSvg(
        'attention.svg',
        heatmap(example, {
          title: 'Self-attention of a sequence-reversing transformer',
          rowLabels: tokens.map((_, i) => `${i}: ${tokens[LENGTH - 1 - i]}`),
          colLabels: tokens.map((t, i) => `${i}: ${t}`),
          rowTitle: 'output position: token',
          colTitle: 'input position: token',
          digits: 2,
        }),
      );
  const result = { accuracy, mirrorAttention, example: { tokens, weights: example }, plot };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: AttentionResult): void {
  console.log('Transformer reversing sequences of 6 tokens:');
  console.log(`  tokens in the right place: ${(100 * r.accuracy).toFixed(1)}%`);
  console.log(
    `  mean attention on the mirror position: ${r.mirrorAttention.toFixed(3)} (uniform: ${(1 / LENGTH).toFixed(3)})`,
  );
  console.log(`  attention for input [${r.example.tokens.join(', ')}] (rows: output positions):`);
  for (const row of r.example.weights) console.log(`    ${row.map((w) => w.toFixed(2)).join(' ')}`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
