// The op table: one declarative entry per op, from which the rest follows.
//
// An op is an exported function in an area file (ops/pointwise.ts, ops/cumulative.ts, …) with
// its TSDoc, plus one entry in that file's `defineOps({...})` call. From the entry come:
// - the Tensor method (`x.cumsum(0)` next to `cumsum(x, 0)`), installed here at registration
//   and typed by the area file's `interface Tensor extends TableMethods<…>` (a homomorphic
//   mapped type over the file's exports, so the method shows the function's TSDoc);
// - the PyTorch fixtures: `tools/fixtures/dump_op_table.ts` dumps every entry's cases, and
//   `python3 tools/fixtures/generate.py table` runs each in PyTorch (values and gradients)
//   into fixtures/op-table.json, which ops/table.fixtures.test.ts compares against;
// - the gradient checks (ops/table.gradcheck.test.ts: gradcheck of every differentiable case);
// - the backend conformance cases (@proj/backend-tests, family `table`: every case on every
//   backend against PyTorch's values).
// The function export itself comes from the area file (`export * from './ops/<area>.js'` in
// index.ts, once per area). See ops/README.md for the recipe.
import type { DType } from '../backend/types.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * How a case input's values are drawn (tools/fixtures/op_table.py draws them, seeded by the
 * case name, so the fixture records the exact data):
 * - `normal`: N(0, 1); `positive`: [0.5, 2); `nonzero`: ±[0.5, 2) (divisors);
 * - `distinct`: no ties, nothing near 0 (max/min/sort-like ops, kinks at 0);
 * - `smallint`: integers in [-2, 2] (ties and zeros on purpose); `bool`; `index`: [0, high);
 * - `unit`: (-0.9, 0.9) (asin, atanh); `prob`: [0.05, 0.95) (logit); `gt1`: [1.1, 3) (acosh);
 * - `special`: a fixed mix of ±0, ±1, ±2.5, ±inf and NaN (repeated to fill the shape).
 */
export type InputKind =
  | 'normal'
  | 'positive'
  | 'nonzero'
  | 'distinct'
  | 'smallint'
  | 'bool'
  | 'index'
  | 'unit'
  | 'prob'
  | 'gt1'
  | 'special';

/** One tensor input of a case. */
export interface CaseInput {
  /** The input's shape (the shape the op sees, for a `transposed` input). */
  readonly shape: readonly number[];
  /** Value distribution; `normal` when omitted. Ignored when `data` is given. */
  readonly kind?: InputKind;
  /** float32 unless given (int dtypes round the drawn values; `bool` and `index` kinds set their own). */
  readonly dtype?: DType;
  /** Exact flat row-major values (NaN and ±Infinity allowed). */
  readonly data?: readonly (number | boolean)[];
  /** Upper bound (exclusive) of the `index` kind. */
  readonly high?: number;
  /** Whether the gradient with respect to this input is checked (float inputs; default true). */
  readonly grad?: boolean;
  /**
   * A non-contiguous input: `shape` is the shape the op sees, built as the transpose (last two
   * dims) of a contiguous tensor of the swapped shape, as `torch.randn(4, 3).t()` is `[3, 4]`.
   */
  readonly transposed?: boolean;
}

/**
 * One call of an op: `fn(...inputs, ...args, kwargs?)` here and
 * `torch.<op>(*inputs, *args, **kwargs)` in PyTorch (kwargs' names in snake_case there).
 */
