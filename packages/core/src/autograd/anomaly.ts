// PyTorch's anomaly mode: the stack of the forward op is kept with each recorded node, and
// every gradient a backward produces is checked for NaN.
import type { Tensor } from '../tensor/tensor.js';

let enabled = false;
let checkNanOn = true;

/** Whether anomaly detection is on (PyTorch's `torch.is_anomaly_enabled()`). */
export function isAnomalyEnabled(): boolean {
  return enabled;
}

/** Turns anomaly detection on or off (PyTorch's `torch.autograd.set_detect_anomaly`). */
export function setDetectAnomaly(mode: boolean, checkNan = true): void {
  enabled = mode;
  checkNanOn = checkNan;
}

/**
 * Runs `fn` with anomaly detection (PyTorch's `torch.autograd.detect_anomaly`): each recorded
 * op keeps the stack of its forward call, and a backward that produces NaN throws naming the op
 * and that stack. Slow (every gradient is read back): use it to find a NaN, not to train.
 *
 * @example
 * ```ts
 * autograd.detectAnomaly(() => lossFn.forward(model.forward(x), y).backward());
 * ```
 */
export function detectAnomaly<T>(fn: () => T, checkNan = true): T {
  const prev = [enabled, checkNanOn] as const;
  setDetectAnomaly(true, checkNan);
  try {
    return fn();
  } finally {
    setDetectAnomaly(prev[0], prev[1]);
  }
}

/** The stack of the op being recorded, when anomaly mode is on. */
export function forwardStack(): string | null {
  if (!enabled) return null;
  return (new Error().stack ?? '').split('\n').slice(3).join('\n');
}

/** Throws when a gradient computed by `node` holds NaN. */
export function anomalyCheck(
  node: { name: string; forwardStack: string | null },
  grads: readonly (Tensor | null | undefined)[],
): void {
  if (!checkNanOn) return;
  grads.forEach((g, i) => {
    if (!g || !(g.dtype.startsWith('float') || g.dtype === 'bfloat16')) return;
    const d = g.dataSync();
    for (let k = 0; k < d.length; k++) {
      if (Number.isNaN(d[k])) {
        throw new Error(
          `backward: function '${node.name}' returned nan values in its ${i}th output` +
            (node.forwardStack ? `; the forward call that created it:\n${node.forwardStack}` : ''),
        );
      }
    }
  });
}
