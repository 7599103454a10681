// A size-class allocator over wasm linear memory. Blocks are rounded up to 64 bytes (cache-line aligned)
// and recycled through exact-size free lists, so a training loop that allocates the same shapes every
// step reuses the same blocks and memory stays flat. Memory grows by whole pages and never shrinks.
const ALIGN = 64;
const PAGE = 65536;

/** Allocates byte ranges in a WebAssembly.Memory. */
export class WasmAllocator {
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private live = 0;
  private peak = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.top = Math.ceil(heapBase / ALIGN) * ALIGN;
  }

  /** Rounded size of a request. */
  static blockSize(bytes: number): number {
    return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  }

  /** Returns the byte offset of a block of at least `bytes` bytes. */
  alloc(bytes: number): number {
    const size = WasmAllocator.blockSize(bytes);
    this.live += size;
    if (this.live > this.peak) this.peak = this.live;
    const list = this.freeLists.get(size);
    if (list && list.length > 0) return list.pop()!;
    const ptr = this.top;
    const end = ptr + size;
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  /** Returns a block to its free list. */
  free(ptr: number, bytes: number): void {
    const size = WasmAllocator.blockSize(bytes);
    this.live -= size;
    let list = this.freeLists.get(size);
    if (!list) {
      list = [];
      this.freeLists.set(size, list);
    }
    list.push(ptr);
  }

  /** Bytes in live blocks. */
  bytesInUse(): number {
    return this.live;
  }

  /** The most bytes in live blocks at once since the start or resetPeak(). */
  peakBytesInUse(): number {
    return this.peak;
  }

  /** Starts a new peak measurement from the bytes in use now. */
  resetPeak(): void {
    this.peak = this.live;
  }

  /** Size of linear memory. */
  bytesReserved(): number {
    return this.memory.buffer.byteLength;
  }
}
