// Checks shared by the nn.functional signatures (declared next to each function, registered
// as `F.<name>` and compared with torch.nn.functional in fixtures/signatures.json).
import type { Check } from '../../signature/signature.js';

/** A Tensor (duck-typed: the op's own checks give the detailed message). */
export const tensor: Check = (v) =>
  v !== null && typeof v === 'object' && Array.isArray((v as { shape?: unknown }).shape) && 'dtype' in v
    ? null
    : 'a Tensor';

/**
 * PyTorch's flag we only support in its default `false` state: `false` is accepted (so
 * PyTorch code passing it explicitly runs), anything else is an error giving `reason`.
 */
export function onlyFalse(reason: string): Check {
  return (v) => (v === false ? null : `false (${reason})`);
}
