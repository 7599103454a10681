// Deep Spiking Networks (O'Connor & Welling 2016): the herding MLP trained online with spikes beside the
// ReLU MLP it equals in the limit, on the same digits, in the page's worker (the task of `snnkit dsn
// train`): its spike counts per sample drawn live as it trains, then the test error of each and the work
// per sample: row additions of the spiking network against the dense network's multiply-adds.
import { linePlot } from "../../src/plot/svg.js";
import type { TrainReply, TrainRequest } from "../workers/train_worker.js";
import { startPageWorker } from "../page_worker.js";
import { type Control, controlPanel, element } from "../ui.js";

/** Draws the page into `root`, with its worker. */
export function dsnPage(root: HTMLElement): () => void {
  const s = { hidden: 100, trainLimit: 2000 };
  const status = element("p", { id: "dsn-status", textContent: "Not trained yet." });
  const table = element("table", { className: "numbers", id: "dsn-table" });
  const worker = startPageWorker();
  const asset = new URL("digits.bin", document.baseURI).href;
  const rows: Record<string, string[]> = {};
  const curve = element("div", { className: "plot", id: "dsn-spikes" });
  // Spikes into each layer per sample (the forward pass's row additions), as the spiking network trains.
  const spikes: { sample: number; perLayer: number[] }[] = [];
  const drawSpikes = () => {
    const layers = spikes[0]?.perLayer.length ?? 0;
    const x = spikes.map((p) => p.sample);
    curve.innerHTML = linePlot(
      Array.from({ length: layers }, (_, l) => ({ label: l === 0 ? "input spikes" : `hidden layer ${l} spikes`, x, y: spikes.map((p) => p.perLayer[l]) })),
      { title: "spiking network: spikes per sample (= row additions), mean over the samples so far", xLabel: "training samples", yLabel: "spikes per sample", height: 280 },
    );
    curve.dataset.points = String(spikes.length);
    curve.dataset.last = JSON.stringify(spikes[spikes.length - 1]?.perLayer ?? []);
  };
  const redraw = () =>
    table.replaceChildren(
      element("tr", {}, ["network", "test error (500 digits)", "forward work per sample", "dense multiply-adds", "seconds"].map((h) => element("th", { textContent: h }))),
      ...Object.entries(rows).map(([model, cells]) => element("tr", { id: `dsn-${model}` }, [element("td", { textContent: model }), ...cells.map((c) => element("td", { textContent: c }))])),
    );
  const run = (model: "spiking" | "relu") => worker.postMessage({ type: "dsn", asset, model, layers: [s.hidden], trainLimit: s.trainLimit } satisfies TrainRequest);
  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const r = event.data;
    if (r.type === "dsn-progress") {
      status.textContent = `${r.model}: sample ${r.sample} of ${r.samples}`;
      if (r.model === "spiking") {
        spikes.push({ sample: r.sample, perLayer: r.spikesPerSample });
        drawSpikes();
      }
    }
    else if (r.type === "dsn") {
      const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
      rows[r.model] = [
        `${(100 * r.test_error).toFixed(1)} %`,
        r.model === "spiking" ? `${sum(r.ops.forward_row_additions).toFixed(0)} row additions` : `${sum(r.ops.dense_forward_multiply_adds).toFixed(0)} multiply-adds`,
        sum(r.ops.dense_forward_multiply_adds).toFixed(0),
        r.seconds.toFixed(1),
      ];
      table.dataset[r.model] = String(r.test_error);
      redraw();
      if (r.model === "spiking") run("relu");
      else status.textContent = "Done: one pass over the training digits, each network.";
    } else if (r.type === "error") status.textContent = `Error: ${r.message}`;
  };
  const controls: Control[] = [
    { key: "hidden", label: "hidden units", min: 20, max: 300, step: 10 },
    { key: "trainLimit", label: "training digits (one pass)", min: 500, max: 8000, step: 500 },
  ];
  const panel = controlPanel(controls, s, () => true, () => undefined);
  const button = element("button", { textContent: "Train both", id: "dsn-train", type: "button" });
  button.addEventListener("click", () => {
    for (const k of Object.keys(rows)) delete rows[k];
    spikes.length = 0;
    redraw();
    run("spiking");
  });
  panel.append(button);
  root.replaceChildren(
    element("h2", { textContent: "Deep Spiking Networks" }),
    element("p", { className: "note", textContent: "The herding MLP trains online with spikes: its forward pass adds weight rows where neurons spike, instead of multiplying. Beside it, the ReLU MLP it equals in the limit, trained the same way (as `snnkit dsn train`)." }),
    element("div", { className: "panel" }, [panel, element("div", {}, [status, curve, table])]),
  );
  return () => worker.terminate();
}
