import { enableGrad, noGrad } from '../autograd/grad-mode.js';
import { cast, clone, to } from '../ops/convert.js';
import { zerosLike } from '../tensor/creation.js';
import { watchStepGrowth } from '../tensor/growth-watch.js';
import { keep, tidy } from '../tensor/scope.js';
import { Tensor } from '../tensor/tensor.js';
import { checkOptimizerStateDict, sameShapeAsParam } from './load-state.js';
import { checkOptions, checkOptionTypes, groupTensors, paramGroupSpecs } from './params.js';

/** One entry of an optimizer's per-parameter state: a tensor (moments, buffers) or a number (step). */
export type StateValue = Tensor | number;

/** The optimizer state of one parameter, e.g. `{ step: 3, expAvg: Tensor, expAvgSq: Tensor }`. */
export type ParamState = Record<string, StateValue>;

/** What every param group holds: its parameters, its learning rate, and any other options. */
export interface ParamGroupBase {
  /** The parameters this group updates. */
  params: Tensor[];
  /** The group's learning rate; schedulers write it. */
  lr: number;
  [option: string]: unknown;
}

/**
 * A param group with every option of the optimizer resolved (`D` holds the defaults' types).
 * Options are plain mutable properties: schedulers write `lr` (and `momentum`/`betas`).
 */
export type ParamGroup<D> = D & ParamGroupBase;

/** A param group as given by the user: parameters plus any options that override the defaults. */
export type ParamGroupSpec<D> = Partial<D> & {
  /** The group's parameters: an iterable of tensors (`model.parameters()`), or one tensor. */
  params: Iterable<Tensor> | Tensor;
  [option: string]: unknown;
};

/** What an optimizer is constructed with: an iterable of tensors, or an array of param groups. */
export type Params<D> = Iterable<Tensor> | readonly ParamGroupSpec<D>[];

/**
 * PyTorch's optimizer state dict: `state` keyed by the parameter's index (counted over the
 * groups in order) and the groups' options with `params` replaced by those indices.
 */
export interface OptimizerStateDict {
  /** Each parameter's state by its index (PyTorch's `state`); parameters without state are absent. */
  state: Record<number, ParamState>;
  /** Each group's options, in order (PyTorch's `param_groups`). */
  paramGroups: Array<
    Record<string, unknown> & {
      /** The indices of the group's parameters. */
      params: number[];
    }
  >;
}

/**
 * Base class of the optimizers (PyTorch's `torch.optim.Optimizer`). A subclass implements
 * {@link Optimizer.updateGroup}; the base runs it under `noGrad` inside a `tidy`, so a step
 * leaks no intermediates, and updates the parameter tensors in place (models and optimizers
 * share the same Tensor objects).
 *
 * @example
 * ```ts
 * const opt = new optim.SGD([{ params: backbone.parameters() }, { params: head.parameters(), lr: 1e-3 }], { lr: 0.1 });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export abstract class Optimizer<
  D extends {
    /** The learning rate. */
    lr: number;
  } = {
    /** The learning rate. */
    lr: number;
  },