export interface OpCase {
  /** Short variant name, unique per op: the fixture case is `<op>/<label>`. */
  readonly label: string;
  /** The tensor inputs, in order. */
  readonly inputs: readonly CaseInput[];
  /** Positional arguments after the tensor inputs (numbers, booleans, strings, arrays, null). */
  readonly args?: readonly unknown[];
  /** Options, passed as the trailing options object here and as keyword arguments to PyTorch. */
  readonly kwargs?: Readonly<Record<string, unknown>>;
  /**
   * Not differentiable at this point (a discontinuity PyTorch picks a side of): the values are
   * checked, the gradient fixture and gradcheck are skipped for this case.
   */
  readonly noGrad?: boolean;
  /**
   * Differentiable once but not twice here (a kink of the gradient, such as a norm at 0):
   * gradcheck runs, gradgradcheck does not. Say why in a comment next to the case.
   */
  readonly noGradgrad?: boolean;
  /**
   * `true`: PyTorch refuses this call (a dtype it does not implement, …) and ours must throw too.
   * `'ours'`: a documented limitation: PyTorch computes it, ours refuses with an error naming
   * the op (never a different number).
   */
  readonly throws?: boolean | 'ours';
}

/** One op of the table. */
export interface OpEntry {
  /** The function, exported from its area file under the entry's name. */
  readonly fn: (...args: any[]) => unknown;
  /** Also a Tensor method (`x.op(...rest)` calls `fn(x, ...rest)`); default true. */
  readonly method?: boolean;
  /**
   * PyTorch's callable, for the fixtures: a dotted path from `torch` (`torch.special.logit`,
   * `torch.linalg.vector_norm`) or `Tensor.<name>` for a method of the first input. Default:
   * `torch.<name in snake_case>`.
   */
  readonly torch?: string;
  /** Has a gradient (PyTorch's derivative): fixtures record gradients and gradcheck runs. Default true. */
  readonly grad?: boolean;
  /** The calls the fixtures, gradcheck and conformance suites make. */
  readonly cases: readonly OpCase[];
}

/** A registered entry with its name. */
export interface TableOp extends OpEntry {
  /** The op's name: the function's and the method's. */
  readonly name: string;
}

const registry = new Map<string, TableOp>();

/** Every registered op by name, in registration order (the area files register on import). */
export const OP_TABLE: ReadonlyMap<string, TableOp> = registry;

/** Methods installed by the table, so a second registration of one name is caught. */
const installed = new Set<string>();

/**
 * Whether `fn` provably takes exactly one parameter (`function exp(x)`, no default, no rest):
 * its method then refuses extra arguments instead of ignoring them. Unprovable forms (arrow
 * functions, defaults, rest parameters) are left unchecked; they parse their own arguments.
 */
function takesOnlyTheTensor(fn: (...args: any[]) => unknown): boolean {
  return (
    fn.length === 1 &&
    /^function\s*[\w$]*\s*\(\s*[A-Za-z_$][\w$]*\s*\)/.test(Function.prototype.toString.call(fn))
  );
}

/**
 * Registers an area's ops and installs their Tensor methods. Returns `entries` unchanged, for
 * the area's `TableMethods` type:
 *
 * ```ts
 * export function log2(x: Tensor): Tensor { … } // with its TSDoc
 *
 * const OPS = defineOps({ log2: { fn: log2, cases: [c('2d', [t([3, 4], 'positive')])] } });
 * declare module '../tensor/tensor.js' {
 *   interface Tensor extends TableMethods<typeof import('./pointwise.js'), typeof OPS> {}
 * }
 * ```
 */
export function defineOps<const E extends Readonly<Record<string, OpEntry>>>(entries: E): E {
  for (const [name, entry] of Object.entries(entries)) {
    if (registry.has(name)) throw new Error(`defineOps: op '${name}' is registered twice`);
    const labels = entry.cases.map((k) => k.label);
    const dup = labels.find((l, i) => labels.indexOf(l) !== i);
    if (dup !== undefined) throw new Error(`defineOps: op '${name}' has two cases labelled '${dup}'`);
    const proto = Tensor.prototype as unknown as Record<string, unknown>;
    if (entry.method !== false && name in proto && !installed.has(name)) {
      throw new Error(`defineOps: Tensor already has a method '${name}' declared elsewhere`);
    }
    registry.set(name, { ...entry, name });
    if (entry.method === false) continue;
    installed.add(name);
    const fn = entry.fn;
    proto[name] = takesOnlyTheTensor(fn)
      ? function (this: Tensor, ...rest: unknown[]) {
          // JS ignores extra arguments: `x.exp({ out })` must not silently drop PyTorch's out=.
          if (rest.length > 0) {
            throw new TypeError(`${name}: takes no arguments after the tensor, got ${rest.length}`);
          }
          return fn(this);
        }
      : function (this: Tensor, ...rest: unknown[]) {
          return fn(this, ...rest);
        };
  }
  return entries;
}

