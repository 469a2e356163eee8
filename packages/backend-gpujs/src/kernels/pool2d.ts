import { type Pool2dParams, pool2dOutputShape } from '@proj/core';
import type { KernelSpec } from '../context.js';
import { coordHelper } from '../lang.js';
import { tapLoops } from './conv2d.js';
import { isnanf } from './math.js';

const pkey = (p: Pool2dParams) =>
  `${p.kernel}:${p.stride}:${p.padding}:${p.dilation}:${p.ceilMode}:${p.countIncludePad ?? true}`;

/** Plane index (n·C + c), output row and column of the flat output index. */
function coords(shape: readonly number[], p: Pool2dParams) {
  const [, , oH, oW] = pool2dOutputShape(shape, p);
  const dims = [shape[0] * shape[1], oH, oW];
  return [0, 1, 2].map((d) => coordHelper(`c${d}`, dims, d));
}

const COORDS = 'var pl = c0(this.thread.x); var oh = c1(this.thread.x); var ow = c2(this.thread.x);';

/**
 * Max pooling: the values (`indices` false) or, as floats, the flat in-plane index h·W + w of
 * the chosen element (`indices` true). Padding never wins; NaN propagates.
 */
export function maxPool2dSpec(shape: readonly number[], p: Pool2dParams, indices: boolean): KernelSpec {
  const [, , H, W] = shape;
  const [kH, kW] = p.kernel;
  return {
    sized: true,
    key: `maxPool2d:${indices}:[${shape}]:${pkey(p)}`,
    source: `function (x) {
  ${COORDS}
  var m = 0.0;
  var best = -1.0;
  for (var i = 0; i < ${kH}; i++) {
    var h = oh * ${p.stride[0]} - ${p.padding[0]} + i * ${p.dilation[0]};
    if (h >= 0 && h < ${H}) {
      for (var j = 0; j < ${kW}; j++) {
        var w = ow * ${p.stride[1]} - ${p.padding[1]} + j * ${p.dilation[1]};
        if (w >= 0 && w < ${W}) {
          var v = x[pl * ${H * W} + h * ${W} + w];
          if (isnanf(m) < 0.5 && (best < 0.0 || v > m || isnanf(v) > 0.0)) { m = v; best = h * ${W} + w; }
        }
      }
    }
  }
  return ${indices ? 'Math.max(best, 0.0)' : 'm'};
}`,
    helpers: [...coords(shape, p), isnanf],
    loops: tapLoops(kH, kW) - 1,
  };
}

/** Average pooling with PyTorch's divisor rules (countIncludePad, ceil-mode overhang). */
export function avgPool2dSpec(shape: readonly number[], p: Pool2dParams): KernelSpec {
  const [, , H, W] = shape;
  const [kH, kW] = p.kernel;
  const [pH, pW] = p.padding;
  const include = p.countIncludePad ?? true;
  return {
    sized: true,
    key: `avgPool2d:[${shape}]:${pkey(p)}`,
    source: `function (x) {
  ${COORDS}
  var s = 0.0;
  var inside = 0.0;
  var padded = 0.0;
  for (var i = 0; i < ${kH}; i++) {
    var h = oh * ${p.stride[0]} - ${pH} + i * ${p.dilation[0]};
    if (h >= -${pH} && h < ${H + pH}) {
      for (var j = 0; j < ${kW}; j++) {
        var w = ow * ${p.stride[1]} - ${pW} + j * ${p.dilation[1]};
        if (w >= -${pW} && w < ${W + pW}) {
          padded += 1.0;
          if (h >= 0 && h < ${H} && w >= 0 && w < ${W}) { s += x[pl * ${H * W} + h * ${W} + w]; inside += 1.0; }
        }
      }
    }
  }
  var div = ${include ? 'padded' : 'inside'};
  return s / div;
}`,
    helpers: [...coords(shape, p)],
    loops: tapLoops(kH, kW) - 1,
  };
}
