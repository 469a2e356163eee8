// Installs the op methods on Tensor.prototype (TensorFlow.js' "chained ops"), so the tensor
// layer stays free of op imports. Types are merged into the class below. Ops of the op table
// (ops/table.ts: the unary math of ops/pointwise.ts, …) get their methods from the table.
import { type BackwardArgs, backward, retainGrad, setGradOps } from '../autograd/backward.js';
import { noGrad } from '../autograd/grad-mode.js';
import { setGradcheckOps } from '../autograd/gradcheck.js';
import type { DType, TypedArray } from '../backend/types.js';
import { fromArray, full } from '../tensor/creation.js';
import { toDataArray } from '../tensor/dtype.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import * as B from './binary.js';
import * as C from './convert.js';
import type { ValuesIndices } from './extremum.js';
import * as E from './extremum.js';
import * as I from './indexing.js';
import { inplace } from './inplace.js';
import { matmul } from './matmul.js';
import * as R from './reduce.js';
import { type MomentArgs, std, var_ } from './reduce-stats.js';
import * as S from './shape.js';
import * as SM from './softmax.js';
import * as U from './unary.js';
import type { TensorLike } from './util.js';
// Indexing, masked/scatter ops, view ops and iteration as methods (declared in that file).
import './index-methods.js';
// sort, argsort, topk, kthvalue, median, mode, cummax, cummin as methods (declared in that file).
import './sorting-methods.js';

type Dims = R.Dims;
type ShapeLike = S.ShapeLike;

