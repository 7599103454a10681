// A RunStore in memory: for tests, and for pages that train without a file system.
import { DataError } from "../../errors.js";
import { type ByteSource, memorySource } from "../../io/byte_source.js";
import { type Hdf5Reader, memoryHdf5 } from "../../io/hdf5_reader.js";
import type { RunStore } from "./store.js";

/** A RunStore over a map from path to bytes; `files` is shared by the store and its children. */
export class MemoryStore implements RunStore {
  constructor(
    readonly prefix = "",
    readonly files: Map<string, Uint8Array> = new Map(),
  ) {}

  where(name: string): string {
    return `memory:${this.prefix}${name}`;
  }

  read(name: string): Uint8Array | null {
    const bytes = this.files.get(this.prefix + name);
    return bytes ? bytes.slice() : null;
  }

  write(name: string, content: Uint8Array | string): void {
    this.files.set(this.prefix + name, typeof content === "string" ? new TextEncoder().encode(content) : content.slice());
  }

  child(name: string): MemoryStore {
    return new MemoryStore(`${this.prefix}${name}/`, this.files);
  }

  readExternal(path: string): Uint8Array {
    const bytes = this.files.get(path.replace(/^memory:/, ""));
    if (!bytes) throw new DataError(path, "not found");
    return bytes.slice();
  }

  openExternal(path: string): ByteSource & { close(): void } {
    return { ...memorySource(this.readExternal(path)), close: () => undefined };
  }

  openHdf5(path: string): Promise<Hdf5Reader> {
    return memoryHdf5(this.readExternal(path), path);
  }

  /** A file's text (UTF-8), or null. */
  text(name: string): string | null {
    const bytes = this.read(name);
    return bytes && new TextDecoder().decode(bytes);
  }
}
