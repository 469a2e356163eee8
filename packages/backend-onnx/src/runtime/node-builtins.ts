// Node's built-in modules, reached through `process.getBuiltinModule` instead of an import
// statement. A bundler building for browsers follows every `import ... from 'node:module'`
// (even a dynamic one) and either fails to resolve it or swaps in an empty shim: vite's shim
// made `createRequire` undefined, so the README's browser snippet died with "createRequire is
// not a function". Nothing in this file is visible to a bundler, and it runs only in Node.

/** CommonJS `require` (the part used here). */
export interface NodeRequire {
  (id: string): unknown;
  resolve(id: string): string;
}

/**
 * The parts of Node's built-in modules used by this package, by specifier (declared here, not
 * taken from @types/node, so the published .d.ts files need no Node types).
 */
interface Builtins {
  'node:module': { createRequire(from: string | URL): NodeRequire };
  'node:fs/promises': { readFile(path: string): Promise<Uint8Array> };
}

/** True in Node (and runtimes that present themselves as Node), false in browsers and workers. */
export const isNode: boolean = typeof process !== 'undefined' && !!process.versions?.node;

/**
 * Node's built-in module `id`, or a clear error naming `what` needed it outside Node (or on a
 * Node without `process.getBuiltinModule`, added in Node 20.16).
 */
export function nodeBuiltin<K extends keyof Builtins>(id: K, what: string): Builtins[K] {
  const get = isNode
    ? (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule
    : undefined;
  if (typeof get !== 'function') {
    throw new Error(
      isNode
        ? `${what} needs Node.js >= 20.16 (process.getBuiltinModule); this is Node ${process.versions.node}`
        : `${what} needs Node.js; in a browser use onnxruntime-web (OnnxWebBackend, OnnxModel with runtime 'web')`,
    );
  }
  return get.call(process, id) as Builtins[K];
}

/** A CommonJS `require` relative to this package (Node only). */
export function packageRequire(what: string): NodeRequire {
  return nodeBuiltin('node:module', what).createRequire(import.meta.url);
}

/**
 * True when `e` is Node's "module not found" error for `pkg` itself (not for a file inside it
 * or one of its own dependencies failing to load for another reason).
 */
export function isMissingPackage(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string } | null;
  if (err?.code !== 'MODULE_NOT_FOUND' && err?.code !== 'ERR_MODULE_NOT_FOUND') return false;
  return typeof err.message === 'string' && err.message.includes(`'${pkg}`);
}

/**
 * The error for an optional peer dependency that is not installed, naming the package to
 * install and what needs it (its `missingPeer` property names the package too).
 */
export function missingPeerError(pkg: 'onnxruntime-node' | 'onnxruntime-web', what: string): Error {
  const hint =
    pkg === 'onnxruntime-node'
      ? ' (ONNXRUNTIME_NODE_INSTALL=skip skips its optional CUDA download); in a browser, onnxruntime-web is used instead'
      : '';
  const err = new Error(
    `${what} needs the package '${pkg}', an optional peer dependency of @proj/backend-onnx that is ` +
      `not installed: run \`npm install ${pkg}@^1.30.0\`${hint}`,
  );
  return Object.assign(err, { missingPeer: pkg });
}
