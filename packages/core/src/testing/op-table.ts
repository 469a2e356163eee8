// Running the op table's PyTorch fixtures (fixtures/op-table.json, written by
// tools/fixtures/op_table.py from the entries of ops/table.ts): reading a case, building its
// inputs, calling the op as a function or a method, and listing its outputs. Shared by core's
// fixture and gradcheck tests and by the `table` family of @proj/backend-tests.
import { readFileSync } from 'node:fs';
import { type DType, type Tensor, tensor } from '../index.js';
import { OP_TABLE, type TableOp } from '../ops/table.js';

/** A tensor as the fixture writes it: flat row-major data, non-finite numbers as strings. */
export interface TableFixtureTensor {
  /** The tensor's shape. */
  readonly shape: number[];
  /** Its dtype (default float32). */
  readonly dtype?: DType;
  /** Flat row-major values; non-finite numbers as "NaN", "Infinity", "-Infinity" until decoded. */
  readonly data: (number | boolean | string)[];
  /** Whether the input requires grad (its gradient is in the case's `grads`). */
  readonly requiresGrad?: boolean;
  /** PyTorch ran the op on a transposed view of the last two dims; we build the same view. */
  readonly transposed?: boolean;
}

/** One case of fixtures/op-table.json (see tools/fixtures/op_table.py for the format). */
export interface TableFixtureCase {
  /** `<op>/<label>`. */
  readonly name: string;
  /** The op table's name of the op (a key of `ops/table.ts`'s table). */
  readonly op: string;
  /** The positional arguments after the tensor inputs, as PyTorch got them. */
  readonly args: unknown[];
  /** The keyword arguments, by PyTorch's names. */
  readonly kwargs: Record<string, unknown>;
  /** The tensor inputs. */
  readonly inputs: TableFixtureTensor[];
  /** A tensor output, or a plain value (`allclose`, `equal`); absent when PyTorch threw. */
  readonly outputs?: (
    | TableFixtureTensor
    | {
        /** The plain result (a number or boolean; a string for a non-finite number). */
        value: number | boolean | string;
      }
  )[];
  /** The gradient fed to each output for the backward pass (null for outputs without one). */
  readonly gradOutputs?: (TableFixtureTensor | null)[];
  /** PyTorch's gradient of each input (null for inputs without one). */
  readonly grads?: (TableFixtureTensor | null)[];
  /** PyTorch's message when it refuses the call; ours must throw too. */
  readonly error?: string;
}

/** fixtures/op-table.json: the PyTorch version that wrote it and the cases. */
export interface TableFixture {
  /** `torch.__version__` of the generating run. */
  readonly torch: string;
  /** Every case, in the generator's order. */
  readonly cases: TableFixtureCase[];
}

let cached: TableFixture | undefined;

/** fixtures/op-table.json, parsed once (Node only). */
export function opTableFixture(): TableFixture {
  cached ??= decodeNonFinite(
    JSON.parse(readFileSync(new URL('../../fixtures/op-table.json', import.meta.url), 'utf8')),
  ) as TableFixture;
  return cached;
}

const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** JSON with the strings "NaN", "Infinity", "-Infinity" as numbers (data and arguments alike). */
export function decodeNonFinite(v: unknown): unknown {
  if (typeof v === 'string' && Object.hasOwn(NON_FINITE, v)) return NON_FINITE[v];
  if (Array.isArray(v)) return v.map(decodeNonFinite);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeNonFinite(x)]));
  }
  return v;
}

/** The registered op of a fixture case; throws naming the table when it is gone. */
export function tableOpOf(c: TableFixtureCase): TableOp {
  const op = OP_TABLE.get(c.op);
  if (!op) throw new Error(`op-table.json has a case of '${c.op}', which the op table (ops/table.ts) lacks`);
  return op;
}

/** Flat row-major values, as the fixtures store them. */
export type Flat = (number | boolean)[];

