// The piecewise-linear activation layers: Hardtanh (and ReLU6, a Hardtanh in PyTorch too),
// Hardswish, Hardsigmoid, Threshold, Softshrink, Hardshrink. The functions in
// ../functional/activations-piecewise.ts hold the math and PyTorch's gradients at the kinks.
import { notInplace, num, opt, optional, type PosOrOpts, req, signature } from '../../signature/signature.js';
import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/activations-piecewise.js';
import { warnOnce } from '../functional/warn-once.js';
import { Module } from '../module.js';
import type { InplaceOptions } from './activations.js';
import { pyFloat } from './conv-repr.js';

// PyTorch 1.13's signatures (inspect.signature of torch.nn.Hardtanh, …).
const HARDTANH = signature('Hardtanh', [
  opt('minVal', num),
  opt('maxVal', num),
  opt('inplace', notInplace),
  // Deprecated aliases PyTorch still takes (with a warning).
  opt('minValue', optional(num)),
  opt('maxValue', optional(num)),
]);
const RELU6 = signature('ReLU6', [opt('inplace', notInplace)]);
const HARDSWISH = signature('Hardswish', [opt('inplace', notInplace)]);
const HARDSIGMOID = signature('Hardsigmoid', [opt('inplace', notInplace)]);
const THRESHOLD = signature('Threshold', [
  req('threshold', num),
  req('value', num),
  opt('inplace', notInplace),
]);
const SOFTSHRINK = signature('Softshrink', [opt('lambd', num)]);
const HARDSHRINK = signature('Hardshrink', [opt('lambd', num)]);

/** Options of {@link Hardtanh}. */
export interface HardtanhOptions extends InplaceOptions {
  /** Lower bound (default −1). */
  minVal?: number;
  /** Upper bound (default 1); must be above minVal. */
  maxVal?: number;
  /** Deprecated alias of minVal (PyTorch warns). */
  minValue?: number | null;
  /** Deprecated alias of maxVal (PyTorch warns). */
  maxValue?: number | null;
}

/**
 * `torch.nn.Hardtanh`: clamp(x, minVal, maxVal), with zero gradient at and beyond the bounds
 * (as PyTorch). Input of any shape; output of the same shape. Throws when maxVal <= minVal.
 *
 * ```ts
 * const act = new nn.Hardtanh(-2, 2);
 * ```
 */
export class Hardtanh extends Module {
  /** Lower bound of the output. */
  readonly minVal: number;
  /** Upper bound of the output. */
  readonly maxVal: number;

  constructor(
    ...rest: PosOrOpts<
      [minVal: number, maxVal: number, inplace: false, minValue: number | null, maxValue: number | null],
      HardtanhOptions
    >
  ) {
    super();
    const o = HARDTANH.parse<HardtanhOptions>(rest);
    let minVal = o.minVal ?? -1;
    let maxVal = o.maxVal ?? 1;
    if (o.minValue !== undefined && o.minValue !== null) {
      warnOnce('Hardtanh: keyword argument minValue is deprecated and renamed to minVal');
      minVal = o.minValue;
    }
    if (o.maxValue !== undefined && o.maxValue !== null) {
      warnOnce('Hardtanh: keyword argument maxValue is deprecated and renamed to maxVal');
      maxVal = o.maxValue;
    }
    if (!(maxVal > minVal))
      throw new Error(`Hardtanh: maxVal (${maxVal}) must be greater than minVal (${minVal})`);
    this.minVal = minVal;
    this.maxVal = maxVal;
  }

  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}`;
  }
}

/** `torch.nn.ReLU6`: min(max(0, x), 6), a {@link Hardtanh} on [0, 6] as in PyTorch. */
export class ReLU6 extends Hardtanh {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super(0, 6);
    RELU6.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.relu6(input);
  }

  override extraRepr(): string {
    return '';
  }
}

/** `torch.nn.Hardswish`: x·relu6(x + 3)/6 (MobileNetV3), elementwise. */
export class Hardswish extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    HARDSWISH.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.hardswish(input);
  }
}

/** `torch.nn.Hardsigmoid`: relu6(x + 3)/6, elementwise. */
export class Hardsigmoid extends Module {
  constructor(...rest: PosOrOpts<[inplace: false], InplaceOptions>) {
    super();
    HARDSIGMOID.parse(rest);
  }

  override forward(input: Tensor): Tensor {
    return F.hardsigmoid(input);
  }
}

/** Options of {@link Threshold}. */
export interface ThresholdOptions extends InplaceOptions {
  /** Values at or below it are replaced (required). */
  threshold?: number;
  /** The replacement (required). */
  value?: number;
}

/**
 * `torch.nn.Threshold`: x where x > threshold, else `value` (both required, as in PyTorch).
 * Input of any shape; output of the same shape.
 *
 * ```ts
 * const act = new nn.Threshold(0.1, 20);
 * ```
 */
export class Threshold extends Module {
  /** Values at or below it are replaced by {@link value}. */
  readonly threshold: number;
  /** What replaces the values at or below {@link threshold}. */
  readonly value: number;

  constructor(threshold: number, value: number, ...rest: PosOrOpts<[inplace: false], InplaceOptions>);
  constructor(options: ThresholdOptions);
  constructor(...args: unknown[]) {
    super();
    const o = THRESHOLD.parse<{ threshold: number; value: number }>(args);
    this.threshold = o.threshold;
    this.value = o.value;
  }

  override forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value);
  }

  override extraRepr(): string {
    return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}`;
  }
}

/** `torch.nn.Softshrink`: x − λ above λ, x + λ below −λ, 0 in between (λ = `lambd`, default 0.5, >= 0). */
export class Softshrink extends Module {
  /** The λ of the shrinkage. */
  readonly lambd: number;

  constructor(...rest: PosOrOpts<[lambd: number], { lambd?: number }>) {
    super();
    this.lambd = SOFTSHRINK.parse<{ lambd?: number }>(rest).lambd ?? 0.5;
  }

  override forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }

  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** `torch.nn.Hardshrink`: x outside [−λ, λ], 0 inside (λ = `lambd`, default 0.5). */
export class Hardshrink extends Module {
  /** The λ of the shrinkage. */
  readonly lambd: number;

  constructor(...rest: PosOrOpts<[lambd: number], { lambd?: number }>) {
    super();
    this.lambd = HARDSHRINK.parse<{ lambd?: number }>(rest).lambd ?? 0.5;
  }

  override forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }

  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}
