import { describe, expect, it } from 'vitest';
import { DEPTH, run } from './main.js';

describe('weight-init', () => {
  it('shows vanishing, saturating and exploding activations, and the inits that avoid them', async () => {
    const { tanh, relu } = await run({ fast: true });
    const last = (s: number[]) => s[DEPTH - 1];
    expect(last(tanh['too small N(0, 0.01)'])).toBeLessThan(1e-4); // vanishes
    expect(last(tanh['too large N(0, 1)'])).toBeGreaterThan(0.9); // saturated at ±1
    expect(last(tanh.xavier)).toBeGreaterThan(0.2);
    expect(last(tanh.xavier)).toBeLessThan(0.9);
    expect(last(relu['too small N(0, 0.01)'])).toBeLessThan(1e-6);
    expect(last(relu['too large N(0, 1)'])).toBeGreaterThan(1e6); // explodes
    expect(last(relu.xavier)).toBeLessThan(0.1 * relu.xavier[0]); // ReLU halves the variance per layer
    // Kaiming keeps the scale within a factor of 2 of the first layer's over all ten layers.
    for (const s of relu.kaiming) expect(s / relu.kaiming[0]).toBeGreaterThan(0.5);
    for (const s of relu.kaiming) expect(s / relu.kaiming[0]).toBeLessThan(2);
  });
});
