// nn.utils.parametrizations: weight normalisation and spectral normalisation as
// parametrizations (PyTorch's torch.nn.utils.parametrizations), state-dict compatible.
import { noGrad } from '../../autograd/grad-mode.js';
import { randn } from '../../tensor/creation.js';
import { normDim } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { registerParametrization } from './parametrize.js';

/** ‖v‖₂ over every dim but `dim` (kept as size 1), or over all dims when `dim` is -1. */
function normExceptDim(v: Tensor, dim: number): Tensor {
  if (dim === -1) return v.pow(2).sum().sqrt();
  const dims = v.shape.map((_, i) => i).filter((i) => i !== dim);
  return dims.length === 0 ? v.abs() : v.pow(2).sum(dims, true).sqrt();
}

/** `x / max(‖x‖₂, eps)` of a vector (F.normalize along dim 0). */
function normalize(x: Tensor, eps: number): Tensor {
  return x.div(x.pow(2).sum().sqrt().clamp(eps));
}

/** PyTorch's `_WeightNorm`: weight = g · v / ‖v‖ (norm over every dim but `dim`). */
class WeightNorm extends Module {
  constructor(readonly dim: number) {
    super();
  }

  override forward(g: Tensor, v: Tensor): Tensor {
    return v.mul(g.div(normExceptDim(v, this.dim)));
  }

  rightInverse(weight: Tensor): Tensor[] {
    return [normExceptDim(weight, this.dim), weight];
  }
}

/**
 * Reparametrises `module[name]` as magnitude times direction (Salimans & Kingma), as PyTorch's
 * `parametrizations.weight_norm`: stored as `parametrizations.<name>.original0` (g, the norm
 * over every dim but `dim`) and `original1` (v). `dim` null normalises over the whole tensor.
 *
 * ```ts
 * const lin = nn.utils.parametrizations.weightNorm(new nn.Linear(20, 40));
 * ```
 */
export function weightNorm<M extends Module>(module: M, name = 'weight', dim: number | null = 0): M {
  const w = (module as any)[name] as Tensor;
  const d = dim === null ? -1 : normDim('weightNorm', dim, w.ndim);
  registerParametrization(module, name, new WeightNorm(d));
  return module;
}

/** PyTorch's `_SpectralNorm`: weight / σ, σ from power iteration on the weight as a matrix. */
class SpectralNorm extends Module {
  declare _u: Tensor;
  declare _v: Tensor;

  constructor(
    weight: Tensor,
    readonly nPowerIterations: number,
    readonly dim: number,
    readonly eps: number,
  ) {
    super();
    if (weight.ndim > 1) {
      const mat = this.matrix(weight);
      const [h, w] = mat.shape;
      noGrad(() => {
        this.registerBuffer('_u', normalize(randn([h], { dtype: weight.dtype, device: weight.device }), eps));
        this.registerBuffer('_v', normalize(randn([w], { dtype: weight.dtype, device: weight.device }), eps));
      });
      this.powerMethod(mat, 15);
    }
  }

  /** The weight with `dim` first, flattened to a matrix. */
  private matrix(weight: Tensor): Tensor {
    const perm = [this.dim, ...weight.shape.map((_, i) => i).filter((i) => i !== this.dim)];
    const w = this.dim === 0 ? weight : weight.permute(...perm);
    return w.reshape(w.shape[0], -1);
  }

  /** Updates the singular-vector estimates `_u`, `_v` in place (no gradient). */
  private powerMethod(mat: Tensor, iterations: number): void {
    noGrad(() => {
      for (let i = 0; i < iterations; i++) {
        this._u.copy_(normalize(mat.matmul(this._v), this.eps));
        this._v.copy_(normalize(mat.t().matmul(this._u), this.eps));
      }
    });
  }

  override forward(weight: Tensor): Tensor {
    if (weight.ndim === 1) return normalize(weight, this.eps);
    const mat = this.matrix(weight);
    if (this.training) this.powerMethod(mat, this.nPowerIterations);
    const u = this._u.clone();
    const v = this._v.clone();
    const sigma = u.matmul(mat.matmul(v));
    return weight.div(sigma);
  }

  rightInverse(value: Tensor): Tensor {
    return value;
  }
}

/**
 * Spectral normalisation (Miyato et al.), as PyTorch's `parametrizations.spectral_norm`:
 * `module[name]` is divided by its largest singular value, estimated by `nPowerIterations`
 * steps of power iteration per access in training mode (the estimates `_u`, `_v` are buffers
 * of `parametrizations.<name>.0`). `dim` defaults to 1 for transposed convolutions, else 0.
 */
export function spectralNorm<M extends Module>(
  module: M,
  name = 'weight',
  nPowerIterations = 1,
  eps = 1e-12,
  dim: number | null = null,
): M {
  const w = (module as any)[name] as Tensor;
  if (!(nPowerIterations > 0)) {
    throw new Error(`spectralNorm: nPowerIterations must be positive, got ${nPowerIterations}`);
  }
  const d = dim ?? (/^ConvTranspose[123]d$/.test(module.constructor.name) ? 1 : 0);
  registerParametrization(
    module,
    name,
    new SpectralNorm(w, nPowerIterations, normDim('spectralNorm', d, w.ndim), eps),
  );
  return module;
}
