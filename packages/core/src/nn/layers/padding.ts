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
  protected readonly mode = 'constant';

  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${pyFloat(this.value)}`;
  }
}

/**
 * Pads the last dim with `value`: padding `p` or `[left, right]`.
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

/** Pads the last two dims with `value`: `p` or `[left, right, top, bottom]`. */
export class ConstantPad2d extends ConstantPadNd {
  constructor(padding: Padding, value: number);
  constructor(options: { padding: Padding; value: number });
  constructor(...args: unknown[]) {
    // ZeroPad2d is a ConstantPad2d (as in PyTorch) with its own signature.
    super(new.target === ZeroPad2d ? 'ZeroPad2d' : 'ConstantPad2d', 2, args);
  }
}

/** Pads the last three dims with `value`: `p` or `[left, right, top, bottom, front, back]`. */
export class ConstantPad3d extends ConstantPadNd {
  constructor(padding: Padding, value: number);
  constructor(options: { padding: Padding; value: number });
  constructor(...args: unknown[]) {
    // ZeroPad3d is a ConstantPad3d (as in PyTorch) with its own signature.
    super(new.target === ZeroPad3d ? 'ZeroPad3d' : 'ConstantPad3d', 3, args);
  }
}

/** Zero padding of the last dim (PyTorch >= 2.1's ZeroPad1d). */
export class ZeroPad1d extends ConstantPad1d {
  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    // Parsed against ZeroPadNd's own signature in ConstantPadNd's constructor (new.target).
    super(...(args as [Padding, number]));
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/**
 * Zero padding of the last two dims.
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

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Zero padding of the last three dims (PyTorch >= 2.1's ZeroPad3d). */
export class ZeroPad3d extends ConstantPad3d {
  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    // Parsed against ZeroPadNd's own signature in ConstantPadNd's constructor (new.target).
    super(...(args as [Padding, number]));
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Reflection padding (the edge not repeated) of [C, L] or [N, C, L] input. */
export class ReflectionPad1d extends PadNd {
  protected readonly mode = 'reflect';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReflectionPad1d', 1, args);
  }
}

/**
 * Reflection padding of [C, H, W] or [N, C, H, W] input.
 *
 * ```ts
 * new nn.ReflectionPad2d(1).forward(x); // [N, C, H, W] -> [N, C, H + 2, W + 2]
 * ```
 */
export class ReflectionPad2d extends PadNd {
  protected readonly mode = 'reflect';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReflectionPad2d', 2, args);
  }
}

/** Reflection padding of [C, D, H, W] or [N, C, D, H, W] input. */
export class ReflectionPad3d extends PadNd {
  protected readonly mode = 'reflect';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReflectionPad3d', 3, args);
  }
}

/** Replication padding (the edge repeated) of [C, L] or [N, C, L] input. */
export class ReplicationPad1d extends PadNd {
  protected readonly mode = 'replicate';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReplicationPad1d', 1, args);
  }
}

/** Replication padding of [C, H, W] or [N, C, H, W] input. */
export class ReplicationPad2d extends PadNd {
  protected readonly mode = 'replicate';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReplicationPad2d', 2, args);
  }
}

/** Replication padding of [C, D, H, W] or [N, C, D, H, W] input. */
export class ReplicationPad3d extends PadNd {
  protected readonly mode = 'replicate';

  constructor(padding: Padding);
  constructor(options: { padding: Padding });
  constructor(...args: unknown[]) {
    super('ReplicationPad3d', 3, args);
  }
}
