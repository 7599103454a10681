import { backendByName, getBackendName } from "../backend/registry.js";
import { liveTensorCount } from "./engine.js";

/** Memory accounting: live tensors, and the bytes the current backend hands out and reserves. */
export interface MemoryInfo {
  numTensors: number;
  bytesInUse: number;
  /** The most bytes in use at once since the backend started or since resetPeakMemory(). */
  peakBytesInUse: number;
  bytesReserved: number;
}

/** Current memory accounting (of the current backend). */
export function memoryInfo(): MemoryInfo {
  const b = backendByName(getBackendName());
  return { numTensors: liveTensorCount(), bytesInUse: b.bytesInUse(), peakBytesInUse: b.peakBytesInUse(), bytesReserved: b.bytesReserved() };
}

/** Starts a new peak measurement (memoryInfo().peakBytesInUse) of the current backend from the bytes in use now. */
export function resetPeakMemory(): void {
  backendByName(getBackendName()).resetPeakBytes();
}
