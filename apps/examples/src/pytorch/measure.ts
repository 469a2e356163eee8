// `tsx --conditions=source src/pytorch/measure.ts <port> [flags]`: runs one PyTorch port
// (src/examples/pytorch-<port>/main.ts) with the original's flags and prints one JSON line
// `@@RESULT {...}`: the wall and CPU seconds of the run (imports excluded) and what run()
// returned. tools/examples/compare.py reads it.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [port, ...argv] = process.argv.slice(2);
if (!port) {
  console.error('usage: measure.ts <port> [flags of the original]');
  process.exit(2);
}
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', `pytorch-${port}`, 'main.ts');
const mod = (await import(pathToFileURL(file).href)) as {
  run: (opts: { fast: boolean; argv?: string[] }) => Promise<unknown>;
};
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await mod.run({ fast: false, argv });
const wall = (performance.now() - t0) / 1000;
const { user, system } = process.cpuUsage(cpu0);
console.log(
  `@@RESULT ${JSON.stringify({ wall, cpu: (user + system) / 1e6, node: process.version, result })}`,
);
