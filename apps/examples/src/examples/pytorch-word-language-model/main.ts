// PyTorch's examples/word_language_model/main.py, ported line by line: an RNN/LSTM/GRU or
// Transformer language model (model.ts) on a word corpus (data.ts), truncated backpropagation
// through time (bptt 35), gradient clipping, plain SGD written out (`p.data.add_(p.grad,
// alpha=-lr)`) or AdamW with --use-optimizer, learning rate /4 when validation stops improving.
// The corpus is a 240 KB slice of WikiText-2 shipped in apps/examples/data/wikitext-2-slice
// (see its README for the license and the lines taken). Ours: `--limit N` keeps the first N
// tokens of each split (the dictionary stays the whole slice's).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed, nn, noGrad, optim, type Tensor, tidy } from '@proj/core';
import '@proj/backend-cpu';
import { loadSync, saveSync } from '@proj/core/node';
import { OUT_DIR } from '../../out.js';
import { ArgumentParser } from '../../pytorch/argparse.js';
import { enumerate, len, type RunOptions, range } from '../../pytorch/builtins.js';
import { Corpus } from './data.js';
import { type Hidden, RNNModel, type RnnType, TransformerModel } from './model.js';

/** apps/examples/data/wikitext-2-slice. */
export const DATA_DIR = fileURLToPath(new URL('../../../data/wikitext-2-slice', import.meta.url));

interface Args {
  data: string;
  model: string;
  emsize: number;
  nhid: number;
  nlayers: number;
  lr: number;
  clip: number;
  epochs: number;
  batchSize: number;
  bptt: number;
  dropout: number;
  tied: boolean;
  seed: number;
  logInterval: number;
  save: string;
  onnxExport: string;
  nhead: number;
  dryRun: boolean;
  accel: boolean;
  useOptimizer: boolean;
  limit: number | null;
}

/** What the run shows. */
export interface WordLanguageModelResult {
  /** Validation loss after each epoch (perplexity = exp(loss)). */
  valLoss: number[];
  /** Test loss of the best model. */
  testLoss: number;
  /** Words in the dictionary (the perplexity of a uniform guess). */
  ntokens: number;
  /** Seconds per epoch (training and validation). */
  epochSeconds: number[];
}

