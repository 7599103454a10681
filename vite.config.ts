// The playground and documentation site (web/), built by Vite into dist-web/. The dev and preview servers
// send the cross-origin isolation headers (COOP/COEP) that shared memory, and so the kernel threads in Web
// Workers, need; a static host must send the same two headers (docs/web.md).
import { defineConfig } from "vite";

/** Cross-origin isolation: required for SharedArrayBuffer in the page. */
const isolation = { "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };

export default defineConfig({
  root: "web",
  base: "./",
  // h5wasm (4.8 MB, 1 MB gzip) is its own chunk, loaded only when a page reads an HDF5 file.
  build: { outDir: "../dist-web", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 5000 },
  server: { host: "127.0.0.1", headers: isolation },
  preview: { host: "127.0.0.1", headers: isolation },
  worker: { format: "es" },
});
