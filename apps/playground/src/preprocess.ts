// A drawing becomes an MNIST-like image: MNIST's digits were scaled, keeping their aspect, to
// fit a 20x20 box (anti-aliased), then placed in the 28x28 field so that their centre of mass
// lies at pixel (14, 14). The same steps make a canvas drawing look like what the model saw.

/** MNIST's image side and the box its digits were scaled into. */
export const SIDE = 28;
export const BOX = 20;
/** Where MNIST's centres of mass lie (index coordinates; the training images average 14.00, 13.99). */
const CENTRE = 14;
/** Ink darker than this (of 1) does not count for the bounding box: anti-aliasing fringe. */
const INK = 0.1;

/** Bounding box of the ink: first and last column and row, or null when there is none. */
function inkBox(gray: Float32Array, w: number, h: number): [number, number, number, number] | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (gray[y * w + x] > INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : [x0, y0, x1, y1];
}

/**
 * Area weights of resampling `n` source cells onto `m` target cells (m <= n or m > n alike):
 * target cell j covers source [j * n/m, (j+1) * n/m), each source cell weighted by its overlap.
 */
function areaWeights(n: number, m: number): { from: number; w: number[] }[] {
  const step = n / m;
  return Array.from({ length: m }, (_, j) => {
    const a = j * step;
    const b = (j + 1) * step;
    const from = Math.floor(a);
    const w: number[] = [];
    for (let i = from; i < Math.min(n, Math.ceil(b)); i++)
      w.push((Math.min(b, i + 1) - Math.max(a, i)) / step);
    return { from, w };
  });
}

/** Resamples the `cw x ch` crop at (cx, cy) of `gray` to `tw x th`, averaging areas (separably). */
function resample(
  gray: Float32Array,
  w: number,
  [cx, cy, cw, ch]: [number, number, number, number],
  tw: number,
  th: number,
): Float32Array {
  const cols = areaWeights(cw, tw);
  const rows = areaWeights(ch, th);
  const mid = new Float32Array(tw * ch);
  for (let y = 0; y < ch; y++) {
    for (let j = 0; j < tw; j++) {
      let s = 0;
      cols[j].w.forEach((wt, k) => {
        s += wt * gray[(cy + y) * w + cx + cols[j].from + k];
      });
      mid[y * tw + j] = s;
    }
  }
  const out = new Float32Array(tw * th);
  for (let i = 0; i < th; i++) {
    for (let x = 0; x < tw; x++) {
      let s = 0;
      rows[i].w.forEach((wt, k) => {
        s += wt * mid[(rows[i].from + k) * tw + x];
      });
      out[i * tw + x] = s;
    }
  }
  return out;
}

/**
 * Turns a grayscale drawing (`w x h`, ink 1, background 0) into a 28x28 MNIST-like image with
 * values in [0, 1]: the ink's bounding box scaled to fit 20x20 with its aspect kept (area
 * averaging, which anti-aliases as MNIST's scaling did), then shifted so its centre of mass lies
 * at (14, 14). Returns null for a drawing without ink.
 */
export function toMnistImage(gray: Float32Array, w: number, h: number): Float32Array | null {
  if (gray.length !== w * h) throw new Error(`toMnistImage: ${gray.length} values for a ${w}x${h} image`);
  const box = inkBox(gray, w, h);
  if (box === null) return null;
  const [x0, y0, x1, y1] = box;
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  const small = resample(gray, w, [x0, y0, bw, bh], tw, th);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = small[y * tw + x];
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  const ox = Math.round(CENTRE - mx / mass);
  const oy = Math.round(CENTRE - my / mass);
  const out = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const X = x + ox;
      const Y = y + oy;
      if (X >= 0 && X < SIDE && Y >= 0 && Y < SIDE)
        out[Y * SIDE + X] = Math.min(1, Math.max(0, small[y * tw + x]));
    }
  }
  return out;
}
