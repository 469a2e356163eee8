import * as core from '@proj/core';
import '@proj/backend-cpu';

core.setBackend('cpu');
const n = 256;
const flat = [core.randn([n * n]), core.randn([n * n])];
const [a, b] = flat.map((t) => t.reshape([n, n]));
const a2 = core.randn([n, n]),
  b2 = core.randn([n, n]);
const time = (name, f) => {
  for (let i = 0; i < 10; i++) f();
  const t = performance.now();
  for (let i = 0; i < 50; i++) f();
  const ms = (performance.now() - t) / 50;
  console.log(name, ms.toFixed(3), 'ms', ((2 * n ** 3) / ms / 1e6).toFixed(1), 'GFLOP/s');
};
for (let r = 0; r < 2; r++) {
  time('views+dataSync', () => {
    const c = a.matmul(b);
    c.dataSync();
    c.dispose();
  });
  time('direct+dataSync', () => {
    const c = a2.matmul(b2);
    c.dataSync();
    c.dispose();
  });
  time('direct', () => {
    const c = a2.matmul(b2);
    c.dispose();
  });
}
