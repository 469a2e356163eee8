// `pnpm example <topic> [--fast]`: runs src/examples/<topic>/main.ts. Every example exports
// `run({ fast })`, which prints what it shows and writes its pictures to out/.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'examples');
const topics = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(dir, d.name)).includes('main.ts'))
  .map((d) => d.name)
  .sort();

const args = process.argv.slice(2).filter((a) => a !== '--');
const topic = args.find((a) => !a.startsWith('-'));
if (!topic || !topics.includes(topic)) {
  const usage = `usage: pnpm example <topic> [--fast]\ntopics: ${topics.join(', ')}`;
  if (topic) console.error(`unknown example '${topic}'\n${usage}`);
  else console.log(usage);
  process.exit(topic ? 1 : 0);
}
const mod = (await import(pathToFileURL(join(dir, topic, 'main.ts')).href)) as {
  run: (opts: { fast: boolean; argv?: string[] }) => Promise<unknown> | unknown;
};
const t0 = performance.now();
// The other flags go to the example (the PyTorch ports parse them as their originals do).
await mod.run({ fast: args.includes('--fast'), argv: args.filter((a) => a !== topic && a !== '--fast') });
console.log(`(${topic}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
