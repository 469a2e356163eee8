// The documented entry points: every export of every published package (not `private`), read
// from its package.json's `source` condition, so a package or subpath export added later is
// documented without editing the docs config.
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

// (import.meta.dirname needs Node 20.11; the engines field allows any Node 20)
const root = fileURLToPath(new URL('../..', import.meta.url));

/** `[{ package: '@proj/core', name: '@proj/core/node', file: '/…/packages/core/src/node.ts' }, …]`. */
export function entryPoints() {
  const out = [];
  const dir = join(root, 'packages');
  for (const pkg of readdirSync(dir).sort()) {
    let json;
    try {
      json = JSON.parse(readFileSync(join(dir, pkg, 'package.json'), 'utf8'));
    } catch {
      continue; // a folder without a package.json is no package
    }
    if (json.private) continue;
    for (const [subpath, target] of Object.entries(json.exports ?? {})) {
      const source = typeof target === 'object' && target !== null ? condition(target.source) : undefined;
      if (source === undefined) continue; // package.json, assets: nothing to document
      out.push({
        package: json.name,
        name: posix.join(json.name, subpath),
        file: join(dir, pkg, source),
      });
    }
  }
  return out;
}

/**
 * The file a (possibly nested) condition object resolves to for TypeScript in Node: `default`
 * (or `node`) where the source has a browser variant (`{ browser, default }`), whose public API
 * is the same by contract.
 */
function condition(target) {
  if (typeof target === 'string') return target;
  if (typeof target !== 'object' || target === null) return undefined;
  return condition(target.default ?? target.node ?? target.import);
}
