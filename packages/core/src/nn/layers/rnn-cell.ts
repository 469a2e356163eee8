// PyTorch's RNNCell, LSTMCell and GRUCell: one step of a recurrence, with PyTorch's parameters
// (weight_ih [gates·H, I], weight_hh [gates·H, H], bias_ih, bias_hh) and init U(±1/√H).
import {
  bool,
  int,
  oneOf,
  opt,
  type PosOrOpts,
  req,
  type Signature,
  signature,
  str,
} from '../../signature/signature.js';
import { zeros } from '../../tensor/creation.js';
import { fmtShape } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { GATES, inputProjection, type RecurrentMode, recurrentStep } from '../functional/recurrent.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool } from './conv-repr.js';
import { empty } from './empty.js';

const HEAD = [req('inputSize', int), req('hiddenSize', int), opt('bias', bool)];
const TAIL = [opt('device', str), opt('dtype', oneOf('float32', 'float64'))];
const RNN_CELL = signature('RNNCell', [...HEAD, opt('nonlinearity', oneOf('tanh', 'relu')), ...TAIL]);
const LSTM_CELL = signature('LSTMCell', [...HEAD, ...TAIL]);
const GRU_CELL = signature('GRUCell', [...HEAD, ...TAIL]);

/** Options of the cells (PyTorch's keyword arguments). */
export interface RNNCellOptions {
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Dtype of the parameters: `'float32'` (the default) or `'float64'`. */
  dtype?: 'float32' | 'float64';
  /** Backend the parameters are created on (default: the current one, as `setBackend` set it). */
  device?: string;
}

/** Options of {@link RNNCell}. */
export interface RNNCellLayerOptions extends RNNCellOptions {
  /** Activation (default 'tanh'). */
  nonlinearity?: 'tanh' | 'relu';
}

type Sizes = { inputSize: number; hiddenSize: number };
type Rest = [bias: boolean, device: string, dtype: 'float32' | 'float64'];

/**
 * Base of the cells (PyTorch's `torch.nn.RNNCellBase`): parameters, init, input and state
 * checks. G below is the number of gates (1 for RNNCell, 4 for LSTMCell, 3 for GRUCell). The
 * constructor throws unless inputSize is a non-negative and hiddenSize a positive integer;
 * forward throws for input that is not `[B, inputSize]` or `[inputSize]` and for a state of
 * another batch size or hidden size.
 */
export abstract class RNNCellBase extends Module {
  /** Features of the input. */
  readonly inputSize: number;
  /** Features of the hidden state. */
  readonly hiddenSize: number;
  /** Whether the cell learns `bias_ih` and `bias_hh`. */
  readonly bias: boolean;
  /** Input-to-hidden weights `[G·hiddenSize, inputSize]`, the gates stacked in PyTorch's order. */
  declare weight_ih: Parameter;
  /** Hidden-to-hidden weights `[G·hiddenSize, hiddenSize]`. */
  declare weight_hh: Parameter;
  /** Input-to-hidden bias `[G·hiddenSize]`, or null without bias. */
  declare bias_ih: Parameter | null;
  /** Hidden-to-hidden bias `[G·hiddenSize]`, or null without bias. */
  declare bias_hh: Parameter | null;
  /** @internal */
  declare readonly _mode: RecurrentMode;

  /** @internal The subclasses' shared construction: `sig` parses the PyTorch arguments. */
  protected constructor(mode: RecurrentMode, sig: Signature, args: readonly unknown[]) {
    super();
    const o = sig.parse<RNNCellOptions & Sizes>(args);
    const name = sig.owner;
    Object.defineProperty(this, '_mode', { value: mode, enumerable: false });
    if (
      !Number.isInteger(o.inputSize) ||
      o.inputSize < 0 ||
      !Number.isInteger(o.hiddenSize) ||
      o.hiddenSize < 1
    ) {
      throw new Error(
        `${name}: inputSize must be a non-negative and hiddenSize a positive integer, got ${o.inputSize} and ${o.hiddenSize}`,
      );
    }
    this.inputSize = o.inputSize;
    this.hiddenSize = o.hiddenSize;
    this.bias = o.bias ?? true;
    const G = GATES[mode] * o.hiddenSize;
    const t = { dtype: o.dtype, device: o.device };
    this.registerParameter('weight_ih', Parameter._adopt(empty([G, o.inputSize], t)));
    this.registerParameter('weight_hh', Parameter._adopt(empty([G, o.hiddenSize], t)));
    this.registerParameter('bias_ih', this.bias ? Parameter._adopt(empty([G], t)) : null);
    this.registerParameter('bias_hh', this.bias ? Parameter._adopt(empty([G], t)) : null);
    this.resetParameters();
  }

