// The padding layers: ZeroPad1d/2d/3d, ConstantPad1d/2d/3d, ReflectionPad1d/2d/3d and
// ReplicationPad1d/2d/3d, over F.pad. One base class holds PyTorch's `_ConstantPadNd` /
// `_ReflectionPadNd` / `_ReplicationPadNd` rules: an int pads every side, a tuple lists
// (left, right[, top, bottom[, front, back]]); reflect and replicate take (batched or not)
// inputs of the matching rank; negative amounts crop, as PyTorch's.
import { intOrTuple, num, req, type Signature, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt } from '../functional/conv-args.js';
import { pad } from '../functional/pad.js';
import { Module } from '../module.js';
import { pyFloat, pyTuple } from './conv-repr.js';

/** One amount for every side, or one per side (left, right, top, bottom, front, back). */
export type Padding = number | readonly number[];

// PyTorch's nn.ConstantPadNd(padding, value), nn.ReflectionPadNd(padding), nn.ReplicationPadNd(padding),
// nn.ZeroPadNd(padding) (ZeroPad1d and ZeroPad3d are PyTorch >= 2.1's; 1.13 has ZeroPad2d only).
const paddingOnly = (owner: string): Signature => signature(owner, [req('padding', intOrTuple)]);
const withValue = (owner: string): Signature =>
  signature(owner, [req('padding', intOrTuple), req('value', num)]);
const SIGNATURES = {
  ZeroPad1d: paddingOnly('ZeroPad1d'),
  ZeroPad2d: paddingOnly('ZeroPad2d'),
  ZeroPad3d: paddingOnly('ZeroPad3d'),
  ConstantPad1d: withValue('ConstantPad1d'),
  ConstantPad2d: withValue('ConstantPad2d'),
  ConstantPad3d: withValue('ConstantPad3d'),
  ReflectionPad1d: paddingOnly('ReflectionPad1d'),
  ReflectionPad2d: paddingOnly('ReflectionPad2d'),
  ReflectionPad3d: paddingOnly('ReflectionPad3d'),
  ReplicationPad1d: paddingOnly('ReplicationPad1d'),
  ReplicationPad2d: paddingOnly('ReplicationPad2d'),
  ReplicationPad3d: paddingOnly('ReplicationPad3d'),
};
type Owner = keyof typeof SIGNATURES;

/** PyTorch's `_ConstantPadNd` / `_ReflectionPadNd` / `_ReplicationPadNd`. */
abstract class PadNd extends Module {
  /** The amounts, two per padded dim, last dim first (F.pad's order). */
  readonly padding: number[];
  /** The fill of constant padding. */
  readonly value: number;
  /** F.pad's mode. */
  protected abstract readonly mode: 'constant' | 'reflect' | 'replicate';

  protected constructor(owner: Owner, dims: number, args: readonly unknown[]) {
    super();
    const o = SIGNATURES[owner].parse<{ padding: Padding; value?: number }>(args);
    const p = typeof o.padding === 'number' ? new Array<number>(2 * dims).fill(o.padding) : [...o.padding];
    if (p.length !== 2 * dims) {
      throw new Error(
        `${owner}: padding must be an integer or ${2 * dims} integers, got ${JSON.stringify(o.padding)}`,
      );
    }
    this.padding = p;
    this.value = o.value ?? 0;
  }

