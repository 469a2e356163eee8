export type { Backend, FusedKernel } from './backend/backend.js';
export { fusedKernels } from './backend/backend.js';
export {
  backendByName,
  currentBackendName,
  getBackend,
  listBackends,
  registerBackend,
  removeBackend,
  setBackend,
} from './backend/registry.js';
export type { Conv2dGeometry } from './backend/shapes.js';
export {
  conv2dGeometry,
  conv2dOutputShape,
  convOutSize,
  pool2dOutputShape,
  poolOutSize,
} from './backend/shapes.js';
export type {
  BackendMemory,
  BinaryOp,
  Conv2dParams,
  DataArray,
  DType,
  Pool2dParams,
  ReduceOp,
  Shape,
  TensorInfo,
  TypedArray,
  UnaryOp,
} from './backend/types.js';
export { COMPARISON_OPS, UNARY_OPS } from './backend/types.js';

import './ops/methods.js';
import './autograd/tensor-hooks.js';
import './ops/tensor-new.js';

export type { BackwardOptions } from './autograd/backward.js';
export { backward, retainGrad } from './autograd/backward.js';
export { enableGrad, inferenceMode, isGradEnabled, noGrad, setGradEnabled } from './autograd/grad-mode.js';
export type { GradcheckOptions, GradcheckOutputs } from './autograd/gradcheck.js';
export { gradcheck } from './autograd/gradcheck.js';
export type { GradgradcheckOptions } from './autograd/gradgradcheck.js';
export { gradgradcheck } from './autograd/gradgradcheck.js';
export * as autograd from './autograd/index.js';
export type { BackwardFn, RecordOptions } from './autograd/node.js';
export { record } from './autograd/node.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as nn from './nn/index.js';
export type { DivOptions } from './ops/binary.js';
export {
  add,
  clamp,
  div,
  eq,
  ge,
  gt,
  le,
  logicalAnd,
  logicalOr,
  lt,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  sub,
  truncDiv,
  where,
} from './ops/binary.js';
export type { CdistComputeMode, CdistOptions } from './ops/cdist.js';
export { cast, clone, detach, to } from './ops/convert.js';
export type { DiagEmbedOptions } from './ops/diag.js';
export { einsum } from './ops/einsum.js';
export type { SublistEntry } from './ops/einsum-parse.js';
export { max, min, ValuesIndices } from './ops/extremum.js';
export type { MeshgridOptions } from './ops/grids.js';
export { indexAdd, indexAdd_, indexCopy, indexCopy_, indexFill, indexFill_ } from './ops/index-dim.js';
export { index } from './ops/index-get.js';
export type { IndexEntry, NestedIndex } from './ops/index-parse.js';
export { IndexError, makeSlice as slice, Slice } from './ops/index-parse.js';
export type { AccumulateArg } from './ops/index-put.js';
export { indexPut, indexPut_ } from './ops/index-put.js';
export { gather, indexSelect, scatterAdd } from './ops/indexing.js';
export { inplace } from './ops/inplace.js';
export type { JoinRest } from './ops/join.js';
export { cat, stack } from './ops/join.js';
export * as linalg from './ops/linalg.js';
export { maskedFill, maskedFill_, maskedScatter, maskedScatter_, maskedSelect } from './ops/masked.js';
export { matmul } from './ops/matmul.js';
export type { NonzeroOptions } from './ops/nonzero.js';
export { nonzero } from './ops/nonzero.js';
export type { EmptyOptions } from './ops/random-like.js';
export { empty, emptyLike, randintLike, randLike, randnLike } from './ops/random-like.js';
export type {
  BernoulliOptions,
  MultinomialOptions,
  NormalOptions,
  SamplingOptions,
} from './ops/random-ops.js';
export { normal } from './ops/random-ops.js';
export type { DimOptions, Dims } from './ops/reduce.js';
export {
  amax,
  amin,
  argmax,
  argmin,
  logsumexp,
  mean,
  prod,
  sum,
} from './ops/reduce.js';
export type { ScatterReduceArg, ScatterReduceMode } from './ops/scatter.js';
export { scatter, scatter_ } from './ops/scatter.js';
export type { ScatterReduceOptions, ScatterReduction } from './ops/scatter-reduce.js';
export { scatterReduce, scatterReduce_ } from './ops/scatter-reduce.js';
export type { ShapeLike } from './ops/shape.js';
export {
  chunk,
  contiguous,
  expand,
  flatten,
  narrow,
  padConstant,
  permute,
  reshape,
  split,
  squeeze,
  transpose,
  unsqueeze,
  view,
} from './ops/shape.js';
export { logSoftmax, softmax } from './ops/softmax.js';
export type { DimKeepdimOptions, KthvalueOptions, SortOptions, TopkOptions } from './ops/sorting.js';
export { argsort, cummax, cummin, kthvalue, median, mode, sort, topk } from './ops/sorting.js';
// The op table's functions (ops/table.ts), one area file each, with their Tensor methods.
export * from './ops/table-areas.js';
export { take, takeAlongDim } from './ops/take.js';
export type { NewTensorOptions } from './ops/tensor-new.js';
export type { TensorLike } from './ops/util.js';
export { asStrided, diagonal, select, unbind, unfold } from './ops/view.js';
export * as optim from './optim/index.js';
export type { PosOrOpts } from './signature/signature.js';
export type { NestedData, RandomOptions, ShapeArgs, TensorData, TensorOptions } from './tensor/creation.js';
export {
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  rand,
  randint,
  randn,
  randperm,
  tensor,
  zeros,
  zerosLike,
} from './tensor/creation.js';
export {
  allocArray,
  checkFits,
  DTYPES,
  fitsDtype,
  INT_RANGE,
  INT64_EXACT,
  type IntDType,
  ITEM_SIZE,
  int64ExactError,
  int64ToNumbers,
  intRangeError,
  isInt,
  narrowInt,
  narrowInt32,
  numbersToInt64,
  promoteTypes,
  toDataArray,
} from './tensor/dtype.js';
export {
  bfloat16BitsToFloat32,
  decodeHalf,
  encodeHalf,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  type HalfDType,
  isHalf,
  roundHalfInPlace,
  roundToHalf,
} from './tensor/half.js';
export { type Draw, type DrawWatcher, hostDraw, watchHostDraws } from './tensor/host-draw.js';
export type { DeviceMemory, MemoryInfo } from './tensor/memory.js';
export { memory } from './tensor/memory-report.js';
export { defaultGenerator, Generator, manualSeed } from './tensor/random.js';
export { replaceHandle, swapStorage, tensorFromHandle } from './tensor/rebind.js';
export { keep, tidy } from './tensor/scope.js';
export { broadcastShapes, sizeOf, stridesOf } from './tensor/shape.js';
export { checkStridedView, flatPositions, type Geometry, isContiguousGeometry } from './tensor/strides.js';
export type { GradFn, NestedArray } from './tensor/tensor.js';
export { Tensor } from './tensor/tensor.js';
export * as train from './train/index.js';
export { LruMap } from './util/lru-map.js';
