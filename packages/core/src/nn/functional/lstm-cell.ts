// One LSTM cell update, c' = σ(f)·c + σ(i)·tanh(g), h' = σ(o)·tanh(c'), fused where the backend
// has the kernels (one pass forward and one backward instead of ~15 small ops and ~30
// gradient ops per time step), composed from tensor ops everywhere else. The fused kernels
// round every intermediate as the composite ops do, so both give the same numbers.

import { isGradEnabled } from '../../autograd/grad-mode.js';
import { recordMulti } from '../../autograd/node.js';
import { add, mul, sub } from '../../ops/binary.js';
import { cat } from '../../ops/join.js';
import { wrap } from '../../ops/util.js';
import { zerosLike } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/** The cell update from tensor ops (every backend; under createGraph its gradient is differentiable). */
function composite(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [gi, gf, gg, go] = gates.chunk(4, -1);
  const c2 = gf.sigmoid().mul(c).add(gi.sigmoid().mul(gg.tanh()));
  return [go.sigmoid().mul(c2.tanh()), c2];
}

/**
 * The gradient of the cell from tensor ops, the formulas (and the rounding order) of the
 * composite's autograd: used under createGraph, where the gradient itself must be recorded.
 */
function compositeBackward(gates: Tensor, c: Tensor, dh: Tensor | null, dc: Tensor | null): [Tensor, Tensor] {
  const [gi, gf, gg, go] = gates.chunk(4, -1);
  const [i, f, g, o] = [gi.sigmoid(), gf.sigmoid(), gg.tanh(), go.sigmoid()];
  const c2 = add(mul(f, c), mul(i, g));
  const t = c2.tanh();
  // sigmoid's and tanh's gradients as ops/unary.ts writes them
  const sigmoidGrad = (d: Tensor, y: Tensor) => mul(d, mul(y, sub(1, y)));
  const tanhGrad = (d: Tensor, y: Tensor) => mul(d, sub(1, mul(y, y)));
  let dcTotal = dc;
  // a gate no gradient reached gets +0 (as the composite's chunk backward fills it)
  let dgo = zerosLike(go);
  if (dh !== null) {
    const fromH = tanhGrad(mul(dh, o), t);
    dcTotal = dcTotal === null ? fromH : add(dcTotal, fromH);
    dgo = sigmoidGrad(mul(dh, t), o);
  }
  if (dcTotal === null) return [zerosLike(gates), zerosLike(c)];
  const d = dcTotal;
  const dGates = cat([sigmoidGrad(mul(d, g), i), sigmoidGrad(mul(d, c), f), tanhGrad(mul(d, i), g), dgo], -1);
  return [dGates, mul(d, f)];
}

/**
 * One LSTM cell update from the pre-activations `gates` [B, 4H] (i, f, g, o; the input and
 * hidden projections summed) and the cell state `c` [B, H]: returns `[h', c']`.
 */
export function lstmCellUpdate(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const b = gates._backend;
  const fused =
    b.lstmCell !== undefined &&
    b.lstmCellBackward !== undefined &&
    c._backend === b &&
    gates.dtype === 'float32' &&
    c.dtype === 'float32' &&
    gates.ndim === 2 &&
    c.ndim === 2 &&
    gates.shape[0] === c.shape[0] &&
    gates.shape[1] === 4 * c.shape[1];
  if (!fused) return composite(gates, c);
  const [B, H] = c.shape;
  const [hh, ch, wh] = b.lstmCell!(gates, c);
  const h2 = wrap(gates, hh, c.shape, c.dtype);
  const c2 = wrap(gates, ch, c.shape, c.dtype);
  const ws = wrap(gates, wh, [B, 5 * H], 'float32');
  recordMulti(
    'LstmCellBackward',
    [h2, c2],
    [gates, c],
    ([dh, dc]) => {
      // under createGraph the gradient must itself be recorded: the composite formulas
      if (isGradEnabled()) return compositeBackward(gates, c, dh, dc);
      if (dh === null && dc === null) return [zerosLike(gates), zerosLike(c)];
      const [dg, dcPrev] = b.lstmCellBackward!(ws, c, dh, dc);
      return [wrap(gates, dg, gates.shape, gates.dtype), wrap(gates, dcPrev, c.shape, c.dtype)];
    },
    [gates, c, ws],
  );
  // not recorded (no input requires grad, or no grad mode): nothing will read the workspace
  if (h2.gradFn === null) ws.dispose();
  return [h2, c2];
}
