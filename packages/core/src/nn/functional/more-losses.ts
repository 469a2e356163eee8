// nn.functional: the losses of contract v2 beyond the basic area's (margin and embedding losses,
// distribution likelihoods, CTC). The basic ones are exported by basic.ts.
export type { CTCOptions, Lengths } from './ctc-loss.js';
export { ctcLoss } from './ctc-loss.js';
export type { GaussianNLLOptions, PoissonNLLOptions } from './losses-likelihood.js';
export { gaussianNllLoss, poissonNllLoss } from './losses-likelihood.js';
export type {
  MarginOptions,
  MultilabelSoftMarginOptions,
  MultiMarginOptions,
  TripletMarginOptions,
} from './losses-margin.js';
export {
  cosineEmbeddingLoss,
  hingeEmbeddingLoss,
  marginRankingLoss,
  multilabelMarginLoss,
  multilabelSoftMarginLoss,
  multiMarginLoss,
  softMarginLoss,
  tripletMarginLoss,
} from './losses-margin.js';
