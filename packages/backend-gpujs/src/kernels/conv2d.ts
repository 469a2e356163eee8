import { type Conv2dParams, conv2dGeometry } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { coordHelper, type Helper } from '../lang.js';

/** Coordinate helpers c0..c3 of the flat output index over a 4-D shape. */
function coords(dims: readonly number[]): Helper[] {
  return [0, 1, 2, 3].map((d) => coordHelper(`c${d}`, dims, d));
}

const COORDS =
  'var c0 = c0(this.thread.x); var c1 = c1(this.thread.x); var c2 = c2(this.thread.x); var c3 = c3(this.thread.x);';

const pkey = (p: Conv2dParams) => `${p.stride}:${p.padding}:${p.dilation}:${p.groups}`;

/**
 * Direct convolution: output (n, o, oh, ow) loops over its group's Cg channels and the kH×kW
 * taps, skipping taps in the zero padding. Index math is float (exact: operands < 2^24).
 */
export function conv2dSpec(
  xShape: readonly number[],
  wShape: readonly number[],
  p: Conv2dParams,
): KernelSpec {
  const g = conv2dGeometry(xShape, wShape, p);
  const { C, H, W, kH, kW, Cg, Og } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  return {
    sized: true,
    key: `conv2d:[${xShape}]:[${wShape}]:${pkey(p)}`,
    source: `function (x, w) {
  ${COORDS}
  var grp = Math.floor((c1 + 0.5) / ${Og});
  var xb = (c0 * ${C} + grp * ${Cg}) * ${H * W};
  var wb = c1 * ${Cg * kH * kW};
  var s = 0.0;
  for (var c = 0; c < ${Cg}; c++) {
    for (var ki = 0; ki < ${kH}; ki++) {
      var h = c2 * ${sH} - ${pH} + ki * ${dH};
      if (h >= 0 && h < ${H}) {
        for (var kj = 0; kj < ${kW}; kj++) {
          var ww = c3 * ${sW} - ${pW} + kj * ${dW};
          if (ww >= 0 && ww < ${W}) {
            s += x[xb + c * ${H * W} + h * ${W} + ww] * w[wb + (c * ${kH} + ki) * ${kW} + kj];
          }
        }
      }
    }
  }
  return s;
}`,
    helpers: coords([g.N, g.O, g.oH, g.oW]),
  };
}

/**
 * Gradient w.r.t. the input: dx(n, c, h, w) sums dy(n, o, oh, ow)·w(o, c', ki, kj) over the
 * group's filters and the taps with h = oh·sH − pH + ki·dH (oh integral and in range).
 */
export function conv2dBackwardInputSpec(
  xShape: readonly number[],
  wShape: readonly number[],
  p: Conv2dParams,
): KernelSpec {
  const g = conv2dGeometry(xShape, wShape, p);
  const { O, kH, kW, oH, oW, Cg, Og } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  return {
    sized: true,
    key: `conv2dBackwardInput:[${xShape}]:[${wShape}]:${pkey(p)}`,
    source: `function (dy, w) {
  ${COORDS}
  var grp = Math.floor((c1 + 0.5) / ${Cg});
  var cc = c1 - grp * ${Cg};
  var s = 0.0;
  for (var og = 0; og < ${Og}; og++) {
    var o = grp * ${Og} + og;
    for (var ki = 0; ki < ${kH}; ki++) {
      var th = c2 + ${pH} - ki * ${dH};
      var oh = Math.floor((th + 0.5) / ${sH});
      if (th >= 0 && oh * ${sH} === th && oh < ${oH}) {
        for (var kj = 0; kj < ${kW}; kj++) {
          var tw = c3 + ${pW} - kj * ${dW};
          var ow = Math.floor((tw + 0.5) / ${sW});
          if (tw >= 0 && ow * ${sW} === tw && ow < ${oW}) {
            s += dy[((c0 * ${O} + o) * ${oH} + oh) * ${oW} + ow] * w[((o * ${Cg} + cc) * ${kH} + ki) * ${kW} + kj];
          }
        }
      }
    }
  }
  return s;
}`,
    helpers: coords(xShape),
  };
}

/** Gradient w.r.t. the weight: dw(o, c', ki, kj) sums dy·x over images and output positions. */
export function conv2dBackwardFilterSpec(
  xShape: readonly number[],
  wShape: readonly number[],
  p: Conv2dParams,
): KernelSpec {
  const g = conv2dGeometry(xShape, wShape, p);
  const { N, C, H, W, O, oH, oW, Cg, Og } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  return {
    sized: true,
    key: `conv2dBackwardFilter:[${xShape}]:[${wShape}]:${pkey(p)}`,
    source: `function (x, dy) {
  ${COORDS}
  var grp = Math.floor((c0 + 0.5) / ${Og});
  var s = 0.0;
  for (var n = 0; n < ${N}; n++) {
    var xb = (n * ${C} + grp * ${Cg} + c1) * ${H * W};
    var db = (n * ${O} + c0) * ${oH * oW};
    for (var oh = 0; oh < ${oH}; oh++) {
      var h = oh * ${sH} - ${pH} + c2 * ${dH};
      if (h >= 0 && h < ${H}) {
        for (var ow = 0; ow < ${oW}; ow++) {
          var ww = ow * ${sW} - ${pW} + c3 * ${dW};
          if (ww >= 0 && ww < ${W}) {
            s += dy[db + oh * ${oW} + ow] * x[xb + h * ${W} + ww];
          }
        }
      }
    }
  }
  return s;
}`,
    helpers: coords(wShape),
  };
}
