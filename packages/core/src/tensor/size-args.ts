import type { Signature } from '../signature/signature.js';
import { Tensor } from './tensor.js';

// Size arguments of the creation functions (`zeros(2, 3)`, `zeros([2, 3], opts)`, `full([2], v)`).
// JS does not check types at run time, and a loose parse turned `zeros('3')` into a 0-d tensor
// (the string was taken for the options): every entry is checked here, with one message.

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 37)}...` : v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v == null) return String(v);
  if (v instanceof Tensor) return 'a Tensor';
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof Tensor) return `Tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function sizeError(op: string, bad: unknown, where = ''): Error {
  return new Error(`${op}: size must be non-negative integers, got ${show(bad)} (${kind(bad)})${where}`);
}

/** `shape` as a fresh array after checking it is an array of non-negative integers. */
export function checkSize(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) throw sizeError(op, shape);
  const i = shape.findIndex((d) => !isCount(d));
  if (i >= 0) throw sizeError(op, shape[i], ` at index ${i} of ${show(shape)}`);
  return [...shape];
}

function isOptions(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor);
}

/**
 * Parses `f(2, 3, opts?)` and `f([2, 3], opts?)`: the sizes, then at most one options object.
 * Anything else (a string, a negative or fractional size, a stray argument) is an error.
 */
export function parseSizeArgs<O>(op: string, args: readonly unknown[]): [number[], O] {
  let shape: number[];
  let i: number;
  if (Array.isArray(args[0])) {
    shape = checkSize(op, args[0]);
    i = 1;
  } else {
    shape = [];
    for (i = 0; i < args.length && typeof args[i] === 'number'; i++) {
      if (!isCount(args[i])) throw sizeError(op, args[i]);
      shape.push(args[i] as number);
    }
  }
  let opts: unknown = {};
  if (i < args.length && args[i] !== undefined) {
    if (!isOptions(args[i])) throw sizeError(op, args[i]);
    opts = args[i];
  }
  if (args.length > i + 1 && args.slice(i + 1).some((a) => a !== undefined)) {
    throw new Error(
      `${op}: unexpected argument ${show(args[i + 1])} after the options (expected ${op}(...sizes, options?) or ${op}([sizes], options?))`,
    );
  }
  return [shape, opts as O];
}

/**
 * {@link parseSizeArgs}, then the options through the function's declared signature
 * (`sig.owner` names the function): PyTorch's keyword-only options, checked by name and type,
 * and `size` by name instead of spread (`zeros({ size: [2, 3] })`, as `torch.zeros(size=(2, 3))`).
 * Returns the sizes and the parsed options without `size`.
 */
export function parseSizeCall<O>(sig: Signature, args: readonly unknown[]): [number[], O] {
  const op = sig.owner;
  let [shape, opts] = parseSizeArgs<Record<string, unknown>>(op, args);
  // Sizes given positionally (even none of them, `zeros([])`) go to `size`; else it may come by name.
  const spread = args[0] !== undefined && !isOptions(args[0]);
  const { size, ...rest } = sig.parse<{ size?: unknown } & Record<string, unknown>>(
    spread ? [shape, opts] : [opts],
  );
  if (!spread && size !== undefined) shape = checkSize(op, size);
  return [shape, rest as O];
}
