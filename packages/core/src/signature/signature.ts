import { Tensor } from '../tensor/tensor.js';

/**
 * PyTorch's calling convention for JS: every parameter positionally in PyTorch's order, or by
 * name in one trailing options object (camelCase), as Python's keywords. One declared
 * parameter list per class or function drives the parser here, the conformance test against
 * PyTorch's own `inspect.signature` (fixtures/signatures.json) and, through {@link PosOrOpts},
 * the TypeScript types — instead of a hand-written parser per constructor, which is how
 * `new nn.Conv2d(1, 32, 3, 1, 1)` once dropped its stride and padding without a word.
 */

/** Checks one argument: null when it is acceptable, else what was expected ("an int"). */
export type Check = (v: unknown) => string | null;

/** One declared parameter. */
export interface ParamSpec {
  /** PyTorch's name in camelCase (`T_max` → `tMax`). */
  readonly name: string;
  readonly check: Check;
  /** Must be given (PyTorch has no default). */
  readonly required: boolean;
  /** PyTorch's keyword-only parameters (after `*`): by name only. */
  readonly keywordOnly: boolean;
  /** PyTorch has it but we do not: giving it is an error with this reason. */
  readonly unsupported?: string;
  /** Ours, not PyTorch's: by name only, and left out of the comparison with PyTorch. */
  readonly extension?: boolean;
  /**
   * PyTorch's `*size`: the owner gathers spread values (`zeros(2, 3)`) into one array before
   * parsing (size-args.ts), so the parser sees one positional, also accepted by name.
   */
  readonly variadic?: boolean;
  /**
   * PyTorch's optional first parameter before required ones (`arange(start=0, end, …)`,
   * `randint(low=0, high, size)`): bound only when every required positional is given too;
   * with one positional fewer, the positionals start at the second parameter (`arange(5)` is
   * `end = 5`).
   */
  readonly leading?: boolean;
}

/** A required parameter. */
export function req(name: string, check: Check): ParamSpec {
  return { name, check, required: true, keywordOnly: false };
}

/** An optional parameter (PyTorch gives it a default). */
export function opt(name: string, check: Check): ParamSpec {
  return { name, check, required: false, keywordOnly: false };
}

/** A keyword-only parameter (after `*` in PyTorch). */
export function kw(name: string, check: Check): ParamSpec {
  return { name, check, required: false, keywordOnly: true };
}

/** PyTorch's `*size` (see {@link ParamSpec.variadic}): optional, positional, spread or one array. */
export function varargs(name: string, check: Check): ParamSpec {
  return { name, check, required: false, keywordOnly: false, variadic: true };
}

/** An optional first parameter that PyTorch documents before required ones (see {@link ParamSpec.leading}). */
export function lead(name: string, check: Check): ParamSpec {
  return { name, check, required: false, keywordOnly: false, leading: true };
}

/**
 * A parameter of ours that PyTorch does not have (a convenience such as DataLoader's `seed`):
 * keyword-only, so it never shifts PyTorch's positional order.
 */
export function ext(name: string, check: Check): ParamSpec {
  return { name, check, required: false, keywordOnly: true, extension: true };
}

/** A parameter of PyTorch's that is refused when given (`device`, `dtype`, `size_average`, …). */
export function unsupported(name: string, reason: string, keywordOnly = false): ParamSpec {
  return { name, check: any, required: false, keywordOnly, unsupported: reason };
}

// ---- checks ------------------------------------------------------------------------------

const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);

export const any: Check = () => null;
export const num: Check = (v) => (typeof v === 'number' && !Number.isNaN(v) ? null : 'a number');
export const int: Check = (v) => (isInt(v) ? null : 'an integer');
export const bool: Check = (v) => (typeof v === 'boolean' ? null : 'a boolean');
export const str: Check = (v) => (typeof v === 'string' ? null : 'a string');
export const fn: Check = (v) => (typeof v === 'function' ? null : 'a function');
export const obj: Check = (v) => (v !== null && typeof v === 'object' ? null : 'an object');
/** An int or a tuple of ints (kernel sizes, strides, paddings). */
export const intOrTuple: Check = (v) =>
  isInt(v) || (Array.isArray(v) && v.length > 0 && v.every(isInt))
    ? null
    : 'an integer or an array of integers';