/**
 * The method type of an op function: its first parameter (the tensor) becomes `this`. Up to four
 * overloads are kept (matched pairwise; a function with fewer repeats its own, which TypeScript
 * merges back).
 */
export type DropSelf<F> = F extends {
  (self: Tensor, ...rest: infer A1): infer R1;
  (self: Tensor, ...rest: infer A2): infer R2;
  (self: Tensor, ...rest: infer A3): infer R3;
  (self: Tensor, ...rest: infer A4): infer R4;
}
  ? ((...rest: A1) => R1) & ((...rest: A2) => R2) & ((...rest: A3) => R3) & ((...rest: A4) => R4)
  : never;

/** The keys of `E` whose entry is a method (not `method: false`). */
export type MethodKeys<E> = { [K in keyof E]: E[K] extends { method: false } ? never : K }[keyof E];

/**
 * The Tensor methods of an area: for each method entry of `E`, the function of the same name
 * exported by module `M`, less its first parameter (overloads kept, see {@link DropSelf}). A
 * homomorphic mapped type over `M`, so each method carries its function's TSDoc.
 */
export type TableMethods<M, E> = {
  [K in keyof Pick<M, MethodKeys<E> & keyof M>]: DropSelf<M[K]>;
};

// ---- case builders ------------------------------------------------------------------------

/** A case input: `t([3, 4], 'positive')`, `t([5], 'smallint', { dtype: 'int64' })`. */
export function t(
  shape: readonly number[],
  kind?: InputKind,
  more: Omit<CaseInput, 'shape' | 'kind'> = {},
): CaseInput {
  return kind === undefined ? { shape, ...more } : { shape, kind, ...more };
}

/** A case input with exact values: `v([1, 2, Infinity])` (1-D unless `shape` is given). */
export function v(
  data: readonly (number | boolean)[],
  more: Omit<CaseInput, 'shape' | 'data'> & { shape?: readonly number[] } = {},
): CaseInput {
  return { shape: [data.length], ...more, data };
}

/** A case: `c('dim1', [t([3, 4])], [1], { keepdim: true })`. */
export function c(
  label: string,
  inputs: readonly CaseInput[],
  args?: readonly unknown[],
  kwargs?: Readonly<Record<string, unknown>>,
  opts: { noGrad?: boolean; noGradgrad?: boolean; throws?: boolean | 'ours' } = {},
): OpCase {
  return {
    label,
    inputs,
    ...(args && args.length > 0 ? { args } : {}),
    ...(kwargs ? { kwargs } : {}),
    ...opts,
  };
}

/** The standard unary cases: 0-d, 2-D, 3-D and non-contiguous inputs of `kind`. */
export function unaryCases(
  kind: InputKind = 'normal',
  o: { int?: boolean; special?: boolean } = {},
): OpCase[] {
  const out = [
    c('scalar', [t([], kind)]),
    c('2d', [t([3, 4], kind)]),
    c('3d', [t([2, 3, 4], kind)]),
    c('noncontiguous', [t([3, 4], kind, { transposed: true })]),
  ];
  if (o.int) out.push(c('int64', [t([5], 'smallint', { dtype: 'int64' })]));
  if (o.special) out.push(c('special', [t([11], 'special')], [], undefined, { noGrad: true }));
  return out;
}
