// nn.functional for the sequence area: attention, the recurrences, embeddingBag.
export type { ScaledDotProductAttentionOptions } from './attention.js';
export { generateSquareSubsequentMask, scaledDotProductAttention } from './attention.js';
export type { EmbeddingBagMode, EmbeddingBagOptions } from './embedding-bag.js';
export { embeddingBag } from './embedding-bag.js';
export type { RecurrentLayerResult, RecurrentMode, RecurrentWeights } from './recurrent.js';
export { recurrentLayer } from './recurrent.js';
