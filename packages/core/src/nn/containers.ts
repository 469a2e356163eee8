import { signature } from '../signature/signature.js';
import type { Tensor } from '../tensor/tensor.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

/**
 * Base of the containers: children live in an ordered map (so names like `'0'`, `'10'`
 * keep insertion order) and are also readable as properties (`seq.fc1`).
 */
abstract class OrderedContainer extends Module {
  /** @internal */
  declare _items: Map<string, Module>;

  constructor() {
    super();
    Object.defineProperty(this, '_items', { value: new Map(), enumerable: false, writable: true });
  }

  override _entries(): [string, unknown][] {
    return [...Object.entries(this), ...this._items];
  }

  override _setEntry(name: string, value: Parameter | Module | null): void {
    if (!(value instanceof Module)) {
      super._setEntry(name, value);
      return;
    }
    this._items.set(name, value);
    const items = this._items;
    // Expose as a property unless that would shadow a method (`keys`, `forward`, …).
    const own = Object.getOwnPropertyDescriptor(this, name);
    if ((name in this && !own) || (own && !own.get)) return;
    Object.defineProperty(this, name, {
      enumerable: false,
      configurable: true,
      get: () => items.get(name),
    });
  }

  /** Number of children. */
  get length(): number {
    return this._items.size;
  }

  /** The children, in order. */
  [Symbol.iterator](): Iterator<Module> {
    return this._items.values();
  }

  /** @internal `i` made non-negative (negative counts from the end); throws when out of range. */
  protected _index(op: string, i: number): number {
    const n = this._items.size;
    const j = i < 0 ? i + n : i;
    if (!Number.isInteger(j) || j < 0 || j >= n)
      throw new Error(`${op}: index ${i} is out of range for ${n} modules`);
    return j;
  }
}

function checkModule(op: string, m: unknown, at: string): Module {
  if (!(m instanceof Module)) throw new Error(`${op}: ${at} is not an nn.Module (got ${typeof m})`);
  return m;
}

/**
 * `torch.nn.Sequential`: runs its modules one after another (extra forward arguments go to the
 * first). Children are named `0`, `1`, … when given as arguments or an array, or by the keys of
 * an object (insertion order). Throws for an entry that is not a Module.
 *
 * ```ts
 * new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 * new nn.Sequential({ fc1: new nn.Linear(4, 8), act: new nn.ReLU() });
 * ```
 */
export class Sequential extends OrderedContainer {
  constructor(...modules: Module[] | [readonly Module[]] | [Record<string, Module>]) {
    super();
    const first = modules[0] as unknown;
    let entries: [string, unknown][];
    if (modules.length === 1 && Array.isArray(first)) {
      entries = first.map((m, i) => [String(i), m]);
    } else if (
      modules.length === 1 &&
      first !== null &&
      typeof first === 'object' &&
      !(first instanceof Module)
    ) {
      entries = Object.entries(first as Record<string, unknown>);
    } else {
      entries = (modules as unknown[]).map((m, i) => [String(i), m]);
    }
    for (const [k, m] of entries) this.registerModule(k, checkModule('Sequential', m, `entry '${k}'`));
  }

  /** The child at position `i` (negative counts from the end) or with name `name`. */
  get(key: number | string): Module {
    if (typeof key === 'string') {
      const m = this._items.get(key);
      if (!m) throw new Error(`Sequential: no module named '${key}'`);
      return m;
    }
    return [...this._items.values()][this._index('Sequential', key)];
  }

  /** Appends a module (named by its position); returns this. */
  append(module: Module): this {
    this.registerModule(String(this._items.size), checkModule('Sequential.append', module, 'argument'));
    return this;
  }

  override forward(input: any, ...rest: any[]): any {
    let x = input;
    let first = true;
    for (const m of this._items.values()) {
      x = first ? m.forward(x, ...rest) : m.forward(x);
      first = false;
    }
    return x;
  }
}

/**
 * `torch.nn.ModuleList`: a list of modules, registered under `0`, `1`, …; it has no forward of
 * its own (calling it throws).
 *
 * ```ts
 * this.blocks = new nn.ModuleList([new nn.Linear(4, 4), new nn.Linear(4, 4)]);
 * for (const b of this.blocks) x = b.forward(x);
 * ```
 */
export class ModuleList extends OrderedContainer {
  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  /** The module at `i` (negative counts from the end). */
  get(i: number): Module {
    return [...this._items.values()][this._index('ModuleList', i)];
  }

  /** Replaces the module at `i`. */
  set(i: number, module: Module): void {
    const j = this._index('ModuleList', i);
    this._items.set(String(j), checkModule('ModuleList.set', module, 'argument'));
  }

  /** Appends a module; returns this. */
  append(module: Module): this {
    this.registerModule(String(this._items.size), checkModule('ModuleList.append', module, 'argument'));
    return this;
  }

  /** Appends every module; returns this. */
  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts `module` before position `index`, renumbering the rest. */
  insert(index: number, module: Module): void {
    const list = [...this._items.values()];
    const n = list.length;
    const j = Math.max(0, Math.min(n, index < 0 ? index + n : index));
    list.splice(j, 0, checkModule('ModuleList.insert', module, 'argument'));
    for (const k of this._items.keys()) delete (this as any)[k];
    this._items.clear();
    for (let i = 0; i < list.length; i++) this.registerModule(String(i), list[i]);
  }

  override forward(): never {
    throw new Error('ModuleList: has no forward(); iterate over it and call each module');
  }
}

/**
 * `torch.nn.ModuleDict`: modules by name, in insertion order; it has no forward of its own
 * (calling it throws).
 *
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
 * heads.get('cls').forward(x);
 * ```
 */
export class ModuleDict extends OrderedContainer {
  constructor(modules: Record<string, Module> | Iterable<[string, Module]> = {}) {
    super();
    const entries =
      Symbol.iterator in Object(modules) ? (modules as Iterable<[string, Module]>) : Object.entries(modules);
    for (const [k, m] of entries) this.set(k, m);
  }

  /** The module named `key`; throws when absent. */
  get(key: string): Module {
    const m = this._items.get(key);
    if (!m)
      throw new Error(`ModuleDict: no module named '${key}' (have: ${[...this._items.keys()].join(', ')})`);
    return m;
  }

  /** Adds or replaces the module named `key`. */
  set(key: string, module: Module): void {
    this.registerModule(key, checkModule('ModuleDict.set', module, `entry '${key}'`));
  }

  /** Whether a module is named `key`. */
  has(key: string): boolean {
    return this._items.has(key);
  }

  /** Removes and returns the module named `key`. */
  pop(key: string): Module {
    const m = this.get(key);
    this._items.delete(key);
    delete (this as any)[key];
    return m;
  }

  /** The names, in insertion order. */
  keys(): string[] {
    return [...this._items.keys()];
  }

  /** The modules, in insertion order. */
  values(): Module[] {
    return [...this._items.values()];
  }

  /** `[name, module]` pairs, in insertion order. */
  items(): [string, Module][] {
    return [...this._items.entries()];
  }

  override forward(): never {
    throw new Error('ModuleDict: has no forward(); call the modules it holds');
  }
}

// PyTorch's nn.Identity(*args, **kwargs): no parameters of its own; every argument is ignored
// (that is its documented purpose: a drop-in for a layer whose arguments stay in place).
signature('Identity', []);

/**
 * `torch.nn.Identity`: returns its input unchanged (a placeholder layer). Ignores constructor arguments, as
 * PyTorch does.
 */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward<T = Tensor>(input: T): T {
    return input;
  }
}
