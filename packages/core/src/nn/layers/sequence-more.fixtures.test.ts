// The contract-v2 sequence layers against PyTorch 1.13 (fixtures/nn-sequence-more.json): cells,
// the transformer decoder and model, Embedding.fromPretrained, EmbeddingBag, packed sequences.
import '@proj/backend-cpu';
import { describe, it } from 'vitest';
import { runSequenceMoreCase, sequenceMoreCases } from '../sequence-more-fixture.js';

const groups: [string, string][] = [
  ['RNNCell', 'rnnCell/'],
  ['LSTMCell', 'lstmCell/'],
  ['GRUCell', 'gruCell/'],
  ['TransformerDecoderLayer', 'transformerDecoderLayer/'],
  ['TransformerDecoder', 'transformerDecoder/'],
  ['Transformer', 'transformer/'],
  ['Embedding.fromPretrained', 'embeddingFromPretrained/'],
  ['EmbeddingBag', 'embeddingBag/'],
  ['RNN, LSTM and GRU over a PackedSequence', 'packed/'],
];

for (const [what, prefix] of groups) {
  describe(`${what} matches PyTorch (fixtures/nn-sequence-more.json)`, () => {
    for (const c of sequenceMoreCases(prefix)) it(c.name, () => runSequenceMoreCase(c));
  });
}
