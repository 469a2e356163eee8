import { Tensor } from '../tensor/tensor.js';

// What every optimizer checks about its arguments, in one place: the params (an iterable of
// tensors or of param groups), the options object, and the types of the options a group holds.
// JS checks no types at run time, so a Module, a typo'd option or a string '0.9' would otherwise
// fail deep in a step, or worse, train with a default the user did not ask for.

/** The type of each option the built-in optimizers know; others (user extras) are not checked. */
const OPTION_TYPES: Readonly<Record<string, 'number' | 'boolean' | 'pair'>> = Object.freeze(
  Object.assign(Object.create(null), {
    lr: 'number',
    momentum: 'number',
    dampening: 'number',
    weightDecay: 'number',
    eps: 'number',
    alpha: 'number',
    lrDecay: 'number',
    initialAccumulatorValue: 'number',
    initialLr: 'number',
    rho: 'number',
    lambd: 'number',
    t0: 'number',
    momentumDecay: 'number',
    maxIter: 'number',
    toleranceGrad: 'number',
    toleranceChange: 'number',
    historySize: 'number',
    betas: 'pair',
    etas: 'pair',
    stepSizes: 'pair',
    nesterov: 'boolean',
    maximize: 'boolean',
    amsgrad: 'boolean',
    centered: 'boolean',
  }),
);

function isModule(v: unknown): boolean {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as { parameters?: unknown }).parameters === 'function' &&
    typeof (v as { forward?: unknown }).forward === 'function'
  );
}

function isIterable(v: unknown): v is Iterable<unknown> {
  return v !== null && v !== undefined && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function isGroupSpec(v: unknown): v is { params: unknown } {
  return v !== null && typeof v === 'object' && !(v instanceof Tensor) && !isModule(v) && 'params' in v;
}

/** A value's kind for messages: 'a Module (Linear)', 'a Tensor', 'a string', 'null', … */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (isModule(v)) return `a Module (${(v as object).constructor?.name ?? 'Module'})`;
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `an object (${(v as object).constructor?.name ?? 'null prototype'})`;
  if (typeof v === 'string') return `a string ('${v.length > 40 ? `${v.slice(0, 37)}...` : v}')`;
  if (typeof v === 'function') return 'a function';
  return `a ${typeof v} (${String(v)})`;
}

function notParams(name: string, params: unknown): Error {
  let got: string;
  if (isModule(params)) got = 'a Module: pass model.parameters()';
  else if (params instanceof Tensor) got = 'a Tensor: pass [tensor]';
  else if (isGroupSpec(params)) got = 'a single parameter group: pass [group]';
  else got = describeValue(params);
  return new TypeError(`${name}: params must be an iterable of Parameters or parameter groups (got ${got})`);
}

/**
 * The param groups described by an optimizer's `params` argument: one group of all the tensors
 * when it lists tensors, else the group objects it lists. Refuses a Module, a single Tensor, a
 * string, an empty list, and lists that mix tensors with groups or hold anything else.
 */
export function paramGroupSpecs(name: string, params: unknown): { params: unknown }[] {
  if (!isIterable(params) || typeof params === 'string' || params instanceof Tensor || isModule(params))
    throw notParams(name, params);
  const list = [...params];
  if (list.length === 0) throw new Error(`${name}: optimizer got an empty parameter list`);
  const tensors = list[0] instanceof Tensor;
  list.forEach((p, i) => {
    if (p instanceof Tensor ? tensors : isGroupSpec(p) && !tensors) return;
    if (p instanceof Tensor || isGroupSpec(p)) {
      throw new TypeError(
        `${name}: params mixes Tensors and parameter groups (params[0] is ${tensors ? 'a Tensor' : 'a group'}, params[${i}] is ${tensors ? 'a group' : 'a Tensor'})`,
      );
    }
    const want =
      i === 0
        ? 'a Tensor (Parameter) or a parameter group { params, ...options }'
        : tensors
          ? 'a Tensor (Parameter)'
          : 'a parameter group { params, ...options }';
    throw entryError(name, `params[${i}]`, p, want);
  });
  return tensors ? [{ params: list }] : (list as { params: unknown }[]);
}

function entryError(name: string, where: string, v: unknown, want: string): TypeError {
  if (isModule(v))
    return new TypeError(`${name}: ${where} is ${describeValue(v)}: pass its parameters() instead`);
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && v[1] instanceof Tensor) {
    return new TypeError(
      `${name}: ${where} is a [name, Parameter] pair: pass model.parameters(), not namedParameters()`,
    );
  }
  return new TypeError(`${name}: ${where} must be ${want}, got ${describeValue(v)}`);
}

/**
 * The tensors of one param group, checked: each a live leaf Tensor, none twice. `gi` is the
 * group's index, for messages.
 */
export function groupTensors(name: string, spec: unknown, gi: number): Tensor[] {
  if (!isGroupSpec(spec)) {
    throw new TypeError(
      `${name}: a param group must be an object with a params field, got ${describeValue(spec)}`,
    );
  }
  const raw = spec.params;
  if (raw instanceof Set) {
    throw new TypeError(`${name}: params must be an ordered collection (an array), not a Set`);
  }
  if (!(raw instanceof Tensor) && (!isIterable(raw) || typeof raw === 'string' || isModule(raw)))
    throw notParams(`${name}: param group ${gi}`, raw);
  const params = raw instanceof Tensor ? [raw] : [...raw];
  const seen = new Map<Tensor, number>();
  params.forEach((p, i) => {
    const where = `param group ${gi}, params[${i}]`;
    if (!(p instanceof Tensor)) throw entryError(name, where, p, 'a Tensor (Parameter)');
    if (p.isDisposed) throw new Error(`${name}: ${where} was disposed`);
    if (!p.isLeaf) throw new Error(`${name}: can't optimize a non-leaf Tensor (${where})`);
    const first = seen.get(p);
    if (first !== undefined) {
      throw new Error(
        `${name}: a param group contains the same parameter more than once (${where} is params[${first}])`,
      );
    }
    seen.set(p, i);
  });
  return params as Tensor[];
}

/**
 * Checks the options object of a constructor: an object (or nothing) whose names are among
 * `accepted` and whose values have the right types.
 */
export function checkOptions(name: string, options: unknown, accepted: readonly string[]): void {
  if (options === undefined) return;
  if (
    options === null ||
    typeof options !== 'object' ||
    Array.isArray(options) ||
    options instanceof Tensor
  ) {
    throw new TypeError(
      `${name}: options must be an object such as { lr: 0.01 }, got ${describeValue(options)} (accepted: ${accepted.join(', ')})`,
    );
  }
  for (const k of Object.keys(options)) {
    if (!accepted.includes(k)) {
      throw new TypeError(`${name}: unknown option '${k}' (accepted: ${accepted.join(', ')})`);
    }
  }
  checkOptionTypes(name, options as Record<string, unknown>, '');
}

/** Checks the type of every known option in `o` (undefined values are left to the defaults). */
export function checkOptionTypes(name: string, o: Record<string, unknown>, where: string): void {
  for (const [k, v] of Object.entries(o)) {
    const type = Object.hasOwn(OPTION_TYPES, k) ? OPTION_TYPES[k] : undefined;
    if (type === undefined || v === undefined) continue;
    const ok =
      type === 'pair'
        ? Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')
        : typeof v === type;
    if (!ok) {
      const want = type === 'pair' ? 'a pair of numbers' : `a ${type}`;
      const got = Array.isArray(v) ? JSON.stringify(v) : describeValue(v);
      throw new TypeError(`${name}: option '${k}'${where} must be ${want}, got ${got}`);
    }
  }
}
