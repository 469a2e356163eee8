// Keras's optimizer names for fit/trainOnBatch. Keras's Adam, AdamW, RMSprop and Adagrad
// place epsilon differently from PyTorch's (and start Adagrad's sums at 0.1), so a name maps
// to Keras's own update rule with Keras 3's defaults (keras/src/backend/torch/optimizers), not to
// PyTorch's class: the same numbers as Keras, never silently PyTorch's.
import type { Module } from '../nn/module.js';
import { Optimizer, type ParamGroup } from '../optim/optimizer.js';
import { SGD } from '../optim/sgd.js';
import { fullLike } from '../tensor/creation.js';
import { keep } from '../tensor/scope.js';
import type { Tensor } from '../tensor/tensor.js';

/** The optimizer names fit and trainOnBatch accept (Keras's strings). */
export const KERAS_OPTIMIZERS = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;

/** One of {@link KERAS_OPTIMIZERS}. */
export type KerasOptimizerName = (typeof KERAS_OPTIMIZERS)[number];

/** @internal True for a Keras optimizer name. */
export function isKerasOptimizer(v: unknown): v is KerasOptimizerName {
  return typeof v === 'string' && (KERAS_OPTIMIZERS as readonly string[]).includes(v);
}

/** `x` rounded to float32, as Keras computes its scalar factors in the variables' dtype. */
const f32 = Math.fround;

interface AdamDefaults {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/**
 * Keras's Adam (and, with `weightDecay`, AdamW): `m ← β1·m + (1-β1)·g`,
 * `v ← β2·v + (1-β2)·g²`, `p ← p - α·m / (√v + ε)` with `α = lr·√(1-β2^t) / (1-β1^t)` —
 * ε is added to √v, not to the bias-corrected √v̂ as in PyTorch. AdamW first decays
 * `p ← p - p·wd·lr`. Keras 3 defaults: lr 0.001, β 0.9/0.999, ε 1e-7, AdamW's wd 0.004.
 */
class KerasAdam extends Optimizer<AdamDefaults> {
  constructor(params: Iterable<Tensor>, name: 'Adam' | 'AdamW', weightDecay: number) {
    super(`keras.${name}`, params, { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7, weightDecay });
  }

  protected updateGroup(g: ParamGroup<AdamDefaults>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const state = this.stateOf(p);
      const step = ((state.step as number | undefined) ?? 0) + 1;
      state.step = step;
      const m = this.stateBuffer(p, 'momentum');
      const v = this.stateBuffer(p, 'velocity');
      const lr = f32(g.lr);
      if (g.weightDecay !== 0) p.sub_(p.mul(f32(g.weightDecay)).mul(lr));
      const grad = p.grad;
      const b1p = f32(f32(g.beta1) ** step);
      const b2p = f32(f32(g.beta2) ** step);
      const alpha = f32(f32(lr * f32(Math.sqrt(f32(1 - b2p)))) / f32(1 - b1p));
      m.mul_(g.beta1).add_(grad, 1 - g.beta1);
      v.mul_(g.beta2).add_(grad.mul(grad), 1 - g.beta2);
      p.sub_(m.mul(alpha).div(v.sqrt().add(g.eps)));
    }
  }
}

interface RMSpropDefaults {
  lr: number;
  rho: number;
  eps: number;
}

/**
 * Keras's RMSprop: `v ← ρ·v + (1-ρ)·g²`, `p ← p - lr·g / √(v + ε)` (ε inside the root, not
 * added to it as in PyTorch). Keras 3 defaults: lr 0.001, ρ 0.9, ε 1e-7, no momentum.
 */
class KerasRMSprop extends Optimizer<RMSpropDefaults> {
  constructor(params: Iterable<Tensor>) {
    super('keras.RMSprop', params, { lr: 0.001, rho: 0.9, eps: 1e-7 });
  }

  protected updateGroup(g: ParamGroup<RMSpropDefaults>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const grad = p.grad;
      const v = this.stateBuffer(p, 'velocity');
      v.mul_(g.rho).add_(grad.mul(grad), 1 - g.rho);
      p.sub_(grad.mul(f32(g.lr)).div(v.add(g.eps).sqrt()));
    }
  }
}

interface AdagradDefaults {
  lr: number;
  initialAccumulatorValue: number;
  eps: number;
}

/**
 * Keras's Adagrad: `a ← a + g²`, `p ← p - lr·g / √(a + ε)`, the sums starting at 0.1.
 * Keras 3 defaults: lr 0.001, initial accumulator 0.1, ε 1e-7.
 */
class KerasAdagrad extends Optimizer<AdagradDefaults> {
  constructor(params: Iterable<Tensor>) {
    super('keras.Adagrad', params, { lr: 0.001, initialAccumulatorValue: 0.1, eps: 1e-7 });
  }

  protected override initGroupState(g: ParamGroup<AdagradDefaults>): void {
    for (const p of g.params) this.stateOf(p).accumulator = keep(fullLike(p, g.initialAccumulatorValue));
  }

  protected updateGroup(g: ParamGroup<AdagradDefaults>): void {
    for (const p of g.params) {
      if (p.grad === null) continue;
      const grad = p.grad;
      const acc = this.stateOf(p).accumulator as Tensor;
      acc.add_(grad.mul(grad));
      p.sub_(grad.mul(f32(g.lr)).div(acc.add(g.eps).sqrt()));
    }
  }
}

/**
 * A new optimizer for a Keras name, over `params`, with Keras 3's defaults:
 * - `'sgd'`: `optim.SGD` with lr 0.01 (Keras's SGD: `p ← p - lr·g`, the same update).
 * - `'adam'`, `'adamw'`, `'rmsprop'`, `'adagrad'`: Keras's update rules (see above), whose
 *   epsilon placement differs from PyTorch's Adam/AdamW/RMSprop/Adagrad.
 * For other settings (a learning rate, momentum), pass an optimizer object instead.
 *
 * @example
 * ```ts
 * const opt = train.kerasOptimizer('adam', model.parameters()); // Keras's Adam: lr 0.001, epsilon 1e-7
 * ```
 */
export function kerasOptimizer(name: KerasOptimizerName, params: Iterable<Tensor>): Optimizer<any> {
  switch (name) {
    case 'sgd':
      return new SGD(params, 0.01);
    case 'adam':
      return new KerasAdam(params, 'Adam', 0);
    case 'adamw':
      return new KerasAdam(params, 'AdamW', 0.004);
    case 'rmsprop':
      return new KerasRMSprop(params);
    case 'adagrad':
      return new KerasAdagrad(params);
  }
}

/** Optimizers made from names, per model: Keras compiles one and keeps it across fit calls. */
const byModel = new WeakMap<Module, Map<string, Optimizer<any>>>();

/**
 * @internal The optimizer a Keras name stands for on `model`, created on first use and then
 * reused by later fit/trainOnBatch calls with the same name (as Keras's compiled optimizer
 * keeps its moments across `fit` calls), unless the model's parameters changed.
 */
export function optimizerFor(model: Module, name: KerasOptimizerName): Optimizer<any> {
  let cache = byModel.get(model);
  if (!cache) {
    cache = new Map();
    byModel.set(model, cache);
  }
  const params = model.parameters();
  const cached = cache.get(name);
  const owned = cached?.paramGroups.flatMap((g) => g.params);
  if (cached && owned!.length === params.length && params.every((p) => owned!.includes(p))) return cached;
  cached?.disposeState();
  const fresh = kerasOptimizer(name, params);
  cache.set(name, fresh);
  return fresh;
}
