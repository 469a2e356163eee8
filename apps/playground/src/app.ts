// The page's controller: backend switch, training with live charts, drawing, prediction and
// saliency. The buttons and the test hook (hook.ts) go through the same methods.
import { io } from '@proj/core';
import { BACKENDS, type BackendName, describeBackend, isBackendName } from './backends.js';
import type { DrawPad } from './draw-pad.js';
import { countLit, drawHeatmap, grey } from './heatmap.js';
import type { HookClassifyReport, HookTrainOptions, HookTrainReport, PlaygroundHook } from './hook.js';
import type { LiveCurve } from './live-curves.js';
import { toMnistImage } from './preprocess.js';
import type { Session } from './session.js';

/** The page's elements the controller updates. */
export interface AppElements {
  backend: HTMLSelectElement;
  backendDetail: HTMLElement;
  status: HTMLElement;
  batches: HTMLInputElement;
  batchSize: HTMLInputElement;
  train: HTMLButtonElement;
  stop: HTMLButtonElement;
  reset: HTMLButtonElement;
  pretrained: HTMLButtonElement;
  save: HTMLButtonElement;
  load: HTMLButtonElement;
  download: HTMLButtonElement;
  input: HTMLCanvasElement;
  saliency: HTMLCanvasElement;
  prediction: HTMLElement;
  probs: HTMLElement;
}

/** The IndexedDB entry the Save and Load buttons use. */
const STORAGE_KEY = 'playground-mnist-cnn';

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);

export class App {
  constructor(
    readonly session: Session,
    readonly el: AppElements,
    readonly pad: DrawPad,
    readonly charts: { loss: LiveCurve; accuracy: LiveCurve },
  ) {
    for (const b of BACKENDS) el.backend.add(new Option(b, b));
    el.backend.value = session.backend;
    this.showBackend();
  }

  /** Reports an error in the status line (and the console) instead of losing it. */
  fail(e: unknown): void {
    console.error(e);
    this.el.status.textContent = `Error: ${(e as Error).message ?? String(e)}`;
  }

  private showBackend(): void {
    const info = describeBackend(this.session.backend);
    this.el.backendDetail.textContent = info.real ? info.detail : `${info.detail} (fallback!)`;
  }

  private setBusy(busy: boolean): void {
    const buttons = [
      this.el.train,
      this.el.reset,
      this.el.pretrained,
      this.el.save,
      this.el.load,
      this.el.download,
    ];
    for (const b of [...buttons, this.el.backend]) b.disabled = busy;
    this.el.stop.disabled = !busy;
  }

  /**
   * Selects a backend: a fresh model there (`reset`; the demo's trained weights with
   * `pretrained`), or the current weights moved there.
   */
  async useBackend(name: string, reset: boolean, pretrained = false): Promise<void> {
    if (!isBackendName(name))
      throw new Error(`playground: unknown backend '${name}' (one of ${BACKENDS.join(', ')})`);
    if (reset) {
      await this.session.reset(name, pretrained);
      this.charts.loss.clear();
      this.charts.accuracy.clear();
    } else {
      await this.session.moveTo(name);
    }
    this.el.backend.value = name;
    this.showBackend();
    this.el.status.textContent = !reset
      ? `Model moved to ${name}.`
      : pretrained
        ? `The demo's trained model on ${name}: draw a digit.`
        : `New model on ${name}.`;
  }

  /** Trains from the UI's current settings, charting every batch. */
  async train(
    batches: number,
    batchSize: number,
  ): Promise<{ logs: Awaited<ReturnType<Session['trainBatches']>>; ms: number }> {
    this.setBusy(true);
    const t0 = performance.now();
    try {
      const logs = await this.session.trainBatches(batches, batchSize, (log) => {
        this.charts.loss.push(log.loss);
        this.charts.accuracy.push(log.accuracy);
        this.el.status.textContent =
          `${this.session.backend}: batch ${log.step}, loss ${log.loss.toFixed(4)}, ` +
          `accuracy ${(100 * log.accuracy).toFixed(1)}%, ${log.ms.toFixed(0)} ms/batch`;
      });
      return { logs, ms: performance.now() - t0 };
    } finally {
      await Promise.all([this.charts.loss.flush(), this.charts.accuracy.flush()]);
      this.setBusy(false);
      this.showBackend();
    }
  }

  /** Test accuracy of the current model, shown in the status line. */
  async evaluate(count: number, batchSize?: number): Promise<{ accuracy: number; ms: number }> {
    const t0 = performance.now();
    const r = await this.session.evaluate(count, batchSize);
    this.el.status.textContent += ` — test accuracy ${(100 * r.accuracy).toFixed(1)}% on ${r.count} images`;
    return { accuracy: r.accuracy, ms: performance.now() - t0 };
  }

