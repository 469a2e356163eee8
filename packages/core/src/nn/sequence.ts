// The sequence nn area: recurrent layers and cells, attention, transformers, positional
// encoding, EmbeddingBag.

export { generateSquareSubsequentMask } from './functional/attention.js';
export type {
  MultiheadAttentionForwardOptions,
  MultiheadAttentionOptions,
} from './layers/attention.js';
export { MultiheadAttention, NonDynamicallyQuantizableLinear } from './layers/attention.js';
export type {
  EmbeddingBagForwardOptions,
  EmbeddingBagFromPretrainedOptions,
  EmbeddingBagLayerOptions,
} from './layers/embedding-bag.js';
export { EmbeddingBag } from './layers/embedding-bag.js';
export { GRU } from './layers/gru.js';
export { LSTM } from './layers/lstm.js';
export type { PositionalEncodingOptions } from './layers/positional-encoding.js';
export { PositionalEncoding } from './layers/positional-encoding.js';
export type { RecurrentOptions } from './layers/recurrent-base.js';
export { RecurrentBase } from './layers/recurrent-base.js';
export type { RecurrentOutputOptions } from './layers/recurrent-output.js';
export { RecurrentOutput } from './layers/recurrent-output.js';
export type { RNNOptions } from './layers/rnn.js';
export { RNN } from './layers/rnn.js';
export type { RNNCellLayerOptions, RNNCellOptions } from './layers/rnn-cell.js';
export { GRUCell, LSTMCell, RNNCell, RNNCellBase } from './layers/rnn-cell.js';
export type {
  TransformerEncoderForwardOptions,
  TransformerEncoderLayerForwardOptions,
  TransformerEncoderLayerOptions,
  TransformerEncoderOptions,
} from './layers/transformer.js';
export { TransformerEncoder, TransformerEncoderLayer } from './layers/transformer.js';
export type {
  DecoderMasks,
  TransformerDecoderForwardOptions,
  TransformerDecoderLayerOptions,
  TransformerDecoderOptions,
} from './layers/transformer-decoder.js';
export { TransformerDecoder, TransformerDecoderLayer } from './layers/transformer-decoder.js';
export type { TransformerForwardOptions, TransformerOptions } from './layers/transformer-model.js';
export { Transformer } from './layers/transformer-model.js';
