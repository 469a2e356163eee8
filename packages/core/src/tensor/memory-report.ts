import { backendByName, listBackends } from '../backend/registry.js';
import { deviceCounts, type MemoryInfo } from './memory.js';

/**
 * Live tensors, buffers and bytes, in total and per device, with each backend's own report.
 * Tests assert that a step leaks nothing by comparing `numTensors` before and after.
 */
export function memory(): MemoryInfo {
  const info: MemoryInfo = { numTensors: 0, numBuffers: 0, numBytes: 0, backends: {} };
  const registered = new Set(listBackends());
  for (const [device, c] of deviceCounts()) {
    // a device whose backend was removed (a tracer's) is reported while it still holds something
    if (!registered.has(device) && c.numTensors === 0 && c.numBuffers === 0 && c.numBytes === 0) continue;
    info.numTensors += c.numTensors;
    info.numBuffers += c.numBuffers;
    info.numBytes += c.numBytes;
    info.backends[device] = { ...c };
  }
  for (const name of listBackends()) {
    const entry = info.backends[name];
    if (!entry) continue;
    const report = backendByName(name).memory?.();
    if (report) entry.backend = { ...report };
  }
  return info;
}