export function main(argv: readonly string[] = []): WordLanguageModelResult {
  const parser = new ArgumentParser({
    description: 'PyTorch Wikitext-2 RNN/LSTM/GRU/Transformer Language Model',
  });
  parser.addArgument('--data', { type: 'str', default: DATA_DIR, help: 'location of the data corpus' });
  parser.addArgument('--model', {
    type: 'str',
    default: 'LSTM',
    help: 'type of network (RNN_TANH, RNN_RELU, LSTM, GRU, Transformer)',
  });
  parser.addArgument('--emsize', { type: 'int', default: 200, help: 'size of word embeddings' });
  parser.addArgument('--nhid', { type: 'int', default: 200, help: 'number of hidden units per layer' });
  parser.addArgument('--nlayers', { type: 'int', default: 2, help: 'number of layers' });
  parser.addArgument('--lr', { type: 'float', default: 20, help: 'initial learning rate' });
  parser.addArgument('--clip', { type: 'float', default: 0.25, help: 'gradient clipping' });
  parser.addArgument('--epochs', { type: 'int', default: 40, help: 'upper epoch limit' });
  parser.addArgument('--batch_size', { type: 'int', default: 20, metavar: 'N', help: 'batch size' });
  parser.addArgument('--bptt', { type: 'int', default: 35, help: 'sequence length' });
  parser.addArgument('--dropout', {
    type: 'float',
    default: 0.2,
    help: 'dropout applied to layers (0 = no dropout)',
  });
  parser.addArgument('--tied', { action: 'store_true', help: 'tie the word embedding and softmax weights' });
  parser.addArgument('--seed', { type: 'int', default: 1111, help: 'random seed' });
  parser.addArgument('--log-interval', { type: 'int', default: 200, metavar: 'N', help: 'report interval' });
  parser.addArgument('--save', {
    type: 'str',
    default: join(OUT_DIR, 'pytorch-word-language-model', 'model.safetensors'),
    help: 'path to save the final model',
  });
  parser.addArgument('--onnx-export', {
    type: 'str',
    default: '',
    help: 'path to export the final model in onnx format',
  });
  parser.addArgument('--nhead', {
    type: 'int',
    default: 2,
    help: 'the number of heads in the encoder/decoder of the transformer model',
  });
  parser.addArgument('--dry-run', { action: 'store_true', help: 'verify the code and the model' });
  parser.addArgument('--accel', { action: 'store_true', help: 'Enables accelerated training' });
  parser.addArgument('--use-optimizer', {
    action: 'store_true',
    help: 'Uses AdamW optimizer for gradient updating',
  });
  parser.addArgument('--limit', { type: 'int', help: 'ours: the first N tokens of each split only' });
  const args = parser.parseArgs<Args>(argv);
  if (args.onnxExport !== '')
    throw new Error('--onnx-export: exporting the recurrent model to ONNX is not ported');

  // Set the random seed manually for reproducibility.
  manualSeed(args.seed);

  // The CPU backend stands for PyTorch's CPU device; there is no accelerator here.
  const device = 'cpu';

  console.log('Using device:', device);

  ///////////////////////////////////////////////////////////////////////////////
  // Load data
  ///////////////////////////////////////////////////////////////////////////////

  const corpus = new Corpus(args.data);
  // Ours: the first --limit tokens of each split.
  const cut = (t: Tensor) => (args.limit === null ? t : t.narrow(0, 0, Math.min(args.limit, len(t))));

  // Starting from sequential data, batchify arranges the dataset into columns.
  // For instance, with the alphabet as the sequence and batch size 4, we'd get
  // ┌ a g m s ┐
  // │ b h n t │
  // │ c i o u │
  // │ d j p v │
  // │ e k q w │
  // └ f l r x ┘.
  // These columns are treated as independent by the model, which means that the
  // dependence of e. g. 'g' on 'f' can not be learned, but allows more efficient
  // batch processing.

  function batchify(data: Tensor, bsz: number): Tensor {
    // Work out how cleanly we can divide the dataset into bsz parts.
    const nbatch = Math.floor(data.size(0) / bsz);
    // Trim off any extra elements that wouldn't cleanly fit (remainders).
    data = data.narrow(0, 0, nbatch * bsz);
    // Evenly divide the data across the bsz batches.
    data = data.view(bsz, -1).t().contiguous();
    return data.to(device);
  }

  const evalBatchSize = 10;
  const trainData = batchify(cut(corpus.train), args.batchSize);
  const valData = batchify(cut(corpus.valid), evalBatchSize);
  const testData = batchify(cut(corpus.test), evalBatchSize);

  ///////////////////////////////////////////////////////////////////////////////
  // Build the model
  ///////////////////////////////////////////////////////////////////////////////

  const ntokens = len(corpus.dictionary);
  let model: RNNModel | TransformerModel;
  if (args.model === 'Transformer') {
    model = new TransformerModel(ntokens, args.emsize, args.nhead, args.nhid, args.nlayers, args.dropout).to(
      device,
    );
  } else {
    model = new RNNModel(
      args.model as RnnType,
      ntokens,
      args.emsize,
      args.nhid,
      args.nlayers,
      args.dropout,
      args.tied,
    ).to(device);
  }

  const criterion = new nn.NLLLoss();
  let optimizer: optim.AdamW | null = null;
  if (args.useOptimizer) optimizer = new optim.AdamW(model.parameters(), { lr: args.lr });

  ///////////////////////////////////////////////////////////////////////////////
  // Training code
  ///////////////////////////////////////////////////////////////////////////////

  /** Wraps hidden states in new Tensors, to detach them from their history. */
  function repackageHidden(h: Hidden): Hidden {
    if (!Array.isArray(h)) return h.detach();
    return h.map((v) => repackageHidden(v)) as Hidden;
  }

  // get_batch subdivides the source data into chunks of length args.bptt.
  // If source is equal to the example output of the batchify function, with
  // a bptt-limit of 2, we'd get the following two Variables for i = 0:
  // ┌ a g m s ┐ ┌ b h n t ┐
  // └ b h n t ┘ └ c i o u ┘
  // Note that despite the name of the function, the subdivison of data is not
  // done along the batch dimension (i.e. dimension 1), since that was handled
  // by the batchify function. The chunks are along dimension 0, corresponding
  // to the seq_len dimension in the LSTM.

  function getBatch(source: Tensor, i: number): [Tensor, Tensor] {
    const seqLen = Math.min(args.bptt, len(source) - 1 - i);
    const data = source.index(`${i}:${i + seqLen}`);
    const target = source.index(`${i + 1}:${i + 1 + seqLen}`).view(-1);
    return [data, target];
  }

  function evaluate(dataSource: Tensor): number {
    // Turn on evaluation mode which disables dropout.
    model.eval();
    let totalLoss = 0;
    const ntokens = len(corpus.dictionary);
    let hidden: Hidden | null = null;
    if (args.model !== 'Transformer') hidden = (model as RNNModel).initHidden(evalBatchSize);
    noGrad(() => {
      for (const i of range(0, dataSource.size(0) - 1, args.bptt)) {
        hidden = tidy(() => {
          const [data, targets] = getBatch(dataSource, i);
          let output: Tensor;
          if (args.model === 'Transformer') {
            output = (model as TransformerModel).forward(data);
            output = output.view(-1, ntokens);
          } else {
            [output, hidden] = (model as RNNModel).forward(data, hidden!);
            hidden = repackageHidden(hidden);
          }
          totalLoss += len(data) * criterion.forward(output, targets).item();
          return hidden;
        });
      }
    });
    return totalLoss / (len(dataSource) - 1);
  }

  function train(): void {
    // Turn on training mode which enables dropout.
    model.train();
    let totalLoss = 0;
    let startTime = performance.now();
    const ntokens = len(corpus.dictionary);
    let hidden: Hidden | null = null;
    if (args.model !== 'Transformer') hidden = (model as RNNModel).initHidden(args.batchSize);
    for (const [batch, i] of enumerate(range(0, trainData.size(0) - 1, args.bptt))) {
      hidden = tidy(() => {
        const [data, targets] = getBatch(trainData, i);
        // Starting each batch, we detach the hidden state from how it was previously produced.
        // If we didn't, the model would try backpropagating all the way to start of the dataset.
        if (args.useOptimizer) optimizer!.zeroGrad();
        else model.zeroGrad();
        let output: Tensor;
        if (args.model === 'Transformer') {
          output = (model as TransformerModel).forward(data);
          output = output.view(-1, ntokens);
        } else {
          hidden = repackageHidden(hidden!);
          [output, hidden] = (model as RNNModel).forward(data, hidden);
        }
        const loss = criterion.forward(output, targets);
        loss.backward();

        // `clip_grad_norm` helps prevent the exploding gradient problem in RNNs / LSTMs.
        nn.utils.clipGradNorm_(model.parameters(), args.clip);
        if (args.useOptimizer) {
          optimizer!.step();
        } else {
          // p.data.add_(p.grad, alpha=-lr): PyTorch's untracked alias is detach() here
          for (const p of model.parameters()) p.detach().add_(p.grad!, -lr);
        }

        totalLoss += loss.item();
        return hidden;
      });

      if (batch % args.logInterval === 0 && batch > 0) {
        const curLoss = totalLoss / args.logInterval;
        const elapsed = (performance.now() - startTime) / 1000;
        console.log(
          `| epoch ${String(epoch).padStart(3)} | ${String(batch).padStart(5)}/${String(Math.floor(len(trainData) / args.bptt)).padStart(5)} batches | lr ${lr.toFixed(2).padStart(2, '0')} | ms/batch ${((elapsed * 1000) / args.logInterval).toFixed(2).padStart(5)} | loss ${curLoss.toFixed(2).padStart(5)} | ppl ${Math.exp(curLoss).toFixed(2).padStart(8)}`,
        );
        totalLoss = 0;
        startTime = performance.now();
      }
      if (args.dryRun) break;
    }
  }

  // Loop over epochs.
  let lr = args.lr;
  let bestValLoss: number | null = null;
  let epoch = 0;
  const result: WordLanguageModelResult = { valLoss: [], testLoss: Number.NaN, ntokens, epochSeconds: [] };

  for (epoch of range(1, args.epochs + 1)) {
    const epochStartTime = performance.now();
    train();
    const valLoss = evaluate(valData);
    result.valLoss.push(valLoss);
    result.epochSeconds.push((performance.now() - epochStartTime) / 1000);
    console.log('-'.repeat(89));
    console.log(
      `| end of epoch ${String(epoch).padStart(3)} | time: ${((performance.now() - epochStartTime) / 1000).toFixed(2).padStart(5)}s | valid loss ${valLoss.toFixed(2).padStart(5)} | valid ppl ${Math.exp(valLoss).toFixed(2).padStart(8)}`,
    );
    console.log('-'.repeat(89));
    // Save the model if the validation loss is the best we've seen so far.
    if (!bestValLoss || valLoss < bestValLoss) {
      mkdirSync(dirname(args.save), { recursive: true });
      saveSync(args.save, model.stateDict()); // torch.save(model, f): the state dict here
      bestValLoss = valLoss;
    } else {
      // Anneal the learning rate if no improvement has been seen in the validation dataset.
      lr /= 4.0;
    }
  }

  // Load the best saved model.
  model.loadStateDict(loadSync(args.save) as nn.StateDict);
  // (model.rnn.flatten_parameters(): nothing to flatten here)

  // Run on test data.
  const testLoss = evaluate(testData);
  result.testLoss = testLoss;
  console.log('='.repeat(89));
  console.log(
    `| End of training | test loss ${testLoss.toFixed(2).padStart(5)} | test ppl ${Math.exp(testLoss).toFixed(2).padStart(8)}`,
  );
  console.log('='.repeat(89));
  return result;
}

/** The configuration the tests use: one epoch of a small LSTM on the first 4,000 tokens of each split. */
const FAST = [
  '--epochs',
  '1',
  '--limit',
  '4000',
  '--emsize',
  '32',
  '--nhid',
  '32',
  '--bptt',
  '20',
  '--log-interval',
  '2',
];

export async function run(opts: RunOptions): Promise<WordLanguageModelResult> {
  return main([...(opts.fast ? FAST : []), ...(opts.argv ?? [])]);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/')))
  main(process.argv.slice(2));
