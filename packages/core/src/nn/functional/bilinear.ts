// The bilinear form y = x1ᵀ·A·x2 + b, as one matmul and a reduction (composite, differentiable).
import { checkFloat, checkSameDevice, checkTensor } from '../../ops/util.js';
import { any, opt, optional, type PosOrOpts, req, signature, tensor } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from './conv-args.js';

// A C++ builtin: documented bilinear(input1, input2, weight, bias=None).
const BILINEAR = signature('F.bilinear', [
  req('input1', any),
  req('input2', any),
  req('weight', any),
  opt('bias', optional(tensor)),
]);

/**
 * y[..., o] = Σ_ij input1[..., i]·weight[o, i, j]·input2[..., j] + bias[o], for input1
 * [*, in1], input2 [*, in2] (the same leading dims) and weight [out, in1, in2].
 *
 * ```ts
 * F.bilinear(a, b, w, bias); // [N, 5], [N, 3], [4, 5, 3] -> [N, 4]
 * ```
 */
export function bilinear(
  input1: Tensor,
  input2: Tensor,
  weight: Tensor,
  ...rest: PosOrOpts<[bias: Tensor | null], { bias?: Tensor | null }>
): Tensor {
  const a = BILINEAR.parse<{ input1: Tensor; input2: Tensor; weight: Tensor; bias?: Tensor | null }>([
    input1,
    input2,
    weight,
    ...rest,
  ]);
  const op = 'bilinear';
  const x1 = checkTensor(op, a.input1, 'input1');
  const x2 = checkTensor(op, a.input2, 'input2');
  const w = checkTensor(op, a.weight, 'weight');
  const bias = a.bias ?? null;
  checkFloat(op, x1);
  checkSameDevice(op, x1, x2);
  checkSameDevice(op, x1, w);
  if (x1.ndim !== x2.ndim || x1.ndim === 0)
    throw new Error(`${op}: input dimensions do not match: got ${fmt(x1.shape)} and ${fmt(x2.shape)}`);
  if (!x1.shape.slice(0, -1).every((d, i) => d === x2.shape[i]))
    throw new Error(`${op}: input batch dimensions do not match: got ${fmt(x1.shape)} and ${fmt(x2.shape)}`);
  if (w.ndim !== 3) throw new Error(`${op}: expected weight [out, in1, in2], got ${fmt(w.shape)}`);
  const [out, in1, in2] = w.shape;
  if (x1.shape[x1.ndim - 1] !== in1)
    throw new Error(
      `${op}: input1 size does not match weight size: got ${x1.shape[x1.ndim - 1]} but expected ${in1}`,
    );
  if (x2.shape[x2.ndim - 1] !== in2)
    throw new Error(
      `${op}: input2 size does not match weight size: got ${x2.shape[x2.ndim - 1]} but expected ${in2}`,
    );
  if (bias !== null) {
    checkTensor(op, bias, 'bias');
    if (bias.ndim !== 1 || bias.shape[0] !== out)
      throw new Error(
        `${op}: bias size does not match weight size: got ${fmt(bias.shape)} but expected [${out}]`,
      );
  }
  const lead = x1.shape.slice(0, -1);
  const rows = lead.reduce((p, d) => p * d, 1);
  // (x1 · A reshaped [in1, out·in2]) → [rows, out, in2], then the dot with x2 over in2.
  const left = x1.reshape([rows, in1]).matmul(w.permute([1, 0, 2]).reshape([in1, out * in2]));
  let y = left
    .reshape([rows, out, in2])
    .mul(x2.reshape([rows, 1, in2]))
    .sum(2);
  if (bias !== null) y = y.add(bias);
  return y.reshape([...lead, out]);
}