  /** Classifies the drawing: probabilities, the winner, the input as seen and the saliency map. */
  async classify(): Promise<HookClassifyReport | null> {
    const { gray, width, height } = this.pad.grayscale();
    const image = toMnistImage(gray, width, height);
    if (image === null) {
      this.el.prediction.textContent = 'Draw a digit first.';
      return null;
    }
    drawHeatmap(this.el.input, image, { palette: grey });
    const t0 = performance.now();
    const p = await this.session.predict(image);
    const ms = performance.now() - t0;
    const stats = drawHeatmap(this.el.saliency, p.saliency);
    this.el.prediction.textContent = `Prediction: ${p.predicted} (${(100 * p.probs[p.predicted]).toFixed(1)}%) on ${this.session.backend}`;
    this.el.probs.replaceChildren(
      ...p.probs.flatMap((v, d) => {
        const label = Object.assign(document.createElement('span'), { textContent: String(d) });
        const bar = document.createElement('div');
        bar.className = d === p.predicted ? 'bar best' : 'bar';
        bar.style.width = `${(100 * v).toFixed(1)}%`;
        const pct = Object.assign(document.createElement('span'), {
          textContent: `${(100 * v).toFixed(1)}%`,
        });
        return [label, bar, pct];
      }),
    );
    return {
      backend: this.session.backend,
      probs: p.probs,
      probSum: p.probs.reduce((a, b) => a + b, 0),
      predicted: p.predicted,
      saliencyMax: stats.max,
      saliencyLit: stats.litPixels,
      saliencyCanvasLit: countLit(this.el.saliency),
      ms,
    };
  }

  /** Wires the buttons and the drawing canvas. */
  bind(): void {
    const guard = (fn: () => Promise<unknown>) => () => void fn().catch((e) => this.fail(e));
    this.el.train.addEventListener(
      'click',
      guard(async () => {
        await this.train(Number(this.el.batches.value), Number(this.el.batchSize.value));
        await this.evaluate(500, Number(this.el.batchSize.value));
      }),
    );
    this.el.stop.addEventListener('click', () => this.session.stop());
    this.el.reset.addEventListener(
      'click',
      guard(() => this.useBackend(this.session.backend, true)),
    );
    this.el.pretrained.addEventListener(
      'click',
      guard(() => this.useBackend(this.session.backend, true, true)),
    );
    this.el.save.addEventListener(
      'click',
      guard(async () => {
        await this.session.save(STORAGE_KEY);
        this.el.status.textContent = `Saved in this browser (IndexedDB '${STORAGE_KEY}').`;
      }),
    );
    this.el.load.addEventListener(
      'click',
      guard(async () => {
        await this.session.load(STORAGE_KEY);
        this.el.status.textContent = `Loaded '${STORAGE_KEY}' from this browser onto ${this.session.backend}.`;
      }),
    );
    this.el.download.addEventListener(
      'click',
      guard(async () => {
        const sd = await this.session.hostStateDict();
        try {
          io.download('mnist-cnn.safetensors', sd);
        } finally {
          for (const t of Object.values(sd)) t.dispose();
        }
      }),
    );
    this.el.backend.addEventListener(
      'change',
      guard(() => this.useBackend(this.el.backend.value, false)),
    );
  }

  /** The test hook: scripts/e2e.ts drives the page through it. */
  hook(): PlaygroundHook {
    return {
      backends: BACKENDS,
      train: async (o: HookTrainOptions): Promise<HookTrainReport> => {
        const batchSize = o.batchSize ?? 64;
        await this.useBackend(o.backend, o.reset ?? true);
        const { logs, ms } = await this.train(o.batches, batchSize);
        const evalCount = o.evalCount ?? 500;
        const ev =
          evalCount > 0 ? await this.evaluate(evalCount, batchSize) : { accuracy: Number.NaN, ms: 0 };
        const losses = logs.map((l) => l.loss);
        return {
          backend: describeBackend(this.session.backend as BackendName),
          batches: logs.length,
          batchSize,
          losses,
          batchMs: logs.map((l) => l.ms),
          lossStart: mean(losses.slice(0, 3)),
          lossEnd: mean(losses.slice(-3)),
          batchAccuracyEnd: logs.length ? logs[logs.length - 1].accuracy : Number.NaN,
          testAccuracy: ev.accuracy,
          testCount: evalCount,
          trainMs: ms,
          evalMs: ev.ms,
          chartPoints: { loss: this.charts.loss.data.length, accuracy: this.charts.accuracy.data.length },
          chartSvgs: [this.charts.loss, this.charts.accuracy].filter((c) =>
            c.element.querySelector('svg path'),
          ).length,
        };
      },
      loadPretrained: (backend: string) => this.useBackend(backend, true, true),
      storageRoundTrip: async () => {
        const probs = async () => {
          const r = await this.classify();
          if (r === null) throw new Error('storageRoundTrip: the canvas is empty');
          return r.probs;
        };
        const before = await probs();
        await this.session.save('e2e-round-trip');
        await this.useBackend(this.session.backend, true);
        const fresh = await probs();
        await this.session.load('e2e-round-trip');
        return { before, fresh, after: await probs() };
      },
      drawTestImage: (index: number): number => {
        const { test, rows, cols } = this.session.data.pack;
        if (!(Number.isInteger(index) && index >= 0 && index < test.count)) {
          throw new Error(`drawTestImage: index ${index} outside 0..${test.count - 1}`);
        }
        const px = rows * cols;
        this.pad.clear();
        this.pad.paintImage(test.pixels.subarray(index * px, (index + 1) * px), rows);
        return test.labels[index];
      },
      classify: async () => {
        const r = await this.classify();
        if (r === null) throw new Error('classify: the canvas is empty');
        return r;
      },
    };
  }
}
