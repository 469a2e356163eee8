// The loss modules of contract v2 beyond the basic area's (which basic.ts exports).
export { CTCLoss } from './ctc.js';
export { GaussianNLLLoss, PoissonNLLLoss } from './likelihood.js';
export {
  CosineEmbeddingLoss,
  HingeEmbeddingLoss,
  MarginRankingLoss,
  MultiLabelMarginLoss,
  MultiLabelSoftMarginLoss,
  MultiMarginLoss,
  SoftMarginLoss,
  TripletMarginLoss,
} from './margin.js';
