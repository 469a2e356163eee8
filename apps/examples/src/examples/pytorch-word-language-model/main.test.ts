import { join } from 'node:path';
import { manualSeed, nn, type Tensor, tensor, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../pytorch/expect-close.js';
import { formulaInit, PORT_FIXTURE, sums } from '../../pytorch/formula.js';
import { Corpus } from './data.js';
import { DATA_DIR, run } from './main.js';
import type { Hidden } from './model.js';
import { RNNModel, TransformerModel } from './model.js';

const shapes = (m: RNNModel | TransformerModel) =>
  Object.entries(m.stateDict()).map(([k, v]) => `${k} [${v.shape.join(', ')}]`);

describe("PyTorch's word_language_model example, ported", () => {
  it('tokenizes the WikiText-2 slice as data.py does: <eos> after each line, one shared dictionary', () => {
    const corpus = new Corpus(DATA_DIR);
    // /usr/bin/python3, data.Corpus on the same three files: 6,028 words; 31,772 / 7,993 / 7,746 tokens.
    expect(corpus.dictionary.length).toBe(6028);
    expect([corpus.train.size(0), corpus.valid.size(0), corpus.test.size(0)]).toEqual([31772, 7993, 7746]);
    expect(corpus.train.dtype).toBe('int64');
    expect(corpus.dictionary.idx2word.slice(0, 4)).toEqual(['<eos>', '=', 'Robert', '<unk>']);
    expect(() => new Corpus(join(DATA_DIR, 'missing'))).toThrow(/no such file/);
  });

  it("builds PyTorch's RNNModel and TransformerModel with PyTorch's state-dict keys", () => {
    manualSeed(0);
    // From /usr/bin/python3 on examples/word_language_model/model.py with the same sizes.
    expect(shapes(new RNNModel('LSTM', 50, 8, 8, 2, 0.2))).toEqual([
      'encoder.weight [50, 8]',
      'rnn.weight_ih_l0 [32, 8]',
      'rnn.weight_hh_l0 [32, 8]',
      'rnn.bias_ih_l0 [32]',
      'rnn.bias_hh_l0 [32]',
      'rnn.weight_ih_l1 [32, 8]',
      'rnn.weight_hh_l1 [32, 8]',
      'rnn.bias_ih_l1 [32]',
      'rnn.bias_hh_l1 [32]',
      'decoder.weight [50, 8]',
      'decoder.bias [50]',
    ]);
    const t = new TransformerModel(50, 8, 2, 16, 2, 0.2);
    const keys = shapes(t);
    expect(keys).toHaveLength(30);
    expect(keys.filter((k) => !k.startsWith('encoder.layers'))).toEqual([
      'encoder.norm.weight [8]',
      'encoder.norm.bias [8]',
      'decoder.weight [50, 8]',
      'decoder.bias [50]',
      'pos_encoder.pe [5000, 1, 8]',
      'input_emb.weight [50, 8]',
    ]);
    expect(t.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(2066);
    t.eval();
    const out = t.forward(
      tensor([
        [1n, 2n],
        [3n, 4n],
        [5n, 6n],
      ]),
    );
    expect(out.shape).toEqual([3, 2, 50]);
  });

  it('brings the validation perplexity far below the vocabulary size in one epoch', async () => {
    const r = await run({ fast: true });
    expect(r.ntokens).toBe(6028);
    // PyTorch 1.13 with the same flags and tokens: valid ppl 1619, test ppl 1741.
    expect(Math.exp(r.valLoss[0])).toBeLessThan(r.ntokens / 2.5);
    expect(Math.exp(r.testLoss)).toBeLessThan(r.ntokens / 2.5);
  });

  it("computes what PyTorch's RNNModel (LSTM, GRU, RNN_TANH) and TransformerModel compute: three bptt steps", () => {
    const fx = PORT_FIXTURE.word_language_model;
    const tokens = tensor(
      Array.from({ length: 64 }, (_, i) => (7 * i + Math.floor(i / 5)) % 30),
      { dtype: 'int64' },
    );
    const source = tokens.view(4, -1).t().contiguous(); // batchify(data, 4)
    const criterion = new nn.NLLLoss();
    const sgd = (model: nn.Module) => {
      nn.utils.clipGradNorm_(model.parameters(), 0.25);
      for (const p of model.parameters()) p.detach().add_(p.grad!, -20);
    };
    for (const rnnType of ['LSTM', 'GRU', 'RNN_TANH'] as const) {
      const model = new RNNModel(rnnType, 30, 8, 8, 2, 0.0);
      formulaInit(model);
      let hidden: Hidden = model.initHidden(4);
      const losses: number[] = [];
      model.train();
      for (const i of [0, 5, 10]) {
        hidden = tidy(() => {
          const [data, targets] = [
            source.index(`${i}:${i + 5}`),
            source.index(`${i + 1}:${i + 6}`).reshape(-1),
          ];
          model.zeroGrad();
          hidden = Array.isArray(hidden) ? [hidden[0].detach(), hidden[1].detach()] : hidden.detach();
          let output: Tensor;
          [output, hidden] = model.forward(data, hidden);
          const loss = criterion.forward(output, targets);
          loss.backward();
          sgd(model);
          losses.push(loss.item());
          return hidden;
        });
      }
      expectClose(losses, fx[rnnType].losses, 1e-4, `${rnnType} losses`);
      expectClose(sums(model.decoder.weight), fx[rnnType].decoder, 1e-4, `${rnnType} decoder.weight sums`);
    }
    const model = new TransformerModel(30, 8, 2, 16, 2, 0.0);
    formulaInit(model);
    model.eval();
    const losses: number[] = [];
    for (const i of [0, 5]) {
      tidy(() => {
        const [data, targets] = [
          source.index(`${i}:${i + 5}`),
          source.index(`${i + 1}:${i + 6}`).reshape(-1),
        ];
        model.zeroGrad();
        const loss = criterion.forward(model.forward(data).view(-1, 30), targets);
        loss.backward();
        sgd(model);
        losses.push(loss.item());
      });
    }
    expectClose(losses, fx.Transformer.losses, 1e-4, 'Transformer losses');
    expectClose(
      sums((model.decoder as nn.Linear).weight),
      fx.Transformer.decoder,
      1e-4,
      'Transformer decoder.weight sums',
    );
  });
});
