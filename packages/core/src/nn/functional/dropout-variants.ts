// Channel-wise dropout (dropout1d/2d/3d) and alpha dropout (alphaDropout, featureAlphaDropout),
// with PyTorch 1.13's shape rules and warnings. Masks are drawn on the host from the seeded core
// generator (so every backend sees the same mask) and applied with mul/add, so the gradient is
// the mask and double backward works.
import { checkTensor } from '../../ops/util.js';
import {
  any,
  bool,
  ext,
  num,
  obj,
  onlyDefault,
  opt,
  type PosOrOpts,
  req,
  type Signature,
  signature,
} from '../../signature/signature.js';
import { fromArray } from '../../tensor/creation.js';
import { isFloat } from '../../tensor/dtype.js';
import { hostDraw } from '../../tensor/host-draw.js';
import { defaultGenerator, type Generator } from '../../tensor/random.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { warnOnce } from './warn-once.js';

// torch.nn.functional 1.13 (inspect.signature): (input, p=0.5, training=..., inplace=False);
// training defaults to true for dropout1d/2d/3d and to FALSE for the alpha dropouts.
const dropoutSignature = (owner: string): Signature =>
  signature(owner, [
    req('input', any),
    opt('p', num),
    opt('training', bool),
    opt('inplace', onlyDefault(false, 'in-place dropout is not supported; use the returned tensor')),
    ext('generator', obj),
  ]);
const DROPOUT1D = dropoutSignature('F.dropout1d');
const DROPOUT2D = dropoutSignature('F.dropout2d');
const DROPOUT3D = dropoutSignature('F.dropout3d');
const ALPHA_DROPOUT = dropoutSignature('F.alphaDropout');
const FEATURE_ALPHA_DROPOUT = dropoutSignature('F.featureAlphaDropout');

/** Options of the dropout variants. */
export interface DropoutVariantOptions {
  /** Probability of dropping a channel (or element, for alphaDropout); default 0.5. */
  p?: number;
  /** Apply dropout; false returns the input unchanged. */
  training?: boolean;
  /** Must be false (PyTorch's default): in-place dropout is refused. */
  inplace?: false;
  /** Ours: the generator drawing the mask (default: the global one). */
  generator?: Generator;
}

type Rest = PosOrOpts<[p: number, training: boolean, inplace: false], DropoutVariantOptions>;
type Parsed = DropoutVariantOptions & { input: Tensor };

/** SELU's negative saturation −λα, the value alpha dropout sets dropped units to (before the affine). */
const ALPHA = 1.7580993408473766;

/**
 * PyTorch's `_dropout_impl`: elementwise (feature = false) or one draw per [N, C] (feature =
 * true, the rest of the dims broadcast), plain (inverted, scaled by 1/(1−p)) or alpha dropout.
 */
function dropoutImpl(
  op: string,
  x: Tensor,
  p: number,
  training: boolean,
  gen: Generator,
  feature: boolean,
  alpha: boolean,
): Tensor {
  checkTensor(op, x);
  if (!(p >= 0 && p <= 1))
    throw new Error(`${op}: dropout probability has to be between 0 and 1, but got ${p}`);
  if (feature && x.ndim < 2) {
    throw new Error(
      `${op}: feature dropout requires at least 2 dimensions in the input, got ${fmtShape(x.shape)}`,
    );
  }
  if (p === 0 || !training || x.numel() === 0) return x;
  if (p === 1) return x.mul(0);
  const noiseShape = feature ? [x.shape[0], x.shape[1], ...new Array<number>(x.ndim - 2).fill(1)] : x.shape;
  const n = noiseShape.reduce((a, b) => a * b, 1);
  const dtype = isFloat(x.dtype) ? x.dtype : 'float32';
  const Arr = dtype === 'float64' ? Float64Array : Float32Array;
  const device = { device: x.device };
  const draw = (value: number) =>
    hostDraw(n, (k) => {
      const u = gen.randoms(k);
      const m = new Arr(k);
      for (let i = 0; i < k; i++) m[i] = u[i] < p ? 0 : value;
      return m;
    });
  if (!alpha) return x.mul(fromArray(op, draw(1 / (1 - p)), noiseShape, dtype, device));
  // the masks are computed in float32 (float64 for float64 input) and then take x's dtype
  const work = dtype === 'float64' ? 'float64' : 'float32';
  const keep = fromArray(op, draw(1), noiseShape, work, device);
  // y = a·(x·keep + α'·(1 − keep)) + b with α' = −ALPHA, chosen so a SELU network keeps zero
  // mean and unit variance: PyTorch's a and b.
  // PyTorch builds b as (noise − 1)·(αa) + αa·p with tensor ops in the mask's dtype, rounding
  // each step (the double scalars rounded first): the same roundings, so the values are its.
  const r = dtype === 'float64' ? (v: number) => v : Math.fround;
  const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  const [ra, alphaA, alphaAP] = [r(a), r(ALPHA * a), r(ALPHA * a * p)];
  // keep is 0 or 1, so these tensor ops in the mask's dtype round exactly as r(...) does
  const scale = keep.mul(ra).to(dtype);
  const shift = keep.sub(1).mul(alphaA).add(alphaAP).to(dtype);
  return x.mul(scale).add(shift);
}

