import { fmtShape, shapesEqual } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** A gradient hook: sees a gradient and may return a replacement (PyTorch's `Tensor.register_hook`). */
// biome-ignore lint/suspicious/noConfusingVoidType: observe-only hooks (`(g) => console.log(g)`) return void
export type GradHook = (grad: Tensor) => Tensor | undefined | void;

/** What removes a registered hook (PyTorch's `RemovableHandle`). */
export interface RemovableHandle {
  /** Unregisters the hook; calling it again does nothing. */
  remove(): void;
}

/** Hooks in registration order; removal keeps the order of the others. */
export type HookList = Map<number, GradHook>;

let nextId = 0;

/** Adds `hook` to `list` and returns its handle. */
export function addHook(list: HookList, hook: GradHook): RemovableHandle {
  const id = nextId++;
  list.set(id, hook);
  return { remove: () => void list.delete(id) };
}

/** Runs the hooks in order, each on the previous one's result; checks replacements keep the shape. */
export function applyHooks(list: HookList, grad: Tensor): Tensor {
  let g = grad;
  for (const hook of list.values()) {
    const r = hook(g);
    if (r === undefined || r === null) continue;
    if (!shapesEqual(r.shape, g.shape)) {
      throw new Error(
        `registerHook: a hook returned a gradient of shape ${fmtShape(r.shape)} for a gradient of shape ${fmtShape(g.shape)}`,
      );
    }
    g = r;
  }
  return g;
}
