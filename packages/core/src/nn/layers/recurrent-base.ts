// PyTorch's RNNBase: the parameters (weight_ih_l0, …, _reverse), their init, the layer and
// direction loop, batch-first/unbatched handling and dropout between layers.
import { cat, stack } from '../../ops/join.js';
import {
  bool,
  int,
  num,
  oneOf,
  opt,
  req,
  type Signature,
  signature,
  str,
  unsupported,
} from '../../signature/signature.js';
import { fromArray, zeros } from '../../tensor/creation.js';
import { fmtShape, shapesEqual } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { readLengths } from '../functional/host-ints.js';
import { dropout } from '../functional/layers.js';
import { GATES, type RecurrentMode, type RecurrentWeights, recurrentLayer } from '../functional/recurrent.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { packedToPadded, paddedToPacked } from '../utils/packed-positions.js';
import { PackedSequence } from '../utils/rnn.js';
import { pyBool } from './conv-repr.js';
import { empty } from './empty.js';

// PyTorch's documented parameter order of RNNBase (RNN inserts nonlinearity after numLayers).
const RECURRENT_TAIL = [
  opt('bias', bool),
  opt('batchFirst', bool),
  opt('dropout', num),
  opt('bidirectional', bool),
  unsupported('projSize', 'LSTM projections are not implemented'),
  opt('device', str),
  opt('dtype', oneOf('float32', 'float64')),
];
const RECURRENT_HEAD = [req('inputSize', int), req('hiddenSize', int), opt('numLayers', int)];

/** Declares the signature of a recurrent layer. */
export function recurrentSignature(name: 'RNN' | 'LSTM' | 'GRU'): Signature {
  const extra = name === 'RNN' ? [opt('nonlinearity', oneOf('tanh', 'relu'))] : [];
  return signature(name, [...RECURRENT_HEAD, ...extra, ...RECURRENT_TAIL]);
}

/** The required sizes, which may also come by name in the options object. */
export interface RecurrentSizes {
  inputSize: number;
  hiddenSize: number;
}

/** The optional positionals after numLayers, in PyTorch's order. */
export type RecurrentRest = [
  bias: boolean,
  batchFirst: boolean,
  dropout: number,
  bidirectional: boolean,
  projSize: 0,
  device: string,
  dtype: 'float32' | 'float64',
];

/** Options shared by {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's keyword arguments). */
export interface RecurrentOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Input and output are `[B, T, ·]` instead of `[T, B, ·]` (default false; states are unaffected). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training (default 0). */
  dropout?: number;
  /** Also run each layer backwards in time; outputs are concatenated (default false). */
  bidirectional?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/**
 * Base of the recurrent layers. Parameters are registered per layer and direction in
 * PyTorch's order (`weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`, then the
 * same with `_reverse`), so PyTorch state dicts load unchanged: PyTorch's `torch.nn.RNNBase`.
 * The constructor throws unless hiddenSize and numLayers are positive integers (inputSize a
 * non-negative one) and dropout is in [0, 1].
 */
export abstract class RecurrentBase extends Module {
  /** Features of each input step. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Number of stacked layers. */
  readonly numLayers: number;
  /** Whether the layers learn `bias_ih` and `bias_hh`. */
  readonly bias: boolean;
  /** Input and output are `[B, T, ·]` instead of `[T, B, ·]` (states are unaffected). */
  readonly batchFirst: boolean;
  /** Dropout probability on the outputs of every layer but the last, in training. */
  readonly dropout: number;
  /** Whether each layer also runs backwards in time (D = 2). */
  readonly bidirectional: boolean;
  /** @internal */
  declare readonly _mode: RecurrentMode;

