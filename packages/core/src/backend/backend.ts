import type {
  BackendMemory,
  BinaryOp,
  Conv2dParams,
  DataArray,
  DType,
  Pool2dParams,
  ReduceOp,
  Shape,
  TensorInfo,
  UnaryOp,
} from './types.js';

/**
 * The contract a compute engine implements. Backends know nothing of autograd, modules or
 * optimizers: they hold dense row-major storage behind opaque handles and run primitives
 * on it. Every method returns a fresh handle (inputs are never modified) whose shape and
 * dtype follow from the arguments, as documented per method; core keeps the bookkeeping.
 *
 * Required methods are the primitive set: core builds every op (matmul, softmax, conv, ...)
 * from them. Optional fused kernels make a backend fast; core uses one when present and
 * falls back to its composite otherwise. Fused kernels are forward-only.
 *
 * Preconditions are checked by core before a call (shapes agree, axes are in range, inputs
 * share the documented dtype), so a backend need not re-validate them.
 */
export interface Backend {
  /** Device name, e.g. `'cpu'`, `'gpujs'`, `'onnx'`. */
  readonly name: string;

  /**
   * Whether the backend can store and compute in this dtype. A backend either supports a dtype
   * or refuses it here (core then names it in an error): it never stores one dtype as another
   * silently. int64 and uint8 are optional, as float64 is. int64 is stored exactly (any 64-bit
   * value, or refused on write); its arithmetic, comparisons and reductions may be computed
   * through doubles, refusing operands or results beyond ±(2^53 - 1) (`int64ExactError`) or
   * the backend's own exact range, never rounding or wrapping. uint8 results outside 0..255 are
   * errors (`narrowInt`), not wrap-arounds.
   */
  supportsDtype(dtype: DType): boolean;

  // ---- storage -------------------------------------------------------------------------

  /**
   * Uploads `values` (length = numel(shape)) as a new buffer of `dtype`. Core passes the dtype's
   * own array: a BigInt64Array for int64, a Uint8Array for uint8 and bool (0/1).
   */
  write(values: DataArray, shape: Shape, dtype: DType): unknown;
  /**
   * Downloads a buffer in its dtype's array (BigInt64Array for int64); the result is a fresh
   * array the caller owns.
   */
  read(x: TensorInfo): Promise<DataArray>;
  /**
   * Synchronous download. A backend that can only read asynchronously throws an error
   * naming `data()` / `toArrayAsync()`.
   */
  readSync(x: TensorInfo): DataArray;
  /**
   * Frees a buffer. Called exactly once per handle by core: when its last tensor is disposed,
   * or, for backends that are not {@link gcManaged}, when the garbage collector reclaimed them.
   */
  disposeData(handle: unknown): void;
  /**
   * True when handles are plain JS memory (TypedArrays) that the garbage collector frees with
   * their tensors. Core then keeps no reference to the handle of a tensor nobody holds, so a
   * synchronous loop without `dispose`/`tidy` stays bounded, and reports such a release through
   * {@link forgetData} (after the fact) instead of {@link disposeData}.
   */
  readonly gcManaged?: boolean;
  /**
   * False for a backend that can only read asynchronously (its {@link readSync} throws). Core
   * then refuses what needs a synchronous read to compute: float16/bfloat16 storage (rounded on
   * the host after each op) is reported unsupported by name. Default true.
   */
  readonly readsSync?: boolean;
  /**
   * For a backend that does not {@link readsSync}: remember that the bool scalar `cond` must be
   * true, and throw `message()` from the next {@link read} (of any tensor) that finds it false,
   * before returning a value. Core's value checks (class targets in range, probabilities in
   * [0, 1], finite norms) go through this, so on an asynchronous backend they surface at the next
   * read, as a CUDA device-side assert surfaces at PyTorch's next synchronization: a value the
   * check guards is never seen without the error. The backend holds `cond` until it is checked.
   */
  deferCheck?(cond: TensorInfo, message: () => string): void;
  /** For {@link gcManaged} backends: a buffer of `bytes` was reclaimed by the garbage collector. */
  forgetData?(bytes: number): void;
  /** A new buffer of `shape` filled with `value` (an int64 fill takes any whole double in range). */
  fill(shape: Shape, dtype: DType, value: number): unknown;
  /**
   * Converts to `dtype` (float→int truncates toward zero; →bool is `x != 0`). A value that does
   * not fit the target integer dtype (NaN included) is an error (`intRangeError`), never a wrap.
   */
  cast(x: TensorInfo, dtype: DType): unknown;

