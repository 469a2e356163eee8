// The names of DESIGN.md "PyTorch fidelity (contract v2)" → "More of the surface", by area,
// as users reach them from `@proj/core` (copied here: the design notes are not in the repo).

/** How a name is reached: a function and Tensor method, a function only, a class, … */
export type SurfaceKind =
  | 'op'
  | 'fn'
  | 'nn'
  | 'F'
  | 'loss'
  | 'utils'
  | 'init'
  | 'module'
  | 'tensor'
  | 'optim'
  | 'sched'
  | 'autograd'
  | 'data';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

/** Area → [kind, names]. */
export const SURFACE: readonly (readonly [string, SurfaceKind, readonly string[]])[] = [
  [
    'ops',
    'op',
    words(`cumsum cumprod cummax cummin logcumsumexp sort argsort topk kthvalue median mode unique
  bincount histc all any norm amax amin aminmax nansum nanmean countNonzero stdMean varMean repeat
  tile repeatInterleave flip roll rot90 tril triu bmm mm dot outer diag diagEmbed trace allclose
  isclose equal log2 log10 exp2 tan asin acos atan atan2 sinh cosh asinh acosh atanh isinf
  isfinite isneginf isposinf nanToNum trunc frac lerp addcmul addcdiv logit remainder fmod
  floorDivide hypot square sgn clampMin clampMax multinomial bernoulli`),
  ],
  [
    'ops (functions)',
    'fn',
    words(`einsum cdist meshgrid cartesianProd normal randLike randnLike randintLike empty emptyLike
  linalg.norm linalg.vectorNorm`),
  ],
  [
    'nn layers',
    'nn',
    words(`Dropout1d Dropout2d Dropout3d AlphaDropout GroupNorm InstanceNorm1d InstanceNorm2d
  BatchNorm3d RMSNorm LocalResponseNorm Conv3d ConvTranspose1d ConvTranspose3d MaxPool1d
  MaxPool3d AvgPool1d AvgPool3d AdaptiveAvgPool1d AdaptiveMaxPool1d AdaptiveMaxPool2d
  MaxUnpool2d LPPool2d RNNCell LSTMCell GRUCell TransformerDecoderLayer TransformerDecoder
  Transformer PReLU SELU CELU ReLU6 Hardtanh Hardswish Hardsigmoid LogSigmoid Softsign Softmin
  Softmax2d GLU Threshold Tanhshrink Softshrink Hardshrink PixelShuffle PixelUnshuffle Unfold
  Fold Bilinear CosineSimilarity PairwiseDistance ZeroPad1d ZeroPad2d ConstantPad1d
  ConstantPad2d ReflectionPad1d ReflectionPad2d ReplicationPad1d ReplicationPad2d EmbeddingBag
  Embedding.fromPretrained`),
  ],
  [
    'losses',
    'loss',
    words(`CosineEmbeddingLoss MarginRankingLoss TripletMarginLoss CTCLoss PoissonNLLLoss
  GaussianNLLLoss MultiLabelSoftMarginLoss MultiLabelMarginLoss HingeEmbeddingLoss
  MultiMarginLoss SoftMarginLoss`),
  ],
  ['nn.functional', 'F', words('interpolate gridSample affineGrid normalize')],
  [
    'nn.utils',
    'utils',
    words(`parametersToVector vectorToParameters parametrizations.weightNorm
  parametrizations.spectralNorm rnn.padSequence rnn.packSequence rnn.packPaddedSequence
  rnn.padPackedSequence`),
  ],
  ['nn.init', 'init', words('truncNormal_ eye_ dirac_ sparse_')],
  [
    'Module',
    'module',
    words(`registerForwardPreHook registerFullBackwardHook registerModule registerParameter
  namedModules getSubmodule getParameter requiresGrad_ half double float`),
  ],
  ['Tensor', 'tensor', words('registerHook')],
  ['optim', 'optim', words('Adadelta Adamax NAdam RAdam Rprop ASGD LBFGS')],
  [
    'optim.lrScheduler',
    'sched',
    words('CosineAnnealingWarmRestarts CyclicLR PolynomialLR ConstantLR MultiplicativeLR ChainedScheduler'),
  ],
  [
    'autograd',
    'autograd',
    words(`grad gradgradcheck Function functional.jacobian functional.hessian functional.vjp
  functional.jvp functional.hvp inferenceMode detectAnomaly`),
  ],
  [
    'data',
    'data',
    words(`DataLoader IterableDataset Subset ConcatDataset SequentialSampler RandomSampler
  WeightedRandomSampler BatchSampler SubsetRandomSampler`),
  ],
];
