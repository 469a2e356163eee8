// Unfold (im2col) and Fold (col2im) layers over F.unfold / F.fold.
import { intOrTuple, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type FoldPair, fold, type UnfoldOptions, unfold } from '../functional/fold.js';
import { Module } from '../module.js';
import { pyValue } from './conv-repr.js';

// PyTorch's nn.Unfold(kernel_size, dilation=1, padding=0, stride=1) and
// nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1).
const UNFOLD = signature('Unfold', [
  req('kernelSize', intOrTuple),
  opt('dilation', intOrTuple),
  opt('padding', intOrTuple),
  opt('stride', intOrTuple),
]);
const FOLD = signature('Fold', [
  req('outputSize', intOrTuple),
  req('kernelSize', intOrTuple),
  opt('dilation', intOrTuple),
  opt('padding', intOrTuple),
  opt('stride', intOrTuple),
]);

type Rest = PosOrOpts<
  [dilation: FoldPair, padding: FoldPair, stride: FoldPair],
  Omit<UnfoldOptions, 'kernelSize'>
>;

const repr = (o: { kernelSize: FoldPair; dilation: FoldPair; padding: FoldPair; stride: FoldPair }): string =>
  `kernel_size=${pyValue(o.kernelSize)}, dilation=${pyValue(o.dilation)}, padding=${pyValue(o.padding)}, stride=${pyValue(o.stride)}`;

/**
 * `torch.nn.Unfold`: extracts sliding blocks, `(N, C, H, W)` → `(N, C·kh·kw, L)` (im2col), L the
 * number of blocks. Arguments `(kernelSize, dilation = 1, padding = 0, stride = 1)` as PyTorch's.
 *
 * ```ts
 * const cols = new nn.Unfold(3, 1, 1).forward(x); // [1, 2, 5, 5] -> [1, 18, 25]
 * ```
 */
export class Unfold extends Module {
  /** Size of the sliding blocks. */
  readonly kernelSize: FoldPair;
  /** Spacing between the elements of a block. */
  readonly dilation: FoldPair;
  /** Zeros added to both sides of each spatial dim. */
  readonly padding: FoldPair;
  /** Step of the sliding blocks. */
  readonly stride: FoldPair;

  constructor(kernelSize: FoldPair, ...rest: Rest) {
    super();
    const o = UNFOLD.parse<UnfoldOptions & { kernelSize: FoldPair }>([kernelSize, ...rest]);
    this.kernelSize = o.kernelSize;
    this.dilation = o.dilation ?? 1;
    this.padding = o.padding ?? 0;
    this.stride = o.stride ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  override extraRepr(): string {
    return repr(this);
  }
}

/**
 * `torch.nn.Fold`: sums sliding blocks back into an image, `(N, C·kh·kw, L)` → `(N, C, H, W)`
 * with `(H, W)` = outputSize (col2im). Arguments `(outputSize, kernelSize, dilation = 1,
 * padding = 0, stride = 1)` as PyTorch's; forward throws when L is not the number of blocks
 * that fit the output.
 *
 * ```ts
 * const img = new nn.Fold([5, 5], 3, 1, 1).forward(cols); // [1, 18, 25] -> [1, 2, 5, 5]
 * ```
 */
export class Fold extends Module {
  /** Spatial size `(H, W)` of the output image. */
  readonly outputSize: FoldPair;
  /** Size of the sliding blocks. */
  readonly kernelSize: FoldPair;
  /** Spacing between the elements of a block. */
  readonly dilation: FoldPair;
  /** Zeros added to both sides of each spatial dim. */
  readonly padding: FoldPair;
  /** Step of the sliding blocks. */
  readonly stride: FoldPair;

  constructor(outputSize: FoldPair, kernelSize: FoldPair, ...rest: Rest) {
    super();
    const o = FOLD.parse<UnfoldOptions & { outputSize: FoldPair; kernelSize: FoldPair }>([
      outputSize,
      kernelSize,
      ...rest,
    ]);
    this.outputSize = o.outputSize;
    this.kernelSize = o.kernelSize;
    this.dilation = o.dilation ?? 1;
    this.padding = o.padding ?? 0;
    this.stride = o.stride ?? 1;
  }

  override forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  override extraRepr(): string {
    return `output_size=${pyValue(this.outputSize)}, ${repr(this)}`;
  }
}
