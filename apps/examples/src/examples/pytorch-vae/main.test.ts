import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { optim, tidy } from '@proj/core';
import { describe, expect, it } from 'vitest';
import { OUT_DIR } from '../../out.js';
import { expectClose } from '../../pytorch/expect-close.js';
import { formulaInit, PORT_FIXTURE, sums, waveTensor } from '../../pytorch/formula.js';
import { lossFunction, run, VAE } from './main.js';

describe("PyTorch's vae example, ported", () => {
  it("builds PyTorch's VAE: the same state-dict keys and shapes", () => {
    expect(Object.entries(new VAE().stateDict()).map(([k, v]) => `${k} [${v.shape.join(', ')}]`)).toEqual([
      'fc1.weight [400, 784]',
      'fc1.bias [400]',
      'fc21.weight [20, 400]',
      'fc21.bias [20]',
      'fc22.weight [20, 400]',
      'fc22.bias [20]',
      'fc3.weight [400, 20]',
      'fc3.bias [400]',
      'fc4.weight [784, 400]',
      'fc4.bias [784]',
    ]);
  });

  it('lowers BCE + KLD well below the untrained 784·ln 2 and writes the pictures', async () => {
    const r = await run({ fast: true });
    // Untrained: about 784·ln 2 = 543 per image. PyTorch 1.13 on the same subset: 419 (train), 276 (test).
    expect(r.trainLoss[0]).toBeLessThan(480);
    expect(r.testLoss[0]).toBeLessThan(340);
    expect(r.testLoss[0]).toBeGreaterThan(100);
    expect(existsSync(join(OUT_DIR, 'pytorch-vae', 'results', 'reconstruction_1.png'))).toBe(true);
    expect(existsSync(join(OUT_DIR, 'pytorch-vae', 'results', 'sample_1.png'))).toBe(true);
  });

  it("computes what PyTorch's VAE and loss_function compute: same weights and images, two Adam steps", () => {
    // The reparameterisation noise is left out on both sides (z = mu): its generators differ.
    const fx = PORT_FIXTURE.vae;
    const model = new VAE();
    formulaInit(model);
    const x = waveTensor([4, 1, 28, 28], 0.2, 0.5).add(0.5);
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 2; step++) {
      tidy(() => {
        optimizer.zeroGrad();
        const [mu, logvar] = model.encode(x.view(-1, 784));
        const loss = lossFunction(model.decode(mu), x, mu, logvar);
        loss.backward();
        optimizer.step();
        losses.push(loss.item());
      });
    }
    expectClose(losses, fx.losses, 1e-5, 'losses');
    expectClose(sums(model.fc4.weight), fx.fc4Weight, 1e-4, 'fc4.weight sums');
  });
});
