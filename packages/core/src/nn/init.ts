// nn.init: in-place initialisers, PyTorch's formulas, randomness from the core generator.
import { noGrad } from '../autograd/grad-mode.js';
import { fromArray } from '../tensor/creation.js';
import { defaultGenerator, type Generator } from '../tensor/random.js';
import { fmtShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Nonlinearities known to {@link calculateGain} (PyTorch's names; camelCase aliases accepted). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

/** Fan mode of the Kaiming initialisers. */
export type FanMode = 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';

/**
 * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for
 * relu, √(2/(1+slope²)) for leaky_relu (slope `param`, default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity | string, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new Error(`calculateGain: unsupported nonlinearity '${nonlinearity}'`);
  }
}

/** [fanIn, fanOut] of a weight: dims 1 and 0 times the receptive field (product of dims 2+). */
export function _calculateFanInAndFanOut(t: Tensor): [number, number] {
  if (t.ndim < 2) {
    throw new Error(
      `init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions (${fmtShape(t.shape)})`,
    );
  }
  let receptive = 1;
  for (let i = 2; i < t.ndim; i++) receptive *= t.shape[i];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

function fanFor(t: Tensor, mode: FanMode): number {
  const [fanIn, fanOut] = _calculateFanInAndFanOut(t);
  if (mode === 'fanIn' || mode === 'fan_in') return fanIn;
  if (mode === 'fanOut' || mode === 'fan_out') return fanOut;
  throw new Error(`init: mode must be 'fanIn' or 'fanOut', got '${mode}'`);
}

/** @internal Overwrites `t` with `values` (row-major) without recording. */
export function assign(t: Tensor, values: Float64Array): Tensor {
  noGrad(() => {
    const src = fromArray(
      'init',
      t.dtype === 'float64' ? values : Float32Array.from(values),
      t.shape,
      t.dtype === 'float64' ? 'float64' : 'float32',
      {
        device: t.device,
      },
    );
    t.copy_(src);
    src.dispose();
  });
  return t;
}

/** Fills `t` from U(a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, generator: Generator = defaultGenerator): Tensor {
  return t.uniform_(a, b, generator);
}

/** Fills `t` from N(mean, std²). */
export function normal_(t: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator): Tensor {
  return t.normal_(mean, std, generator);
}

/** Fills `t` with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  return noGrad(() => t.fill_(value));
}

/** Fills `t` with zeros. */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` with ones. */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/** Glorot uniform: U(±gain·√(6/(fanIn+fanOut))). */
export function xavierUniform_(t: Tensor, gain = 1, generator: Generator = defaultGenerator): Tensor {
  const [fanIn, fanOut] = _calculateFanInAndFanOut(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return t.uniform_(-bound, bound, generator);
}

/** Glorot normal: N(0, gain²·2/(fanIn+fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1, generator: Generator = defaultGenerator): Tensor {
  const [fanIn, fanOut] = _calculateFanInAndFanOut(t);
  return t.normal_(0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** Options of the Kaiming initialisers (PyTorch's keyword arguments). */
export interface KaimingOptions {
  /** Negative slope of the leaky relu that follows (default 0). */
  a?: number;
  /** `'fanIn'` (the default) keeps the forward pass's variance, `'fanOut'` the backward pass's. */
  mode?: FanMode;
  /** The nonlinearity the gain is computed for, by {@link calculateGain} (default `'leaky_relu'`). */
  nonlinearity?: Nonlinearity;
  /** Ours: the generator to draw from (default: the global one). */
  generator?: Generator;
}

/** The Kaiming standard deviation gain/√fan of `t` and the generator to draw with. */
function kaimingStd(
  t: Tensor,
  a: number | KaimingOptions,
  mode: FanMode,
  nonlinearity: Nonlinearity,
  generator: Generator,
): [number, Generator] {
  const o: Required<KaimingOptions> =
    typeof a === 'object'
      ? {
          a: a.a ?? 0,
          mode: a.mode ?? 'fanIn',
          nonlinearity: a.nonlinearity ?? 'leaky_relu',
          generator: a.generator ?? defaultGenerator,
        }
      : { a, mode, nonlinearity, generator };
  return [calculateGain(o.nonlinearity, o.a) / Math.sqrt(fanFor(t, o.mode)), o.generator];
}

/**
 * He uniform: U(±gain·√(3/fan)). Takes PyTorch's positional arguments or an options object:
 * `kaimingUniform_(w, Math.sqrt(5))`, `kaimingUniform_(w, { mode: 'fanOut', nonlinearity: 'relu' })`.
 */
export function kaimingUniform_(
  t: Tensor,
  a: number | KaimingOptions = 0,
  mode: FanMode = 'fanIn',
  nonlinearity: Nonlinearity = 'leaky_relu',
  generator: Generator = defaultGenerator,
): Tensor {
  const [std, g] = kaimingStd(t, a, mode, nonlinearity, generator);
  const bound = Math.sqrt(3) * std;
  return t.uniform_(-bound, bound, g);
}

/** He normal: N(0, gain²/fan); same arguments as {@link kaimingUniform_}. */
export function kaimingNormal_(
  t: Tensor,
  a: number | KaimingOptions = 0,
  mode: FanMode = 'fanIn',
  nonlinearity: Nonlinearity = 'leaky_relu',
  generator: Generator = defaultGenerator,
): Tensor {
  const [std, g] = kaimingStd(t, a, mode, nonlinearity, generator);
  return t.normal_(0, std, g);
}

/** LeCun normal: N(0, 1/fanIn) (as in Keras/JAX, without truncation; PyTorch has no equivalent). */
export function lecunNormal_(t: Tensor, generator: Generator = defaultGenerator): Tensor {
  const [fanIn] = _calculateFanInAndFanOut(t);
  return t.normal_(0, 1 / Math.sqrt(fanIn), generator);
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al.): the Q of a QR decomposition of a
 * normal matrix, sign-corrected so the distribution is uniform. Dims after the first are flattened.
 */
export function orthogonal_(t: Tensor, gain = 1, generator: Generator = defaultGenerator): Tensor {
  if (t.ndim < 2)
    throw new Error(
      `orthogonal_: only tensors with 2 or more dimensions are supported, got ${fmtShape(t.shape)}`,
    );
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  // Work on a tall matrix m×n (m >= n) stored column-major, then transpose back if needed.
  const transpose = rows < cols;
  const m = transpose ? cols : rows;
  const n = transpose ? rows : cols;
  const a = new Float64Array(m * n);
  // Fill the flat matrix [rows, cols] row-major from the generator, as torch fills its flattened tensor.
  const flat = new Float64Array(rows * cols);
  for (let i = 0; i < flat.length; i++) flat[i] = generator.normal();
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) a[j * m + i] = transpose ? flat[j * cols + i] : flat[i * cols + j];
  }
  // Modified Gram–Schmidt: the columns of a become Q.
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < m; i++) dot += a[k * m + i] * a[j * m + i];
      for (let i = 0; i < m; i++) a[j * m + i] -= dot * a[k * m + i];
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += a[j * m + i] * a[j * m + i];
    norm = Math.sqrt(norm);
    // Gram–Schmidt gives R's diagonal positive, which is already the sign-corrected Q.
    for (let i = 0; i < m; i++) a[j * m + i] /= norm;
  }
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const v = a[j * m + i] * gain;
      if (transpose) out[j * cols + i] = v;
      else out[i * cols + j] = v;
    }
  }
  return assign(t, out);
}

export { dirac_, eye_, sparse_, truncNormal_ } from './init-more.js';
