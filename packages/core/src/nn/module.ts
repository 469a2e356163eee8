import { noGrad } from '../autograd/grad-mode.js';
import type { RemovableHandle } from '../autograd/hooks.js';
import type { DType } from '../backend/types.js';
import { cast, to as convert, toAsync as convertAsync } from '../ops/convert.js';
import { randn } from '../tensor/creation.js';
import { DTYPES, isFloat } from '../tensor/dtype.js';
import { keep, tidy } from '../tensor/scope.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import {
  type BackwardHook,
  type ForwardHook,
  type ForwardPreHook,
  hookedForward,
  type ModuleHooks,
} from './module-hooks.js';
import { Parameter, rebindStorage } from './parameter.js';

/** A state dict: dotted names (`fc1.weight`, `bn.running_mean`) to tensors, in PyTorch's order. */
export type StateDict = Record<string, Tensor>;

/** What {@link Module.loadStateDict} reports (PyTorch's `_IncompatibleKeys`). */
export interface IncompatibleKeys {
  /** Keys the module expects that the state dict lacks. */
  missingKeys: string[];
  /** Keys of the state dict that the module does not have. */
  unexpectedKeys: string[];
}

export type { BackwardHook, BackwardHookResult, ForwardHook, ForwardPreHook } from './module-hooks.js';
export type { RemovableHandle };

const DTYPE_NAMES: ReadonlySet<string> = new Set<string>(DTYPES);

function isModuleArray(v: unknown): v is Module[] {
  return Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module);
}

/** 'float', 'int' or 'bool': loading converts within a kind, never across. */
function dtypeKind(d: DType): string {
  return isFloat(d) ? 'float' : d === 'bool' ? 'bool' : 'int';
}

/** What a value is, for messages. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (v instanceof Module) return `a Module (${v.constructor.name}): pass its stateDict()`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `an object (${v.constructor?.name ?? 'null prototype'})` : `a ${typeof v}`;
}

/** The entries of a state dict given to loadStateDict (own keys only), or a clear error. */
function stateDictEntries(sd: unknown): Map<string, unknown> {
  if (sd instanceof Map) return sd as Map<string, unknown>;
  if (
    sd === null ||
    typeof sd !== 'object' ||
    Array.isArray(sd) ||
    sd instanceof Tensor ||
    sd instanceof Module
  ) {
    const got = sd instanceof Tensor ? `a Tensor of shape ${fmtShape(sd.shape)}` : describeValue(sd);
    throw new TypeError(`loadStateDict: expected a state dict object (name → Tensor), got ${got}`);
  }
  return new Map(Object.entries(sd));
}