  // ---- elementwise ---------------------------------------------------------------------

  /** Elementwise `op`; output has `x`'s shape and dtype (bool for `isnan`/`logicalNot`). */
  unary(op: UnaryOp, x: TensorInfo): unknown;
  /**
   * Elementwise `op` of `a` and `b` (same dtype) broadcast to `outShape` (NumPy rules:
   * shapes are right-aligned, size-1 dims stretch). Output dtype is the inputs' dtype, or
   * bool for comparisons and logical ops. Integer `div` truncates toward zero. Integer results
   * that leave the dtype's range (int32, int64, uint8) are errors, as is integer division by zero.
   */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown;
  /** `cond ? a : b` elementwise; cond is bool, a and b share a dtype; all broadcast to outShape. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): unknown;

  // ---- reductions ----------------------------------------------------------------------

  /**
   * Reduces `axes` (sorted, unique, non-empty, in range) away; the output shape drops those
   * dims. `argmax`/`argmin` get one axis and return int32 (first index on ties; core casts
   * them to int64). `sum`/`prod` of bool or int32 yield int32, of int64 int64 (core casts bool,
   * uint8 and int32 inputs to int64 first, as PyTorch sums them in int64). Empty reductions
   * yield the identity (0, 1, -Infinity, +Infinity).
   */
  reduce(op: ReduceOp, x: TensorInfo, axes: readonly number[]): unknown;

  // ---- movement ------------------------------------------------------------------------

  /** Output dim i is input dim `perm[i]`. */
  permute(x: TensorInfo, perm: readonly number[]): unknown;
  /** Broadcasts to `shape` (same rank; each input dim is 1 or equal). */
  expand(x: TensorInfo, shape: Shape): unknown;
  /**
   * Strided slice: output dim i has `sizes[i]` elements taken from `begin[i]` every
   * `steps[i]` (>= 1) elements.
   */
  slice(x: TensorInfo, begin: readonly number[], sizes: readonly number[], steps: readonly number[]): unknown;
  /** Pads each dim with `pads[i] = [before, after]` (>= 0) copies of `value`. */
  pad(x: TensorInfo, pads: readonly (readonly [number, number])[], value: number): unknown;
  /**
   * `out[i][j][k] = x[index[i][j][k]][j][k]` for axis 0 (torch.gather). `index` is int32
   * with x's rank; output has index's shape and x's dtype. (Core accepts int32 and int64 indices
   * and casts int64 ones to int32 before the call, refusing values outside int32 as out of range,
   * so backends only ever see int32 indices, here and in {@link scatterAdd}.)
   */
  gather(x: TensorInfo, axis: number, index: TensorInfo): unknown;
  /**
   * Returns a copy of `target` with `src` added at `index` along `axis`
   * (torch.scatter_add). `index` and `src` share a shape.
   */
  scatterAdd(target: TensorInfo, axis: number, index: TensorInfo, src: TensorInfo): unknown;

  // ---- strided views (optional: core composes them from gather/scatterAdd/where) ---------

  /**
   * Reads a strided view (torch.as_strided): the output, dense with `shape`, holds
   * `x.flat[offset + Σ_k i_k · strides[k]]` at index `(i_0, …, i_n)`. `x` is a whole storage
   * buffer passed as 1-D (`shape` `[storage numel]`); strides are in elements and ≥ 0 (0 repeats an
   * element, as expand does); every addressed element lies in the buffer (core checks).
   * This is how a non-contiguous tensor (transpose, narrow, expand, indexing …) reaches the other
   * primitives, which all take dense inputs.
   */
  asStrided?(x: TensorInfo, shape: Shape, strides: readonly number[], offset: number): unknown;
  /**
   * Writes through a strided view (torch.as_strided_scatter): returns a copy of `base` (1-D, a
   * whole storage buffer) in which the view's elements (addressed as in {@link asStrided}) take
   * the values of `src` (dense, `shape`, base's dtype). The view's elements are distinct (core
   * refuses writes to overlapping views such as expand's). Inputs are not modified.
   */
  asStridedScatter?(
    base: TensorInfo,
    src: TensorInfo,
    shape: Shape,
    strides: readonly number[],
    offset: number,
  ): unknown;

  // ---- optional fused kernels (forward only) -------------------------------------------

