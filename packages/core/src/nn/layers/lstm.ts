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

const LSTM_SIG = recurrentSignature('LSTM');

/**
 * `torch.nn.LSTM`: long short-term memory with PyTorch's parameters and gate order i, f, g, o
 * (`weight_ih_l0` `[4H, I]`, `weight_hh_l0` `[4H, H]`, `bias_ih_l0`, `bias_hh_l0`, `…_reverse`).
 * `forward(input, [h0, c0]?)` takes `[T, B, I]` (`[B, T, I]` with batchFirst, or unbatched
 * `[T, I]`) and returns `[output [T, B, D·H], [hN, cN]]`, states `[numLayers·D, B, H]`.
 *
 * ```ts
 * const lstm = new nn.LSTM(10, 20, { numLayers: 2, batchFirst: true, bidirectional: true });
 * const [out, [hN, cN]] = lstm.forward(x); // x [B, T, 10] -> out [B, T, 40]
 * ```
 */
export class LSTM extends RecurrentBase {
  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PosOrOpts<[numLayers: number, ...RecurrentRest], RecurrentOptions>
  ) {
    const opts = LSTM_SIG.parse<RecurrentOptions & RecurrentSizes>([inputSize, hiddenSize, ...rest]);
    super('LSTM', opts.inputSize, opts.hiddenSize, opts);
  }

  /**
   * Runs the sequence `input` `(L, N, inputSize)` (`(N, L, inputSize)` with batchFirst, or
   * unbatched `(L, inputSize)`) from `[h0, c0]`, each `(D·numLayers, N, hiddenSize)` (zeros when
   * omitted); returns `[output (L, N, D·hiddenSize), [hN, cN]]`, D = 2 when bidirectional.
   * Throws for a wrong input size, a state that is not a pair, or wrong state shapes.
   */
  override forward(input: Tensor, state?: [Tensor, Tensor] | null): [Tensor, [Tensor, Tensor]];
  /** Runs a {@link PackedSequence} (variable lengths); the output is packed the same way. */
  override forward(
    input: PackedSequence,
    state?: [Tensor, Tensor] | null,
  ): [PackedSequence, [Tensor, Tensor]];
  override forward(
    input: Tensor | PackedSequence,
    state: [Tensor, Tensor] | null = null,
  ): [Tensor | PackedSequence, [Tensor, Tensor]] {
    if (state !== null && !(Array.isArray(state) && state.length === 2)) {
      throw new Error('LSTM: the initial state must be a pair [h0, c0]');
    }
    if (input instanceof PackedSequence) {
      const [out, hN, cN] = this._runPacked(input, state?.[0], state?.[1], true);
      return [out, [hN, cN!]];
    }
    const [x, unbatched] = this._prepare(input);
    const h0 = this._state('hx[0]', state?.[0], x, unbatched);
    const c0 = this._state('hx[1]', state?.[1], x, unbatched);
    const [out, hN, cN] = this._run(x, h0, c0);
    const fin = (s: Tensor) => (unbatched ? s.squeeze(1) : s);
    return [this._finishOutput(out, unbatched), [fin(hN), fin(cN!)]];
  }
}
