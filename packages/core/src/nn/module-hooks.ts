// Module hooks, as PyTorch's: forward pre-hooks, forward hooks and full backward hooks. One
// wrapper around a module's forward runs them all; it is installed while any hook is present.
import { recordMulti } from '../autograd/node.js';
import { detach } from '../ops/convert.js';
import { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

/** Called after a module's forward with its inputs and output; a non-undefined result replaces the output. */
export type ForwardHook = (module: Module, inputs: unknown[], output: any) => unknown;

/**
 * Called before a module's forward with its inputs; a returned array replaces the arguments
 * (another non-undefined value replaces the single argument), as PyTorch's forward pre-hook.
 */
export type ForwardPreHook = (module: Module, inputs: unknown[]) => unknown;

/**
 * Called when the gradients with respect to a module's inputs are computed, with those
 * (`null` for arguments that are not tensors requiring grad) and the gradients of its
 * outputs; a returned array replaces the input gradients (PyTorch's full backward hook).
 */
export type BackwardHook = (
  module: Module,
  gradInput: (Tensor | null)[],
  gradOutput: (Tensor | null)[],
) => BackwardHookResult;

/**
 * What a {@link BackwardHook} returns: new gradients for the module's inputs (one per input,
 * `null` where there is none), or nothing to keep the computed ones.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: observe-only hooks return void
export type BackwardHookResult = (Tensor | null)[] | undefined | void;

/** The hooks of one module, by registration id (order of registration). */
export interface ModuleHooks {
  pre: Map<number, ForwardPreHook>;
  forward: Map<number, ForwardHook>;
  backward: Map<number, BackwardHook>;
}

/** A forward that runs the module's hooks around `original`. */
export function hookedForward(hooks: ModuleHooks, original: (...args: any[]) => any) {
  return function (this: Module, ...callArgs: unknown[]): unknown {
    let args = callArgs;
    for (const h of [...hooks.pre.values()]) {
      const r = h(this, args);
      if (r !== undefined) args = Array.isArray(r) ? r : [r];
    }
    const state = hooks.backward.size > 0 ? backwardState(this, hooks, args) : null;
    if (state !== null) args = state.args;
    let out = original.apply(this, args);
    for (const h of [...hooks.forward.values()]) {
      const r = h(this, args, out);
      if (r !== undefined) out = r;
    }
    return state !== null ? state.wrapOutputs(out) : out;
  };
}

/**
 * Full backward hooks: the tensor inputs that require grad pass through one identity op whose
 * backward sees all their gradients at once and calls the hooks; the outputs pass through
 * another, whose backward records the output gradients for them.
 */
function backwardState(module: Module, hooks: ModuleHooks, callArgs: unknown[]) {
  let gradOutput: (Tensor | null)[] = [];
  const inputPos = callArgs.flatMap((a, i) => (a instanceof Tensor && a.requiresGrad ? [i] : []));
  const run = (gradInput: (Tensor | null)[]): (Tensor | null)[] => {
    let gi = gradInput;
    for (const h of [...hooks.backward.values()]) {
      const r = h(module, gi, gradOutput);
      if (r !== undefined && r !== null) {
        if (!Array.isArray(r) || r.length !== gi.length) {
          throw new Error(
            `registerFullBackwardHook: a hook of ${module.constructor.name} returned ${Array.isArray(r) ? r.length : typeof r} ` +
              `gradients for ${gi.length} inputs; return one per input (null where none)`,
          );
        }
        gi = r;
      }
    }
    return gi;
  };
  const args = [...callArgs];
  if (inputPos.length > 0) {
    const ins = inputPos.map((i) => callArgs[i] as Tensor);
    const outs = recordMulti(
      'BackwardHookFunctionBackward',
      ins.map((t) => detach(t)),
      ins,
      (grads) => {
        const full = callArgs.map(() => null as Tensor | null);
        inputPos.forEach((p, k) => {
          full[p] = grads[k];
        });
        const replaced = run(full);
        return inputPos.map((p) => replaced[p]);
      },
    );
    inputPos.forEach((p, k) => {
      args[p] = outs[k];
    });
  }
  const wrapOutputs = (out: unknown): unknown => {
    const list = out instanceof Tensor ? [out] : Array.isArray(out) ? out : [];
    const idx = list.flatMap((o, i) => (o instanceof Tensor && o.requiresGrad ? [i] : []));
    if (idx.length === 0) return out;
    const ts = idx.map((i) => list[i] as Tensor);
    const wrapped = recordMulti(
      'BackwardHookFunctionBackward',
      ts.map((t) => detach(t)),
      ts,
      (grads) => {
        gradOutput = list.map(() => null);
        idx.forEach((p, k) => {
          gradOutput[p] = grads[k];
        });
        // No input needs a gradient: the hooks run here, with no input gradients.
        if (inputPos.length === 0) run(callArgs.map(() => null));
        return grads;
      },
    );
    if (out instanceof Tensor) return wrapped[0];
    const copy = [...list];
    idx.forEach((p, k) => {
      copy[p] = wrapped[k];
    });
    return copy;
  };
  return { args, wrapOutputs };
}