  /**
   * Batched matrix product of `a` [Ba, M, K] and `b` [Bb, K, N] (Ba, Bb equal or 1) →
   * [max(Ba, Bb), M, N]. With `transA` a is given as [Ba, K, M]; with `transB` b as [Bb, N, K].
   */
  matmul?(a: TensorInfo, b: TensorInfo, transA: boolean, transB: boolean): unknown;
  /** Joins same-dtype inputs along `axis`; all other dims equal. */
  concat?(xs: readonly TensorInfo[], axis: number): unknown;
  /** Softmax along `axis`, numerically stable. */
  softmax?(x: TensorInfo, axis: number): unknown;
  /** Log-softmax along `axis`, numerically stable. */
  logSoftmax?(x: TensorInfo, axis: number): unknown;
  /** x [N, C, H, W], w [O, C/groups, kH, kW] → [N, O, outH, outW] (bias added by core). */
  conv2d?(x: TensorInfo, w: TensorInfo, p: Conv2dParams): unknown;
  /** Gradient of conv2d w.r.t. its input: dy [N, O, oH, oW], w → dx of `xShape`. */
  conv2dBackwardInput?(dy: TensorInfo, w: TensorInfo, xShape: Shape, p: Conv2dParams): unknown;
  /** Gradient of conv2d w.r.t. its weight: x, dy → dw of `wShape`. */
  conv2dBackwardFilter?(x: TensorInfo, dy: TensorInfo, wShape: Shape, p: Conv2dParams): unknown;
  /**
   * Max pooling. Returns the pooled values and, as int32, the flat index within each
   * input plane (h * W + w) of the chosen element, for the gradient.
   */
  maxPool2d?(x: TensorInfo, p: Pool2dParams): [unknown, unknown];
  /** Average pooling. */
  avgPool2d?(x: TensorInfo, p: Pool2dParams): unknown;
  /**
   * Gradient of ReLU in one pass: `y > 0 ? g : 0` elementwise (+0 where `y <= 0` or `y` is
   * NaN), from the upstream gradient `g` and the ReLU output `y`, which share a shape and a
   * float dtype; the output has that shape and dtype. Core's default is `where(y > 0, g, 0)`.
   */
  reluBackward?(g: TensorInfo, y: TensorInfo): unknown;
  /**
   * One float32 LSTM cell update in one pass: from the pre-activations `gates` [B, 4H]
   * (PyTorch's gate order i, f, g, o; input and hidden projections summed) and the cell state
   * `c` [B, H], returns `[h', c', workspace]` with c' = σ(f)·c + σ(i)·tanh(g) and
   * h' = σ(o)·tanh(c'), every intermediate rounded to float32 where the composite ops round it
   * (so the result has the composite's bits). `workspace` is a float32 [B, 5H] buffer of the
   * backend's choosing that {@link lstmCellBackward} reads (core keeps it with the graph).
   * Core's default is the composite ops.
   */
  lstmCell?(gates: TensorInfo, c: TensorInfo): [unknown, unknown, unknown];
  /**
   * The gradient of {@link lstmCell}: from its workspace, `c` and the upstream gradients of h'
   * and c' (null when that output got none; never both), returns `[dGates, dC]`, rounded where
   * the composite ops' gradients round.
   */
  lstmCellBackward?(
    workspace: TensorInfo,
    c: TensorInfo,
    dh: TensorInfo | null,
    dc: TensorInfo | null,
  ): [unknown, unknown];

  // ---- lifecycle and introspection -----------------------------------------------------

  /** Backend-side memory report (core adds its own tensor counts). */
  memory?(): BackendMemory;
  /** Releases everything (contexts, sessions) when the backend is removed. */
  destroy?(): void;
}

/** A fused-kernel name a backend may implement. */
export type FusedKernel =
  | 'matmul'
  | 'concat'
  | 'softmax'
  | 'logSoftmax'
  | 'conv2d'
  | 'conv2dBackwardInput'
  | 'conv2dBackwardFilter'
  | 'maxPool2d'
  | 'avgPool2d'
  | 'reluBackward'
  | 'lstmCell'
  | 'lstmCellBackward'
  | 'asStrided'
  | 'asStridedScatter';

/** The fused kernels `backend` implements, for coverage reports. */
export function fusedKernels(backend: Backend): FusedKernel[] {
  const all: FusedKernel[] = [
    'matmul',
    'concat',
    'softmax',
    'logSoftmax',
    'conv2d',
    'conv2dBackwardInput',
    'conv2dBackwardFilter',
    'maxPool2d',
    'avgPool2d',
    'reluBackward',
    'lstmCell',
    'lstmCellBackward',
    'asStrided',
    'asStridedScatter',
  ];
  return all.filter((k) => typeof (backend as unknown as Record<string, unknown>)[k] === 'function');
}
