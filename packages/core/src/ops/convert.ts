import { record } from '../autograd/node.js';
import type { Backend } from '../backend/backend.js';
import { backendByName } from '../backend/registry.js';
import type { DataArray, DType } from '../backend/types.js';
import { assertDType, DTYPES, isFloat } from '../tensor/dtype.js';
import { isHalf } from '../tensor/half.js';
import { Tensor } from '../tensor/tensor.js';
import { checkTensor, wrap } from './util.js';

/** Converts to `dtype` (differentiable between float types). Returns `x` itself when it already has it. */
export function cast(x: Tensor, dtype: DType): Tensor {
  checkTensor('to', x);
  assertDType('to', dtype);
  if (x.dtype === dtype) return x;
  if (!x._backend.supportsDtype(dtype)) {
    throw new Error(`to: backend '${x.device}' does not support dtype ${dtype}`);
  }
  const from = x.dtype;
  const out = wrap(x, x._backend.cast(x, dtype), x.shape, dtype);
  if (!isFloat(dtype) || !isFloat(from)) return out;
  return record('ToCopyBackward', out, [x], (g) => [cast(g, from)]);
}

/**
 * Runs `fn` on `x` widened to float32 when `x` is float16/bfloat16, and casts its result back:
 * for composites that PyTorch computes as one kernel in float32 (its "opmath" type) and rounds
 * once (softmax, mean, var, layer norm, linear, …). Differentiable; other dtypes run `fn(x)`.
 */
export function computeWide(x: Tensor, fn: (x: Tensor) => Tensor): Tensor {
  if (!isHalf(x.dtype)) return fn(x);
  return cast(fn(cast(x, 'float32')), x.dtype);
}

/** The backend `device` names, checked to hold `x`'s dtype. */
function targetOf(op: string, x: Tensor, device: string) {
  checkTensor(op, x);
  const target = backendByName(device);
  if (!target.supportsDtype(x.dtype)) {
    throw new Error(
      `${op}: backend '${device}' does not support dtype ${x.dtype} (cast first, e.g. .float())`,
    );
  }
  return target;
}

/** `values` (read from `x`) written to `device`, recorded as a differentiable copy of `x`. */
function copyTo(x: Tensor, target: Backend, device: string, values: DataArray): Tensor {
  const out = Tensor._fromHandle(target, device, target.write(values, x.shape, x.dtype), x.shape, x.dtype);
  const from = x.device;
  // the way back writes to `from` from a synchronous read of the gradient
  return record('ToCopyBackward', out, [x], (g) => [toDevice(g, from)]);
}

/** Copies `x` to backend `device` (differentiable). Returns `x` when already there. */
export function toDevice(x: Tensor, device: string): Tensor {
  const target = targetOf('to', x, device);
  if (x.device === device) return x;
  if (x._backend.readsSync === false) {
    throw new Error(
      `to: a tensor on '${x.device}' can only be read asynchronously, so it cannot move to '${device}' synchronously: ` +
        `use await t.toAsync('${device}') (await model.toAsync('${device}') for a module)`,
    );
  }
  return copyTo(x, target, device, x._backend.readSync(x));
}

/**
 * Copies `x` to backend `device`, reading it asynchronously: the way off a backend that only
 * reads asynchronously (onnx-web), and valid between any two backends. Differentiable, as
 * {@link toDevice}; resolves to `x` when it is already there. A dtype name converts after
 * the move, as in `to`.
 *
 * @example
 * ```ts
 * const y = await model.forward(x).toAsync('cpu'); // from 'onnx' on onnxruntime-web
 * console.log(y.toArray());
 * ```
 */
export async function toAsync(x: Tensor, device: string, dtype?: DType): Promise<Tensor> {
  // a dtype name (or one not supported yet) converts, with `to`'s errors
  if (namesDtype(device)) return to(x, device, dtype);
  const target = targetOf('toAsync', x, device);
  const out = x.device === device ? x : copyTo(x, target, device, await x._backend.read(x));
  return dtype === undefined ? out : cast(out, dtype);
}

/** Whether `to`'s string argument names a dtype (one of ours, an alias, or one not supported yet) rather than a device. */
function namesDtype(s: string): boolean {
  return DTYPES.includes(s as DType) || Object.hasOwn(DTYPE_ALIASES, s) || UNSUPPORTED_DTYPES.has(s);
}

/** PyTorch dtype names that are not (yet) dtypes here: a clear error instead of "no backend 'float16'". */
const UNSUPPORTED_DTYPES: ReadonlySet<string> = new Set([
  'int16',
  'short',
  'int8',
  'uint16',
  'uint32',
  'uint64',
  'complex64',
  'complex128',
]);

/** PyTorch's dtype aliases (`torch.float`, `torch.double`, `torch.half`, `torch.int`, `torch.long`). */
const DTYPE_ALIASES: Readonly<Record<string, DType>> = {
  float: 'float32',
  double: 'float64',
  half: 'float16',
  int: 'int32',
  long: 'int64',
};

/**
 * `t.to('float64')`, `t.to('gpujs')` or `t.to('cpu', 'float32')`: moves and/or converts.
 * A string that is a dtype name converts; any other string names a backend.
 */
export function to(x: Tensor, target: string, dtype?: DType): Tensor {
  if (DTYPES.includes(target as DType)) return cast(x, target as DType);
  if (Object.hasOwn(DTYPE_ALIASES, target)) return cast(x, DTYPE_ALIASES[target]);
  if (UNSUPPORTED_DTYPES.has(target)) {
    throw new Error(
      `to: dtype '${target}' is not supported yet (supported dtypes: ${DTYPES.join(', ')}); it is not a device name either`,
    );
  }
  const out = toDevice(x, target);
  return dtype === undefined ? out : cast(out, dtype);
}

/** A tensor sharing `x`'s storage, cut from the graph (never requires grad). */
export function detach(x: Tensor): Tensor {
  checkTensor('detach', x);
  return new Tensor(x._storage, x.shape, x.dtype, x._strides, x._offset);
}

/** A copy of `x` with its own storage (differentiable). */
export function clone(x: Tensor): Tensor {
  checkTensor('clone', x);
  const n = x.ndim;
  const h = x._dense
    ? x._backend.slice(x, new Array(n).fill(0), x.shape, new Array(n).fill(1))
    : x._materialize();
  const out = wrap(x, h, x.shape, x.dtype);
  return record('CloneBackward', out, [x], (g) => [g]);
}
