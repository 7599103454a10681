// The worker of the pages that train or measure (workers/train_worker.ts): one per page visit, written
// here once so that Vite bundles it once.

/** Starts the pages' worker; the page terminates it when it is left (main.ts). */
export function startPageWorker(): Worker {
  return new Worker(new URL("./workers/train_worker.ts", import.meta.url), { type: "module" });
}