/** Indents every line but the first (PyTorch's `_addindent`). */
function addIndent(s: string, n: number): string {
  const pad = ' '.repeat(n);
  return s.split('\n').join(`\n${pad}`);
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function describeOutput(out: unknown): string {
  if (out instanceof Tensor) return `[${out.shape.join(', ')}]`;
  if (Array.isArray(out)) return `[${out.map(describeOutput).join(', ')}]`;
  if (out === null || out === undefined) return '-';
  return typeof out;
}

/**
 * Base class of every layer and model (PyTorch's `nn.Module`). Properties that hold a
 * {@link Parameter}, a Module or a non-empty array of Modules register themselves, in
 * assignment order (arrays as `name.0`, `name.1`, …); buffers are registered with
 * {@link registerBuffer}. Subclasses implement `forward`.
 *
 * ```ts
 * class Net extends nn.Module {
 *   fc1 = new nn.Linear(4, 8);
 *   fc2 = new nn.Linear(8, 1);
 *   forward(x: Tensor): Tensor {
 *     return this.fc2.forward(this.fc1.forward(x).relu());
 *   }
 * }
 * ```
 */
export class Module {
  /** Whether the module is in training mode (dropout active, batch-norm batch statistics). */
  declare training: boolean;
  /** @internal */
  declare _buffers: Map<string, Tensor | null>;
  /** @internal */
  declare _nonPersistent: Set<string>;
  /** @internal */
  declare _hooks: ModuleHooks;

  constructor() {
    // Internal state is non-enumerable so the property scan that finds parameters and
    // submodules never sees it.
    const hidden = (name: string, value: unknown, writable = true) =>
      Object.defineProperty(this, name, { value, writable, enumerable: false, configurable: true });
    hidden('training', true);
    hidden('_buffers', new Map());
    hidden('_nonPersistent', new Set());
    hidden('_hooks', { pre: new Map(), forward: new Map(), backward: new Map() });
  }

  /** The computation; subclasses override it. */
  forward(..._args: any[]): any {
    throw new Error(`${this.constructor.name}: forward() is not implemented`);
  }

  /** @internal Own registered entries in order: subclasses with their own storage (containers) override it. */
  _entries(): [string, unknown][] {
    return Object.entries(this);
  }

  /** @internal Stores an entry under `name`; containers override it. */
  _setEntry(name: string, value: Parameter | Module | null): void {
    (this as any)[name] = value;
  }

  private _checkName(op: string, name: string): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new Error(`${op}: name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    }
  }

  /** Own parameters in registration order (PyTorch's `_parameters`, minus the `None` ones). */
  /** @internal */
  _ownParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    for (const [k, v] of this._entries()) if (v instanceof Parameter) out.push([k, v]);
    return out;
  }

  /** Registers `param` (or a `null` placeholder, e.g. a disabled bias) under `name`. */
  registerParameter(name: string, param: Parameter | null): void {
    this._checkName('registerParameter', name);
    if (param !== null && !(param instanceof Parameter)) {
      throw new Error(
        `registerParameter: '${name}' must be an nn.Parameter or null (wrap tensors in new nn.Parameter(t))`,
      );
    }
    if (this._buffers.has(name)) throw new Error(`registerParameter: '${name}' is already a buffer`);
    this._setEntry(name, param);
  }

  /** Registers a submodule under `name` (same as assigning it to a property). */
  registerModule(name: string, module: Module | null): void {
    this._checkName('registerModule', name);
    if (module !== null && !(module instanceof Module)) {
      throw new Error(`registerModule: '${name}' must be an nn.Module or null, got ${typeof module}`);
    }
    this._setEntry(name, module);
  }

  /** Alias of {@link registerModule} (PyTorch's `add_module`). */
  addModule(name: string, module: Module | null): void {
    this.registerModule(name, module);
  }

  /**
   * Registers a tensor that is state but not a parameter (running statistics, masks). It is
   * readable and assignable as `this[name]`, moves with {@link to}, and appears in
   * {@link stateDict} unless `persistent` is false. The tensor is exempt from `tidy()`;
   * update it in place (`copy_`, `mul_`) rather than assigning a new tensor each step.
   */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    this._checkName('registerBuffer', name);
    if (tensor !== null && !(tensor instanceof Tensor)) {
      throw new Error(`registerBuffer: '${name}' must be a Tensor or null, got ${typeof tensor}`);
    }
    if (tensor instanceof Parameter)
      throw new Error(`registerBuffer: '${name}' is a Parameter; use registerParameter`);
    const own = Object.getOwnPropertyDescriptor(this, name);
    if (own && !this._buffers.has(name) && own.value !== undefined) {
      throw new Error(`registerBuffer: attribute '${name}' already exists`);
    }
    this._buffers.set(name, tensor === null ? null : keep(tensor));
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
    const buffers = this._buffers;
    Object.defineProperty(this, name, {
      enumerable: false,
      configurable: true,
      get: () => buffers.get(name) ?? null,
      set: (v: Tensor | null) => {
        if (v !== null && !(v instanceof Tensor))
          throw new Error(`buffer '${name}': expected a Tensor or null`);
        buffers.set(name, v === null ? null : keep(v));
      },
    });
  }

  /** Direct submodules with their names, in registration order. */
  *namedChildren(): Generator<[string, Module]> {
    const seen = new Set<Module>();
    for (const [k, v] of this._entries()) {
      if (v instanceof Module) {
        if (!seen.has(v)) {
          seen.add(v);
          yield [k, v];
        }
      } else if (isModuleArray(v)) {
        for (let i = 0; i < v.length; i++) {
          if (!seen.has(v[i])) {
            seen.add(v[i]);
            yield [`${k}.${i}`, v[i]];
          }
        }
      }
    }
  }

  /** Direct submodules. */
  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and every submodule, depth first, with dotted names (`''` for this one). Each once. */
  namedModules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const walk = (m: Module, p: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [name, c] of m.namedChildren()) walk(c, p ? `${p}.${name}` : name);
    };
    walk(this, prefix);
    return out;
  }

  /** This module and every submodule, depth first. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with dotted names: own first, then each submodule's. Shared ones appear once. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [p, m] of mods) {
      for (const [k, v] of m._ownParameters()) {
        if (seen.has(v)) continue;
        seen.add(v);
        out.push([p ? `${p}.${k}` : k, v]);
      }
    }
    return out;
  }

  /** The parameters (of submodules too unless `recurse` is false), e.g. for an optimizer. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  /** Buffers with dotted names (persistent or not), own first, then each submodule's. */
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] {
    const mods: [string, Module][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [p, m] of mods) {
      for (const [k, v] of m._buffers) {
        if (v === null || seen.has(v)) continue;
        seen.add(v);
        out.push([p ? `${p}.${k}` : k, v]);
      }
    }
    return out;
  }

  /** The buffers (of submodules too unless `recurse` is false). */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers('', recurse).map(([, b]) => b);
  }

  /** The submodule at a dotted path (`'encoder.layers.0'`); throws naming the missing part. */
  getSubmodule(target: string): Module {
    if (target === '') return this;
    let m: Module = this;
    for (const part of target.split('.')) {
      const next = [...m.namedChildren()].find(([k]) => k === part)?.[1] ?? (m as any)[part];
      if (!(next instanceof Module)) {
        // arrays register as `name.i`: try joining the next index
        throw new Error(`getSubmodule: ${m.constructor.name} has no submodule '${part}' (path '${target}')`);
      }
      m = next;
    }
    return m;
  }

  /** The parameter at a dotted path (`'encoder.layers.0.linear1.weight'`); throws naming what is missing. */
  getParameter(target: string): Parameter {
    const dot = target.lastIndexOf('.');
    const mod = this.getSubmodule(dot < 0 ? '' : target.slice(0, dot));
    const name = target.slice(dot + 1);
    const p = mod._ownParameters().find(([k]) => k === name)?.[1];
    if (p === undefined) {
      const what = Object.hasOwn(mod, name) ? 'is not a parameter' : 'does not exist';
      throw new Error(
        `getParameter: ${mod.constructor.name} has no parameter '${name}' ('${target}' ${what})`,
      );
    }
    return p;
  }

  /** The buffer at a dotted path (`'bn.running_mean'`); throws naming what is missing. */
  getBuffer(target: string): Tensor {
    const dot = target.lastIndexOf('.');
    const mod = this.getSubmodule(dot < 0 ? '' : target.slice(0, dot));
    const name = target.slice(dot + 1);
    const b = mod._buffers.get(name);
    if (b === undefined || b === null) {
      throw new Error(`getBuffer: ${mod.constructor.name} has no buffer '${name}' (path '${target}')`);
    }
    return b;
  }

  /** Calls `fn` on every submodule (children first) and then on this one; returns this. */
  apply(fn: (m: Module) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Sets training mode (`true`) or evaluation mode on this module and every submodule; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Sets `requiresGrad` of every parameter (false freezes them, e.g. for transfer learning); returns this. */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad_(requiresGrad);
    return this;
  }

  /** Clears the gradients of every parameter: frees them (default) or fills them with zeros. */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (p.grad === null) continue;
      if (setToNone) {
        p.grad.dispose();
        p.grad = null;
      } else {
        const g = p.grad;
        noGrad(() => g.zero_());
      }
    }
  }

  /**
   * Moves parameters and buffers to backend `target` (`'cpu'`, `'gpujs'`, …) or converts
   * floating-point ones to dtype `target`, in place: the Parameter objects stay the same, so
   * optimizers built on them stay valid. Gradients move too. Returns this.
   */
  to(target: string, dtype?: DType): this {
    const isDtype = DTYPE_NAMES.has(target);
    const move = (t: Tensor): Tensor => {
      if (isDtype) return isFloat(t.dtype) ? cast(t, target as DType) : t;
      const moved = convert(t, target);
      return dtype !== undefined && isFloat(moved.dtype) ? cast(moved, dtype) : moved;
    };
    noGrad(() => {
      for (const t of this.movables()) {
        const moved = move(t);
        if (moved !== t) rebindStorage(t, moved);
      }
    });
    return this;
  }

  /**
   * {@link to} for a device move that reads asynchronously: the way off a backend that only
   * reads asynchronously (onnx-web, where `to` throws), and valid between any backends. Every
   * tensor is read before any is rebound, so a failed read leaves the module where it was.
   * Resolves to this.
   *
   * @example
   * ```ts
   * await model.toAsync('cpu'); // trained on 'onnx' (onnxruntime-web), now on the CPU
   * save(model.stateDict());
   * ```
   */
  async toAsync(target: string, dtype?: DType): Promise<this> {
    if (DTYPE_NAMES.has(target)) return this.to(target);
    const all = this.movables();
    // detached: the copies record no graph (noGrad cannot span an await)
    const moved = await Promise.all(
      all.map(async (t) => {
        const d = t.detach();
        const copy = await convertAsync(d, target);
        if (copy !== d) d.dispose();
        return copy;
      }),
    );
    noGrad(() => {
      all.forEach((t, i) => {
        const copy = moved[i];
        const m = dtype !== undefined && isFloat(copy.dtype) ? cast(copy, dtype) : copy;
        if (m !== copy) copy.dispose();
        // rebindStorage takes m's storage and disposes m; an unchanged tensor's view is dropped
        if (m.device !== t.device || m.dtype !== t.dtype) rebindStorage(t, m);
        else m.dispose();
      });
    });
    return this;
  }

  /** Parameters, buffers and their gradients, each once: what {@link to} moves. */
  private movables(): Tensor[] {
    const seen = new Set<Tensor>();
    for (const t of [...this.parameters(), ...this.buffers()]) {
      if (seen.has(t)) continue;
      seen.add(t);
      if (t.grad !== null) seen.add(t.grad);
    }
    return [...seen];
  }

  /** Converts floating-point parameters and buffers to float32. */
  float(): this {
    return this.to('float32');
  }

  /** Converts floating-point parameters and buffers to float64. */
  double(): this {
    return this.to('float64');
  }

  /** Converts floating-point parameters and buffers to float16 (rounded as PyTorch's `half()`). */
  half(): this {
    return this.to('float16');
  }

  /** Converts floating-point parameters and buffers to bfloat16 (rounded as PyTorch's `bfloat16()`). */
  bfloat16(): this {
    return this.to('bfloat16');
  }

  /**
   * Parameters and persistent buffers under dotted keys, in PyTorch's order (own
   * parameters, own buffers, then each child's). Values are detached tensors sharing the
   * module's memory.
   */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = {};
    for (const [k, t] of this._stateTargets()) out[prefix + k] = t.detach();
    return out;
  }

  /** The tensors a state dict fills, by key (not detached). */
  private _stateTargets(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    const walk = (m: Module, prefix: string): void => {
      for (const [k, p] of m._ownParameters()) out.set(prefix + k, p);
      for (const [k, b] of m._buffers) if (b !== null && !m._nonPersistent.has(k)) out.set(prefix + k, b);
      for (const [name, c] of m.namedChildren()) walk(c, `${prefix}${name}.`);
    };
    walk(this, '');
    return out;
  }

  /**
   * Copies values from `stateDict` into this module's parameters and buffers in place (so
   * optimizers keep their references). A shape mismatch always throws, naming the key and
   * both shapes. With `strict` (default) missing or unexpected keys throw too; otherwise
   * they are returned.
   */
  loadStateDict(
    stateDict: StateDict | Map<string, Tensor>,
    opts: { strict?: boolean } = {},
  ): IncompatibleKeys {
    const strict = opts.strict ?? true;
    const given = stateDictEntries(stateDict);
    const targets = this._stateTargets();
    const missingKeys = [...targets.keys()].filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !targets.has(k));
    const errors: string[] = [];
    for (const [k, src] of given) {
      const dst = targets.get(k);
      if (dst === undefined) continue;
      if (!(src instanceof Tensor)) {
        errors.push(`value for ${k} is not a Tensor (got ${describeValue(src)})`);
      } else if (src.isDisposed) {
        errors.push(`value for ${k} was disposed`);
      } else if (!shapesEqual(src.shape, dst.shape)) {
        errors.push(
          `size mismatch for ${k}: copying a param with shape ${fmtShape(src.shape)} from checkpoint, ` +
            `the shape in current model is ${fmtShape(dst.shape)}`,
        );
      } else if (dtypeKind(src.dtype) !== dtypeKind(dst.dtype)) {
        // Float to float converts as in PyTorch; across kinds a cast would truncate or reinterpret.
        errors.push(
          `dtype mismatch for ${k}: copying a param of dtype ${src.dtype} from checkpoint, ` +
            `the dtype in current model is ${dst.dtype}`,
        );
      }
    }
    if (strict) {
      if (missingKeys.length) errors.push(`missing keys: ${missingKeys.join(', ')}`);
      if (unexpectedKeys.length) errors.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    }
    if (errors.length) throw new Error(`loadStateDict: ${errors.join('; ')}`);
    tidy(() =>
      noGrad(() => {
        for (const [k, dst] of targets) {
          const src = given.get(k);
          if (src !== undefined) dst.copy_(src as Tensor);
        }
      }),
    );
    return { missingKeys, unexpectedKeys };
  }

  /** Adds a hook of `kind`; the hooked forward is installed while any hook is present. */
  private _addHook<K extends keyof ModuleHooks>(
    kind: K,
    hook: Parameters<ModuleHooks[K]['set']>[1],
  ): RemovableHandle {
    const id = nextHookId++;
    const hooks = this._hooks;
    const count = () => hooks.pre.size + hooks.forward.size + hooks.backward.size;
    if (count() === 0) {
      Object.defineProperty(this, 'forward', {
        enumerable: false,
        configurable: true,
        writable: true,
        value: hookedForward(hooks, this.forward),
      });
    }
    (hooks[kind] as Map<number, unknown>).set(id, hook);
    return {
      remove: () => {
        hooks[kind].delete(id);
        if (count() === 0 && Object.hasOwn(this, 'forward')) delete (this as any).forward;
      },
    };
  }

  /**
   * Calls `hook(module, inputs, output)` after every `forward` of this module; a returned
   * value other than undefined replaces the output.
   */
  registerForwardHook(hook: ForwardHook): RemovableHandle {
    return this._addHook('forward', hook);
  }

  /**
   * Calls `hook(module, inputs)` before every `forward` of this module; a returned array
   * replaces the arguments (another value other than undefined replaces the single argument).
   */
  registerForwardPreHook(hook: ForwardPreHook): RemovableHandle {
    return this._addHook('pre', hook);
  }

  /**
   * Calls `hook(module, gradInput, gradOutput)` when the gradients with respect to this
   * module's inputs have been computed (PyTorch's `register_full_backward_hook`); a returned
   * array replaces `gradInput`. The module's tensor inputs and outputs pass through identity
   * ops that observe their gradients, so the outputs are new tensors (as in PyTorch).
   *
   * ```ts
   * layer.registerFullBackwardHook((m, gIn, gOut) => console.log(gOut[0]?.norm()));
   * ```
   */
  registerFullBackwardHook(hook: BackwardHook): RemovableHandle {
    return this._addHook('backward', hook);
  }

  /**
   * A Keras-style table of the submodules with the output shape each produces for `input`
   * (a shape, run on random values, or an example tensor), their own parameter counts, and
   * total / trainable / non-trainable counts. Runs one forward in eval mode without
   * recording and leaves training flags and memory as they were.
   */
  summary(input: readonly number[] | Tensor | readonly Tensor[]): string {
    const shapes = new Map<Module, string>();
    const mods = this.namedModules();
    const wasTraining = mods.map(([, m]) => m.training);
    const handles = mods.map(([, m]) =>
      m.registerForwardHook((mod, _in, out) => {
        shapes.set(mod, describeOutput(out));
      }),
    );
    try {
      this.eval();
      tidy(() =>
        noGrad(() => {
          if (input instanceof Tensor) this.forward(input);
          else if (input.length > 0 && input[0] instanceof Tensor) this.forward(...(input as Tensor[]));
          else {
            const p = this.parameters()[0];
            this.forward(randn([...(input as number[])], p ? { device: p.device, dtype: p.dtype } : {}));
          }
        }),
      );
    } finally {
      for (const h of handles) h.remove();
      mods.forEach(([, m], i) => {
        m.training = wasTraining[i];
      });
    }
    const root = mods[0][1];
    const inputDesc =
      input instanceof Tensor || (input.length > 0 && input[0] instanceof Tensor)
        ? describeOutput(input)
        : `[${(input as number[]).join(', ')}]`;
    const rows: [string, string, string][] = [['(input)', inputDesc, '']];
    for (const [name, m] of mods) {
      if (m === root) continue;
      const own = m.parameters(false).reduce((s, p) => s + p.numel(), 0);
      rows.push([`${name} (${m.constructor.name})`, shapes.get(m) ?? '-', formatCount(own)]);
    }
    rows.push([`(output) ${root.constructor.name}`, shapes.get(root) ?? '-', '']);
    const params = this.parameters();
    const total = params.reduce((s, p) => s + p.numel(), 0);
    const trainable = params.filter((p) => p.requiresGrad).reduce((s, p) => s + p.numel(), 0);
    const head: [string, string, string] = ['Layer (type)', 'Output Shape', 'Param #'];
    const w0 = Math.max(...[head, ...rows].map((r) => r[0].length)) + 3;
    const w1 = Math.max(...[head, ...rows].map((r) => r[1].length)) + 3;
    const w2 = Math.max(...[head, ...rows].map((r) => r[2].length));
    const width = w0 + w1 + w2;
    const line = (r: [string, string, string]) =>
      (r[0].padEnd(w0) + r[1].padEnd(w1) + r[2].padStart(w2)).trimEnd();
    return [
      `Model: ${root.constructor.name}`,
      '_'.repeat(width),
      line(head),
      '='.repeat(width),
      ...rows.map(line),
      '='.repeat(width),
      `Total params: ${formatCount(total)}`,
      `Trainable params: ${formatCount(trainable)}`,
      `Non-trainable params: ${formatCount(total - trainable)}`,
      '_'.repeat(width),
    ].join('\n');
  }

  /** Extra text shown inside the parentheses of {@link toString} (layer hyper-parameters). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's module repr: `Sequential(\n  (0): Linear(in_features=2, out_features=1, bias=True)\n)`. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = [...this.namedChildren()].map(([k, m]) => `(${k}): ${addIndent(m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let s = `${this.constructor.name}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) s += extraLines[0];
      else s += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${s})`;
  }
}

let nextHookId = 0;
