// Activation functions and their derivatives. The derivatives are not written by hand: we run
// the function on a grid of x values with requiresGrad, call backward on the sum, and read
// x.grad — autograd gives d/dx f(x) at every point at once (the outputs are independent).
// Writes every pair of curves to out/activations.svg.
import { linspace, nn, type Tensor } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart, type Series } from '@proj/plot';
import { writeSvg } from '../../out.js';

/** The activations shown, as nn modules. */
export const ACTIVATIONS: Record<string, () => nn.Module> = {
  Sigmoid: () => new nn.Sigmoid(),
  Tanh: () => new nn.Tanh(),
  ReLU: () => new nn.ReLU(),
  LeakyReLU: () => new nn.LeakyReLU(0.1),
  ELU: () => new nn.ELU(),
  GELU: () => new nn.GELU(),
  SiLU: () => new nn.SiLU(),
  Mish: () => new nn.Mish(),
  Softplus: () => new nn.Softplus(),
  Step: () => new nn.Step(),
};

/** f(x) and f'(x) on the grid `x`. */
export interface Curve {
  x: number[];
  f: number[];
  df: number[];
}

/** Evaluates an activation and its autograd derivative on `points` values in [-4, 4]. */
export function curveOf(act: nn.Module, points: number): Curve {
  const x = linspace(-4, 4, points).requiresGrad_(true);
  const y = act.forward(x) as Tensor;
  y.sum().backward(); // d(sum f(x_i))/dx_i = f'(x_i)
  return { x: x.toArray() as number[], f: y.toArray() as number[], df: x.grad!.toArray() as number[] };
}

export async function run(opts: { fast: boolean }): Promise<Record<string, Curve>> {
  const points = opts.fast ? 41 : 161;
  const curves: Record<string, Curve> = {};
  for (const [name, make] of Object.entries(ACTIVATIONS)) {
    const c = (curves[name] = curveOf(make(), points));
    const at = (v: number) => c.x.findIndex((xi) => Math.abs(xi - v) < 1e-6);
    const [i0, i2] = [at(0), at(2)];
    console.log(
      `${name.padEnd(9)} f(0)=${c.f[i0].toFixed(3)} f'(0)=${c.df[i0].toFixed(3)}   f(2)=${c.f[i2].toFixed(3)} f'(2)=${c.df[i2].toFixed(3)}`,
    );
  }
  console.log("Sigmoid and Tanh saturate (f' -> 0 for large |x|: vanishing gradients); ReLU's f' is 0 or 1.");
  if (!opts.fast) {
    const series: Series[] = Object.entries(curves).flatMap(([name, c]) => [
      { name: `${name}/f(x)`, x: c.x, y: c.f },
      { name: `${name}/f'(x) (autograd)`, x: c.x, y: c.df },
    ]);
    const spec = lineChart(series, {
      title: 'Activation functions and their derivatives',
      facet: true,
      width: 220,
      height: 140,
    });
    console.log(`wrote ${await writeSvg('activations.svg', spec)}`);
  }
  return curves;
}
