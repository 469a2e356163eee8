// The same function as nn.functional.oneHot: int64 `[...indices.shape, numClasses]`.
export { oneHot } from '../nn/functional/layers.js';
export { defaultCollate, defaultConvert } from './collate.js';
export { ConcatDataset } from './concat-dataset.js';
export type { DataLoaderDataset, DataLoaderOptions, DefaultBatch } from './dataloader.js';
export { DataLoader } from './dataloader.js';
export type { MapStyleDataset } from './dataset.js';
export { Dataset, Subset, TensorDataset } from './dataset.js';
export { ChainDataset, IterableDataset } from './iterable-dataset.js';
export type { RandomSamplerOptions, Sized } from './samplers.js';
export {
  BatchSampler,
  RandomSampler,
  Sampler,
  SequentialSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
} from './samplers.js';
export type { StandardScalerOptions } from './scalers.js';
export { MinMaxScaler, StandardScaler } from './scalers.js';
export type { TrainTestSplitOptions } from './split.js';
export { randomSplit, trainTestSplit } from './split.js';
export type {
  MakeBlobsOptions,
  MakeCirclesOptions,
  MakeClassificationOptions,
  MakeMoonsOptions,
  MakeRegressionOptions,
  SyntheticOptions,
} from './synthetic.js';
export { makeBlobs, makeCircles, makeClassification, makeMoons, makeRegression } from './synthetic.js';
