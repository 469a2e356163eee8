import { type Conv2dParams, conv2dGeometry } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { coordHelper, type Helper } from '../lang.js';
import type { Split } from '../limits.js';

/**
 * Coordinate helpers c0..c3 of the flat output index over a 4-D shape, and c4, the chunk
 * index, when the outermost loop is split (the output then has `parts` partial sums per
 * element, chunk index fastest).
 */
function coords(dims: readonly number[], split?: Split): Helper[] {
  const all = split ? [...dims, split.parts] : dims;
  return all.map((_, d) => coordHelper(`c${d}`, all, d));
}

const COORDS = (split?: Split) =>
  'var c0 = c0(this.thread.x); var c1 = c1(this.thread.x); var c2 = c2(this.thread.x); var c3 = c3(this.thread.x);' +
  (split ? ' var c4 = c4(this.thread.x);' : '');

/**
 * The head of the outermost loop over `v` < `total`: whole, or with `split` only chunk c4
 * (ends with an open brace either way). Index math is float here, exact below 2^24.
 */
function outer(v: string, total: number, split?: Split): string {
  if (!split) return `for (var ${v} = 0; ${v} < ${total}; ${v}++) {`;
  const L = split.len;
  return `var ${v}len = Math.min(${L}.0, ${total}.0 - c4 * ${L}.0);
  for (var ${v}j = 0; ${v}j < ${L}; ${v}j++) { if (${v}j >= ${v}len) { break; } var ${v} = ${v}j + c4 * ${L}.0;`;
}

/** Loop iterations of a loop nest: `total` outer ones (or a chunk of them), each `per` deep. */
const loopsOf = (total: number, per: number, split?: Split) => (split ? split.len : total) * per;

/** Per outer iteration, the loop iterations of a kH × kW tap nest below it. */
export const tapLoops = (kH: number, kW: number) => 1 + kH * (1 + kW);

const pkey = (p: Conv2dParams) => `${p.stride}:${p.padding}:${p.dilation}:${p.groups}`;

/**
 * Direct convolution: output (n, o, oh, ow) loops over its group's Cg channels and the kH×kW
 * taps, skipping taps in the zero padding. Index math is float (exact: operands < 2^24).
 */
export function conv2dSpec(
  xShape: readonly number[],
  wShape: readonly number[],
  p: Conv2dParams,
  split?: Split,
): KernelSpec {
  const g = conv2dGeometry(xShape, wShape, p);
  const { C, H, W, kH, kW, Cg, Og } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  return {
    sized: true,
    key: `conv2d:[${xShape}]:[${wShape}]:${pkey(p)}:${split ? `${split.parts}x${split.len}` : 1}`,
    source: `function (x, w) {
  ${COORDS(split)}
  var grp = Math.floor((c1 + 0.5) / ${Og});
  var xb = (c0 * ${C} + grp * ${Cg}) * ${H * W};
  var wb = c1 * ${Cg * kH * kW};
  var s = 0.0;
  ${outer('c', Cg, split)}
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
    helpers: coords([g.N, g.O, g.oH, g.oW], split),
    loops: loopsOf(Cg, tapLoops(kH, kW), split),
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
  split?: Split,
): KernelSpec {
  const g = conv2dGeometry(xShape, wShape, p);
  const { O, kH, kW, oH, oW, Cg, Og } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  return {
    sized: true,
    key: `conv2dBackwardInput:[${xShape}]:[${wShape}]:${pkey(p)}:${split ? `${split.parts}x${split.len}` : 1}`,
    source: `function (dy, w) {
  ${COORDS(split)}
  var grp = Math.floor((c1 + 0.5) / ${Cg});
  var cc = c1 - grp * ${Cg};
  var s = 0.0;
  ${outer('og', Og, split)}
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
    helpers: coords(xShape, split),
    loops: loopsOf(Og, tapLoops(kH, kW), split),
  };
}

/** Gradient w.r.t. the weight: dw(o, c', ki, kj) sums dy·x over images and output positions. */
export function conv2dBackwardFilterSpec(
  xShape: readonly number[],
  wShape: readonly number[],
  p: Conv2dParams,
  split?: Split,
): KernelSpec {
  const g = conv2dGeometry(xShape, wShape, p);
  const { N, C, H, W, O, oH, oW, Cg, Og } = g;
  const [sH, sW] = p.stride;
  const [pH, pW] = p.padding;
  const [dH, dW] = p.dilation;
  return {
    sized: true,
    key: `conv2dBackwardFilter:[${xShape}]:[${wShape}]:${pkey(p)}:${split ? `${split.parts}x${split.len}` : 1}`,
    source: `function (x, dy) {
  ${COORDS(split)}
  var grp = Math.floor((c0 + 0.5) / ${Og});
  var s = 0.0;
  ${outer('n', N, split)}
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
    helpers: coords(wShape, split),
    loops: loopsOf(N, tapLoops(oH, oW), split),
  };
}
