// Why initialisation matters: push a batch of standard-normal inputs through a stack of 10
// Linear layers (no training) and watch the standard deviation of the activations per layer.
// Too-small weights make the signal vanish, too-large ones saturate tanh or blow up ReLU.
// Xavier (Glorot, var 1/fan) suits tanh; under ReLU, which zeroes half the signal, it loses a
// factor √2 of std per layer. Kaiming (He, var 2/fan) puts that factor back: constant scale.
// Writes the curves to out/weight-init.svg.
import { manualSeed, nn, noGrad, randn, type Tensor } from '@proj/core';
import '@proj/backend-cpu';
import { lineChart, type Series } from '@proj/plot';
import { writeSvg } from '../../out.js';

export const DEPTH = 10;

/** The initialisations compared, each filling a Linear weight in place. */
export const INITS: Record<string, (w: Tensor) => void> = {
  'too small N(0, 0.01)': (w) => nn.init.normal_(w, 0, 0.01),
  'too large N(0, 1)': (w) => nn.init.normal_(w, 0, 1),
  xavier: (w) => nn.init.xavierNormal_(w),
  kaiming: (w) => nn.init.kaimingNormal_(w, 0, 'fanIn', 'relu'),
};

/** The std of the activations after each of the DEPTH layers, by activation and init. */
export type InitResult = Record<'tanh' | 'relu', Record<string, number[]>>;

/** Runs `x` through DEPTH Linear(width, width) + activation layers initialised by `init`. */
export function activationStds(
  act: 'tanh' | 'relu',
  init: (w: Tensor) => void,
  width: number,
  batch: number,
): number[] {
  manualSeed(0);
  return noGrad(() => {
    let h = randn([batch, width]);
    const stds: number[] = [];
    for (let layer = 0; layer < DEPTH; layer++) {
      const linear = new nn.Linear(width, width);
      init(linear.weight);
      nn.init.zeros_(linear.bias!);
      const z = linear.forward(h);
      h = act === 'tanh' ? z.tanh() : z.relu();
      stds.push(h.std().item() as number);
    }
    return stds;
  });
}

export async function run(opts: { fast: boolean }): Promise<InitResult> {
  const [width, batch] = opts.fast ? [64, 128] : [256, 512];
  const result = { tanh: {}, relu: {} } as InitResult;
  for (const act of ['tanh', 'relu'] as const) {
    console.log(`${act} stack, std of activations at layers 1 .. ${DEPTH}:`);
    for (const [name, init] of Object.entries(INITS)) {
      const stds = (result[act][name] = activationStds(act, init, width, batch));
      console.log(`  ${name.padEnd(21)} ${stds.map((s) => s.toExponential(1).padStart(8)).join('')}`);
    }
  }
  if (!opts.fast) {
    const series: Series[] = Object.entries(result).flatMap(([act, byInit]) =>
      Object.entries(byInit).map(([name, stds]) => ({
        name: `${act} stack/${name}`,
        y: stds,
        x: stds.map((_, i) => i + 1),
      })),
    );
    const spec = lineChart(series, {
      title: 'Std of activations per layer',
      xTitle: 'layer',
      yTitle: 'std',
      logY: true,
      facet: true,
      integerX: true,
    });
    console.log(`wrote ${await writeSvg('weight-init.svg', spec)}`);
  }
  return result;
}
