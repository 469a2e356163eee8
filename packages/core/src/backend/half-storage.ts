import { type HalfDType, isHalf, roundHalfInPlace, roundToHalf } from '../tensor/half.js';
import type { Backend } from './backend.js';
import type { DType, Shape, TensorInfo, TypedArray } from './types.js';

/**
 * float16 and bfloat16 on every backend, through one mechanism in core.
 *
 * A half tensor is stored by its backend as a float32 buffer whose values the half type holds
 * exactly. The registry hands out each backend wrapped by {@link withHalfStorage}, which
 * backends never notice: every TensorInfo of a half dtype reaches them as float32, so their
 * float32 kernels compute it (PyTorch too computes half ops in float32, its "opmath" type);
 * `write`, `fill` and `cast` to a half dtype round to it (IEEE round to nearest even, as
 * PyTorch's casts). Core rounds every op result of a half dtype once, in `wrap`
 * (ops/util.ts) and `_fromKernel`, through {@link roundHalfResult}, so one op rounds once,
 * as in PyTorch.
 *
 * A backend stores half dtypes this way exactly when it supports float32 and reads
 * synchronously: rounding reads the float32 result back (`readSync`), rounds it on the host and
 * uploads it again. A backend that declares `readsSync: false` (onnx-web) reports the half dtypes
 * unsupported, so creating one there is an error naming the dtype.
 */

const ADAPTED = Symbol('halfStorage');
const wrappers = new WeakMap<Backend, Backend>();

/** The backend under a half-storage wrapper (the backend itself when it is not wrapped). */
export function unwrapHalfStorage(b: Backend): Backend {
  return (b as Backend & { [ADAPTED]?: Backend })[ADAPTED] ?? b;
}

function isHalfInfo(a: unknown): a is TensorInfo {
  return (
    typeof a === 'object' &&
    a !== null &&
    isHalf((a as { dtype?: unknown }).dtype as string) &&
    'handle' in a &&
    'shape' in a
  );
}

/** `x` as the float32 buffer that stores it. */
function asF32(x: TensorInfo): TensorInfo {
  return { handle: x.handle, shape: x.shape, dtype: 'float32' };
}

/** An argument of a backend call with every half TensorInfo (also inside arrays) seen as float32. */
function mapArg(a: unknown): unknown {
  if (Array.isArray(a)) {
    // shapes and axes (number arrays) are the common case: left as they are
    return a.length > 0 && typeof a[0] === 'object' && a.some(isHalfInfo) ? a.map(mapArg) : a;
  }
  return isHalfInfo(a) ? asF32(a) : a;
}

/** A float32 buffer of `x`'s values (float32, not owned by the caller) rounded to `dtype`. */
function roundedCopy(inner: Backend, x: TensorInfo, dtype: HalfDType): unknown {
  const values = inner.readSync(x);
  const f = values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
  return inner.write(roundHalfInPlace(f, dtype), x.shape, 'float32');
}

/** The storage-level methods that know half dtypes; everything else only maps its arguments. */
function overrides(inner: Backend): Partial<Backend> {
  return {
    supportsDtype(dtype: DType): boolean {
      // Half results are rounded on the host after each op: that takes a synchronous read.
      if (isHalf(dtype)) return inner.readsSync !== false && inner.supportsDtype('float32');
      return inner.supportsDtype(dtype);
    },
    write(values: TypedArray, shape: Shape, dtype: DType): unknown {
      if (!isHalf(dtype)) return inner.write(values, shape, dtype);
      // Float32Array.from copies: the caller keeps its array
      return inner.write(roundHalfInPlace(Float32Array.from(values), dtype), shape, 'float32');
    },
    fill(shape: Shape, dtype: DType, value: number): unknown {
      if (!isHalf(dtype)) return inner.fill(shape, dtype, value);
      return inner.fill(shape, 'float32', roundToHalf(value, dtype));
    },
    cast(x: TensorInfo, dtype: DType): unknown {
      const src = isHalf(x.dtype) ? asF32(x) : x;
      if (!isHalf(dtype)) return inner.cast(src, dtype);
      // PyTorch converts to a half type through float (a double rounds to float32 first)
      if (src.dtype === 'float32') return roundedCopy(inner, src, dtype);
      const wide = inner.cast(src, 'float32');
      try {
        return roundedCopy(inner, { handle: wide, shape: x.shape, dtype: 'float32' }, dtype);
      } finally {
        inner.disposeData(wide);
      }
    },
  };
}