  protected constructor(mode: RecurrentMode, inputSize: number, hiddenSize: number, opts: RecurrentOptions) {
    super();
    Object.defineProperty(this, '_mode', { value: mode, enumerable: false });
    const name = this.constructor.name;
    for (const [n, v] of [
      ['inputSize', inputSize],
      ['hiddenSize', hiddenSize],
      ['numLayers', opts.numLayers ?? 1],
    ] as const) {
      if (!Number.isInteger(v) || v < (n === 'inputSize' ? 0 : 1)) {
        throw new Error(`${name}: ${n} must be a positive integer, got ${v}`);
      }
    }
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1)) throw new Error(`${name}: dropout must be a number in [0, 1], got ${p}`);
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = p;
    this.bidirectional = opts.bidirectional ?? false;
    const G = GATES[mode] * hiddenSize;
    const D = this.bidirectional ? 2 : 1;
    const t = { dtype: opts.dtype, device: opts.device };
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inSize = layer === 0 ? inputSize : hiddenSize * D;
      for (let d = 0; d < D; d++) {
        const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        this.registerParameter(`weight_ih${sfx}`, Parameter._adopt(empty([G, inSize], t)));
        this.registerParameter(`weight_hh${sfx}`, Parameter._adopt(empty([G, hiddenSize], t)));
        if (this.bias) {
          this.registerParameter(`bias_ih${sfx}`, Parameter._adopt(empty([G], t)));
          this.registerParameter(`bias_hh${sfx}`, Parameter._adopt(empty([G], t)));
        }
      }
    }
    this.resetParameters();
  }

  /** PyTorch's init: every weight and bias from U(-1/√hiddenSize, 1/√hiddenSize). */
  resetParameters(): void {
    const k = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const p of this.parameters(false)) p.uniform_(-k, k);
  }

  /** @internal The weights of `layer`, direction `d` (1 = reverse). */
  _weights(layer: number, d: number): RecurrentWeights {
    const sfx = `_l${layer}${d === 1 ? '_reverse' : ''}`;
    const self = this as unknown as Record<string, Tensor | null | undefined>;
    return {
      weightIh: self[`weight_ih${sfx}`] as Tensor,
      weightHh: self[`weight_hh${sfx}`] as Tensor,
      biasIh: self[`bias_ih${sfx}`] ?? null,
      biasHh: self[`bias_hh${sfx}`] ?? null,
    };
  }

  /** @internal Checks the input and an initial state; returns [batched input [T, B, I], unbatched]. */
  protected _prepare(input: Tensor): [Tensor, boolean] {
    const name = this.constructor.name;
    if (input?.ndim !== 2 && input?.ndim !== 3) {
      throw new Error(
        `${name}: expected input of 2 (unbatched [T, ${this.inputSize}]) or 3 dims, got ${fmtShape(input?.shape ?? [])}`,
      );
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new Error(
        `${name}: input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${input.shape[input.ndim - 1]} (input ${fmtShape(input.shape)})`,
      );
    }
    const T = input.ndim === 3 && this.batchFirst ? input.shape[1] : input.shape[0];
    if (T === 0) {
      throw new Error(
        `${name}: expected sequence length to be larger than 0 (input ${fmtShape(input.shape)}${this.batchFirst ? ', batchFirst' : ''})`,
      );
    }
    if (input.ndim === 2) return [input.unsqueeze(1), true];
    return [this.batchFirst ? input.transpose(0, 1) : input, false];
  }

  /** @internal The initial state `[L·D, B, H]` (zeros when not given), checked and batched. */
  protected _state(what: string, s: Tensor | null | undefined, x: Tensor, unbatched: boolean): Tensor {
    const D = this.bidirectional ? 2 : 1;
    const expected = [this.numLayers * D, x.shape[1], this.hiddenSize];
    if (s === null || s === undefined) return zeros(expected, { dtype: x.dtype, device: x.device });
    const batched = unbatched ? (s.ndim === 2 ? s.unsqueeze(1) : s) : s;
    if (!shapesEqual(batched.shape, expected) || (unbatched && s.ndim !== 2)) {
      const want = unbatched ? [expected[0], expected[2]] : expected;
      throw new Error(
        `${this.constructor.name}: expected ${what} of shape ${fmtShape(want)}, got ${fmtShape(s.shape)}`,
      );
    }
    return batched;
  }

  /**
   * Runs every layer and direction. `h0`/`c0` are `[L·D, B, H]`; returns the last layer's
   * output `[T, B, D·H]` (not yet batch-first) and the final states `[L·D, B, H]`.
   */
  protected _run(
    x: Tensor,
    h0: Tensor,
    c0: Tensor | null,
    active: readonly (Tensor | null)[] | null = null,
  ): [Tensor, Tensor, Tensor | null] {
    const D = this.bidirectional ? 2 : 1;
    const h0s = h0.split(1, 0);
    const c0s = c0 ? c0.split(1, 0) : null;
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    let layerInput = x;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const i = layer * D + d;
        const r = recurrentLayer(
          this._mode,
          layerInput,
          this._weights(layer, d),
          h0s[i].squeeze(0),
          c0s ? c0s[i].squeeze(0) : null,
          d === 1,
          active,
        );
        outs.push(r.output);
        hs.push(r.h);
        if (r.c) cs.push(r.c);
      }
      layerInput = D === 1 ? outs[0] : cat(outs, -1);
      if (this.dropout > 0 && this.training && layer < this.numLayers - 1) {
        layerInput = dropout(layerInput, this.dropout);
      }
    }
    return [layerInput, stack(hs, 0), c0 ? stack(cs, 0) : null];
  }

  /**
   * @internal Runs a packed batch (PyTorch's packed path): the steps a sequence does not have
   * leave its state unchanged, so each final state is taken at the sequence's own end. Initial
   * states come in the caller's batch order (`[L·D, B, H]`, permuted by `sortedIndices` as
   * PyTorch's), final states go back to it; the output is packed like the input.
   */
  protected _runPacked(
    p: PackedSequence,
    h0: Tensor | null | undefined,
    c0: Tensor | null | undefined,
    lstm: boolean,
  ): [PackedSequence, Tensor, Tensor | null] {
    const name = this.constructor.name;
    if (p.data.ndim !== 2 || p.data.shape[1] !== this.inputSize) {
      throw new Error(
        `${name}: packed data must be [sum(lengths), ${this.inputSize}], got ${fmtShape(p.data.shape)}`,
      );
    }
    const bs = readLengths(name, p.batchSizes, 'batchSizes');
    const B = bs[0] ?? 0;
    const x = packedToPadded(p.data, bs, bs.length);
    const active = bs.map((n) =>
      n === B
        ? null
        : fromArray(
            name,
            Uint8Array.from({ length: B }, (_, b) => (b < n ? 1 : 0)),
            [B, 1],
            'bool',
            {
              device: p.data.device,
            },
          ),
    );
    const sorted = (s: Tensor | null | undefined, what: string): Tensor | null => {
      if (s === null || s === undefined) return null;
      if (s.ndim !== 3)
        throw new Error(
          `${name}: with a PackedSequence, ${what} must be 3-D [L·D, B, H], got ${fmtShape(s.shape)}`,
        );
      return p.sortedIndices ? s.indexSelect(1, p.sortedIndices) : s;
    };
    const h = this._state(lstm ? 'hx[0]' : 'hx', sorted(h0, 'hx'), x, false);
    const c = lstm ? this._state('hx[1]', sorted(c0, 'hx[1]'), x, false) : null;
    const [out, hN, cN] = this._run(x, h, c, active);
    const back = (s: Tensor) => (p.unsortedIndices ? s.indexSelect(1, p.unsortedIndices) : s);
    const packed = new PackedSequence(
      paddedToPacked(out, bs),
      p.batchSizes,
      p.sortedIndices,
      p.unsortedIndices,
    );
    return [packed, back(hN), cN ? back(cN) : null];
  }

  /** @internal Undoes the batching of `_prepare` on an output `[T, B, ·]`. */
  protected _finishOutput(out: Tensor, unbatched: boolean): Tensor {
    if (unbatched) return out.squeeze(1);
    return this.batchFirst ? out.transpose(0, 1) : out;
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += `, bias=${pyBool(this.bias)}`;
    if (this.batchFirst) s += `, batch_first=${pyBool(this.batchFirst)}`;
    if (this.dropout !== 0) s += `, dropout=${this.dropout}`;
    if (this.bidirectional) s += `, bidirectional=${pyBool(this.bidirectional)}`;
    return s;
  }
}
