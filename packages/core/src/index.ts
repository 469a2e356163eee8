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

export type { BackwardOptions } from './autograd/backward.js';
export { backward, retainGrad } from './autograd/backward.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './autograd/grad-mode.js';
export type { GradcheckOptions } from './autograd/gradcheck.js';
export { gradcheck } from './autograd/gradcheck.js';
export type { BackwardFn } from './autograd/node.js';
export { record } from './autograd/node.js';
export * as data from './data/index.js';
export * as io from './io/index.js';
export * as nn from './nn/index.js';
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
export { cast, clone, detach, to } from './ops/convert.js';
export { max, min, ValuesIndices } from './ops/extremum.js';
export { gather, indexSelect, scatterAdd } from './ops/indexing.js';
export { inplace } from './ops/inplace.js';
export { cat, stack } from './ops/join.js';
export { matmul } from './ops/matmul.js';
export {
  amax,
  amin,
  argmax,
  argmin,
  logsumexp,
  mean,
  prod,
  std,
  sum,
  variance as var_,
} from './ops/reduce.js';
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
export {
  abs,
  ceil,
  cos,
  erf,
  exp,
  expm1,
  floor,
  isnan,
  log,
  log1p,
  logicalNot,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  sqrt,
  tanh,
} from './ops/unary.js';
export type { TensorLike } from './ops/util.js';
export * as optim from './optim/index.js';
export type { RandomOptions, TensorData, TensorOptions } from './tensor/creation.js';
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
  ITEM_SIZE,
  intRangeError,
  narrowInt32,
  promoteTypes,
} from './tensor/dtype.js';
export type { DeviceMemory, MemoryInfo } from './tensor/memory.js';
export { memory } from './tensor/memory-report.js';
export { defaultGenerator, Generator, manualSeed } from './tensor/random.js';
export { keep, tidy } from './tensor/scope.js';
export { broadcastShapes, sizeOf, stridesOf } from './tensor/shape.js';
export type { GradFn, NestedArray } from './tensor/tensor.js';
export { Tensor } from './tensor/tensor.js';
export * as train from './train/index.js';
export { LruMap } from './util/lru-map.js';
