// Type-checks every ```ts block of the guides (docs/*.md) against the packages' sources, so a
// guide cannot show a name, an option or a signature that does not exist. Each block is its own
// module; blocks must be complete programs (imports included). Run: pnpm run docs:snippets
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TypeScript as ts } from 'typedoc';
import { entryPoints } from './entry-points.mjs';

// (import.meta.dirname needs Node 20.11; the engines field allows any Node 20)
const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = join(root, 'docs');
const dir = mkdtempSync(join(tmpdir(), 'proj-snippets-'));
try {
  const blocks = [];
  for (const md of readdirSync(docs)
    .filter((f) => f.endsWith('.md'))
    .sort()) {
    const text = readFileSync(join(docs, md), 'utf8');
    for (const m of text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
      const file = join(dir, `${md.replace(/\.md$/, '')}-${blocks.length + 1}.ts`);
      // `export {}` keeps each block a module of its own (top-level await, no shared names).
      writeFileSync(file, `${m[1]}\nexport {};\n`);
      blocks.push({ md, line: text.slice(0, m.index).split('\n').length + 1, file });
    }
  }
  // Bundlers' URL imports (`import url from 'file.wasm?url'`), as Vite's client types declare them.
  const bundler = join(dir, 'bundler.d.ts');
  writeFileSync(bundler, "declare module '*?url' {\n  const url: string;\n  export default url;\n}\n");
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');

  const paths = Object.fromEntries(entryPoints().map((e) => [e.name, [e.file]]));
  // The peer a page imports to configure onnxruntime-web (see docs/browser.md).
  paths['onnxruntime-web/wasm'] = [
    join(root, 'packages/backend-onnx/node_modules/onnxruntime-web/types.d.ts'),
  ];
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
        paths,
      },
      files: [...blocks.map((b) => b.file), bundler],
    }),
  );
  const cfg = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  const program = ts.createProgram({ rootNames: cfg.fileNames, options: cfg.options });

  // The blocks' diagnostics only: the checker then types just what they use, and the packages'
  // own errors are `pnpm typecheck`'s to report.
  const errors = [];
  for (const b of blocks) {
    const sf = program.getSourceFile(b.file);
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const { line, character } = sf.getLineAndCharacterOfPosition(d.start ?? 0);
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      errors.push(`docs/${b.md}:${b.line + line}:${character + 1}: error TS${d.code}: ${msg}`);
    }
  }
  if (errors.length > 0) {
    process.stderr.write(`${errors.join('\n')}\n`);
    process.exitCode = 1;
  } else {
    console.log(`check-snippets: the ${blocks.length} TypeScript blocks of docs/*.md type-check`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
