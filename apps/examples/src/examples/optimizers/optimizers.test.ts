import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('optimizers', () => {
  it('momentum and the adaptive methods get further than plain SGD in the same steps', async () => {
    const r = await run({ fast: true });
    const last = (name: string) => r[name].at(-1)!;
    for (const losses of Object.values(r)) expect(losses.at(-1)!).toBeLessThan(losses[0]);
    expect(last('SGD + momentum 0.9')).toBeLessThan(last('SGD'));
    expect(last('Adam')).toBeLessThan(last('SGD'));
    expect(last('RMSprop')).toBeLessThan(last('SGD'));
  });
});
