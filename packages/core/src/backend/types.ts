/**
 * Element types a tensor can hold. `float64`, `int64` and `uint8` are optional for a backend
 * (the CPU backend has them); a backend refuses what it lacks by name (`supportsDtype`).
 * `float16` and `bfloat16` are storage dtypes that backends never see: core stores them on any
 * backend as float32 buffers holding values the half type represents exactly, and rounds each
 * op's result (see `backend/half-storage.ts`); their carrier array is a Float32Array.
 */
export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int32' | 'int64' | 'uint8' | 'bool';

/**
 * The number arrays that carry the dtypes other than int64 (bool and uint8 are both
 * Uint8Array: bool holds 0/1).
 */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Any dtype's array across the backend boundary and from `dataSync()`: the {@link TypedArray}s,
 * plus BigInt64Array, which carries int64 (every 64-bit value, exactly).
 */
export type DataArray = TypedArray | BigInt64Array;

/** A tensor's shape: one non-negative integer per dimension; `[]` is a scalar. */
export type Shape = readonly number[];

/**
 * What a backend receives for each tensor argument: its opaque storage handle plus the
 * row-major (contiguous) shape and dtype it holds. Storage is always dense and contiguous;
 * views that need strides are materialised by the movement primitives.
 */
export interface TensorInfo {
  /** The backend's own storage object (a TypedArray, a texture, an ORT tensor …); core never reads it. */
  readonly handle: unknown;
  /** The dense row-major shape of the data in `handle`. */
  readonly shape: Shape;
  /** The dtype of the data in `handle` (never `float16`/`bfloat16`: those travel as float32). */
  readonly dtype: DType;
}

/**
 * Every elementwise unary primitive, one name per {@link UnaryOp}. Float ops take float inputs;
 * `isnan` yields bool; `logicalNot` takes and yields bool.
 */
export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'exp',
  'expm1',
  'log',
  'log1p',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'erf',
  'floor',
  'ceil',
  'round',
  'isnan',
  'logicalNot',
] as const;

/** Elementwise unary primitives (the names in {@link UNARY_OPS}). */
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Elementwise binary primitives with NumPy broadcasting. Comparisons and logical ops yield bool. */
export type BinaryOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'maximum'
  | 'minimum'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'logicalAnd'
  | 'logicalOr';

/**
 * Reductions over a set of axes. `argmax`/`argmin` take exactly one axis and yield int32 (core
 * casts them to int64, PyTorch's index dtype).
 */
export type ReduceOp = 'sum' | 'prod' | 'max' | 'min' | 'argmax' | 'argmin';

/** The {@link BinaryOp}s that yield bool: comparisons and logical and/or. */
export const COMPARISON_OPS: ReadonlySet<BinaryOp> = new Set<BinaryOp>([
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'logicalAnd',
  'logicalOr',
]);

/** Options of the fused 2-D convolution kernels (NCHW activations, OIHW weights). */
export interface Conv2dParams {
  /** Step of the window: [height, width]. */
  stride: [number, number];
  /** Zero padding added to each side: [top/bottom, left/right]. */
  padding: [number, number];
  /** Spacing between kernel elements: [height, width] (1 for a dense kernel). */
  dilation: [number, number];
  /** Channel groups: input channels and filters split into this many independent convolutions. */
  groups: number;
}

/** Options of the fused 2-D pooling kernels (NCHW). */
export interface Pool2dParams {
  /** Window size: [height, width]. */
  kernel: [number, number];
  /** Step of the window: [height, width]. */
  stride: [number, number];
  /** Implicit padding on each side: [top/bottom, left/right] (-Infinity for max, zeros for avg). */
  padding: [number, number];
  /** Spacing between window elements: [height, width] (MaxPool only; 1 otherwise). */
  dilation: [number, number];
  /** Use ceil instead of floor for the output size (PyTorch's `ceil_mode`). */
  ceilMode: boolean;
  /** AvgPool only: whether padded zeros count in the divisor. */
  countIncludePad?: boolean;
}

/** Per-backend memory report. */
export interface BackendMemory {
  /** Storage buffers the backend holds (textures, sessions' tensors, TypedArrays). */
  numBuffers: number;
  /** Bytes those buffers take. */
  numBytes: number;
  /** Backend-specific extras (texture count, sessions, ...). */
  [key: string]: number | string | boolean;
}
