let enabled = true;

/** Whether ops are currently recorded for autograd (PyTorch's `torch.is_grad_enabled()`). */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Turns recording on or off globally (PyTorch's `torch.set_grad_enabled(mode)` as a function);
 * prefer {@link noGrad}, which restores the previous mode.
 */
export function setGradEnabled(b: boolean): void {
  enabled = b;
}

/**
 * Runs `fn` without recording operations for autograd (inference, weight updates): PyTorch's
 * `with torch.no_grad():`. The previous mode is restored when `fn` returns or throws; an async
 * `fn` runs unrecorded only up to its first `await`.
 *
 * @example
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

/**
 * Runs `fn` with recording on, even inside {@link noGrad} (PyTorch's `with torch.enable_grad():`).
 *
 * @example
 * ```ts
 * noGrad(() => {
 *   const y = enableGrad(() => x.mul(2)); // recorded: y.requiresGrad follows x
 * });
 * ```
 */
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
