/// <reference types="@webgpu/types" />
// Finding a WebGPU implementation and an adapter: the browser's `navigator.gpu`, or in Node the
// Dawn bindings of the `webgpu` npm package. Whatever is found is reported; nothing here falls
// back to another engine (a missing GPU is an error that says what to install or enable).

import type { AdapterOptions, AdapterReport } from './adapter-report.js';

interface NodeWebgpuModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** Loads Dawn's Node bindings; installs the WebGPU globals (GPUBufferUsage, …) it defines. */
async function nodeGpu(): Promise<GPU> {
  let mod: NodeWebgpuModule;
  try {
    // a variable specifier keeps bundlers from pulling the native module into browser builds
    const name = 'webgpu';
    mod = (await import(/* @vite-ignore */ name)) as NodeWebgpuModule;
  } catch (e) {
    throw new Error(
      `webgpu: no WebGPU in this Node process: the optional peer dependency \`webgpu\` (Dawn's Node bindings) did not load (${(e as Error).message.split('\n')[0]}); install it with \`npm i webgpu\``,
    );
  }
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(mod.globals)) if (g[k] === undefined) g[k] = v;
  return mod.create([]);
}

/** The `GPU` entry point of this environment. */
async function findGpu(opts: AdapterOptions): Promise<{ gpu: GPU; implementation: string }> {
  if (opts.gpu) return { gpu: opts.gpu as GPU, implementation: 'given GPU object' };
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, implementation: 'navigator.gpu' };
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node ===
    'string';
  if (isNode) return { gpu: await nodeGpu(), implementation: 'webgpu (Dawn)' };
  throw new Error(
    'webgpu: this environment has no navigator.gpu (WebGPU needs a secure context in a browser that enables it; Chromium without a GPU: --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader)',
  );
}

/** Describes `adapter` (info fields are getters, so they are copied one by one). */
export function describeAdapter(adapter: GPUAdapter, implementation: string): AdapterReport {
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const device = info?.device ?? '';
  const description = info?.description ?? '';
  // the spec moved isFallbackAdapter from the adapter to its info (Chromium 156 has it there)
  const fallback =
    (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true;
  const text = `${vendor} ${architecture} ${description}`.toLowerCase();
  const software = fallback || /swiftshader|llvmpipe|lavapipe|software|warp/.test(text);
  const name = description || [vendor, architecture, device].filter(Boolean).join(' ') || 'unnamed adapter';
  const summary = `${name} [${[vendor, architecture].filter(Boolean).join('/')}] via ${implementation}${software ? ' — software adapter' : ''}`;
  return { implementation, vendor, architecture, device, description, software, summary };
}

/**
 * The `GPU` objects of every device opened here. Dawn's Node bindings tear the instance down
 * when its wrapper is garbage-collected, even with a device still running on it: the device's
 * worker threads then crash the process (corrupted mutexes, segfaults). So the instance lives as
 * long as the process.
 */
const instances = new Set<GPU>();

/** Requests an adapter and a device with the adapter's own buffer limits. */
export async function openDevice(
  opts: AdapterOptions = {},
): Promise<{ device: GPUDevice; adapter: GPUAdapter; report: AdapterReport }> {
  const { gpu, implementation } = await findGpu(opts);
  instances.add(gpu);
  const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference ?? 'high-performance' });
  if (!adapter) {
    throw new Error(
      `webgpu: ${implementation} offers no adapter (no usable GPU driver). In Node without a GPU, point VK_ICD_FILENAMES at SwiftShader's vk_swiftshader_icd.json (Debian's chromium package installs /usr/lib/chromium/vk_swiftshader_icd.json) and install libvulkan1`,
    );
  }
  const lim = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: lim.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: lim.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: lim.maxComputeWorkgroupSizeX,
    },
  });
  return { device, adapter, report: describeAdapter(adapter, implementation) };
}
