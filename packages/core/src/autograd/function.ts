// biome-ignore-all lint/complexity/noThisInStatic: `this` is the user's subclass (its forward/backward), as `cls` in PyTorch's classmethods
// Custom differentiable operations, as torch.autograd.Function: a static forward that runs
// unrecorded, and a static backward that autograd calls with the outputs' gradients.
import { detach } from '../ops/convert.js';
import { zerosLike } from '../tensor/creation.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { noGrad } from './grad-mode.js';
import { anyRequiresGrad, recordMulti } from './node.js';

/** What `forward` and `backward` of an {@link Function} share (PyTorch's `ctx`). */
export class FunctionCtx {
  /** For each argument of `forward`: whether it is a tensor that needs a gradient. */
  needsInputGrad: boolean[] = [];
  /** @internal */
  _saved: Tensor[] = [];
  /** @internal */
  _nonDifferentiable = new Set<Tensor>();
  /** @internal */
  _materializeGrads = true;

  /** Saves tensors for `backward` (read them back with {@link savedTensors}). */
  saveForBackward(...tensors: (Tensor | null | undefined)[]): void {
    this._saved = tensors.filter((t): t is Tensor => t instanceof Tensor);
  }

  /**
   * The tensors given to {@link saveForBackward}. Autograd checks them before `backward` runs:
   * one modified in place since is an error, as in PyTorch.
   */
  get savedTensors(): Tensor[] {
    return [...this._saved];
  }

  /** Marks outputs that are not differentiable (integer results, indices): they get no gradient. */
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const o of outputs) this._nonDifferentiable.add(o);
  }

  /** Whether `backward` receives zeros (the default) or `null` for outputs that got no gradient. */
  setMaterializeGrads(value: boolean): void {
    this._materializeGrads = value;
  }
}

/** What a custom `backward` returns: one gradient per input (null or undefined for none), or one tensor. */
export type Grads = Tensor | null | undefined | readonly (Tensor | null | undefined)[];

/**
 * Base class of custom autograd operations (PyTorch's `torch.autograd.Function`). Subclasses
 * define static `forward(ctx, ...args)` (runs without recording) and `backward(ctx, ...grads)`
 * returning one gradient per argument of `forward` (`null` for arguments without one); call
 * them with `MyFn.apply(...args)`. A backward written with tensor ops is differentiable again
 * (createGraph); set `static onceDifferentiable = true` when it is not.
 *
 * @example
 * ```ts
 * class Exp extends autograd.Function {
 *   static override forward(ctx: autograd.FunctionCtx, x: Tensor) {
 *     const y = x.exp();
 *     ctx.saveForBackward(y);
 *     return y;
 *   }
 *   static override backward(ctx: autograd.FunctionCtx, g: Tensor) {
 *     const [y] = ctx.savedTensors;
 *     return g.mul(y);
 *   }
 * }
 * const y = Exp.apply(x);
 * ```
 */
// biome-ignore lint/suspicious/noShadowRestrictedNames: PyTorch's name (torch.autograd.Function), reached as autograd.Function
// biome-ignore lint/complexity/noStaticOnlyClass: a base class users extend with static forward/backward, as in PyTorch
export class Function {
  /** When true, differentiating this function's backward is a clear error (PyTorch's decorator). */
  static onceDifferentiable = false;

  /**
   * The computation (PyTorch's `forward(ctx, *args)`): override it. Runs without recording;
   * save what `backward` needs with `ctx.saveForBackward`. The base throws.
   */
  static forward(_ctx: FunctionCtx, ..._args: any[]): Tensor | Tensor[] {
    throw new Error(`${this.name}: forward() is not implemented (define static forward(ctx, ...args))`);
  }

  /**
   * The gradient (PyTorch's `backward(ctx, *grad_outputs)`): override it. Receives one gradient
   * per output of `forward` and returns one per argument of `forward` (`null` for none). The
   * base throws.
   */
  static backward(_ctx: FunctionCtx, ..._grads: (Tensor | null)[]): Grads {
    throw new Error(`${this.name}: backward() is not implemented (define static backward(ctx, ...grads))`);
  }

  /** Runs `forward` and records `backward` as the gradient of its outputs. */
  static apply<T extends typeof Function>(this: T, ...args: any[]): any {
    const name = this.name || 'Function';
    const ctx = new FunctionCtx();
    ctx.needsInputGrad = args.map((a) => a instanceof Tensor && a.requiresGrad);
    const tensorArgs: Tensor[] = [];
    const argPos: number[] = [];
    args.forEach((a, i) => {
      if (a instanceof Tensor) {
        tensorArgs.push(a);
        argPos.push(i);
      }
    });
    const raw = noGrad(() => this.forward(ctx, ...args));
    const single = raw instanceof Tensor;
    const outs0 = single ? [raw] : (raw as Tensor[]);
    if (!Array.isArray(outs0) || outs0.some((o) => !(o instanceof Tensor))) {
      throw new Error(`${name}.forward: must return a tensor or an array of tensors`);
    }
    // An input returned as is becomes a new tensor over the same storage, so recording on it
    // does not rewrite the input's own history.
    const outs = outs0.map((o) => (tensorArgs.includes(o) ? detach(o) : o));
    const differentiable = outs.map((o, i) => isFloat(o.dtype) && !ctx._nonDifferentiable.has(outs0[i]));
    if (!anyRequiresGrad(tensorArgs) || !differentiable.some(Boolean)) return single ? outs[0] : outs;
    const recorded = outs.filter((_, i) => differentiable[i]);
    recordMulti(
      `${name}Backward`,
      recorded,
      tensorArgs,
      (grads) => {
        const full = outs.map((o, i) => {
          if (!differentiable[i]) return null;
          const g = grads[recorded.indexOf(o)];
          return g ?? (ctx._materializeGrads ? zerosLike(o) : null);
        });
        const res = this.backward(ctx, ...full);
        const list = res instanceof Tensor || res === null || res === undefined ? [res] : [...res];
        if (list.length !== args.length) {
          throw new Error(
            `${name}.backward: returned an incorrect number of gradients (expected ${args.length}, got ${list.length}); ` +
              'return one per argument of forward, null where there is none',
          );
        }
        return argPos.map((p) => {
          const g = list[p];
          if (g !== null && g !== undefined && !(g instanceof Tensor)) {
            throw new Error(`${name}.backward: gradient ${p} is not a tensor or null`);
          }
          return g ?? null;
        });
      },
      ctx._saved,
      { onceDifferentiable: this.onceDifferentiable },
    );
    return single ? outs[0] : outs;
  }
}