  /** PyTorch's init: every weight and bias from U(-1/√hiddenSize, 1/√hiddenSize). */
  resetParameters(): void {
    const k = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters(false)) p.uniform_(-k, k);
  }

  /** @internal Checks the input; returns it batched `[B, I]` and whether it was unbatched. */
  protected _input(input: Tensor): [Tensor, boolean] {
    const name = this.constructor.name;
    if (input?.ndim !== 1 && input?.ndim !== 2) {
      throw new Error(
        `${name}: Expected input to be 1-D or 2-D but received ${input?.ndim}-D tensor (${fmtShape(input?.shape ?? [])})`,
      );
    }
    if (input.shape[input.ndim - 1] !== this.inputSize) {
      throw new Error(
        `${name}: input has inconsistent input_size: got ${input.shape[input.ndim - 1]} expected ${this.inputSize} (input ${fmtShape(input.shape)})`,
      );
    }
    return input.ndim === 1 ? [input.unsqueeze(0), true] : [input, false];
  }

  /** @internal A state `[B, H]` (zeros when not given), checked against the batched input. */
  protected _hidden(what: string, s: Tensor | null | undefined, x: Tensor, unbatched: boolean): Tensor {
    const name = this.constructor.name;
    if (s === null || s === undefined)
      return zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype, device: x.device });
    if (s.ndim !== (unbatched ? 1 : 2)) {
      throw new Error(
        `${name}: expected ${what} to be ${unbatched ? '1-D for an unbatched' : '2-D for a batched'} input, got ${fmtShape(s.shape)}`,
      );
    }
    const h = unbatched ? s.unsqueeze(0) : s;
    if (h.shape[0] !== x.shape[0]) {
      throw new Error(
        `${name}: Input batch size ${x.shape[0]} doesn't match ${what} batch size ${h.shape[0]}`,
      );
    }
    if (h.shape[1] !== this.hiddenSize) {
      throw new Error(
        `${name}: ${what} has inconsistent hidden_size: got ${h.shape[1]}, expected ${this.hiddenSize}`,
      );
    }
    return h;
  }

  /** @internal One step from batched `x` and state. */
  protected _step(x: Tensor, h: Tensor, c: Tensor | null): [Tensor, Tensor | null] {
    const w = {
      weightIh: this.weight_ih,
      weightHh: this.weight_hh,
      biasIh: this.bias_ih,
      biasHh: this.bias_hh,
    };
    return recurrentStep(
      this._mode,
      inputProjection(this._mode, x, w),
      h,
      c,
      this.weight_hh.t(),
      this.bias_hh,
    );
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += `, bias=${pyBool(this.bias)}`;
    return s;
  }
}

/**
 * `torch.nn.RNNCell`: one Elman RNN step, h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh). `forward(input, hx?)`
 * takes `[B, I]` (or unbatched `[I]`) and `[B, H]` (zeros when not given) and returns h'.
 * `(inputSize, hiddenSize, bias, nonlinearity, device, dtype)` as PyTorch's.
 *
 * ```ts
 * const cell = new nn.RNNCell(10, 20);
 * let h = zeros([3, 20]);
 * for (const x of steps) h = cell.forward(x, h);
 * ```
 */
export class RNNCell extends RNNCellBase {
  /** Activation of the step. */
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(
    inputSize: number,
    hiddenSize: number,
    ...rest: PosOrOpts<
      [bias: boolean, nonlinearity: 'tanh' | 'relu', device: string, dtype: 'float32' | 'float64'],
      RNNCellLayerOptions
    >
  ) {
    const args = [inputSize, hiddenSize, ...rest];
    const nl = RNN_CELL.parse<RNNCellLayerOptions>(args).nonlinearity ?? 'tanh';
    super(nl === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', RNN_CELL, args);
    this.nonlinearity = nl;
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, unbatched] = this._input(input);
    const [h] = this._step(x, this._hidden('hx', hx, x, unbatched), null);
    return unbatched ? h.squeeze(0) : h;
  }

  override extraRepr(): string {
    return super.extraRepr() + (this.nonlinearity !== 'tanh' ? `, nonlinearity=${this.nonlinearity}` : '');
  }
}

/**
 * `torch.nn.LSTMCell`: one LSTM step with PyTorch's gate order i, f, g, o. `forward(input, [h, c]?)` returns
 * `[h', c']` (`[B, H]`, or `[H]` for an unbatched `[I]` input).
 * `(inputSize, hiddenSize, bias, device, dtype)` as PyTorch's.
 */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: PosOrOpts<Rest, RNNCellOptions>) {
    super('LSTM', LSTM_CELL, [inputSize, hiddenSize, ...rest]);
  }

  override forward(input: Tensor, hx: [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    if (hx !== null && !(Array.isArray(hx) && hx.length === 2)) {
      throw new Error('LSTMCell: the state must be a pair [h, c]');
    }
    const [x, unbatched] = this._input(input);
    const h = this._hidden('hx[0]', hx?.[0], x, unbatched);
    const c = this._hidden('hx[1]', hx?.[1], x, unbatched);
    const [h2, c2] = this._step(x, h, c);
    return unbatched ? [h2.squeeze(0), c2!.squeeze(0)] : [h2, c2!];
  }
}

/**
 * `torch.nn.GRUCell`: one GRU step with PyTorch's gate order r, z, n:
 * n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
 * `forward(input, hx?)` returns h'.
 * `(inputSize, hiddenSize, bias, device, dtype)` as PyTorch's.
 */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, ...rest: PosOrOpts<Rest, RNNCellOptions>) {
    super('GRU', GRU_CELL, [inputSize, hiddenSize, ...rest]);
  }

  override forward(input: Tensor, hx: Tensor | null = null): Tensor {
    const [x, unbatched] = this._input(input);
    const [h] = this._step(x, this._hidden('hx', hx, x, unbatched), null);
    return unbatched ? h.squeeze(0) : h;
  }
}
