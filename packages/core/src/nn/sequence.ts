// The sequence nn area: recurrent layers, attention, transformer encoder, positional encoding.

export { generateSquareSubsequentMask } from './functional/attention.js';
export type {
  MultiheadAttentionForwardOptions,
  MultiheadAttentionOptions,
} from './layers/attention.js';
export { MultiheadAttention, NonDynamicallyQuantizableLinear } from './layers/attention.js';
export { GRU } from './layers/gru.js';
export { LSTM } from './layers/lstm.js';
export type { PositionalEncodingOptions } from './layers/positional-encoding.js';
export { PositionalEncoding } from './layers/positional-encoding.js';
export type { RecurrentOptions } from './layers/recurrent-base.js';
export { RecurrentBase } from './layers/recurrent-base.js';
export type { RNNOptions } from './layers/rnn.js';
export { RNN } from './layers/rnn.js';
export type {
  TransformerEncoderForwardOptions,
  TransformerEncoderLayerForwardOptions,
  TransformerEncoderLayerOptions,
  TransformerEncoderOptions,
} from './layers/transformer.js';
export { TransformerEncoder, TransformerEncoderLayer } from './layers/transformer.js';
