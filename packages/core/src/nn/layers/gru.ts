import type { PosOrOpts } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { PackedSequence } from '../utils/rnn.js';
import {
  RecurrentBase,
  type RecurrentOptions,
  type RecurrentRest,
  type RecurrentSizes,
  recurrentSignature,
} from './recurrent-base.js';

const GRU_SIG = recurrentSignature('GRU');

/**
 * `torch.nn.GRU`: gated recurrent unit with PyTorch's parameters and gate order r, z, n
 * (`weight_ih_l0` `[3H, I]`, `weight_hh_l0` `[3H, H]`, …): n = tanh(W_in·x + b_in +
 * r ⊙ (W_hn·h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h. `forward(input, h0?)` returns
 * `[output [T, B, D·H], hN [numLayers·D, B, H]]` (batchFirst and unbatched input as PyTorch).
 *
 * ```ts
 * const gru = new nn.GRU(10, 20);
 * const [out, hN] = gru.forward(x, h0);
 * ```
 */
export class GRU extends RecurrentBase {
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PosOrOpts<[numLayers: number, ...RecurrentRest], RecurrentOptions>
  ) {
    const opts = GRU_SIG.parse<RecurrentOptions & RecurrentSizes>([inputSize, hiddenSize, ...rest]);
    super('GRU', opts.inputSize, opts.hiddenSize, opts);
  }

  /**
   * Runs the sequence `input` `(L, N, inputSize)` (`(N, L, inputSize)` with batchFirst, or
   * unbatched `(L, inputSize)`) from `h0` `(D·numLayers, N, hiddenSize)` (zeros when omitted);
   * returns `[output (L, N, D·hiddenSize), hN (D·numLayers, N, hiddenSize)]`, D = 2 when
   * bidirectional. Throws for a wrong input size or h0 shape.
   */
  override forward(input: Tensor, h0?: Tensor | null): [Tensor, Tensor];
  /** Runs a {@link PackedSequence} (variable lengths); the output is packed the same way. */
  override forward(input: PackedSequence, h0?: Tensor | null): [PackedSequence, Tensor];
  override forward(
    input: Tensor | PackedSequence,
    h0: Tensor | null = null,
  ): [Tensor | PackedSequence, Tensor] {
    if (input instanceof PackedSequence) {
      const [out, hN] = this._runPacked(input, h0, null, false);
      return [out, hN];
    }
    const [x, unbatched] = this._prepare(input);
    const h = this._state('hx', h0, x, unbatched);
    const [out, hN] = this._run(x, h, null);
    return [this._finishOutput(out, unbatched), unbatched ? hN.squeeze(1) : hN];
  }
}
