let enabled = true;

/** Whether ops are currently recorded for autograd. */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Turns recording on or off globally; prefer {@link noGrad}. */
export function setGradEnabled(b: boolean): void {
  enabled = b;
}

/**
 * Runs `fn` without recording operations for autograd (inference, weight updates).
 *
 * ```ts
 * const preds = noGrad(() => model.forward(x));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs `fn` with recording on, even inside {@link noGrad}. */
export function enableGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording, as PyTorch's `torch.inference_mode()` (equivalent to
 * {@link noGrad} here: PyTorch's extra checks on inference tensors are not made).
 */
export function inferenceMode<T>(fn: () => T): T {
  return noGrad(fn);
}
