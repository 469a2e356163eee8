// An adapter that lets a recurrent layer sit in a Sequential: RNN, LSTM and GRU return
// PyTorch's tuple ([output, h] or [output, [h, c]]), which the next layer cannot take.
import { bool, opt, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module } from '../module.js';
import { RecurrentBase } from './recurrent-base.js';

/** RecurrentOutput(rnn, returnSequences = true): ours (no PyTorch counterpart), Keras's return_sequences. */
const RECURRENT_OUTPUT = signature('RecurrentOutput', [
  req('rnn', (v) => (v instanceof RecurrentBase ? null : 'an nn.RNN, nn.LSTM or nn.GRU')),
  opt('returnSequences', bool),
]);

/** Options of {@link RecurrentOutput}. */
export interface RecurrentOutputOptions {
  /**
   * true (default): the output at every step, the tensor PyTorch's layer returns first
   * (`[B, T, D·H]` with batchFirst, else `[T, B, D·H]`; a PackedSequence stays packed).
   * false: only the last step's features `[B, D·H]` (Keras's `return_sequences=False`): the
   * final hidden state of the last layer, both directions concatenated (forward's last step,
   * backward's first, as Keras's Bidirectional gives), each sequence's own end when packed.
   */
  returnSequences?: boolean;
}

/**
 * Wraps an `RNN`, `LSTM` or `GRU` so that its forward returns one tensor, for use inside
 * `nn.Sequential`. The wrapped layer keeps PyTorch's defaults and return value; its
 * parameters appear under `rnn.` (`0.rnn.weight_ih_l0` inside a Sequential).
 *
 * ```ts
 * const model = new nn.Sequential(
 *   new nn.Embedding(1000, 32),
 *   new nn.RecurrentOutput(new nn.LSTM(32, 64, { batchFirst: true }), { returnSequences: false }),
 *   new nn.Linear(64, 2),
 * ); // [B, T] token ids -> [B, 2]
 * ```
 */
export class RecurrentOutput extends Module {
  /** The wrapped recurrent layer (its parameters are registered under `rnn.`). */
  readonly rnn: RecurrentBase;
  /** Return the output at every step (true) or only the last step's features (false). */
  readonly returnSequences: boolean;

  constructor(rnn: RecurrentBase, ...rest: PosOrOpts<[returnSequences: boolean], RecurrentOutputOptions>) {
    super();
    const o = RECURRENT_OUTPUT.parse<{ rnn: RecurrentBase; returnSequences?: boolean }>([rnn, ...rest]);
    this.rnn = o.rnn;
    this.returnSequences = o.returnSequences ?? true;
  }

  override forward(input: Tensor, state?: unknown): Tensor {
    const [output, finalState] = (this.rnn.forward as (x: unknown, s?: unknown) => [Tensor, unknown])(
      input,
      state,
    );
    if (this.returnSequences) return output;
    // h: [L·D, B, H] (or [L·D, H] unbatched); an LSTM's state is [h, c].
    const h = (Array.isArray(finalState) ? finalState[0] : finalState) as Tensor;
    const D = this.rnn.bidirectional ? 2 : 1;
    const last = h.narrow(0, h.shape[0] - D, D); // the last layer's directions
    if (last.ndim === 2) return last.reshape([-1]); // unbatched: [D·H]
    return last.permute(1, 0, 2).reshape([last.shape[1], -1]); // [B, D·H]
  }

  override extraRepr(): string {
    return `returnSequences=${this.returnSequences}`;
  }
}
