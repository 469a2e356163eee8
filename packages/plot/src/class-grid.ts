import { type nn, noGrad, type Tensor, tensor, tidy } from '@proj/core';

/** A 2-D point with its class, as {@link decisionBoundary} plots it. */
export interface LabelledPoint {
  /** The first coordinate. */
  x: number;
  /** The second coordinate. */
  y: number;
  /** The point's class index. */
  label: number;
}

/** The rows of `[n, 2]` inputs and their `[n]` labels as points. */
export function pointsOf(x: Tensor, labels: Tensor): LabelledPoint[] {
  const xs = x.toArray() as number[][];
  const ys = labels.toArray() as number[];
  return xs.map(([a, b], i) => ({ x: a, y: b, label: Number(ys[i]) }));
}

/**
 * The class a 2-D classifier predicts at the cell centres of a `steps` x `steps` grid covering the
 * points (with a margin): one logit column means a binary model (class 1 where logit > 0),
 * several mean argmax. Returns the cells and their size, ready for `decisionBoundary`.
 */
export function classGrid(
  model: nn.Module,
  points: readonly LabelledPoint[],
  steps = 60,
): {
  /** One cell per grid position: its lower-left corner and the class predicted at its centre. */
  grid: {
    /** The cell's left edge. */
    x: number;
    /** The cell's bottom edge. */
    y: number;
    /** The class predicted at the cell's centre. */
    class: number;
  }[];
  /** The cells' side length (the same on both axes). */
  step: number;
} {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
  const step = (Math.max(x1 - x0, y1 - y0) + 2 * pad) / steps;
  const cells: number[][] = [];
  for (let i = 0; i < steps; i++)
    for (let j = 0; j < steps; j++) cells.push([x0 - pad + i * step, y0 - pad + j * step]);
  const wasTraining = model.training;
  model.eval();
  const classes = tidy(() =>
    noGrad(() => {
      // Predict at cell centres.
      const out = model.forward(tensor(cells).add(step / 2));
      const pred = out.shape[1] === 1 ? out.reshape(-1).gt(0).int() : out.argmax(1);
      return pred.toArray() as number[];
    }),
  );
  model.train(wasTraining);
  return { grid: cells.map(([x, y], k) => ({ x, y, class: Number(classes[k]) })), step };
}