function parse(sig: Signature, x: Tensor, rest: readonly unknown[]): Parsed {
  return sig.parse<Parsed>([x, ...rest]);
}

/** Runs `f` on x with a leading batch dim of 1 added (PyTorch's unbatched inputs), and removes it. */
function unbatched(x: Tensor, f: (t: Tensor) => Tensor): Tensor {
  const y = f(x.unsqueeze(0));
  return y.squeeze(0);
}

/**
 * Zeroes whole channels of [N, C, L] or unbatched [C, L] input with probability `p` and scales
 * the rest by 1/(1−p).
 */
export function dropout1d(input: Tensor, ...rest: Rest): Tensor {
  const a = parse(DROPOUT1D, input, rest);
  const x = checkTensor('dropout1d', a.input);
  const p = a.p ?? 0.5;
  if (x.ndim !== 2 && x.ndim !== 3) {
    throw new Error(
      `dropout1d: expected 2D or 3D input, but received a ${x.ndim}D input ${fmtShape(x.shape)} (dropout1d drops channels of [N, C, L] or [C, L] input)`,
    );
  }
  const run = (t: Tensor) =>
    dropoutImpl('dropout1d', t, p, a.training ?? true, a.generator ?? defaultGenerator, true, false);
  return x.ndim === 3 ? run(x) : unbatched(x, run);
}

/**
 * Zeroes whole channels of [N, C, H, W] input with probability `p`. As PyTorch 1.13: 3-D input
 * is taken as [N, C, L] (channel-wise 1-D dropout, with PyTorch's warning), other ranks warn and
 * drop per [N, C].
 */
export function dropout2d(input: Tensor, ...rest: Rest): Tensor {
  const a = parse(DROPOUT2D, input, rest);
  const x = checkTensor('dropout2d', a.input);
  const p = a.p ?? 0.5;
  if (!(p >= 0 && p <= 1))
    throw new Error(`dropout2d: dropout probability has to be between 0 and 1, but got ${p}`);
  if (x.ndim !== 3 && x.ndim !== 4) {
    warnOnce(
      `dropout2d: Received a ${x.ndim}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`,
    );
  }
  if (x.ndim === 3) {
    warnOnce(
      'dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.',
    );
  }
  return dropoutImpl('dropout2d', x, p, a.training ?? true, a.generator ?? defaultGenerator, true, false);
}

/**
 * Zeroes whole channels of [N, C, D, H, W] or unbatched [C, D, H, W] input with probability
 * `p`. Other ranks warn (as PyTorch 1.13) and are taken as unbatched.
 */
export function dropout3d(input: Tensor, ...rest: Rest): Tensor {
  const a = parse(DROPOUT3D, input, rest);
  const x = checkTensor('dropout3d', a.input);
  const p = a.p ?? 0.5;
  if (!(p >= 0 && p <= 1))
    throw new Error(`dropout3d: dropout probability has to be between 0 and 1, but got ${p}`);
  if (x.ndim !== 4 && x.ndim !== 5) {
    warnOnce(
      `dropout3d: Received a ${x.ndim}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`,
    );
  }
  const run = (t: Tensor) =>
    dropoutImpl('dropout3d', t, p, a.training ?? true, a.generator ?? defaultGenerator, true, false);
  return x.ndim === 5 ? run(x) : unbatched(x, run);
}

/**
 * Alpha dropout (for SELU networks): dropped elements are set to SELU's negative saturation
 * and everything is rescaled so the mean and variance are kept. `training` defaults to FALSE,
 * as in PyTorch's functional form.
 */
export function alphaDropout(input: Tensor, ...rest: Rest): Tensor {
  const a = parse(ALPHA_DROPOUT, input, rest);
  return dropoutImpl(
    'alphaDropout',
    a.input,
    a.p ?? 0.5,
    a.training ?? false,
    a.generator ?? defaultGenerator,
    false,
    true,
  );
}

/** Alpha dropout of whole channels (one draw per [N, C]); `training` defaults to FALSE. */
export function featureAlphaDropout(input: Tensor, ...rest: Rest): Tensor {
  const a = parse(FEATURE_ALPHA_DROPOUT, input, rest);
  return dropoutImpl(
    'featureAlphaDropout',
    a.input,
    a.p ?? 0.5,
    a.training ?? false,
    a.generator ?? defaultGenerator,
    true,
    true,
  );
}
