// nn.functional for the sequence area: attention and the recurrences.
export type { ScaledDotProductAttentionOptions } from './attention.js';
export { generateSquareSubsequentMask, scaledDotProductAttention } from './attention.js';
export type { RecurrentLayerResult, RecurrentMode, RecurrentWeights } from './recurrent.js';
export { recurrentLayer } from './recurrent.js';
