import { backendByName, getBackendName } from "../backend/registry.js";
import { liveTensorCount } from "./engine.js";

/** Memory accounting: live tensors, and the bytes the current backend hands out and reserves. */
export interface MemoryInfo {
  numTensors: number;
  bytesInUse: number;
  bytesReserved: number;
}

/** Current memory accounting (of the current backend). */
export function memoryInfo(): MemoryInfo {
  const b = backendByName(getBackendName());
  return { numTensors: liveTensorCount(), bytesInUse: b.bytesInUse(), bytesReserved: b.bytesReserved() };
}
