// Bytes read by offset: a file read piece by piece (Node), or bytes in memory (pages, tests), behind one
// interface, so that readers of large files stream without holding the whole file.

/** A random-access source of bytes. */
export interface ByteSource {
  /** Its length in bytes. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer at the end). */
  read(offset: number, length: number): Uint8Array;
}

/** A ByteSource over bytes in memory. */
export function memorySource(data: Uint8Array): ByteSource {
  // A plain view (a Node Buffer's slice() shares memory; a Uint8Array's copies).
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { size: bytes.length, read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
}
