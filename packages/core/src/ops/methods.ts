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
import { hostDraw } from '../tensor/host-draw.js';

type Dims = R.Dims;
type ShapeLike = S.ShapeLike;

declare module '../tensor/tensor.js' {
  interface Tensor {
    /**
     * `this + alpha * other`, elementwise with broadcasting (PyTorch's `add(other, *, alpha=1)`).
     * Dtypes promote as PyTorch's `result_type` (`int32 + 0.5` is float32).
     *
     * @param other - A tensor, or a number applied to every element.
     * @param alpha - Multiplier of `other` (default 1).
     * @returns A new tensor of the broadcast shape.
     * @throws Error when the shapes do not broadcast, the tensors are on different devices, or
     *   an integer result does not fit its dtype.
     *
     * @example
     * ```ts
     * tensor([1, 2]).add(tensor([[10], [20]])); // shape [2, 2]
     * x.add(y, 0.5); // x + 0.5 * y
     * ```
     */
    add(other: TensorLike, alpha?: number): Tensor;
    /**
     * `this - alpha * other`, elementwise with broadcasting (PyTorch's `sub(other, *, alpha=1)`).
     *
     * @param other - A tensor or a number.
     * @param alpha - Multiplier of `other` (default 1).
     * @throws Error as {@link add}; also for two bool tensors (use `logicalXor` or cast).
     */
    sub(other: TensorLike, alpha?: number): Tensor;
    /**
     * `this * other`, elementwise with broadcasting (PyTorch's `mul`).
     *
     * @param other - A tensor or a number.
     * @throws Error as {@link add}.
     *
     * @example
     * ```ts
     * x.mul(2).mul(mask); // scale, then zero where mask is 0
     * ```
     */
    mul(other: TensorLike): Tensor;
    /**
     * True division `this / other` with broadcasting (integers are promoted to float32), or the
     * quotient rounded with `{ roundingMode: 'trunc' | 'floor' }` (PyTorch's
     * `div(other, *, rounding_mode=None)`); see {@link B.div}.
     *
     * @param other - A tensor or a number.
     * @param options - `roundingMode`; `out` is refused.
     * @throws Error as {@link add}, or for an unknown option.
     *
     * @example
     * ```ts
     * tensor([-7, 7]).div(2, { roundingMode: 'floor' }); // tensor([-4., 3.])
     * ```
     */
    div(other: TensorLike, options?: B.DivOptions): Tensor;
    /**
     * `this ** exponent`, elementwise with broadcasting (PyTorch's `pow`).
     *
     * @param exponent - A tensor or a number.
     * @throws Error for an integer tensor to a negative integer power (use `.float()`), for bool
     *   tensors, and as {@link add}.
     */
    pow(exponent: TensorLike): Tensor;
    /**
     * The elementwise maximum of `this` and `other` with broadcasting (PyTorch's `maximum`); the
     * gradient is split evenly at ties.
     *
     * @param other - A tensor or a number.
     */
    maximum(other: TensorLike): Tensor;
    /**
     * The elementwise minimum of `this` and `other` (PyTorch's `minimum`); see {@link maximum}.
     *
     * @param other - A tensor or a number.
     */
    minimum(other: TensorLike): Tensor;
    /**
     * `-this` (PyTorch's `neg`).
     *
     * @throws Error for a bool tensor (use `logicalNot`).
     */
    neg(): Tensor;
    /**
     * Elementwise logical AND, as a bool tensor (non-zero is true; PyTorch's `logical_and`).
     *
     * @param other - A tensor or a number, broadcast against this.
     */
    logicalAnd(other: TensorLike): Tensor;
    /**
     * Elementwise logical OR, as a bool tensor (non-zero is true; PyTorch's `logical_or`).
     *
     * @param other - A tensor or a number, broadcast against this.
     */
    logicalOr(other: TensorLike): Tensor;
    /**
     * Clamps every element into `[min, max]` (PyTorch's `clamp`); either bound may be omitted
     * (`null`) and either may be a tensor (broadcast). The gradient flows where
     * `min <= x <= max`, and to tensor bounds where they are the result, as in PyTorch.
     *
     * @param min - Lower bound, or null/undefined for none.
     * @param max - Upper bound, or null/undefined for none.
     * @throws Error when neither bound is given.
     *
     * @example
     * ```ts
     * x.clamp(0, 6); // ReLU6
     * x.clamp(null, 1); // at most 1
     * ```
     */
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /**
     * `this == other` elementwise with broadcasting, as a bool tensor (PyTorch's `eq`; NaN is
     * never equal). For "same shape and values" use `equal`.
     *
     * @param other - A tensor or a number.
     */
    eq(other: TensorLike): Tensor;
    /**
     * `this != other` elementwise, as a bool tensor (PyTorch's `ne`).
     *
     * @param other - A tensor or a number.
     */
    ne(other: TensorLike): Tensor;
    /**
     * `this < other` elementwise, as a bool tensor (PyTorch's `lt`).
     *
     * @param other - A tensor or a number.
     */
    lt(other: TensorLike): Tensor;
    /**
     * `this <= other` elementwise, as a bool tensor (PyTorch's `le`).
     *
     * @param other - A tensor or a number.
     */
    le(other: TensorLike): Tensor;
    /**
     * `this > other` elementwise, as a bool tensor (PyTorch's `gt`).
     *
     * @param other - A tensor or a number.
     *
     * @example
     * ```ts
     * x.gt(0).float().mean(); // fraction of positive elements
     * ```
     */
    gt(other: TensorLike): Tensor;
    /**
     * `this >= other` elementwise, as a bool tensor (PyTorch's `ge`).
     *
     * @param other - A tensor or a number.
     */
    ge(other: TensorLike): Tensor;
    /**
     * Matrix product with PyTorch's rules (`torch.matmul`, Python's `@`): 1-D·1-D is a dot
     * product, a 1-D operand is promoted to a matrix and the added dim removed, leading dims
     * broadcast as batches.
     *
     * @param other - The right operand.
     * @throws Error when the inner dims differ (`matmul: shapes [2,3] and [4,5] cannot be
     *   multiplied (3 != 4)`), the dtypes differ or are integers, or the devices differ.
     *
     * @example
     * ```ts
     * x.matmul(w.t()); // [batch, in] @ [in, out]
     * ```
     */
    matmul(other: Tensor): Tensor;
    /**
     * Sum over `dim` (all elements when omitted), PyTorch's `sum(dim=None, keepdim=False)`;
     * `dim` and `keepdim` may be given by name. Bool and integer inputs sum to int64.
     *
     * @param dim - A dim, a list of dims, null for all, or `{ dim, keepdim }`.
     * @param keepdim - Keep the reduced dims with size 1 (default false).
     * @throws Error for a dim out of range.
     *
     * @example
     * ```ts
     * x.sum(); // 0-d
     * x.sum(1, true); // [n, 1]
     * x.sum({ dim: [0, 2], keepdim: true });
     * ```
     */
    sum(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * Mean over `dim` (all elements when omitted), PyTorch's `mean(dim=None, keepdim=False)`.
     * Integer inputs are averaged as float32 (PyTorch refuses them).
     *
     * @param dim - A dim, a list of dims, null for all, or `{ dim, keepdim }`.
     * @param keepdim - Keep the reduced dims with size 1 (default false).
     */
    mean(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * Product over `dim` (all elements when omitted), PyTorch's `prod`. Bool and integer
     * inputs multiply to int64.
     *
     * @param dim - A dim, a list of dims, null for all, or `{ dim, keepdim }`.
     * @param keepdim - Keep the reduced dims with size 1 (default false).
     */
    prod(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * The largest value, a 0-d tensor (PyTorch's `max()`).
     *
     * @example
     * ```ts
     * const best = scores.max().item();
     * const [values, indices] = logits.max(1); // per row, as PyTorch
     * ```
     */
    max(): Tensor;
    /**
     * The largest values along `dim` with their positions (int64), PyTorch's `max(dim,
     * keepdim=False)`: `{ values, indices }`, also iterable as `[values, indices]`.
     *
     * @param dim - The dim to reduce.
     * @param keepdim - Keep `dim` with size 1 (default false).
     */
    max(dim: number, keepdim?: boolean): ValuesIndices;
    /**
     * The largest values over several dims (values only, as {@link amax}).
     *
     * @param dims - The dims to reduce.
     * @param keepdim - Keep them with size 1 (default false).
     */
    max(dims: readonly number[], keepdim?: boolean): Tensor;
    /**
     * The elementwise maximum with `other` (PyTorch's `max(other)`, which is {@link maximum}).
     *
     * @param other - A tensor broadcast against this.
     */
    max(other: Tensor): Tensor;
    /** The smallest value, a 0-d tensor (PyTorch's `min()`); the overloads mirror {@link max}. */
    min(): Tensor;
    /**
     * The smallest values along `dim` with their positions (int64): `{ values, indices }`, also
     * iterable as `[values, indices]` (PyTorch's `min(dim, keepdim=False)`).
     *
     * @param dim - The dim to reduce.
     * @param keepdim - Keep `dim` with size 1 (default false).
     */
    min(dim: number, keepdim?: boolean): ValuesIndices;
    /**
     * The smallest values over several dims (values only, as {@link amin}).
     *
     * @param dims - The dims to reduce.
     * @param keepdim - Keep them with size 1 (default false).
     */
    min(dims: readonly number[], keepdim?: boolean): Tensor;
    /**
     * The elementwise minimum with `other` (PyTorch's `min(other)`, which is {@link minimum}).
     *
     * @param other - A tensor broadcast against this.
     */
    min(other: Tensor): Tensor;
    /**
     * The largest values over `dim` (several dims allowed; all when omitted), PyTorch's `amax`;
     * the gradient is shared evenly among ties.
     *
     * @param dim - A dim, a list of dims, null for all, or `{ dim, keepdim }`.
     * @param keepdim - Keep the reduced dims with size 1 (default false).
     */
    amax(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * The smallest values over `dim` (several dims allowed; all when omitted), PyTorch's `amin`.
     *
     * @param dim - A dim, a list of dims, null for all, or `{ dim, keepdim }`.
     * @param keepdim - Keep the reduced dims with size 1 (default false).
     */
    amin(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * Positions of the maxima along `dim` (int64; the first on ties), or in the flattened
     * tensor when `dim` is omitted (PyTorch's `argmax`).
     *
     * @param dim - One dim, null for the flattened tensor, or `{ dim, keepdim }`.
     * @param keepdim - Keep `dim` with size 1 (default false).
     * @throws TypeError when `dim` is a list.
     *
     * @example
     * ```ts
     * const predicted = logits.argmax(1); // class per row
     * ```
     */
    argmax(dim?: number | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * Positions of the minima along `dim` (int64; the first on ties), PyTorch's `argmin`.
     *
     * @param dim - One dim, null for the flattened tensor, or `{ dim, keepdim }`.
     * @param keepdim - Keep `dim` with size 1 (default false).
     */
    argmin(dim?: number | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * Variance over `dim` (all when omitted), PyTorch's `var(dim, unbiased, keepdim, *,
     * correction)`, positionally or by name; unbiased (correction 1) by default. See the
     * function {@link var_}.
     *
     * @example
     * ```ts
     * x.var(1, { keepdim: true, correction: 0 }); // population variance per row
     * ```
     */
    var(...args: MomentArgs): Tensor;
    /**
     * Standard deviation over `dim`, with {@link var}'s arguments (PyTorch's `std`; see the
     * function {@link std}).
     */
    std(...args: MomentArgs): Tensor;
    /**
     * `log(sum(exp(x)))` over `dim` (all when omitted), computed stably by shifting by the
     * maximum (PyTorch's `logsumexp`).
     *
     * @param dim - A dim, a list of dims, null for all, or `{ dim, keepdim }`.
     * @param keepdim - Keep the reduced dims with size 1 (default false).
     */
    logsumexp(dim?: Dims | R.DimOptions | null, keepdim?: boolean | R.DimOptions): Tensor;
    /**
     * The same elements in a new shape, one dim of which may be -1 (PyTorch's `reshape`): a view
     * sharing storage when the strides allow it (always for a contiguous tensor), else a copy.
     *
     * @param shape - Sizes as varargs or one array.
     * @throws Error when the element count differs.
     *
     * @example
     * ```ts
     * x.reshape(2, -1);
     * x.reshape([batch, 28 * 28]);
     * ```
     */
    reshape(...shape: ShapeLike): Tensor;
    /**
     * The same elements in a new shape, always sharing storage (PyTorch's `view`).
     *
     * @param shape - Sizes as varargs or one array (one may be -1).
     * @throws Error when the strides do not allow a view (after a transpose, say): use
     *   {@link reshape}; or when the element count differs.
     */
    view(...shape: ShapeLike): Tensor;
    /**
     * Flattens dims `startDim..endDim` (inclusive) into one (PyTorch's `flatten`); a 0-d tensor
     * becomes 1-D.
     *
     * @param startDim - First dim to flatten (default 0).
     * @param endDim - Last dim to flatten (default -1).
     *
     * @example
     * ```ts
     * images.flatten(1); // [N, C, H, W] -> [N, C*H*W]
     * ```
     */
    flatten(startDim?: number, endDim?: number): Tensor;
    /**
     * Removes dims of size 1: all of them, or only `dim` (one or a list) when it has size 1
     * (PyTorch's `squeeze`). A view.
     *
     * @param dim - The dim(s) to remove if they have size 1.
     */
    squeeze(dim?: number | readonly number[]): Tensor;
    /**
     * Inserts a dim of size 1 at `dim` (-1 appends), PyTorch's `unsqueeze`. A view.
     *
     * @param dim - Position of the new dim, in `[-ndim-1, ndim]`.
     *
     * @example
     * ```ts
     * x.unsqueeze(0); // add a batch dim
     * ```
     */
    unsqueeze(dim: number): Tensor;
    /**
     * Swaps two dims (PyTorch's `transpose`). A view sharing storage.
     *
     * @param dim0 - One dim.
     * @param dim1 - The other.
     */
    transpose(dim0: number, dim1: number): Tensor;
    /**
     * The transpose of a matrix (PyTorch's `t()`); 0-D and 1-D tensors are returned as they are.
     *
     * @throws Error for more than 2 dims (use {@link transpose} or {@link permute}).
     */
    t(): Tensor;
    /** PyTorch's `.T`: the dims reversed (a transpose for a matrix). */
    readonly T: Tensor;
    /** PyTorch's `.mT`: the last two dims swapped (a batch of matrices transposed). */
    readonly mT: Tensor;
    /**
     * Reorders the dims: output dim `i` is input dim `dims[i]` (PyTorch's `permute`). A view.
     *
     * @param dims - A permutation of `0..ndim-1`, as varargs or one array.
     * @throws Error when `dims` is not a permutation.
     *
     * @example
     * ```ts
     * nhwc.permute(0, 3, 1, 2); // to NCHW
     * ```
     */
    permute(...dims: ShapeLike): Tensor;
    /**
     * Broadcasts to a larger shape without copying (PyTorch's `expand`): size-1 dims repeat,
     * -1 keeps a dim, new dims are prepended. In-place writes to the result are refused.
     *
     * @param sizes - The target shape, as varargs or one array.
     * @throws Error when a non-1 dim would change size.
     */
    expand(...sizes: ShapeLike): Tensor;
    /**
     * {@link expand} to `other`'s shape (PyTorch's `expand_as`).
     *
     * @param other - The tensor whose shape to take.
     */
    expandAs(other: Tensor): Tensor;
    /**
     * This tensor when its elements are in row-major order, else a contiguous copy
     * (differentiable), as PyTorch's `contiguous()`.
     */
    contiguous(): Tensor;
    /**
     * `length` elements of `dim` starting at `start` (PyTorch's `narrow`). A view.
     *
     * @param dim - The dim to cut.
     * @param start - First index (negative counts from the end).
     * @param length - Number of elements.
     * @throws Error when the range does not fit in the dim.
     */
    narrow(dim: number, start: number, length: number): Tensor;
    /**
     * Splits along `dim` into chunks of `splitSize` (the last may be smaller) or of the listed
     * sizes (PyTorch's `split`). The parts are views.
     *
     * @param splitSize - The size of each part, or the list of sizes (summing to the dim's size).
     * @param dim - The dim to split (default 0).
     *
     * @example
     * ```ts
     * const [q, k, v] = qkv.split(embed, -1);
     * ```
     */
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    /**
     * Splits along `dim` into `chunks` parts of equal size (the last may be smaller, and fewer
     * parts may come back), PyTorch's `chunk`. The parts are views.
     *
     * @param chunks - Number of parts.
     * @param dim - The dim to split (default 0).
     */
    chunk(chunks: number, dim?: number): Tensor[];
    /**
     * The entries `index` (1-D, int32 or int64) along `dim` (PyTorch's `index_select`). A copy.
     *
     * @param dim - The dim to index.
     * @param index - 1-D integer tensor of positions.
     * @throws Error for an index out of range or of a non-integer dtype.
     */
    indexSelect(dim: number, index: Tensor): Tensor;
    /**
     * Gathers along `dim`: `out[i][j] = this[index[i][j]][j]` for dim 0, likewise for other dims
     * (PyTorch's `gather`). `index` has this tensor's rank and is no larger outside `dim`.
     *
     * @param dim - The dim to gather along.
     * @param index - Integer tensor (int32 or int64) of positions.
     * @throws Error for an index out of range, a rank mismatch or a non-integer index.
     *
     * @example
     * ```ts
     * logProbs.gather(1, target.unsqueeze(1)); // the target's log-probability per row
     * ```
     */
    gather(dim: number, index: Tensor): Tensor;
    /**
     * A copy of this tensor with `src` added at `index` along `dim` (PyTorch's `scatter_add`);
     * differentiable in this tensor and `src`.
     *
     * @param dim - The dim to scatter along.
     * @param index - Integer tensor of positions (int32 or int64).
     * @param src - The values to add.
     */
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    /**
     * Softmax along `dim`: `exp(x) / sum(exp(x))`, computed without overflow (PyTorch's
     * `softmax(dim)`; `dim` is required).
     *
     * @param dim - The dim that sums to 1.
     */
    softmax(dim: number): Tensor;
    /**
     * Log-softmax along `dim`: `x - logsumexp(x)`, computed without overflow (PyTorch's
     * `log_softmax(dim)`).
     *
     * @param dim - The dim to normalise.
     */
    logSoftmax(dim: number): Tensor;
    /**
     * Moves to a device and/or converts to a dtype (PyTorch's `to`): a dtype name converts
     * (`'float64'`, and PyTorch's aliases `'double'`, `'half'`, `'long'`, …), any other string
     * names a registered backend. Returns this tensor when nothing changes; differentiable.
     *
     * @param target - A dtype or a backend name.
     * @param dtype - A dtype to convert to after moving.
     * @throws Error for an unknown backend or an unsupported dtype.
     *
     * @example
     * ```ts
     * x.to('gpujs');
     * x.to('cpu', 'float64');
     * ```
     */
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
    /** Casts to float32 (PyTorch's `float()`); this tensor when it already is. */
    float(): Tensor;
    /** Casts to float64 (PyTorch's `double()`; not on gpujs). */
    double(): Tensor;
    /** Casts to float16 (IEEE round to nearest even; 70000 becomes inf, as in PyTorch). */
    half(): Tensor;
    /** Casts to bfloat16 (round to nearest even, as in PyTorch). */
    bfloat16(): Tensor;
    /**
     * Casts to int32 (PyTorch's `int()`; floats truncate toward zero).
     *
     * @throws RangeError when a value does not fit int32 (NaN, 1e10): never a wrap-around.
     */
    int(): Tensor;
    /** Casts to int64 (PyTorch's `long()`; floats truncate toward zero, values must fit). */
    long(): Tensor;
    /** Casts to uint8 (PyTorch's `byte()`; values outside 0..255 are an error, never wrapped). */
    byte(): Tensor;
    /** Casts to bool: non-zero is true (PyTorch's `bool()`). */
    bool(): Tensor;
    /**
     * A tensor sharing this one's storage, cut from the autograd graph (never requires grad),
     * PyTorch's `detach()`. Also what PyTorch's `x.data` is: write through it under
     * `noGrad`, or `p.detach().add_(…)`.
     */
    detach(): Tensor;
    /** A copy with its own storage (PyTorch's `clone()`); differentiable. */
    clone(): Tensor;
    /**
     * Accumulates the gradient of this tensor into the leaves' `.grad` (PyTorch's
     * `backward(gradient=None, retain_graph=None, create_graph=False, inputs=None)`,
     * positionally or by name). Without `retainGraph`, the graph's saved tensors are freed.
     *
     * @param args - `gradient` (required unless this tensor has one element), then
     *   `retainGraph`, `createGraph`, `inputs`, or one `{ gradient, retainGraph, createGraph,
     *   inputs }` object.
     * @throws Error when this tensor does not require grad, when a non-scalar is given no
     *   gradient, or when the graph was already freed or a saved tensor was modified in place.
     *
     * @example
     * ```ts
     * const loss = model.forward(x).sub(y).pow(2).mean();
     * loss.backward();
     * ```
     */
    backward(...args: BackwardArgs): void;
    /** Keeps `.grad` of this non-leaf tensor after `backward()` (PyTorch's `retain_grad()`). */
    retainGrad(): void;
    /**
     * In-place {@link add}: `this += alpha * other`; returns this. Views write through to their
     * base.
     *
     * @throws Error on a leaf that requires grad (outside `noGrad`), on an expanded view, when
     *   the broadcast result would change this tensor's shape, or when a float result would be
     *   written into an integer tensor.
     *
     * @example
     * ```ts
     * noGrad(() => w.add_(w.grad!, -lr)); // a hand-written SGD step
     * ```
     */
    add_(other: TensorLike, alpha?: number): Tensor;
    /** In-place {@link sub}: `this -= alpha * other`; returns this (errors as {@link add_}). */
    sub_(other: TensorLike, alpha?: number): Tensor;
    /** In-place {@link mul}: `this *= other`; returns this (errors as {@link add_}). */
    mul_(other: TensorLike): Tensor;
    /** In-place {@link div}; returns this (errors as {@link add_}: an int tensor needs a `roundingMode`). */
    div_(other: TensorLike, options?: B.DivOptions): Tensor;
    /** In-place {@link pow}; returns this (errors as {@link add_}). */
    pow_(exponent: TensorLike): Tensor;
    /** In-place {@link clamp}; returns this (errors as {@link add_}). */
    clamp_(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    /** In-place {@link neg}; returns this. */
    neg_(): Tensor;
    /** In-place `exp`; returns this (an integer tensor cannot hold the float result: an error). */
    exp_(): Tensor;
    /** In-place `sqrt`; returns this (an integer tensor cannot hold the float result: an error). */
    sqrt_(): Tensor;
    /** In-place `relu`; returns this. */
    relu_(): Tensor;
    /** In-place `sigmoid`; returns this (an integer tensor cannot hold the float result: an error). */
    sigmoid_(): Tensor;
    /** In-place `tanh`; returns this (an integer tensor cannot hold the float result: an error). */
    tanh_(): Tensor;
    /** Fills with zeros in place (PyTorch's `zero_()`); returns this. */
    zero_(): Tensor;
    /**
     * Fills with `value` in place (PyTorch's `fill_`); returns this.
     *
     * @param value - The value, which must fit the dtype.
     */
    fill_(value: number): Tensor;
    /**
     * Copies `src`'s values into this tensor in place (PyTorch's `copy_`): `src` is moved to
     * this device, broadcast to this shape and cast to this dtype. Returns this.
     *
     * @param src - The values to copy.
     * @throws Error when `src` does not broadcast to this shape, and as {@link add_}.
     */
    copy_(src: Tensor): Tensor;
    /**
     * Fills with samples of U(low, high) in place (PyTorch's `uniform_`), from core's seeded
     * generator (`manualSeed`); not recorded by autograd. Returns this.
     *
     * @param low - Lower bound (default 0).
     * @param high - Upper bound (default 1).
     * @param generator - The generator (default: the global one).
     */
    uniform_(low?: number, high?: number, generator?: Generator): Tensor;
    /**
     * Fills with samples of N(mean, std²) in place (PyTorch's `normal_`), from core's seeded
     * generator; not recorded by autograd. Returns this.
     *
     * @param mean - Mean (default 0).
     * @param std - Standard deviation (default 1).
     * @param generator - The generator (default: the global one).
     */
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
      const v = hostDraw(n, (m) => {
        const u = new Float64Array(m);
        for (let i = 0; i < m; i++) u[i] = low + (high - low) * generator.random();
        return u;
      });
      return valuesLike(this, v);
    }),
  );
};
P.normal_ = function (mean = 0, std = 1, generator = defaultGenerator) {
  return noGrad(() =>
    inplace('normal_', this, () => {
      const n = this.numel();
      const v = hostDraw(n, (m) => {
        const u = new Float64Array(m);
        for (let i = 0; i < m; i++) u[i] = mean + std * generator.normal();
        return u;
      });
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
