// A GAN on a 2-D circle: the generator turns Gaussian noise into points, the discriminator
// tells them from real points on the unit circle, and the two are trained in alternating
// steps with BCEWithLogitsLoss. The generator never sees a real point, only the
// discriminator's gradient, yet its samples move onto the circle (their radius approaches 1).
import {
  Generator,
  manualSeed,
  nn,
  noGrad,
  ones,
  optim,
  rand,
  randn,
  stack,
  type Tensor,
  tidy,
  zeros,
} from '@proj/core';
import '@proj/backend-cpu';
import { lineChart, scatterChart, sideBySide } from '@proj/plot';
import { writeSvg } from '../../out.js';

const NOISE = 4;

/** `n` points on the unit circle with a little radial noise. */
function circle(n: number, gen: Generator): Tensor {
  const angle = rand([n], { generator: gen }).mul(2 * Math.PI);
  const r = randn([n], { generator: gen }).mul(0.03).add(1);
  return stack([angle.cos().mul(r), angle.sin().mul(r)], 1);
}

const radius = (p: Tensor) => p.pow(2).sum(1).sqrt();

/** What the example demonstrates. */
export interface GanResult {
  /** Mean and spread of the generated points' distance from the origin, before and after training. */
  radiusBefore: number;
  radiusAfter: number;
  radiusStdAfter: number;
  /** Fraction of 8 equal angular sectors holding at least 5% of the generated points (1 = no mode collapse). */
  coverage: number;
  /** Mean radius of a batch of generated points every 50 steps. */
  radiusCurve: number[];
  /** The picture written to out/ (none in the fast run). */
  plot: string | null;
}

/** Trains the GAN and measures where the generated points lie. */
export async function run(opts: { fast: boolean }): Promise<GanResult> {
  manualSeed(0);
  const gen = new Generator(5);
  const G = new nn.Sequential(
    new nn.Linear(NOISE, 32),
    new nn.ReLU(),
    new nn.Linear(32, 32),
    new nn.ReLU(),
    new nn.Linear(32, 2),
  );
  const D = new nn.Sequential(
    new nn.Linear(2, 32),
    new nn.LeakyReLU(0.2),
    new nn.Linear(32, 32),
    new nn.LeakyReLU(0.2),
    new nn.Linear(32, 1),
  );
  const optG = new optim.Adam(G.parameters(), { lr: 2e-3, betas: [0.5, 0.999] });
  const optD = new optim.Adam(D.parameters(), { lr: 2e-3, betas: [0.5, 0.999] });
  const bce = new nn.BCEWithLogitsLoss();
  const batch = 64;
  const real1 = ones([batch, 1]);
  const fake0 = zeros([batch, 1]);
  const sample = (n: number) => noGrad(() => G.forward(randn([n, NOISE], { generator: gen })));

  const radiusBefore = tidy(() => radius(sample(1000)).mean().item());
  const radiusCurve: number[] = [];
  const steps = opts.fast ? 800 : 3000;
  for (let step = 0; step < steps; step++) {
    tidy(() => {
      // 1. Discriminator: real points → 1, generated points → 0 (detach: G is not updated here).
      const fake = G.forward(randn([batch, NOISE], { generator: gen }));
      optD.zeroGrad();
      const lossD = bce
        .forward(D.forward(circle(batch, gen)), real1)
        .add(bce.forward(D.forward(fake.detach()), fake0));
      lossD.backward();
      optD.step();
      // 2. Generator: make D call its points real (the non-saturating GAN loss).
      optG.zeroGrad();
      const lossG = bce.forward(D.forward(fake), real1);
      lossG.backward();
      optG.step();
      if (step % 50 === 0) radiusCurve.push(radius(fake.detach()).mean().item());
    });
  }

  const fake = sample(1000);
  const r = radius(fake);
  const points = fake.toArray() as number[][];
  const angles = points.map(([x, y]) => Math.atan2(y, x) + Math.PI);
  const sectors = new Array<number>(8).fill(0);
  for (const a of angles) sectors[Math.min(7, Math.floor((a / (2 * Math.PI)) * 8))]++;
  const coverage = sectors.filter((c) => c >= 0.05 * angles.length).length / 8;
  const real = circle(500, gen).toArray() as number[][];
  const shown = points.slice(0, 500);
  const plot = opts.fast
    ? null
    : await writeSvg(
        'gan.svg',
        sideBySide(
          [
            scatterChart(
              [
                { name: 'real', x: real.map((p) => p[0]), y: real.map((p) => p[1]) },
                { name: 'generated', x: shown.map((p) => p[0]), y: shown.map((p) => p[1]) },
              ],
              { title: 'Real vs generated points', width: 320, height: 320 },
            ),
            lineChart(
              [
                {
                  name: 'mean radius of generated points',
                  x: radiusCurve.map((_, i) => i * 50),
                  y: radiusCurve,
                },
              ],
              {
                title: 'Generated radius during training (target 1)',
                xTitle: 'step',
                yTitle: 'mean radius',
                width: 320,
                height: 320,
              },
            ),
          ],
          'GAN on a 2-D circle',
        ),
      );
  const result: GanResult = {
    radiusBefore,
    radiusAfter: r.mean().item(),
    radiusStdAfter: r.std().item(),
    coverage,
    radiusCurve,
    plot,
  };
  report(result);
  return result;
}

/** Prints what the example shows. */
function report(r: GanResult): void {
  console.log('GAN on the unit circle:');
  console.log(
    `  mean radius of generated points: ${r.radiusBefore.toFixed(3)} before, ${r.radiusAfter.toFixed(3)} after (target 1)`,
  );
  console.log(`  radius spread after training: ${r.radiusStdAfter.toFixed(3)}`);
  console.log(`  angular sectors covered: ${(r.coverage * 8).toFixed(0)} of 8`);
  if (r.plot) console.log(`  wrote ${r.plot}`);
}

/** Runs the example from the command line (`--fast` for the reduced run). */
export async function main(): Promise<void> {
  await run({ fast: process.argv.includes('--fast') });
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await main();
