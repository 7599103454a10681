// Cart-pole: a coarse-LIF policy trained by an evolution strategy in a Web Worker (the method of `snnkit
// control cartpole --method es`), then an episode of it animated, with its hidden neurons' spikes.
import { linePlot, rasterPlot } from "../../src/plot/svg.js";
import type { CartPoleDemo } from "../cartpole_demo.js";
import type { TrainReply, TrainRequest } from "../workers/train_worker.js";
import { startPageWorker } from "../page_worker.js";
import { type Control, controlPanel, element } from "../ui.js";

/** Draws the cart and the pole of state [x, ẋ, θ, θ̇] (x in ±2.4, θ in radians). */
function drawCart(canvas: HTMLCanvasElement, state: number[]): void {
  const ctx = canvas.getContext("2d")!;
  const [W, H] = [canvas.width, canvas.height];
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, W, H);
  ctx.strokeStyle = "#999";
  ctx.beginPath();
  ctx.moveTo(0, H - 40);
  ctx.lineTo(W, H - 40);
  ctx.stroke();
  const cx = W / 2 + (state[0] / 2.4) * (W / 2 - 40);
  ctx.fillStyle = "#1f5fa6";
  ctx.fillRect(cx - 30, H - 60, 60, 24);
  const length = 150;
  ctx.strokeStyle = "#d62728";
  ctx.lineWidth = 8;
  ctx.beginPath();
  ctx.moveTo(cx, H - 60);
  ctx.lineTo(cx + length * Math.sin(state[2]), H - 60 - length * Math.cos(state[2]));
  ctx.stroke();
  ctx.lineWidth = 1;
}

/** Draws the page into `root`, with its worker. */
export function cartPolePage(root: HTMLElement): () => void {
  const s = { generations: 20, seed: 0 };
  const status = element("p", { id: "cartpole-status", textContent: "Not trained yet." });
  const curve = element("div", { className: "plots", id: "cartpole-curve" });
  const canvas = element("canvas", { width: 600, height: 260, id: "cartpole-canvas" });
  canvas.style.width = "100%";
  canvas.style.maxWidth = "600px";
  const raster = element("div", { className: "plots", id: "cartpole-raster" });
  const history: { generation: number; meanReturn: number; centerReturn: number }[] = [];
  const worker = startPageWorker();
  let timer = 0;
  const play = (demo: CartPoleDemo) => {
    let k = 0;
    clearInterval(timer);
    timer = window.setInterval(() => {
      drawCart(canvas, demo.states[Math.min(k, demo.states.length - 1)]);
      canvas.dataset.frame = String(k);
      if (++k >= demo.states.length) clearInterval(timer);
    }, 20);
  };
  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const r = event.data;
    if (r.type === "cartpole-progress") {
      history.push(r);
      status.textContent = `generation ${r.generation}: mean return ${r.meanReturn.toFixed(1)}, the centre policy ${r.centerReturn.toFixed(0)}`;
      const x = history.map((h) => h.generation);
      curve.innerHTML = linePlot(
        [
          { label: "population mean", x, y: history.map((h) => h.meanReturn) },
          { label: "centre policy", x, y: history.map((h) => h.centerReturn) },
        ],
        { title: "returns (500: balanced to the end)", xLabel: "generation", yLabel: "return", height: 280 },
      );
    } else if (r.type === "cartpole") {
      const steps = r.demo.states.length - 1;
      status.textContent = `Trained for ${r.demo.generations.length} generations. The episode below lasts ${steps} steps.`;
      status.dataset.generations = JSON.stringify(r.demo.generations);
      status.dataset.steps = String(steps);
      const hidden = r.demo.spikes[0]?.length ?? 0;
      raster.innerHTML = rasterPlot([{ label: "hidden coarse-LIF neurons (spikes per environment step)", steps: r.demo.spikes.length, neurons: hidden, spikes: r.demo.spikes.flat() }], { title: "the policy's spikes", timeLabel: "environment step" });
      play(r.demo);
    } else if (r.type === "error") status.textContent = `Error: ${r.message}`;
  };
  const controls: Control[] = [
    { key: "generations", label: "ES generations", min: 1, max: 60, step: 1 },
    { key: "seed", label: "seed", min: 0, max: 9, step: 1 },
  ];
  const panel = controlPanel(controls, s, () => true, () => undefined);
  const train = element("button", { textContent: "Train and play", id: "cartpole-train", type: "button" });
  train.addEventListener("click", () => {
    history.length = 0;
    status.textContent = "Training…";
    worker.postMessage({ type: "cartpole", generations: s.generations, seed: s.seed } satisfies TrainRequest);
  });
  panel.append(train);
  root.replaceChildren(
    element("h2", { textContent: "Cart-pole" }),
    element("p", { className: "note", textContent: "A policy of coarse-LIF neurons trained by an evolution strategy (as `snnkit control cartpole --method es`), in a Web Worker; then one episode of it, animated, with its neurons' spikes." }),
    element("div", { className: "panel" }, [panel, element("div", {}, [status, curve, canvas, raster])]),
  );
  return () => {
    clearInterval(timer);
    worker.terminate();
  };
}
