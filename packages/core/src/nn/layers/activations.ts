import type { Tensor } from '../../tensor/tensor.js';
import * as F from '../functional/activations.js';
import { Module } from '../module.js';

/** max(0, x). */
export class ReLU extends Module {
  override forward(input: Tensor): Tensor {
    return F.relu(input);
  }
}

/** x for x > 0, `negativeSlope·x` otherwise. */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

/** x for x > 0, `alpha·(exp(x) - 1)` otherwise. */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** x·Φ(x), exact (default) or with the tanh approximation. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(opts: F.GeluOptions = {}) {
    super();
    this.approximate = opts.approximate ?? 'none';
  }

  override forward(input: Tensor): Tensor {
    return F.gelu(input, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·sigmoid(x) (Swish). */
export class SiLU extends Module {
  override forward(input: Tensor): Tensor {
    return F.silu(input);
  }
}

/** x·tanh(softplus(x)). */
export class Mish extends Module {
  override forward(input: Tensor): Tensor {
    return F.mish(input);
  }
}

/** 1 / (1 + exp(-x)). */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** log(1 + exp(βx))/β, linear where βx > threshold. */
export class Softplus extends Module {
  constructor(
    readonly beta = 1,
    readonly threshold = 20,
  ) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Softmax along `dim` (default -1; PyTorch requires it, we default to the last dim). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Log-softmax along `dim` (default -1). */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Heaviside step: 1 where x > 0, else 0; zero gradient. */
export class Step extends Module {
  override forward(input: Tensor): Tensor {
    return F.step(input);
  }
}
