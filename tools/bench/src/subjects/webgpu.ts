// `ours-webgpu`: @proj/core on the WebGPU backend. Unlike the other backends of ours it registers
// nothing on import: `initWebGPU()` must find an adapter first (Dawn's Node bindings, the
// optional `webgpu` package), so the subject starts it when it opens and is skipped with the
// adapter's error when there is none. The bench never picks a Vulkan driver itself: a machine
// with a GPU uses it; one without runs SwiftShader only when VK_ICD_FILENAMES says so.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { jsSession, withLeakCheck } from '../harness.js';
import type { Subject } from '../types.js';
import { loadBackendPackage } from './backend-packages.js';

type Core = typeof import('@proj/core');

/** The package that provides the backend. */
export const WEBGPU_PACKAGE = '@proj/backend-webgpu';

/** SwiftShader's Vulkan driver as Debian's chromium package installs it (what to point VK_ICD_FILENAMES at). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** What `initWebGPU()` reports about the adapter (`AdapterReport` of @proj/backend-webgpu). */
export interface WebGPUAdapter {
  implementation: string;
  vendor: string;
  architecture: string;
  description: string;
  /** A software (CPU) adapter such as SwiftShader or lavapipe. */
  software: boolean;
  /** One line naming the adapter. */
  summary: string;
}

/** Finds an adapter and registers the backend as 'webgpu', or rejects with the reason. */
export type StartWebGPU = () => Promise<WebGPUAdapter>;

/** The package itself did not load (not installed, or a module of it missing): no adapter was asked for. */
export class PackageLoadError extends Error {}

let started: Promise<WebGPUAdapter> | undefined;

/**
 * Loads @proj/backend-webgpu and calls its `initWebGPU()`, once per process (the device lives
 * as long as the process; a second call would register a second one).
 */
const startWebGPU: StartWebGPU = () => {
  started ??= loadBackendPackage(WEBGPU_PACKAGE).then(
    (pkg) => {
      if (typeof pkg.initWebGPU !== 'function') {
        throw new PackageLoadError(`${WEBGPU_PACKAGE} does not export initWebGPU`);
      }
      return (pkg.initWebGPU as () => Promise<WebGPUAdapter>)();
    },
    (e: Error) => {
      throw new PackageLoadError(`${WEBGPU_PACKAGE} did not load: ${e.message.split('\n')[0]}`);
    },
  );
  return started;
};

/**
 * The line that marks a software adapter's figures: they measure a CPU running shaders, not a
 * GPU. Undefined for a hardware adapter.
 */
export function softwareCaveat(adapter: WebGPUAdapter): string | undefined {
  if (!adapter.software) return undefined;
  const swiftshader = /swiftshader/i.test(`${adapter.architecture} ${adapter.description}`);
  return swiftshader
    ? 'SwiftShader: CPU emulation, says nothing about GPUs'
    : `software adapter (${adapter.description || adapter.architecture || adapter.vendor}): CPU emulation, says nothing about GPUs`;
}

/** Why the subject cannot run: the start's error, and how to get SwiftShader when no driver was named. */
export function noAdapterNote(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = (error as Error).message ?? String(error);
  if (error instanceof PackageLoadError) return message;
  const vk = env.VK_ICD_FILENAMES;
  // the backend's own error may already say where SwiftShader's driver is: then only the state
  const hint = vk
    ? `VK_ICD_FILENAMES=${vk}`
    : message.includes('VK_ICD_FILENAMES')
      ? 'VK_ICD_FILENAMES is unset'
      : `VK_ICD_FILENAMES is unset; without a GPU run VK_ICD_FILENAMES=${SWIFTSHADER_ICD} pnpm bench --subjects ours-webgpu`;
  return `initWebGPU() failed: ${message} (${hint})`;
}

/** The `webgpu` package's version (Dawn's Node bindings), resolved from @proj/backend-webgpu. */
function dawnVersion(): string {
  try {
    const from = fileURLToPath(new URL('../../../../packages/backend-webgpu/package.json', import.meta.url));
    return (createRequire(from)('webgpu/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The `ours-webgpu` subject. Every workload reads its result with `await t.data()` on it
 * (`workloads/reads.ts`): the backend reads only asynchronously. `start` is injectable for tests.
 */
export function webgpuSubject(core: Core, start: StartWebGPU = startWebGPU): Subject {
  return {
    id: 'ours-webgpu',
    title: 'ours webgpu',
    async open() {
      let adapter: WebGPUAdapter;
      try {
        adapter = await start();
      } catch (e) {
        return noAdapterNote(e);
      }
      core.setBackend('webgpu');
      const caveat = softwareCaveat(adapter);
      const info = {
        backend: 'webgpu',
        adapter: adapter.summary,
        vendor: adapter.vendor,
        architecture: adapter.architecture,
        description: adapter.description,
        software: adapter.software,
        implementation: adapter.implementation,
        ...(adapter.implementation.includes('Dawn') ? { webgpuNode: dawnVersion() } : {}),
        vkIcdFilenames: process.env.VK_ICD_FILENAMES ?? '(unset)',
      };
      const session = jsSession('ours', core, info);
      return {
        ...withLeakCheck(session, () => core.memory().numTensors),
        detail: `adapter ${adapter.summary}`,
        ...(caveat ? { caveat } : {}),
      };
    },
  };
}
