import { full, nn, optim, randn, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../../pytorch/expect-close.js';
import { formulaInit, PORT_FIXTURE, sums, waveTensor } from '../../pytorch/formula.js';
import { Discriminator, Generator, main, run } from './main.js';

const shapes = (m: Generator | Discriminator) =>
  Object.entries(m.stateDict()).map(([k, v]) => `${k} [${v.shape.join(', ')}]`);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("PyTorch's dcgan example, ported", () => {
  it("builds PyTorch's Generator and Discriminator (nz 16, ngf = ndf = 8, one channel)", () => {
    const g = new Generator(1, 16, 8, 1);
    const d = new Discriminator(1, 1, 8);
    // From /usr/bin/python3 on examples/dcgan/main.py's classes with the same sizes.
    expect(shapes(g)).toHaveLength(25);
    expect(shapes(g).filter((s) => s.includes('weight ['))).toEqual([
      'main.0.weight [16, 64, 4, 4]',
      'main.1.weight [64]',
      'main.3.weight [64, 32, 4, 4]',
      'main.4.weight [32]',
      'main.6.weight [32, 16, 4, 4]',
      'main.7.weight [16]',
      'main.9.weight [16, 8, 4, 4]',
      'main.10.weight [8]',
      'main.12.weight [8, 1, 4, 4]',
    ]);
    expect(shapes(d)).toHaveLength(20);
    expect(shapes(d).at(-1)).toBe('main.11.weight [1, 64, 4, 4]');
    const img = g.forward(randn(2, 16, 1, 1));
    expect(img.shape).toEqual([2, 1, 64, 64]);
    expect(d.forward(img).shape).toEqual([2]);
  });

  it('trains D and G in turns: D tells real from fake better after a few iterations', async () => {
    const r = await run({ fast: true });
    expect(r.lossD).toHaveLength(8);
    expect(r.trainSize).toBe(128);
    for (const v of [...r.lossD, ...r.lossG]) expect(Number.isFinite(v)).toBe(true);
    expect(mean(r.lossD.slice(-3))).toBeLessThan(mean(r.lossD.slice(0, 3)));
    expect(mean(r.dX.slice(-3))).toBeGreaterThan(mean(r.dX.slice(0, 3)));
  });

  it('says which data sets are not available here', () => {
    expect(() => main(['--dataset', 'lsun', '--dataroot', 'x'])).toThrow(
      /dataset 'lsun' is not available here/,
    );
    expect(() => main(['--dataset', 'mnist'])).toThrow(/`dataroot` parameter is required/);
  });

  it("computes what PyTorch's DCGAN computes: same weights, batch and noise, two iterations of the loop", () => {
    const fx = PORT_FIXTURE.dcgan;
    const nz = 8;
    const netG = new Generator(1, nz, 4, 1);
    const netD = new Discriminator(1, 1, 4);
    formulaInit(netG);
    formulaInit(netD);
    const criterion = new nn.BCELoss();
    const optimizerD = new optim.Adam(netD.parameters(), { lr: 0.0002, betas: [0.5, 0.999] });
    const optimizerG = new optim.Adam(netG.parameters(), { lr: 0.0002, betas: [0.5, 0.999] });
    const real_cpu = waveTensor([4, 1, 64, 64], 0.4);
    const noise = waveTensor([4, nz, 1, 1], 0.8);
    const rows: number[][] = [];
    for (let it = 0; it < 2; it++) {
      tidy(() => {
        netD.zeroGrad();
        const label = full([4], 1, { dtype: real_cpu.dtype });
        let output = netD.forward(real_cpu);
        const errD_real = criterion.forward(output, label);
        errD_real.backward();
        const D_x = output.mean().item();
        const fake = netG.forward(noise);
        label.fill_(0);
        output = netD.forward(fake.detach());
        const errD_fake = criterion.forward(output, label);
        errD_fake.backward();
        const D_G_z1 = output.mean().item();
        const errD = errD_real.add(errD_fake);
        optimizerD.step();
        netG.zeroGrad();
        label.fill_(1);
        output = netD.forward(fake);
        const errG = criterion.forward(output, label);
        errG.backward();
        const D_G_z2 = output.mean().item();
        optimizerG.step();
        rows.push([errD.item(), errG.item(), D_x, D_G_z1, D_G_z2]);
      });
    }
    expectClose(rows.flat(), fx.rows.flat(), 1e-4, 'Loss_D, Loss_G, D(x), D(G(z)) of each iteration');
    expectClose(
      sums((netG.main.children()[0] as nn.ConvTranspose2d).weight),
      fx.netG0,
      1e-4,
      'netG main.0.weight sums',
    );
    expectClose(
      (netD.main.children()[3] as nn.BatchNorm2d).running_var!.toArray() as number[],
      fx.netDbn,
      1e-4,
      'netD main.3.running_var',
    );
  });
});
