// Boots the playground: loads the packed MNIST subset, builds the session on the CPU backend,
// wires the page, and exposes the test hook as window.__playground.
import { App } from './app.js';
import { DrawPad } from './draw-pad.js';
import { LiveCurve } from './live-curves.js';
import { fetchPack, PACK_FILE } from './mnist-pack.js';
import { Session } from './session.js';

const byId = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`playground: the page has no #${id}`);
  return e as T;
};

async function start(): Promise<void> {
  const status = byId('status');
  const pack = await fetchPack(`${import.meta.env.BASE_URL}${PACK_FILE}`);
  const session = new Session(pack);
  const charts = {
    loss: new LiveCurve(byId('loss-chart'), { name: 'loss' }),
    accuracy: new LiveCurve(byId('accuracy-chart'), { name: 'accuracy' }),
  };
  let app: App | undefined;
  const pad = new DrawPad(byId<HTMLCanvasElement>('pad'), () => {
    if (app && !session.running) void app.classify().catch((e) => app?.fail(e));
  });
  app = new App(
    session,
    {
      backend: byId('backend'),
      backendDetail: byId('backend-detail'),
      status,
      batches: byId('batches'),
      batchSize: byId('batch-size'),
      train: byId('train'),
      stop: byId('stop'),
      reset: byId('reset'),
      pretrained: byId('pretrained'),
      save: byId('save'),
      load: byId('load'),
      download: byId('download'),
      input: byId('input'),
      saliency: byId('saliency'),
      prediction: byId('prediction'),
      probs: byId('probs'),
    },
    pad,
    charts,
  );
  app.bind();
  byId('clear').addEventListener('click', () => pad.clear());
  let sample = 0;
  const hook = app.hook();
  byId('sample').addEventListener('click', () => {
    hook.drawTestImage(sample++ % pack.test.count);
    void app?.classify().catch((e) => app?.fail(e));
  });
  status.textContent = `${pack.train.count} training and ${pack.test.count} test images loaded. Press Train.`;
  window.__playground = hook;
}

start().catch((e: unknown) => {
  const msg = (e as Error)?.stack ?? String(e);
  window.__playgroundError = msg;
  console.error(e);
  const s = document.getElementById('status');
  if (s) s.textContent = `The playground failed to start: ${(e as Error)?.message ?? String(e)}`;
});
