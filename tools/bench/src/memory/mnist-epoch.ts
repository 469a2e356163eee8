// Issue 18's figure: peak RSS of one epoch (938 steps of batch 64) of pytorch/examples'
// mnist/main.py network in a plain loop — no tidy, no dispose, no await — on a backend.
// Usage: tsx --conditions=source src/memory/mnist-epoch.ts [backend] [steps] [batch]
// (its PyTorch twin: py/mnist_epoch_memory.py). Data is random: the figure is about memory.
import '@proj/backend-cpu';
// The loop lives in backend-tests (its own tests run it); this entry does not pull vitest in.
import { plainLoop } from '@proj/backend-tests/plain-loop';

const backend = process.argv[2] ?? 'cpu';
if (backend === 'onnx') await import('@proj/backend-onnx');
const steps = Number(process.argv[3] ?? 938);
const batch = Number(process.argv[4] ?? 64);
const t0 = performance.now();
const samples = plainLoop(backend, steps, batch, 100);
const s = (performance.now() - t0) / 1000;
for (const x of samples) {
  console.log(
    `step ${x.step}: RSS ${x.rssMiB.toFixed(0)} MiB, memory() counts ${x.tensors} tensors / ${x.mib.toFixed(0)} MiB`,
  );
}
const peak = process.resourceUsage().maxRSS / 1024;
console.log(
  `${backend}: ${steps} steps of batch ${batch} in ${s.toFixed(1)} s, peak RSS ${peak.toFixed(0)} MiB`,
);
