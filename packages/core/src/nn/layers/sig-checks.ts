// Checks for PyTorch parameters we accept only at values that compute what we compute.
import type { Check } from '../../signature/signature.js';

/**
 * Accepts only `value` (PyTorch's default, or a value equivalent to ours); anything else is
 * refused with `reason`, e.g. `inplace` must be false because in-place layers are not
 * implemented (PyTorch's inplace=True mutates its input, which we would not).
 */
export function only(value: boolean | null, reason: string): Check {
  return (v) => (v === value || (value === null && v === undefined) ? null : `${String(value)} (${reason})`);
}

/** PyTorch's `inplace`: false only (inplace=true would mutate the input in PyTorch). */
export const notInplace = only(
  false,
  'inplace=true is not supported: PyTorch overwrites the input, this layer always returns a new tensor',
);
