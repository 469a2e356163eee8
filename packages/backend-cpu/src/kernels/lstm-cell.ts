import { alloc } from '../storage.js';

// The LSTM cell in one pass (Backend.lstmCell / lstmCellBackward), float32. Each value is rounded
// to float32 after every step exactly where the composite ops (chunk, sigmoid, tanh, mul, add and
// their gradients in @proj/core) round it, so the fused kernels give the composite's bits while
// skipping its ~45 small ops per time step. Math.fround is called directly (through a variable
// it measured 2.5x slower: V8 no longer inlines it).

/**
 * h', c' [B, H] and the workspace [B, 5H] (per row: σ(i), σ(f), tanh(g), σ(o) and tanh(c'),
 * H each) from gates [B, 4H] (i, f, g, o) and c [B, H]: c' = σ(f)·c + σ(i)·tanh(g),
 * h' = σ(o)·tanh(c'). The backward reads the workspace instead of evaluating the five
 * transcendentals again.
 *
 * @example
 * lstmCellOp(new Float32Array([0, 0, 0, 0]), new Float32Array([1]), 1, 1); // h' = 0.5·tanh(1), c' = 1
 */
export function lstmCellOp(
  gates: Float32Array,
  c: Float32Array,
  B: number,
  H: number,
): [Float32Array, Float32Array, Float32Array] {
  const h2 = alloc('float32', B * H) as Float32Array;
  const c2 = alloc('float32', B * H) as Float32Array;
  const ws = alloc('float32', B * 5 * H) as Float32Array;
  for (let b = 0; b < B; b++) {
    const g0 = b * 4 * H;
    const w0 = b * 5 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      // σ as the backend's sigmoid kernel computes it, then rounded
      const i = Math.fround(1 / (1 + Math.exp(-gates[g0 + j])));
      const f = Math.fround(1 / (1 + Math.exp(-gates[g0 + H + j])));
      const g = Math.fround(Math.tanh(gates[g0 + 2 * H + j]));
      const o = Math.fround(1 / (1 + Math.exp(-gates[g0 + 3 * H + j])));
      const cn = Math.fround(Math.fround(f * c[k]) + Math.fround(i * g));
      const t = Math.fround(Math.tanh(cn));
      c2[k] = cn;
      h2[k] = o * t;
      ws[w0 + j] = i;
      ws[w0 + H + j] = f;
      ws[w0 + 2 * H + j] = g;
      ws[w0 + 3 * H + j] = o;
      ws[w0 + 4 * H + j] = t;
    }
  }
  return [h2, c2, ws];
}

/**
 * The gradient of {@link lstmCellOp}: dGates [B, 4H] and dC [B, H] from its workspace, c and
 * the upstream gradients of h' and c' (null: none reached that output; a gate no gradient
 * reaches gets +0, as the composite's chunk backward fills it). At least one is not null.
 */
export function lstmCellBackwardOp(
  ws: Float32Array,
  c: Float32Array,
  dh: Float32Array | null,
  dc: Float32Array | null,
  B: number,
  H: number,
): [Float32Array, Float32Array] {
  const dGates = alloc('float32', B * 4 * H) as Float32Array;
  const dC = alloc('float32', B * H) as Float32Array;
  for (let b = 0; b < B; b++) {
    const g0 = b * 4 * H;
    const w0 = b * 5 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const i = ws[w0 + j];
      const f = ws[w0 + H + j];
      const g = ws[w0 + 2 * H + j];
      const o = ws[w0 + 3 * H + j];
      let d = 0;
      let dgo = 0;
      if (dh !== null) {
        // h' = o·t: o's gradient dh·t through σ; t's dh·o through tanh, into c'
        const t = ws[w0 + 4 * H + j];
        const fromH = Math.fround(Math.fround(dh[k] * o) * Math.fround(1 - Math.fround(t * t)));
        d = dc === null ? fromH : Math.fround(dc[k] + fromH);
        dgo = Math.fround(Math.fround(dh[k] * t) * Math.fround(o * Math.fround(1 - o)));
      } else if (dc !== null) {
        d = dc[k];
      }
      dGates[g0 + j] = Math.fround(Math.fround(d * g) * Math.fround(i * Math.fround(1 - i)));
      dGates[g0 + H + j] = Math.fround(Math.fround(d * c[k]) * Math.fround(f * Math.fround(1 - f)));
      dGates[g0 + 2 * H + j] = Math.fround(Math.fround(d * i) * Math.fround(1 - Math.fround(g * g)));
      dGates[g0 + 3 * H + j] = dgo;
      dC[k] = d * f;
    }
  }
  return [dGates, dC];
}
