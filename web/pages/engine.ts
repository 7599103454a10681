// The engine in this page: whether it is cross-origin isolated, how many kernel threads run in Web
// Workers on the shared wasm memory, a training step's time on one thread and on all of them, and fixed
// kernel computations whose numbers the browser test compares with Node's.
import type { EngineReport, TrainReply, TrainRequest } from "../workers/train_worker.js";
import { startPageWorker } from "../page_worker.js";
import { element } from "../ui.js";

/** Draws the page into `root`, asking a worker for the report. */
export function enginePage(root: HTMLElement): () => void {
  const status = element("p", { id: "engine-status", textContent: "Measuring (in a Web Worker)…" });
  const out = element("div", { id: "engine-out" });
  root.replaceChildren(
    element("h2", { textContent: "Engine" }),
    element("p", { className: "note", textContent: "The wasm kernels in this page. With cross-origin isolation, GEMM and convolutions split across kernel threads in Web Workers that share the wasm memory; without it the page runs on one thread." }),
    status,
    out,
  );
  const worker = startPageWorker();
  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const r = event.data;
    if (r.type === "error") status.textContent = `Error: ${r.message}`;
    if (r.type !== "engine") return;
    const e: EngineReport = r.report;
    const kernels = e.relaxedSimd ? "Kernels: wasm SIMD128 with relaxed SIMD (fused multiply-adds in GEMM). " : "Kernels: wasm SIMD128 (this engine has no relaxed SIMD). ";
    status.textContent = kernels + (e.isolated
      ? `Cross-origin isolated: ${e.threads} threads (${e.workers} kernel worker${e.workers === 1 ? "" : "s"} beside the training thread). A training step of the MLP preset (batch 64, T = 4): ${e.msPerStep.one.toFixed(1)} ms on one thread, ${e.msPerStep.all.toFixed(1)} ms on ${e.threads}, a speed-up of ${(e.msPerStep.one / e.msPerStep.all).toFixed(2)}×.`
      : `Not cross-origin isolated: one thread. A training step of the MLP preset (batch 64, T = 4): ${e.msPerStep.one.toFixed(1)} ms.`);
    status.dataset.report = JSON.stringify(e);
    out.replaceChildren(
      element("table", { className: "numbers", id: "checks" }, [
        element("tr", {}, ["computation", "sum", "first values"].map((h) => element("th", { textContent: h }))),
        ...Object.entries(e.checks).map(([name, v]) => element("tr", {}, [element("td", { textContent: name }), element("td", { textContent: v[0].toPrecision(8) }), element("td", { textContent: v.slice(1).map((x) => x.toPrecision(5)).join(", ") })])),
      ]),
    );
  };
  worker.postMessage({ type: "engine", asset: new URL("digits.bin", document.baseURI).href } satisfies TrainRequest);
  return () => worker.terminate();
}
