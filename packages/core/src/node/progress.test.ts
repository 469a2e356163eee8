import '@proj/backend-cpu';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nn, optim, tensor } from '../index.js';
import { fit } from '../train/fit.js';
import { CSVLogger, ModelCheckpoint, ProgressBar } from './progress.js';

/** A stream that records what is written. */
function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 200, chunks, write: (s: string) => void chunks.push(s) };
}

/** Two epochs of 4 batches on a tiny regression. */
async function run(bar: ProgressBar, more: unknown[] = []) {
  const x = tensor([[1], [2], [3], [4], [5], [6], [7], [8]]);
  const y = x.mul(2);
  const model = new nn.Linear(1, 1);
  await fit(model, {
    train: [x, y],
    val: [x, y],
    epochs: 2,
    batchSize: 2,
    shuffle: false,
    loss: new nn.MSELoss(),
    optimizer: new optim.SGD(model.parameters(), { lr: 0.001 }),
    metrics: ['mae'],
    callbacks: [bar, ...(more as never[])],
  });
}

function clock(stepMs: number) {
  let t = 0;
  return () => (t += stepMs);
}

describe('ProgressBar', () => {
  it('prints one line per epoch when the stream is not a terminal', async () => {
    const s = fakeStream(false);
    await run(new ProgressBar({ stream: s, now: clock(1000) }));
    const lines = s.chunks.join('').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    for (const [i, l] of lines.slice(0, 2).entries()) {
      expect(l).toMatch(
        new RegExp(
          `^Epoch ${i + 1}/2 - 4/4 - 1s 250ms/step - loss: \\d+\\.\\d{4} - mae: \\d+\\.\\d{4} - val_loss: \\d+\\.\\d{4} - val_mae: \\d+\\.\\d{4}$`,
        ),
      );
    }
    expect(s.chunks.join('')).not.toContain('\r');
  });

  it('rewrites one line with \\r in a terminal, with the bar, ETA and running metrics', async () => {
    const s = fakeStream(true);
    // the clock advances 1 s per reading: epoch start, each batch, epoch end
    await run(new ProgressBar({ stream: s, now: clock(1000), interval: 0, width: 20 }));
    const out = s.chunks.join('');
    const epochs = out.split('Epoch ').slice(1);
    expect(epochs).toHaveLength(2);
    const frames = epochs[0].split('\r');
    expect(frames[0]).toBe('1/2\n');
    expect(frames[1]).toMatch(/^1\/4 \[====>\.{15}\] - ETA: 3s - loss: \d+\.\d{4} - mae: \d+\.\d{4} *$/);
    expect(frames[2]).toMatch(/^2\/4 \[=========>\.{10}\] - ETA: 2s - loss: /);
    expect(frames[4]).toMatch(/^4\/4 \[={20}\] - 4s 1s\/step - loss: /);
    // the final frame shows the epoch's logs, validation included, and ends the line
    expect(frames[5]).toMatch(/^4\/4 \[={20}\] - 5s 1s\/step - loss: .* - val_mae: \d+\.\d{4}\n$/);
  });

  it('pads over a longer previous frame and is quiet when silent', async () => {
    const s = fakeStream(true);
    const bar = new ProgressBar({ stream: s, now: clock(250), interval: 0 });
    await run(bar);
    const firstEpoch = s.chunks.slice(0, s.chunks.indexOf('\n'));
    const frames = firstEpoch.filter((c) => c.startsWith('\r'));
    expect(frames).toHaveLength(5);
    for (let i = 1; i < frames.length; i++)
      expect(frames[i].length).toBeGreaterThanOrEqual(frames[i - 1].length);
    const quiet = fakeStream(true);
    await run(new ProgressBar({ stream: quiet, silent: true }));
    expect(quiet.chunks).toEqual([]);
  });
});

describe('Node CSVLogger and ModelCheckpoint', () => {
  it('write files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'proj-train-'));
    try {
      const csvPath = join(dir, 'log.csv');
      const ckpt = new ModelCheckpoint({ filepath: join(dir, 'ckpt-{epoch}.safetensors') });
      await run(new ProgressBar({ silent: true }), [new CSVLogger(csvPath), ckpt]);
      const csv = readFileSync(csvPath, 'utf8').trimEnd().split('\n');
      expect(csv[0]).toBe('epoch,loss,lr,mae,val_loss,val_mae');
      expect(csv).toHaveLength(3);
      expect(ckpt.saved.map((p) => p.slice(dir.length + 1))).toEqual([
        'ckpt-1.safetensors',
        'ckpt-2.safetensors',
      ]);
      expect(readFileSync(ckpt.saved[1]).length).toBeGreaterThan(8);
      await run(new ProgressBar({ silent: true }), [new CSVLogger(csvPath, { append: true })]);
      expect(readFileSync(csvPath, 'utf8').trimEnd().split('\n')).toHaveLength(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