  override forward(input: Tensor): Tensor {
    const name = this.constructor.name;
    const dims = this.padding.length / 2;
    if (this.mode === 'constant') {
      if (input?.ndim < dims) {
        throw new Error(
          `${name}: padding ${pyTuple(this.padding)} covers ${dims} dims but input ${fmt(input.shape)} has ${input.ndim}`,
        );
      }
      return pad(input, this.padding, 'constant', this.value);
    }
    if (input?.ndim !== dims + 1 && input?.ndim !== dims + 2) {
      throw new Error(
        `${name}: expected ${dims + 1}D or ${dims + 2}D (batch mode) input, got ${input?.ndim}D input ${fmt(input?.shape ?? [])}`,
      );
    }
    // Negative amounts crop: pad by the positive ones (reflect/replicate index the original
    // input, as PyTorch's kernels), then narrow the negative ones off.
    let y = pad(
      input,
      this.padding.map((v) => Math.max(v, 0)),
      this.mode,
    );
    for (let i = 0; i < dims; i++) {
      const [before, after] = [this.padding[2 * i], this.padding[2 * i + 1]];
      if (before >= 0 && after >= 0) continue;
      const d = y.ndim - 1 - i;
      const start = Math.max(-before, 0);
      y = y.narrow(d, start, y.shape[d] - start - Math.max(-after, 0));
    }
    return y;
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Pads with a constant `value`. */
abstract class ConstantPadNd extends PadNd {
  /** F.pad's mode: constant padding with {@link value}. */
  protected readonly mode = 'constant';

  /** PyTorch's repr arguments: `padding=(…), value=…`. */
  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${pyFloat(this.value)}`;
  }
}

/**
 * `torch.nn.ConstantPad1d`: pads the last dim with `value`: padding `p` or `[left, right]`
 * (negative amounts crop). Input `(N, C, W_in)` or `(C, W_in)` (any rank >= 1); output
 * W_out = W_in + left + right. Throws for a padding of another length.
 *
 * ```ts
 * new nn.ConstantPad1d([1, 2], 3.5).forward(x); // [N, C, L] -> [N, C, L + 3]
 * ```
 */
export class ConstantPad1d extends ConstantPadNd {
  constructor(padding: Padding, value: number);
  constructor(options: { padding: Padding; value: number });
  constructor(...args: unknown[]) {
    // ZeroPad1d is a ConstantPad1d (as in PyTorch) with its own signature.
    super(new.target === ZeroPad1d ? 'ZeroPad1d' : 'ConstantPad1d', 1, args);
  }
}

/**
 * `torch.nn.ConstantPad2d`: pads the last two dims with `value`: `p` or
 * `[left, right, top, bottom]`; `(N, C, H_in, W_in)` → `(N, C, H_in + top + bottom, W_in + left + right)`.
 */
export class ConstantPad2d extends ConstantPadNd {
  constructor(padding: Padding, value: number);
  constructor(options: { padding: Padding; value: number });
  constructor(...args: unknown[]) {
    // ZeroPad2d is a ConstantPad2d (as in PyTorch) with its own signature.
    super(new.target === ZeroPad2d ? 'ZeroPad2d' : 'ConstantPad2d', 2, args);
  }
}

/**
 * `torch.nn.ConstantPad3d`: pads the last three dims with `value`: `p` or
 * `[left, right, top, bottom, front, back]`; D grows by front + back, H and W as ConstantPad2d's.
 */
export class ConstantPad3d extends ConstantPadNd {
  constructor(padding: Padding, value: number);
  constructor(options: { padding: Padding; value: number });
  constructor(...args: unknown[]) {
    // ZeroPad3d is a ConstantPad3d (as in PyTorch) with its own signature.
    super(new.target === ZeroPad3d ? 'ZeroPad3d' : 'ConstantPad3d', 3, args);
  }
}

/** `torch.nn.ZeroPad1d` (PyTorch >= 2.1): a {@link ConstantPad1d} with value 0. */
export class ZeroPad1d extends ConstantPad1d {
  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    // Parsed against ZeroPadNd's own signature in ConstantPadNd's constructor (new.target).
    super(...(args as [Padding, number]));
  }

  /** PyTorch's repr arguments: the padding tuple. */
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/**
 * `torch.nn.ZeroPad2d`: a {@link ConstantPad2d} with value 0.
 *
 * ```ts
 * new nn.ZeroPad2d([1, 1, 2, 0]).forward(x); // [N, C, H, W] -> [N, C, H + 2, W + 2]
 * ```
 */
export class ZeroPad2d extends ConstantPad2d {
  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    // Parsed against ZeroPadNd's own signature in ConstantPadNd's constructor (new.target).
    super(...(args as [Padding, number]));
  }

  /** PyTorch's repr arguments: the padding tuple. */
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** `torch.nn.ZeroPad3d` (PyTorch >= 2.1): a {@link ConstantPad3d} with value 0. */
export class ZeroPad3d extends ConstantPad3d {
  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    // Parsed against ZeroPadNd's own signature in ConstantPadNd's constructor (new.target).
    super(...(args as [Padding, number]));
  }

  /** PyTorch's repr arguments: the padding tuple. */
  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/**
 * `torch.nn.ReflectionPad1d`: reflection padding (the edge not repeated) of `(C, W_in)` or
 * `(N, C, W_in)` input; W_out = W_in + left + right. Each amount must be smaller than the
 * padded dim; forward throws for input of another rank.
 */
export class ReflectionPad1d extends PadNd {
  /** F.pad's mode: reflection. */
  protected readonly mode = 'reflect';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReflectionPad1d', 1, args);
  }
}

/**
 * `torch.nn.ReflectionPad2d`: reflection padding of `(C, H, W)` or `(N, C, H, W)` input
 * (`[left, right, top, bottom]`); as {@link ReflectionPad1d} otherwise.
 *
 * ```ts
 * new nn.ReflectionPad2d(1).forward(x); // [N, C, H, W] -> [N, C, H + 2, W + 2]
 * ```
 */
export class ReflectionPad2d extends PadNd {
  /** F.pad's mode: reflection. */
  protected readonly mode = 'reflect';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReflectionPad2d', 2, args);
  }
}

/** `torch.nn.ReflectionPad3d`: reflection padding of `(C, D, H, W)` or `(N, C, D, H, W)` input. */
export class ReflectionPad3d extends PadNd {
  /** F.pad's mode: reflection. */
  protected readonly mode = 'reflect';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReflectionPad3d', 3, args);
  }
}

/**
 * `torch.nn.ReplicationPad1d`: replication padding (the edge repeated) of `(C, W_in)` or
 * `(N, C, W_in)` input; W_out = W_in + left + right. Forward throws for input of another rank.
 */
export class ReplicationPad1d extends PadNd {
  /** F.pad's mode: replication. */
  protected readonly mode = 'replicate';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReplicationPad1d', 1, args);
  }
}

/** `torch.nn.ReplicationPad2d`: replication padding of `(C, H, W)` or `(N, C, H, W)` input. */
export class ReplicationPad2d extends PadNd {
  /** F.pad's mode: replication. */
  protected readonly mode = 'replicate';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReplicationPad2d', 2, args);
  }
}

/** `torch.nn.ReplicationPad3d`: replication padding of `(C, D, H, W)` or `(N, C, D, H, W)` input. */
export class ReplicationPad3d extends PadNd {
  /** F.pad's mode: replication. */
  protected readonly mode = 'replicate';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReplicationPad3d', 3, args);
  }
}
