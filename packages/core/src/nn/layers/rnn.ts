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

const RNN_SIG = recurrentSignature('RNN');

/** Options of {@link RNN}. */
export interface RNNOptions extends RecurrentOptions {
  /** Activation of the recurrence (default 'tanh'). */
  nonlinearity?: 'tanh' | 'relu';
}

/**
 * `torch.nn.RNN`: Elman RNN, hₜ = act(W_ih·xₜ + b_ih + W_hh·hₜ₋₁ + b_hh), with PyTorch's parameters
 * (`weight_ih_l0` `[H, I]`, `weight_hh_l0` `[H, H]`, `bias_ih_l0`, `bias_hh_l0`, `…_reverse`).
 * `forward(input, h0?)` takes `[T, B, I]` (`[B, T, I]` with batchFirst, or unbatched `[T, I]`)
 * and returns `[output [T, B, D·H], hN [numLayers·D, B, H]]`.
 *
 * ```ts
 * const rnn = new nn.RNN(10, 20, { numLayers: 2 });
 * const [out, hN] = rnn.forward(x); // x [T, B, 10]
 * ```
 */
export class RNN extends RecurrentBase {
  /** Activation of the recurrence. */
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PosOrOpts<[numLayers: number, nonlinearity: 'tanh' | 'relu', ...RecurrentRest], RNNOptions>
  ) {
    const opts = RNN_SIG.parse<RNNOptions & RecurrentSizes>([inputSize, hiddenSize, ...rest]);
    const nl = opts.nonlinearity ?? 'tanh';
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', opts.inputSize, opts.hiddenSize, opts);
    this.nonlinearity = nl;
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
