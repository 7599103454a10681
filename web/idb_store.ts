// A run store for pages that survives a reload: the files of a run in memory (the runner reads and
// writes synchronously) and each write copied to IndexedDB, where the next page load finds it.
import { MemoryStore } from "../src/tasks/run/memory_store.js";

const STORE = "files";

/** The database of a run, opened (created on first use). */
function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** A MemoryStore whose writes are also kept in IndexedDB (each put is atomic: a reader sees the old bytes or the new ones). */
export class IndexedDbStore extends MemoryStore {
  private constructor(
    private readonly db: IDBDatabase,
    files: Map<string, Uint8Array>,
  ) {
    super("", files);
  }

  /** The store of database `name`, with the files it already holds. */
  static async open(name: string): Promise<IndexedDbStore> {
    const db = await openDatabase(name);
    const files = new Map<string, Uint8Array>();
    await new Promise<void>((resolve, reject) => {
      const request = db.transaction(STORE).objectStore(STORE).openCursor();
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor) return resolve();
        files.set(String(cursor.key), new Uint8Array(cursor.value as ArrayBuffer));
        cursor.continue();
      };
      request.onerror = () => reject(request.error);
    });
    return new IndexedDbStore(db, files);
  }

  override write(name: string, content: Uint8Array | string): void {
    super.write(name, content);
    const bytes = this.files.get(this.prefix + name)!;
    this.db.transaction(STORE, "readwrite").objectStore(STORE).put(bytes.slice().buffer, this.prefix + name);
  }

  /** Removes every file (a new run). */
  clear(): Promise<void> {
    this.files.clear();
    return new Promise((resolve, reject) => {
      const tx = this.db.transaction(STORE, "readwrite");
      tx.objectStore(STORE).clear();
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }
}
