// Float32 arrays as base64 text (little-endian bytes), for JSON files that carry weights.
import { DataError } from "../errors.js";

/** The array's bytes in base64. */
export function float32ToBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/**
 * The float32 values of base64 text, which must hold exactly `count` of them (checked on the text's
 * length before anything is allocated); DataError names `at`.
 */
export function base64ToFloat32(text: string, count: number, at: string): Float32Array {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = (text.length / 4) * 3 - padding;
  if (text.length % 4 !== 0 || bytes !== 4 * count) throw new DataError(at, `${text.length} base64 characters hold ${Number.isInteger(bytes) ? bytes : "no whole number of"} bytes; ${count} float32 values need ${4 * count}`);
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new DataError(at, "not base64 text");
  }
  const out = new Float32Array(count);
  const view = new Uint8Array(out.buffer);
  for (let i = 0; i < binary.length; i++) view[i] = binary.charCodeAt(i);
  return out;
}
