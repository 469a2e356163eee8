// nn.utils.parametrize: a parameter computed from others on every access (PyTorch's
// torch.nn.utils.parametrize), the mechanism under weightNorm and spectralNorm.
import { noGrad } from '../../autograd/grad-mode.js';
import { Tensor } from '../../tensor/tensor.js';
import { ModuleDict, ModuleList } from '../containers.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';

/** A parametrization: a module whose forward maps the stored tensors to the parameter's value. */
export interface Parametrization extends Module {
  /** Maps a value of the parameter to the stored tensor(s) (PyTorch's `right_inverse`). */
  rightInverse?(value: Tensor): Tensor | Tensor[];
}

/**
 * The parametrizations of one tensor (PyTorch's `ParametrizationList`): the stored tensors as
 * `original` (or `original0`, `original1`, … when `rightInverse` returns several) and the
 * parametrizations `0`, `1`, … applied in order.
 */
export class ParametrizationList extends ModuleList {
  /** Whether the first parametrization takes several stored tensors. */
  readonly multiple: boolean;
  private readonly originals: string[];

  constructor(modules: Module[], original: Tensor, asParameter: boolean) {
    super(modules);
    const first = modules[0] as Parametrization;
    const stored = noGrad(() => (first.rightInverse ? first.rightInverse(original) : original));
    this.multiple = Array.isArray(stored);
    const list = Array.isArray(stored) ? stored : [stored];
    this.originals = list.map((_, i) => (this.multiple ? `original${i}` : 'original'));
    list.forEach((t, i) => {
      const name = this.originals[i];
      const value = t === original ? original : t.detach();
      if (asParameter)
        this.registerParameter(name, value instanceof Parameter ? value : new Parameter(value));
      else this.registerBuffer(name, value);
    });
  }

  /** The parametrized value: the first parametrization on the stored tensors, then the rest. */
  value(): Tensor {
    const stored = this.originals.map((n) => (this as any)[n] as Tensor);
    const mods = [...this];
    let x = mods[0].forward(...stored) as Tensor;
    for (const m of mods.slice(1)) x = m.forward(x) as Tensor;
    return x;
  }
}

function parametrizations(module: Module): ModuleDict | null {
  const p = (module as any).parametrizations;
  return p instanceof ModuleDict ? p : null;
}

/** Whether `module` has parametrizations (on `tensorName`, when given). */
export function isParametrized(module: Module, tensorName?: string): boolean {
  const p = parametrizations(module);
  if (p === null) return false;
  return tensorName === undefined ? true : p.has(tensorName);
}

/**
 * Makes `module[tensorName]` computed by `parametrization` from stored tensors, on every
 * access (PyTorch's `register_parametrization`). The stored tensors live at
 * `module.parametrizations[tensorName].original` (state-dict keys
 * `parametrizations.<name>.original…`, as PyTorch's); registering a second parametrization on
 * the same tensor applies it after the first.
 *
 * ```ts
 * parametrize.registerParametrization(lin, 'weight', new Symmetric());
 * ```
 */
export function registerParametrization(module: Module, tensorName: string, parametrization: Module): Module {
  if (!(parametrization instanceof Module)) {
    throw new Error('registerParametrization: the parametrization must be an nn.Module');
  }
  let dict = parametrizations(module);
  if (dict?.has(tensorName)) {
    (dict.get(tensorName) as ParametrizationList).append(parametrization);
    return module;
  }
  const current = (module as any)[tensorName];
  if (!(current instanceof Tensor)) {
    throw new Error(
      `registerParametrization: ${module.constructor.name} has no parameter or buffer '${tensorName}'`,
    );
  }
  const isParam = current instanceof Parameter;
  const list = new ParametrizationList([parametrization], current, isParam);
  if (isParam) delete (module as any)[tensorName];
  else module._buffers.delete(tensorName);
  if (dict === null) {
    dict = new ModuleDict();
    module.registerModule('parametrizations', dict);
  }
  dict.set(tensorName, list);
  Object.defineProperty(module, tensorName, {
    configurable: true,
    enumerable: false,
    get: () => list.value(),
    set: () => {
      throw new Error(
        `${module.constructor.name}.${tensorName} is parametrized: assign through the parametrization ` +
          `(module.parametrizations.${tensorName}.original) or remove it first`,
      );
    },
  });
  return module;
}

/**
 * Removes the parametrizations of `tensorName` (PyTorch's `remove_parametrizations`): with
 * `leaveParametrized` (default) the tensor keeps its current value as a plain parameter;
 * otherwise it becomes the stored `original` again.
 */
export function removeParametrizations(module: Module, tensorName: string, leaveParametrized = true): Module {
  const dict = parametrizations(module);
  if (dict === null || !dict.has(tensorName)) {
    throw new Error(
      `removeParametrizations: ${module.constructor.name} has no parametrization on '${tensorName}'`,
    );
  }
  const list = dict.get(tensorName) as ParametrizationList;
  let value: Tensor;
  if (leaveParametrized) value = noGrad(() => list.value()).detach();
  else {
    if (list.multiple) {
      throw new Error(
        `removeParametrizations: '${tensorName}' is stored as several tensors; use leaveParametrized = true`,
      );
    }
    value = (list as any).original as Tensor;
  }
  delete (module as any)[tensorName];
  dict.pop(tensorName);
  if ([...dict.children()].length === 0) delete (module as any).parametrizations;
  module.registerParameter(tensorName, value instanceof Parameter ? value : new Parameter(value));
  return module;
}