/** A number or a tuple of numbers. */
export const numOrTuple: Check = (v) =>
  typeof v === 'number' || (Array.isArray(v) && v.every((x) => typeof x === 'number'))
    ? null
    : 'a number or an array of numbers';
/** An array of numbers (milestones, betas, normalized shapes). */
export const nums: Check = (v) =>
  Array.isArray(v) && v.every((x) => typeof x === 'number') ? null : 'an array of numbers';

/** A Tensor (the op's own checks then give the detailed message about it). */
export const tensor: Check = (v) => (v instanceof Tensor ? null : 'a Tensor');

/**
 * Only `value`, PyTorch's default (or a value that computes what we compute): PyTorch code that
 * spells it out still runs, anything else is refused with `reason`, never silently ignored.
 */
export function onlyDefault(value: unknown, reason: string): Check {
  return (v) => (v === value ? null : `${JSON.stringify(value)} (${reason})`);
}

/** PyTorch's `inplace` on layers: false only (inplace=true would mutate the input in PyTorch). */
export const notInplace = onlyDefault(
  false,
  'inplace=true is not supported: PyTorch overwrites the input, this layer always returns a new tensor',
);

/** One of `values`. */
export function oneOf(...values: readonly (string | number | boolean | null)[]): Check {
  return (v) =>
    values.includes(v as never) ? null : `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
}

/** `check`, or null/undefined (PyTorch's `Optional[...] = None`). */
export function optional(check: Check): Check {
  return (v) => {
    if (v === null || v === undefined) return null;
    const e = check(v);
    return e === null ? null : `${e} or null`;
  };
}

/** Any of `checks`. */
export function either(...checks: Check[]): Check {
  return (v) => {
    const errors: string[] = [];
    for (const c of checks) {
      const e = c(v);
      if (e === null) return null;
      errors.push(e);
    }
    return errors.join(' or ');
  };
}

// ---- parsing -----------------------------------------------------------------------------

/** A plain `{ ... }` object: the trailing options object (never an array, tensor or module). */
export function isOptionsObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A value for messages: `'2'` (string), `[1,2]`, `a Tensor`. */
function describe(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (typeof v === 'string') return `'${v}' (a string)`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v} (a ${typeof v})`;
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'object' ? '…' : String(x))).join(', ')}]`;
  return `a ${(v as object).constructor?.name ?? 'object'}`;
}

/** The accepted name closest to a misspelt one (edit distance <= 2), for the error. */
function closest(name: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const n of names) {
    const d = distance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = n;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** Every declared signature by owner name, for the test against PyTorch's. */
export const SIGNATURES = new Map<string, Signature>();

/**
 * A declared parameter list. `parse(args)` takes the call's arguments — positionals in order,
 * optionally followed by one options object — and returns the given parameters by name (a
 * null-prototype record: absent means "PyTorch's default"). Errors name the owner, the
 * parameter, what was expected and what is accepted.
 */
export class Signature {
  /** Parameters that may be given positionally (PyTorch's order, before any `*`). */
  private readonly positional: readonly ParamSpec[];
  /** How many positionals fill every required one (for a {@link ParamSpec.leading} first parameter). */
  private readonly throughRequired: number;
  private readonly byName = new Map<string, ParamSpec>();

  /**
   * The name in messages: the owner without its namespace (`optim.Adam` → `Adam`, `F.linear` →
   * `linear`); a method keeps its class (`Embedding.fromPretrained`, `Transformer.forward`).
   */
  private readonly label: string;

  constructor(
    /** The registry key: the class or function as exported, e.g. `Conv2d`, `optim.Adam`. */
    readonly owner: string,
    readonly params: readonly ParamSpec[],
  ) {
    this.label = owner.replace(/^(?:(?:F|[a-z]\w*)\.)+/, '');
    this.positional = params.filter((p) => !p.keywordOnly);
    this.throughRequired = this.positional.reduce((n, p, i) => (p.required ? i + 1 : n), 0);
    for (const p of params) this.byName.set(p.name, p);
    SIGNATURES.set(owner, this);
  }

  /** The declared names, in order. */
  get names(): string[] {
    return this.params.map((p) => p.name);
  }

  parse<T = Record<string, unknown>>(args: readonly unknown[]): T {
    const out: Record<string, unknown> = Object.create(null);
    // Trailing undefined arguments mean "not given" (a constructor forwarding its declared
    // leading parameters, or a JS caller forwarding optional ones).
    let end = args.length;
    while (end > 0 && args[end - 1] === undefined) end--;
    let positional = args.slice(0, end);
    let options: Record<string, unknown> | undefined;
    const last = positional[end - 1];
    // The last argument is the options object unless its own slot takes an object positionally.
    if (isOptionsObject(last)) {
      const slot = this.positional[end - 1];
      if (slot === undefined || slot.check(last) !== null || slot.check === any) {
        positional = positional.slice(0, -1);
        options = last;
      }
    }
    // `arange(5)`: one positional fewer than the required ones leaves the leading one out.
    if (this.positional[0]?.leading && positional.length > 0 && positional.length < this.throughRequired) {
      positional = [undefined, ...positional];
    }
    const n = positional.length;
    if (n > this.positional.length) {
      throw new TypeError(
        `${this.label}: takes at most ${this.positional.length} positional arguments ` +
          `(${this.positional.map((p) => p.name).join(', ')}) but ${n} were given; pass the rest by name in an options object`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (positional[i] === undefined) continue;
      this.accept(out, this.positional[i], positional[i]);
    }
    if (options !== undefined) {
      for (const key of Object.keys(options)) {
        const spec = this.byName.get(key);
        if (spec === undefined) {
          const hint = closest(key, this.names);
          throw new TypeError(
            `${this.label}: unknown option '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}; accepted: ${this.names.join(', ')}`,
          );
        }
        if (options[key] === undefined) continue;
        if (Object.hasOwn(out, key)) {
          throw new TypeError(
            `${this.label}: got multiple values for '${key}' (positionally and in the options object)`,
          );
        }
        this.accept(out, spec, options[key]);
      }
    }
    for (const p of this.params) {
      if (p.required && !Object.hasOwn(out, p.name)) {
        throw new TypeError(
          `${this.label}: missing required argument '${p.name}' (signature: ${this.describeSignature()})`,
        );
      }
    }
    // The caller names the record's type after its declaration (the checks above guarantee it).
    return out as T;
  }

  private accept(out: Record<string, unknown>, spec: ParamSpec, v: unknown): void {
    if (spec.unsupported !== undefined) {
      throw new TypeError(`${this.label}: '${spec.name}' is not supported: ${spec.unsupported}`);
    }
    const expected = spec.check(v);
    if (expected !== null) {
      throw new TypeError(`${this.label}: ${spec.name} must be ${expected}, got ${describe(v)}`);
    }
    out[spec.name] = v;
  }

  /** `(inChannels, outChannels, kernelSize, stride?, …, *, maximize?)` for messages and docs. */
  describeSignature(): string {
    const parts: string[] = [];
    let star = false;
    for (const p of this.params) {
      if (p.keywordOnly && !star) {
        parts.push('*');
        star = true;
      }
      parts.push(p.required ? p.name : `${p.name}?`);
    }
    return `(${parts.join(', ')})`;
  }
}

/** Declares the signature of `owner`. */
export function signature(owner: string, params: readonly ParamSpec[]): Signature {
  return new Signature(owner, params);
}

/**
 * The rest-parameter type of a declared signature: any prefix of the optional positionals `P`,
 * optionally followed by the options object `O`.
 *
 * ```ts
 * constructor(inChannels: number, outChannels: number, kernelSize: Pair,
 *   ...rest: PosOrOpts<[stride: Pair, padding: Padding, dilation: Pair, groups: number, bias: boolean], Conv2dOptions>)
 * ```
 */
export type PosOrOpts<P extends readonly unknown[], O> = P extends readonly [...infer H, unknown]
  ? PosOrOpts<H, O> | [...P] | [...P, O]
  : [] | [O];
