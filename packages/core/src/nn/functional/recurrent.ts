// The recurrences of RNN (tanh/relu), LSTM and GRU over one layer and direction. The input
// projection of every time step is one matmul; the loop over time does only the hidden matmul.
// Everything is built from differentiable tensor ops, so autograd needs nothing extra.
import { where } from '../../ops/binary.js';
import { stack } from '../../ops/join.js';
import type { Tensor } from '../../tensor/tensor.js';
import { linear } from './layers.js';
import { lstmCellUpdate } from './lstm-cell.js';

/** Which recurrence a layer runs (PyTorch's RNN modes). */
export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** Number of stacked gates in the weights of each mode (`weight_ih` is `[gates·H, input]`). */
export const GATES: Record<RecurrentMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** The weights of one layer and direction, in PyTorch's layouts. */
export interface RecurrentWeights {
  /** `[gates·H, input]` */
  weightIh: Tensor;
  /** `[gates·H, H]` */
  weightHh: Tensor;
  /** `[gates·H]` or null */
  biasIh: Tensor | null;
  /** `[gates·H]` or null */
  biasHh: Tensor | null;
}

/** What {@link recurrentLayer} returns: the outputs of every step and the final states. */
export interface RecurrentLayerResult {
  /** `[T, B, H]`, step t at index t for either direction. */
  output: Tensor;
  /** `[B, H]` after the last step processed. */
  h: Tensor;
  /** `[B, H]` LSTM cell state after the last step; null for the other modes. */
  c: Tensor | null;
}

/**
 * One step of a recurrence: `gx` is the input projection `[B, gates·H]` (with b_ih, and b_hh
 * too except for GRU), `h` (and `c` for LSTM) the state `[B, H]`, `whhT` the transposed
 * `weight_hh`. Returns the next `[h, c]` (c null except for LSTM). Gate order is PyTorch's:
 * LSTM i, f, g, o; GRU r, z, n with n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)).
 */
export function recurrentStep(
  mode: RecurrentMode,
  gx: Tensor,
  h: Tensor,
  c: Tensor | null,
  whhT: Tensor,
  biasHh: Tensor | null,
): [Tensor, Tensor | null] {
  if (mode === 'RNN_TANH' || mode === 'RNN_RELU') {
    const pre = gx.add(h.matmul(whhT));
    return [mode === 'RNN_TANH' ? pre.tanh() : pre.relu(), null];
  }
  if (mode === 'LSTM') return lstmCellUpdate(gx.add(h.matmul(whhT)), c!);
  let gh = h.matmul(whhT);
  if (biasHh) gh = gh.add(biasHh);
  const [xr, xz, xn] = gx.chunk(3, -1);
  const [hr, hz, hn] = gh.chunk(3, -1);
  const r = xr.add(hr).sigmoid();
  const z = xz.add(hz).sigmoid();
  const n = xn.add(r.mul(hn)).tanh();
  return [n.add(z.mul(h.sub(n))), null];
}

/**
 * The input projection of a recurrence, `x·W_ihᵀ + b` `[..., gates·H]`: b is b_ih + b_hh,
 * except for GRU whose b_hh stays inside the hidden term (r gates it).
 */
export function inputProjection(mode: RecurrentMode, input: Tensor, w: RecurrentWeights): Tensor {
  let b = w.biasIh;
  if (mode !== 'GRU' && w.biasHh) b = b ? b.add(w.biasHh) : w.biasHh;
  return linear(input, w.weightIh, b);
}

/**
 * Runs one recurrent layer in one direction over `input` `[T, B, I]` from `h0` (and `c0` for
 * LSTM), each `[B, H]`. Gate order is PyTorch's: LSTM i, f, g, o; GRU r, z, n with
 * n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)).
 *
 * `active` (packed sequences) gives, per time step, a bool `[B, 1]` mask of the sequences that
 * have that step (null: all of them): the others keep their state, so the final state of each
 * sequence is its state at its own last step (forward) or first step (reverse), as PyTorch's
 * packed recurrences. Outputs at inactive steps are unspecified.
 */
export function recurrentLayer(
  mode: RecurrentMode,
  input: Tensor,
  w: RecurrentWeights,
  h0: Tensor,
  c0: Tensor | null = null,
  reverse = false,
  active: readonly (Tensor | null)[] | null = null,
): RecurrentLayerResult {
  const T = input.shape[0];
  // Input projection of all steps at once.
  const xp = inputProjection(mode, input, w);
  // One split: its parts share one grouped backward, so the gradient is joined once.
  const step = xp.shape.slice(1);
  const xs = T > 0 ? xp.split(1, 0).map((s) => s.reshape(step)) : [];
  const whhT = w.weightHh.t();
  const outs: Tensor[] = new Array(T);
  let h = h0;
  let c = c0;
  for (let i = 0; i < T; i++) {
    const t = reverse ? T - 1 - i : i;
    const [h2, c2] = recurrentStep(mode, xs[t], h, c, whhT, w.biasHh);
    const mask = active?.[t] ?? null;
    h = mask ? where(mask, h2, h) : h2;
    c = c2 && mask ? where(mask, c2, c!) : c2;
    outs[t] = h;
  }
  const output = T > 0 ? stack(outs, 0) : xp.narrow(-1, 0, h0.shape[h0.ndim - 1]);
  return { output, h, c: mode === 'LSTM' ? c : null };
}
