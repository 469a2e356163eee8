import { paramGroupSpecs } from '../optim/params.js';
import {
  any,
  bool,
  kw,
  optional,
  type ParamSpec,
  req,
  type Signature,
  signature,
  unsupported,
} from './signature.js';

// PyTorch's optimizers end in knobs that choose an implementation, not a result: `foreach`,
// `capturable` and `fused` are accepted and have no effect here (the single-tensor update is what
// runs, and it computes the same numbers); `differentiable` would change autograd, so it is refused.
const KNOBS: Record<string, ParamSpec> = {
  maximize: kw('maximize', bool),
  foreach: kw('foreach', optional(bool)),
  capturable: kw('capturable', bool),
  fused: kw('fused', optional(bool)),
  differentiable: unsupported('differentiable', 'autograd through optimizer steps is not implemented', true),
};

/** PyTorch's implementation knobs, accepted by name (no effect here; see above). */
export interface ImplementationKnobs {
  /** PyTorch's `foreach` (the multi-tensor implementation): accepted, no effect. */
  foreach?: boolean | null;
  /** PyTorch's `capturable` (CUDA-graph capture): accepted, no effect. */
  capturable?: boolean;
  /** PyTorch's `fused` (the fused kernel): accepted, no effect. */
  fused?: boolean | null;
}

/** Names of the knobs that are accepted and dropped before the options reach the optimizer. */
const DROPPED = new Set(['foreach', 'capturable', 'fused']);

/**
 * Declares an optimizer's signature: `params`, its own parameters in PyTorch's order, then
 * `maximize` and the implementation knobs, each where PyTorch has it (`keywordKnobs` after `*`).
 */
export function optimizerSignature(
  name: string,
  own: readonly ParamSpec[],
  knobs: readonly string[],
  keywordKnobs: readonly string[],
): Signature {
  const knob = (k: string, keywordOnly: boolean): ParamSpec => ({ ...KNOBS[k], keywordOnly });
  const positional = knobs.map((k) => knob(k, false));
  const keyword = keywordKnobs.map((k) => knob(k, true));
  return signature(`optim.${name}`, [req('params', any), ...own, ...positional, ...keyword]);
}

/**
 * Parses an optimizer's arguments: `params` (positional or by name) and its options record
 * without the dropped implementation knobs.
 */
export function optimizerArgs<O>(sig: Signature, args: readonly unknown[]): [params: never, options: O] {
  // A missing params gets the optimizer's own message (what params must be), not the parser's.
  if (args[0] === undefined || args[0] === null) paramGroupSpecs(sig.owner.slice('optim.'.length), args[0]);
  const parsed = sig.parse(args);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) if (k !== 'params' && !DROPPED.has(k)) out[k] = v;
  return [parsed.params as never, out as O];
}
