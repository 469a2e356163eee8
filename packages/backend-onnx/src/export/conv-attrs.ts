// ONNX attributes of PyTorch's convolution and pooling options, shared by exportOnnx's emitters
// and compileTrainStep's layer emitters.

/** A size given as one number for every spatial dim or one per dim. */
export type Pair = number | readonly number[];

/** `p` as two numbers (a number is used for both). */
export const two = (p: Pair): number[] => (typeof p === 'number' ? [p, p] : [...p]);

/** ONNX `pads` ([begin…, end…]) of a PyTorch convolution's padding (numbers, 'valid' or 'same'). */
export function convPads(m: {
  padding: readonly number[] | 'same' | 'valid';
  kernelSize: readonly number[];
  dilation: readonly number[];
}): number[] {
  const p = m.padding;
  if (p === 'valid') return [...m.kernelSize.map(() => 0), ...m.kernelSize.map(() => 0)];
  if (p === 'same') {
    const total = m.kernelSize.map((k, i) => m.dilation[i] * (k - 1));
    return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  }
  return [...p, ...p];
}
