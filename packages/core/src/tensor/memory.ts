/** Live tensors, buffers and bytes on one device, as counted by core. */
export interface DeviceMemory {
  /** Tensor objects not yet disposed on this device. */
  numTensors: number;
  /** Distinct storage buffers alive on this device (views share one). */
  numBuffers: number;
  /** Bytes of those buffers, as counted by core (element count times item size). */
  numBytes: number;
}

/** What {@link memory} reports. */
export interface MemoryInfo {
  /** Tensor objects not yet disposed (all devices). */
  numTensors: number;
  /** Distinct storage buffers alive (views share one). */
  numBuffers: number;
  /** Bytes of those buffers, all devices together. */
  numBytes: number;
  /** Per backend (device name), plus the backend's own report under `backend` when it has one. */
  backends: Record<
    string,
    DeviceMemory & {
      /** The backend's own report (its buffers, caches and scratch memory), when it has one. */
      backend?: Record<string, unknown>;
    }
  >;
}

const counts = new Map<string, DeviceMemory>();

function entry(device: string): DeviceMemory {
  let e = counts.get(device);
  if (!e) {
    e = { numTensors: 0, numBuffers: 0, numBytes: 0 };
    counts.set(device, e);
  }
  return e;
}

export function accountBuffer(device: string, bytes: number, buffers: number): void {
  const e = entry(device);
  e.numBytes += bytes;
  e.numBuffers += buffers;
}

export function accountTensor(device: string, delta: number): void {
  entry(device).numTensors += delta;
}

export function deviceCounts(): ReadonlyMap<string, DeviceMemory> {
  return counts;
}
