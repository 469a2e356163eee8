import { describe, expect, it } from 'vitest';
import { DEFAULT_EPOCHS, DEFAULT_LR, parseArgs, runDemo } from './demo.js';

describe('demo', () => {
  it('parses its flags and refuses unknown or malformed ones', () => {
    expect(parseArgs([])).toMatchObject({
      backend: 'cpu',
      model: 'cnn',
      epochs: DEFAULT_EPOCHS.cnn,
      lr: DEFAULT_LR.cnn,
      batchSize: 64,
      fashion: false,
    });
    expect(parseArgs(['--model', 'mlp'])).toMatchObject({
      model: 'mlp',
      epochs: DEFAULT_EPOCHS.mlp,
      lr: DEFAULT_LR.mlp,
    });
    expect(
      parseArgs(['--', '--fashion', '--epochs', '2', '--limit', '100', '--backend', 'onnx']),
    ).toMatchObject({
      fashion: true,
      epochs: 2,
      limit: 100,
      backend: 'onnx',
    });
    expect(() => parseArgs(['--epochs', 'x'])).toThrow(/--epochs needs a positive integer/);
    expect(() => parseArgs(['--model', 'rnn'])).toThrow(/mlp or cnn/);
    expect(parseArgs(['--lr', '2e-3']).lr).toBe(0.002);
    expect(() => parseArgs(['--lr', '-1'])).toThrow(/--lr needs a positive number/);
    expect(() => parseArgs(['--momentum', '1'])).toThrow(/unknown option '--momentum'/);
  });

  it('trains the MLP on a slice of real MNIST well above chance', async () => {
    const args = {
      ...parseArgs(['--model', 'mlp', '--epochs', '2', '--limit', '1000']),
      quiet: true,
      write: false,
    };
    const r = await runDemo(args);
    expect(r.history.history.val_accuracy).toHaveLength(2);
    expect(r.testAccuracy).toBeGreaterThan(0.75);
  });
});
