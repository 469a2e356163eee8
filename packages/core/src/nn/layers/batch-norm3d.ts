// BatchNorm3d: PyTorch's batch norm over [N, C, D, H, W], sharing BatchNorm1d/2d's machinery.
import {
  bool,
  int,
  num,
  oneOf,
  opt,
  optional,
  type PosOrOpts,
  req,
  signature,
  str,
} from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../functional/conv-args.js';
import { BatchNormBase, type BatchNormOptions } from './norm.js';

// PyTorch's nn.BatchNorm3d(num_features, eps=1e-5, momentum=0.1, affine=True,
// track_running_stats=True, device=None, dtype=None).
const BATCH_NORM3D = signature('BatchNorm3d', [
  req('numFeatures', int),
  opt('eps', num),
  opt('momentum', optional(num)),
  opt('affine', bool),
  opt('trackRunningStats', bool),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
]);

/**
 * `torch.nn.BatchNorm3d`: batch normalisation over `(N, C, D, H, W)` (per channel C), with
 * PyTorch's running statistics (`running_mean`, `running_var`, `num_batches_tracked`). Output of
 * the input's shape; forward throws for input of another rank.
 *
 * ```ts
 * const bn = new nn.BatchNorm3d(16);
 * ```
 */
export class BatchNorm3d extends BatchNormBase {
  constructor(
    numFeatures: number,
    ...rest: PosOrOpts<
      [
        eps: number,
        momentum: number | null,
        affine: boolean,
        trackRunningStats: boolean,
        device: string,
        dtype: 'float32' | 'float64',
      ],
      BatchNormOptions
    >
  ) {
    const opts = BATCH_NORM3D.parse<BatchNormOptions & { numFeatures: number }>([numFeatures, ...rest]);
    super(opts.numFeatures, opts);
  }

  protected checkInput(input: Tensor): void {
    if (input?.ndim !== 5) {
      throw new Error(
        `BatchNorm3d: expected 5D input [N, C, D, H, W] (got ${input?.ndim}D input ${fmt(input?.shape ?? [])})`,
      );
    }
  }
}
