// The same function as nn.functional.oneHot: int64 `[...indices.shape, numClasses]`.
export { oneHot } from '../nn/functional/layers.js';
export { defaultCollate } from './collate.js';
export type { DataLoaderOptions, DefaultBatch } from './dataloader.js';
export { DataLoader } from './dataloader.js';
export { Dataset, Subset, TensorDataset } from './dataset.js';
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