/** Flat data nested to `shape` (a bare value for 0-d), as toArray() returns it. */
export function nestData(data: Flat, shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0];
  const build = (offset: number, d: number): unknown[] => {
    const stride = shape.slice(d + 1).reduce((p, s) => p * s, 1);
    const out: unknown[] = [];
    for (let i = 0; i < shape[d]; i++) {
      out.push(d === shape.length - 1 ? data[offset + i] : build(offset + i * stride, d + 1));
    }
    return out;
  };
  return build(0, 0);
}

/** A fixture tensor as a tensor of `dtype` on the current backend. */
export function fixtureTensor(f: TableFixtureTensor, dtype: DType = f.dtype ?? 'float32'): Tensor {
  return fromData(f.data as Flat, f.shape, dtype);
}

/** A tensor of `shape` holding flat `data` (nested, so an empty shape like [0, 3] keeps its dims). */
function fromData(data: Flat, shape: readonly number[], dtype: DType): Tensor {
  if (data.length === 0) return tensor([], { dtype }).reshape([...shape]);
  return tensor(nestData(data, shape) as Flat, { dtype });
}

/** Flat data of `shape` with its last two dims swapped, and the swapped shape. */
function swapLastTwo(data: Flat, shape: readonly number[]): [Flat, number[]] {
  const [rows, cols] = shape.slice(-2);
  const out: Flat = [];
  for (let b = 0; b < data.length; b += rows * cols) {
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(data[b + i * cols + j]);
  }
  return [out, [...shape.slice(0, -2), cols, rows]];
}

/**
 * The leaves of a case's inputs (contiguous; their `.grad` holds the gradient) and a `view`
 * that turns them into the op's operands (the transposed inputs transposed back, as PyTorch
 * ran them). `dtypeOf` may change an input's dtype (gradcheck runs in float64).
 */
export function tableInputs(
  c: TableFixtureCase,
  dtypeOf: (f: TableFixtureTensor) => DType = (f) => f.dtype ?? 'float32',
): {
  /** The contiguous input tensors, in the case's order. */
  leaves: Tensor[];
  /** Turns the leaves into the op's operands (transposing back the inputs PyTorch got transposed). */
  view: (leaves: readonly Tensor[]) => Tensor[];
} {
  const leaves = c.inputs.map((f) => {
    const [data, shape] = f.transposed ? swapLastTwo(f.data as Flat, f.shape) : [f.data as Flat, f.shape];
    const x = fromData(data, shape, dtypeOf(f));
    return f.requiresGrad ? x.requiresGrad_(true) : x;
  });
  const view = (ls: readonly Tensor[]) =>
    ls.map((l, i) => (c.inputs[i].transposed ? l.transpose(-1, -2) : l));
  return { leaves, view };
}

/** Calls the op the way a user does: `fn(...xs, ...args, kwargs)` or `xs[0].op(...)`. */
export function callTableOp(
  op: TableOp,
  c: TableFixtureCase,
  xs: readonly Tensor[],
  how: 'function' | 'method',
): unknown {
  const rest = [...c.args, ...(Object.keys(c.kwargs).length > 0 ? [c.kwargs] : [])];
  if (how === 'function') return op.fn(...xs, ...rest);
  const m = (xs[0] as unknown as Record<string, unknown>)[op.name];
  if (typeof m !== 'function')
    throw new Error(`Tensor has no method '${op.name}' (op table entry without method: false)`);
  return (m as (...a: unknown[]) => unknown).call(xs[0], ...xs.slice(1), ...rest);
}

/**
 * An op's result as a list: a tensor; the tensors of an array, of `{ values, indices }` or of
 * another object of tensors (`{ min, max }`), in order; or a plain number/boolean.
 */
export function tableOutputs(result: unknown): (Tensor | number | boolean)[] {
  if (typeof result === 'number' || typeof result === 'boolean') return [result];
  if (Array.isArray(result)) return result as Tensor[];
  if (result !== null && typeof result === 'object' && !('shape' in result)) {
    return Object.values(result as Record<string, Tensor>);
  }
  return [result as Tensor];
}
