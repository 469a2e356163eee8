// What a package entry pulls in, read from the TypeScript sources: the browser-safety tests of
// the published packages walk it to prove that nothing reachable imports a Node module.
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** Every module specifier a source file imports (static, dynamic and re-exports; not `import type`). */
export function specifiers(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  for (const m of code.matchAll(/(?:^|\n)\s*(import|export)(\s+type)?\b[^'";]*?from\s*'([^']+)'/g)) {
    if (!m[2]) found.push(m[3]);
  }
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*'([^']+)'/g)) found.push(m[1]);
  // a dynamic import, not a type (`typeof import('x')`)
  for (const m of code.matchAll(/(?<!typeof\s*)\bimport\(\s*'([^']+)'\s*\)/g)) found.push(m[1]);
  return found;
}

/**
 * The source files reachable from `entry` through relative imports (paths relative to `root`),
 * and the packages they import (`node:fs`, `@proj/core`, …).
 */
export function importGraph(root: string, entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const todo = [join(root, entry)];
  while (todo.length) {
    const file = todo.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    for (const s of specifiers(file)) {
      if (s.startsWith('.')) todo.push(join(dirname(file), s.replace(/\.js$/, '.ts')));
      else packages.add(s);
    }
  }
  return { files: files.map((f) => relative(root, f)), packages };
}
