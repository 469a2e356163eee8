import { record } from '../autograd/node.js';
import { isFloat } from '../tensor/dtype.js';
import { isHalf } from '../tensor/half.js';
import { normDim } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { binaryRaw, mul, sub } from './binary.js';
import { cast, computeWide } from './convert.js';
import { reduceRaw, sum } from './reduce.js';
import { unary, unaryRaw } from './unary.js';
import { checkTensor } from './util.js';

function prep(op: string, x: Tensor, dim: number): [Tensor, number] {
  checkTensor(op, x);
  const t = isFloat(x.dtype) ? x : cast(x, 'float32');
  return [t, normDim(op, dim, x.ndim)];
}

/** Stable softmax along `dim` through the fused kernel or max-shifted primitives. */
function softmaxRaw(x: Tensor, d: number): Tensor {
  if (x.ndim === 0) return unaryRaw('exp', binaryRaw('sub', x, x));
  if (x._backend.softmax) return x._fromKernel(x._backend.softmax(x, d));
  const e = unaryRaw('exp', binaryRaw('sub', x, reduceRaw('max', x, [d], true)));
  return binaryRaw('div', e, reduceRaw('sum', e, [d], true));
}

function logSoftmaxRaw(x: Tensor, d: number): Tensor {
  if (x.ndim === 0) return binaryRaw('sub', x, x);
  if (x._backend.logSoftmax) return x._fromKernel(x._backend.logSoftmax(x, d));
  const shifted = binaryRaw('sub', x, reduceRaw('max', x, [d], true));
  return binaryRaw('sub', shifted, unaryRaw('log', reduceRaw('sum', unaryRaw('exp', shifted), [d], true)));
}

/** Softmax along `dim`: exp(x) / sum(exp(x)), computed without overflow. */
export function softmax(x: Tensor, dim: number): Tensor {
  // float16/bfloat16: computed in float32 and rounded once, as PyTorch's kernel
  if (x instanceof Tensor && isHalf(x.dtype)) return computeWide(x, (w) => softmax(w, dim));
  const [t, d] = prep('softmax', x, dim);
  const y = softmaxRaw(t, d);
  return record('SoftmaxBackward', y, [t], (g) => [mul(y, sub(g, sum(mul(g, y), d, true)))], [y]);
}

/** Log-softmax along `dim`: x - logsumexp(x), computed without overflow. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  if (x instanceof Tensor && isHalf(x.dtype)) return computeWide(x, (w) => logSoftmax(w, dim));
  const [t, d] = prep('logSoftmax', x, dim);
  const y = logSoftmaxRaw(t, d);
  return record('LogSoftmaxBackward', y, [t], (g) => [sub(g, mul(unary('exp', y), sum(g, d, true)))], [y]);
}
