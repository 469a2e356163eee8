import { backendByName, listBackends } from '../backend/registry.js';
import { type MemoryInfo, deviceCounts } from './memory.js';

/**
 * Live tensors, buffers and bytes, in total and per device, with each backend's own report.
 * Tests assert that a step leaks nothing by comparing `numTensors` before and after.
 */
export function memory(): MemoryInfo {
  const info: MemoryInfo = { numTensors: 0, numBuffers: 0, numBytes: 0, devices: {} };
  for (const [device, c] of deviceCounts()) {
    info.numTensors += c.numTensors;
    info.numBuffers += c.numBuffers;
    info.numBytes += c.numBytes;
    info.devices[device] = { ...c };
  }
  for (const name of listBackends()) {
    const entry = info.devices[name];
    if (!entry) continue;
    const report = backendByName(name).memory?.();
    if (report) entry.backend = { ...report };
  }
  return info;
}