/**
 * `inner` with float16 and bfloat16 stored as float32 (see the module comment): a plain object
 * (property access stays fast on the hot path of every op) whose prototype is `inner`'s, so
 * `instanceof` holds, with every method of `inner` (mapping half arguments) and every property
 * (read and written through to `inner`). Wrapping twice returns the same wrapper.
 */
export function withHalfStorage<B extends Backend>(inner: B): B {
  if ((inner as B & { [ADAPTED]?: Backend })[ADAPTED] !== undefined) return inner;
  // one wrapper per backend: registering the same instance again (a tracer reused per step)
  // costs no rebuilding
  const known = wrappers.get(inner);
  if (known) return known as B;
  const proto = Object.getPrototypeOf(inner) as object | null;
  const wrapper = Object.create(proto) as Record<string | symbol, unknown>;
  const target = inner as unknown as Record<string | symbol, unknown>;
  const own = overrides(inner) as Record<string | symbol, unknown>;
  const done = new Set<string | symbol>(['constructor']);
  const define = (key: string | symbol, desc: PropertyDescriptor): void => {
    if (done.has(key)) return;
    done.add(key);
    // a data property is read through `inner` (which may itself be a Proxy that hides methods)
    const value = desc.get || desc.set ? undefined : Reflect.get(inner, key);
    if (Object.hasOwn(own, key)) {
      Object.defineProperty(wrapper, key, { value: own[key], writable: true, configurable: true });
    } else if (typeof value === 'function') {
      const fn = value as (...args: unknown[]) => unknown;
      Object.defineProperty(wrapper, key, {
        value: (...args: unknown[]): unknown => {
          for (let i = 0; i < args.length; i++) {
            const a = args[i];
            if (typeof a === 'object' && a !== null) args[i] = mapArg(a);
          }
          return fn.apply(inner, args);
        },
        writable: true,
        configurable: true,
        enumerable: desc.enumerable,
      });
    } else {
      // data fields and getters/setters read and write `inner` (getters run with it as this)
      Object.defineProperty(wrapper, key, {
        get: () => target[key],
        set: (v: unknown) => {
          target[key] = v;
        },
        configurable: true,
        enumerable: desc.enumerable,
      });
    }
  };
  // own properties first, then the class chain (nearest definitions win), Object.prototype last
  for (let o: object | null = inner; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Reflect.ownKeys(o)) {
      const desc = Object.getOwnPropertyDescriptor(o, key);
      if (desc) define(key, desc);
    }
  }
  for (const key of Object.keys(own)) define(key, { value: undefined });
  Object.defineProperty(wrapper, ADAPTED, { value: inner });
  wrappers.set(inner, wrapper as unknown as Backend);
  return wrapper as unknown as B;
}

/**
 * Rounds a raw op result of a half dtype (a float32 buffer that `backend`, a
 * {@link withHalfStorage} wrapper, computed) to `dtype`, freeing the raw buffer; other dtypes
 * pass through. Called where results become tensors, so every op rounds exactly once.
 */
export function roundHalfResult(backend: Backend, handle: unknown, shape: Shape, dtype: DType): unknown {
  if (!isHalf(dtype)) return handle;
  try {
    return backend.cast({ handle, shape, dtype: 'float32' }, dtype);
  } finally {
    backend.disposeData(handle);
  }
}