declare module '../tensor/tensor.js' {
  interface Tensor {
    add(other: TensorLike, alpha?: number): Tensor;
    sub(other: TensorLike, alpha?: number): Tensor;
    mul(other: TensorLike): Tensor;
    /** True division, or rounded with `{ roundingMode: 'trunc' | 'floor' }`: see {@link B.div}. */
    div(other: TensorLike, options?: B.DivOptions): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    neg(): Tensor;
    logicalAnd(other: TensorLike): Tensor;
    logicalOr(other: TensorLike): Tensor;
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    matmul(other: Tensor): Tensor;
    sum(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    mean(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    prod(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /** The largest value; `{ values, indices }` along `dim`; {@link maximum} with a tensor. */
    max(): Tensor;
    max(dim: number, keepdim?: boolean): ValuesIndices;
    max(dims: readonly number[], keepdim?: boolean): Tensor;
    max(other: Tensor): Tensor;
    /** The smallest value; `{ values, indices }` along `dim`; {@link minimum} with a tensor. */
    min(): Tensor;
    min(dim: number, keepdim?: boolean): ValuesIndices;
    min(dims: readonly number[], keepdim?: boolean): Tensor;
    min(other: Tensor): Tensor;
    /** The largest values over `dim` (several dims allowed); gradient shared among ties. */
    amax(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    amin(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    argmax(dim?: number | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    argmin(dim?: number | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /** PyTorch's `var(dim, unbiased, keepdim, *, correction)` (see {@link var_}). */
    var(...args: MomentArgs): Tensor;
    /** PyTorch's `std(dim, unbiased, keepdim, *, correction)` (see {@link std}). */
    std(...args: MomentArgs): Tensor;
    logsumexp(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    reshape(...shape: ShapeLike): Tensor;
    view(...shape: ShapeLike): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** PyTorch's `.T`: the dims reversed (a transpose for a matrix). */
    readonly T: Tensor;
    /** PyTorch's `.mT`: the last two dims swapped (a batch of matrices transposed). */
    readonly mT: Tensor;
    permute(...dims: ShapeLike): Tensor;
    expand(...sizes: ShapeLike): Tensor;
    expandAs(other: Tensor): Tensor;
    contiguous(): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    indexSelect(dim: number, index: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    to(target: string, dtype?: DType): Tensor;
    /**
     * {@link to} for a device move that reads asynchronously: the way off a backend that only
     * reads asynchronously (onnx-web, where `to` throws), and valid between any backends.
     * @example
     * ```ts
     * const onCpu = await y.toAsync('cpu');
     * ```
     */
    toAsync(target: string, dtype?: DType): Promise<Tensor>;
    float(): Tensor;
    double(): Tensor;
    /** Casts to float16 (IEEE round to nearest even; 70000 becomes inf, as in PyTorch). */
    half(): Tensor;
    /** Casts to bfloat16 (round to nearest even, as in PyTorch). */
    bfloat16(): Tensor;
    int(): Tensor;
    /** Casts to int64 (PyTorch's `long()`; floats truncate toward zero, values must fit). */
    long(): Tensor;
    /** Casts to uint8 (PyTorch's `byte()`; values outside 0..255 are an error, never wrapped). */
    byte(): Tensor;
    bool(): Tensor;
    detach(): Tensor;
    clone(): Tensor;
    /**
     * Accumulates the gradient of this tensor into the leaves' `.grad` (PyTorch's
     * `backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`,
     * positionally or by name).
     */
    backward(...args: BackwardArgs): void;
    retainGrad(): void;
    add_(other: TensorLike, alpha?: number): Tensor;
    sub_(other: TensorLike, alpha?: number): Tensor;
    mul_(other: TensorLike): Tensor;
    div_(other: TensorLike, options?: B.DivOptions): Tensor;
    pow_(exponent: TensorLike): Tensor;
    clamp_(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    neg_(): Tensor;
    exp_(): Tensor;
    sqrt_(): Tensor;
    relu_(): Tensor;
    sigmoid_(): Tensor;
    tanh_(): Tensor;
    zero_(): Tensor;
    fill_(value: number): Tensor;
    copy_(src: Tensor): Tensor;
    uniform_(low?: number, high?: number, generator?: Generator): Tensor;
    normal_(mean?: number, std?: number, generator?: Generator): Tensor;
  }
}

const P = Tensor.prototype;

P.add = function (o, alpha) {
  return B.add(this, o, alpha);
};
P.sub = function (o, alpha) {
  return B.sub(this, o, alpha);
};
P.mul = function (o) {
  return B.mul(this, o);
};
P.div = function (o, opts) {
  return B.div(this, o, opts);
};
P.pow = function (o) {
  return B.pow(this, o);
};
P.maximum = function (o) {
  return B.maximum(this, o);
};
P.minimum = function (o) {
  return B.minimum(this, o);
};
P.neg = function () {
  return B.neg(this);
};
P.logicalAnd = function (o) {
  return B.logicalAnd(this, o);
};
P.logicalOr = function (o) {
  return B.logicalOr(this, o);
};
P.clamp = function (lo, hi) {
  return B.clamp(this, lo, hi);
};
for (const op of ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const) {
  P[op] = function (o: TensorLike) {
    return B[op](this, o);
  };
}
P.matmul = function (o) {
  return matmul(this, o);
};
P.sum = function (d, k) {
  return R.sum(this, d, k);
};
P.mean = function (d, k) {
  return R.mean(this, d, k);
};
P.prod = function (d, k) {
  return R.prod(this, d, k);
};
P.max = function (this: Tensor, d?: Dims | Tensor, k?: boolean) {
  return E.max(this, d as number, k) as never;
};
P.min = function (this: Tensor, d?: Dims | Tensor, k?: boolean) {
  return E.min(this, d as number, k) as never;
};
P.amax = function (d, k) {
  return R.amax(this, d, k);
};
P.amin = function (d, k) {
  return R.amin(this, d, k);
};
P.argmax = function (d, k) {
  return R.argmax(this, d, k);
};
P.argmin = function (d, k) {
  return R.argmin(this, d, k);
};
P.var = function (...args) {
  return var_(this, ...args);
};
P.std = function (...args) {
  return std(this, ...args);
};
P.logsumexp = function (d, k) {
  return R.logsumexp(this, d, k);
};
P.reshape = function (...s) {
  return S.reshape(this, ...s);
};
P.view = function (...s) {
  return S.view(this, ...s);
};
P.flatten = function (a, b) {
  return S.flatten(this, a, b);
};
P.squeeze = function (d) {
  return S.squeeze(this, d);
};
P.unsqueeze = function (d) {
  return S.unsqueeze(this, d);
};
P.transpose = function (a, b) {
  return S.transpose(this, a, b);
};
P.t = function () {
  return S.t(this);
};
Object.defineProperty(P, 'T', {
  get(this: Tensor): Tensor {
    return S.permute(this, ...this.shape.map((_, i) => this.ndim - 1 - i));
  },
});
Object.defineProperty(P, 'mT', {
  get(this: Tensor): Tensor {
    if (this.ndim < 2)
      throw new Error(
        `mT: tensor.mT is only supported on matrices or batches of matrices. Got ${this.ndim}-D tensor.`,
      );
    return S.transpose(this, -2, -1);
  },
});
P.permute = function (...d) {
  return S.permute(this, ...d);
};
P.expand = function (...s) {
  return S.expand(this, ...s);
};
P.expandAs = function (o) {
  return S.expandAs(this, o);
};
P.contiguous = function () {
  return S.contiguous(this);
};
P.narrow = function (d, s, l) {
  return S.narrow(this, d, s, l);
};
P.split = function (s, d) {
  return S.split(this, s, d);
};
P.chunk = function (c, d) {
  return S.chunk(this, c, d);
};
P.indexSelect = function (d, i) {
  return I.indexSelect(this, d, i);
};
P.gather = function (d, i) {
  return I.gather(this, d, i);
};
P.scatterAdd = function (d, i, s) {
  return I.scatterAdd(this, d, i, s);
};
P.softmax = function (d) {
  return SM.softmax(this, d);
};
P.logSoftmax = function (d) {
  return SM.logSoftmax(this, d);
};
P.to = function (target, dtype) {
  return C.to(this, target, dtype);
};
P.toAsync = function (target, dtype) {
  return C.toAsync(this, target, dtype);
};
P.float = function () {
  return C.cast(this, 'float32');
};
P.double = function () {
  return C.cast(this, 'float64');
};
P.half = function () {
  return C.cast(this, 'float16');
};
P.bfloat16 = function () {
  return C.cast(this, 'bfloat16');
};
P.int = function () {
  return C.cast(this, 'int32');
};
P.long = function () {
  return C.cast(this, 'int64');
};
P.byte = function () {
  return C.cast(this, 'uint8');
};
P.bool = function () {
  return C.cast(this, 'bool');
};
P.detach = function () {
  return C.detach(this);
};
P.clone = function () {
  return C.clone(this);
};
P.backward = function (...args) {
  backward(this, ...args);
};
P.retainGrad = function () {
  retainGrad(this);
};

// In-place variants: the out-of-place op, then the storage hand-over of inplace().
P.add_ = function (o, alpha) {
  return inplace('add_', this, (self) => B.add(self, o, alpha));
};
P.sub_ = function (o, alpha) {
  return inplace('sub_', this, (self) => B.sub(self, o, alpha));
};
P.mul_ = function (o) {
  return inplace('mul_', this, (self) => B.mul(self, o));
};
P.div_ = function (o, opts) {
  return inplace('div_', this, (self) => B.div(self, o, opts));
};
P.pow_ = function (o) {
  return inplace('pow_', this, (self) => B.pow(self, o));
};
P.clamp_ = function (lo, hi) {
  return inplace('clamp_', this, (self) => B.clamp(self, lo, hi));
};
P.neg_ = function () {
  return inplace('neg_', this, (self) => B.neg(self));
};
for (const op of ['exp', 'sqrt', 'relu', 'sigmoid', 'tanh'] as const) {
  P[`${op}_`] = function () {
    return inplace(`${op}_`, this, (self) => U.unary(op, self));
  };
}
P.zero_ = function () {
  return inplace('zero_', this, () => full(this.shape, 0, { dtype: this.dtype, device: this.device }));
};
P.fill_ = function (v) {
  return inplace('fill_', this, () => full(this.shape, v, { dtype: this.dtype, device: this.device }));
};
P.copy_ = function (src) {
  return inplace('copy_', this, () => {
    let s = C.to(src, this.device);
    s = S.expand(s, this.shape);
    return s.dtype === this.dtype ? s : C.cast(s, this.dtype);
  });
};
P.uniform_ = function (low = 0, high = 1, generator = defaultGenerator) {
  return noGrad(() =>
    inplace('uniform_', this, () => {
      const n = this.numel();
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = low + (high - low) * generator.random();
      return valuesLike(this, v);
    }),
  );
};
P.normal_ = function (mean = 0, std = 1, generator = defaultGenerator) {
  return noGrad(() =>
    inplace('normal_', this, () => {
      const n = this.numel();
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = mean + std * generator.normal();
      return valuesLike(this, v);
    }),
  );
};

/** A tensor of `like`'s shape, dtype and device holding `values` (converted). */
function valuesLike(like: Tensor, values: ArrayLike<number>): Tensor {
  const arr = toDataArray('tensor', values, like.dtype);
  return fromArray('tensor', arr, like.shape, like.dtype, { device: like.device });
}

setGradOps({
  onesLike: (t) => full(t.shape, 1, { dtype: t.dtype, device: t.device }),
  add: (a, b) => B.add(a, b),
  addInPlace: (target, g) => {
    inplace('add_', target, (self) => B.add(self, g));
  },
  clone: (t) => C.clone(t),
  cast: (t, like) => C.cast(t, like.dtype),
});

setGradcheckOps({
  assign: (t: Tensor, values: TypedArray) => {
    noGrad(() => inplace('assign', t, () => valuesLike(t, values)));
  },
  fromValues: (like: Tensor, values: TypedArray, shape: readonly number[] = like.shape) =>
    fromArray('tensor', toDataArray('tensor', values, like.dtype), shape, like.dtype, {
      device: like.device,
    }),
});