> {
  /** The options each new param group starts from. */
  readonly defaults: D;
  /** The param groups with their resolved options. */
  paramGroups: ParamGroup<D>[] = [];
  /** Per-parameter state (tensors are `keep()`-ed: an enclosing `tidy()` never frees them). */
  state = new Map<Tensor, ParamState>();
  /** The optimizer's name, used in error messages. */
  readonly name: string;

  /**
   * `options` is what the user passed (checked for unknown names and wrong types against the
   * keys of `defaults`); `defaults` holds every option resolved.
   */
  constructor(name: string, params: Params<D>, defaults: D, options?: unknown) {
    this.name = name;
    this.defaults = defaults;
    checkOptions(name, options, Object.keys(defaults));
    for (const g of paramGroupSpecs(name, params)) this.addParamGroup(g as ParamGroupSpec<D>);
  }

  /**
   * Adds a param group; options it leaves out come from {@link defaults}. Useful to start
   * training layers that were frozen. A parameter may belong to one group only.
   */
  addParamGroup(spec: ParamGroupSpec<D>): void {
    const gi = this.paramGroups.length;
    const params = groupTensors(this.name, spec, gi);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (params.includes(p))
          throw new Error(`${this.name}: some parameters appear in more than one parameter group`);
      }
    }
    checkOptionTypes(this.name, spec, ` of param group ${gi}`);
    const group = { ...cloneOptions(this.defaults), ...cloneOptions(spec), params } as ParamGroup<D>;
    this.validateGroup(group);
    this.paramGroups.push(group);
    this.initGroupState(group);
  }

  /**
   * Resets the gradients of every parameter. With `setToNone` (the default, as in PyTorch 2)
   * the grad tensors are disposed and `grad` becomes `null`; otherwise they are zeroed in place.
   */
  zeroGrad(setToNone = true): void {
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        const grad = p.grad;
        if (grad === null) continue;
        if (setToNone) {
          p.grad = null;
          grad.dispose();
        } else if (!grad.isDisposed) {
          noGrad(() => grad.zero_());
        }
      }
    }
  }

  /**
   * Performs one optimization step on every parameter that has a gradient. `closure`, when
   * given, re-evaluates the model (with grad enabled, typically zeroGrad + forward + backward)
   * and its result is returned.
   */
  step<L = undefined>(closure?: () => L): L | undefined {
    const loss = closure === undefined ? undefined : enableGrad(closure);
    tidy(() => {
      noGrad(() => {
        for (const g of this.paramGroups) this.updateGroup(g);
      });
    });
    watchStepGrowth();
    return loss;
  }

  /** Updates the parameters of one group (called under noGrad inside a tidy). */
  protected abstract updateGroup(group: ParamGroup<D>): void;

  /** Checks a group's options (throws `"<Name>: invalid ..."`). */
  protected validateGroup(_group: ParamGroup<D>): void {}

  /** Creates state that exists before the first step (Adagrad's accumulators). */
  protected initGroupState(_group: ParamGroup<D>): void {}

  /** The state of `p`, created empty on first use. */
  protected stateOf(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (s === undefined) {
      s = {};
      this.state.set(p, s);
    }
    return s;
  }

  /**
   * The zero-initialised buffer `key` of `p`'s state, created (and kept) when missing, as it is
   * when an option such as momentum or amsgrad is switched on after the first step.
   */
  protected stateBuffer(p: Tensor, key: string): Tensor {
    const state = this.stateOf(p);
    let t = state[key] as Tensor | undefined;
    if (t === undefined) {
      t = keep(zerosLike(p));
      state[key] = t;
    }
    return t;
  }

  /**
   * A snapshot of the optimizer: `{state: {0: {...}, 1: ...}, paramGroups: [{lr, ..., params: [0, 1]}]}`.
   * The state tensors are clones owned by the caller (so that later steps do not change a
   * saved snapshot); dispose them, or call this inside `tidy()`, when done.
   */
  stateDict(): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((g) => {
      const packed: Record<string, unknown> & { params: number[] } = { ...cloneOptions(g), params: [] };
      for (const p of g.params) {
        if (!index.has(p)) index.set(p, index.size);
        packed.params.push(index.get(p)!);
      }
      return packed;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i === undefined) continue;
      const out: ParamState = {};
      for (const [k, v] of Object.entries(s)) out[k] = v instanceof Tensor ? clone(v) : v;
      state[i] = out;
    }
    return { state, paramGroups };
  }

  /**
   * Restores a {@link stateDict} so training resumes exactly: checks that the groups match in
   * number and size, copies the state tensors (cast to each parameter's dtype and device) and
   * takes the saved groups' options (an option the saved group lacks keeps its current value).
   * A state dict may come from a file: everything is checked before anything changes, and a
   * bad one is refused with the reason. The previous state tensors are disposed.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const op = `${this.name}.loadStateDict`;
    const { groups, state } = checkOptimizerStateDict(op, sd, this.paramGroups, (k, v, p) =>
      this.checkStateTensor(k, v, p),
    );
    const loadedGroups = this.paramGroups.map((g, gi) => {
      const { params: _ids, ...options } = groups[gi];
      checkOptionTypes(op, options, ` of parameter group ${gi}`);
      const merged = { ...cloneOptions(g), ...cloneOptions(options), params: g.params } as ParamGroup<D>;
      try {
        this.validateGroup(merged);
      } catch (e) {
        const msg = (e as Error).message;
        throw new Error(
          `${op}: parameter group ${gi}: ${msg.startsWith(`${this.name}: `) ? msg.slice(this.name.length + 2) : msg}`,
        );
      }
      return merged;
    });
    const loaded = new Map<Tensor, ParamState>();
    try {
      for (const [p, entry] of state) {
        // Null prototype: state keys come from the state dict, perhaps from a file.
        const out: ParamState = Object.create(null);
        loaded.set(p, out);
        for (const [k, v] of Object.entries(entry))
          out[k] = v instanceof Tensor ? keep(tidy(() => noGrad(() => copyTo(v, p)))) : v;
      }
    } catch (e) {
      for (const s of loaded.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
      throw e;
    }
    this.disposeState();
    this.state = loaded;
    this.paramGroups = loadedGroups;
  }

  /**
   * Whether a loaded state tensor fits: null if so, else what was expected (for the error
   * message). By default a state tensor has its parameter's shape; LBFGS keeps flat vectors.
   */
  protected checkStateTensor(key: string, v: Tensor, p: Tensor): string | null {
    return sameShapeAsParam(key, v, p);
  }

  /** Frees every state tensor (the optimizer must not be stepped afterwards without new state). */
  disposeState(): void {
    for (const s of this.state.values())
      for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }
}

/** A fresh tensor with `v`'s values on `p`'s device and in `p`'s dtype. */
function copyTo(v: Tensor, p: Tensor): Tensor {
  let out = v.device === p.device ? v : to(v, p.device);
  if (out.dtype !== p.dtype) out = cast(out, p.dtype);
  return out === v ? clone(v) : out;
}

/**
 * A copy of a group's options without `params`; arrays (betas) are copied so groups never alias.
 * Defined rather than assigned: a key '__proto__' from a loaded state dict stays a plain key.
 */
function cloneOptions(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'params') continue;
    Object.defineProperty(out, k, {
      value: Array.isArray(v) ? [...v] : v,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

/** Throws `"<name>: invalid <what> <value>"` unless `ok`. */
export function check(ok: boolean, name: string, what: string, value: unknown): void {
  if (!ok)
    throw new Error(`${name}: invalid ${what} ${Array.isArray(value) ? `[${value.join(', ')}]` : value}`);
}

/** PyTorch's checks of Adam-style `betas`: a pair, each in [0, 1). */
export function checkBetas(name: string, betas: unknown): void {
  check(Array.isArray(betas) && betas.length === 2, name, 'betas', betas);
  const [b0, b1] = betas as [number, number];
  check(b0 >= 0 && b0 < 1, name, 'beta parameter at index 0:', b0);
  check(b1 >= 0 && b1 < 1, name, 'beta parameter at index 1:', b1);
}
