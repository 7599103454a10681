// Train in the browser: a preset trained on the embedded digits in a Web Worker (the same task and runner
// as `snnkit train`), its loss and accuracy drawn live; then a digit drawn on a canvas, classified by the
// network with the spikes of every layer; or a model file from `snnkit export` loaded and run.
import { linePlot } from "../../src/plot/svg.js";
import type { TrainRequest, TrainReply } from "../workers/train_worker.js";
import { startPageWorker } from "../page_worker.js";
import { type Control, controlPanel, element } from "../ui.js";

/** The settings of a run in the page (the CLI's flags of the same names). */
interface PageTrainSettings {
  model: "mlp" | "conv";
  epochs: number;
  trainLimit: number;
  steps: number;
  lr: number;
}

/** The 28 × 28 gray pixels (0–1, white on black as MNIST) of a drawing canvas. */
function pixelsOf(canvas: HTMLCanvasElement): Float32Array {
  const small = element("canvas", { width: 28, height: 28 });
  const ctx = small.getContext("2d", { willReadFrequently: true })!;
  ctx.drawImage(canvas, 0, 0, 28, 28);
  const rgba = ctx.getImageData(0, 0, 28, 28).data;
  return Float32Array.from({ length: 784 }, (_, i) => rgba[4 * i] / 255);
}

/** A black canvas to draw on in white with a thick pen (mouse, pen or touch). */
function drawingCanvas(): HTMLCanvasElement {
  const canvas = element("canvas", { width: 280, height: 280, id: "draw" });
  canvas.style.touchAction = "none";
  const ctx = canvas.getContext("2d")!;
  const clear = () => {
    ctx.fillStyle = "black";
    ctx.fillRect(0, 0, 280, 280);
  };
  clear();
  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * 280) / r.width, ((e.clientY - r.top) * 280) / r.height];
  };
  canvas.addEventListener("pointerdown", (e) => {
    last = at(e);
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!last) return;
    const next = at(e);
    ctx.strokeStyle = "white";
    ctx.lineWidth = 22;
    ctx.lineCap = "round";
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...next);
    ctx.stroke();
    last = next;
  });
  canvas.addEventListener("pointerup", () => (last = null));
  (canvas as HTMLCanvasElement & { clear: () => void }).clear = clear;
  return canvas;
}

/** Draws the page into `root`, with its worker. */
export function trainPage(root: HTMLElement): () => void {
  const s: PageTrainSettings = { model: "mlp", epochs: 1, trainLimit: 4000, steps: 4, lr: 4e-3 };
  const worker = startPageWorker();
  const asset = new URL("digits.bin", document.baseURI).href;
  const status = element("p", { id: "train-status", textContent: "Not trained yet. The digits load from the page (8,000 to train, 2,000 to test)." });
  const curves = element("div", { className: "plots", id: "train-curves" });
  const epochs = element("div", { id: "train-epochs" });
  const raster = element("div", { className: "plots", id: "train-raster" });
  const answer = element("p", { id: "answer" });
  const answerRaster = element("div", { className: "plots", id: "answer-raster" });
  const history: { step: number; loss: number; accuracy: number }[] = [];
  const send = (r: TrainRequest) => worker.postMessage(r);
  const start = (resume: boolean) => {
    history.length = 0;
    send({ type: "start", resume, asset, fields: { model: s.model, neuron: "lif", encoding: "direct", steps: s.steps, epochs: s.epochs, trainLimit: s.trainLimit, testLimit: 500, lr: s.lr, batchSize: 64 } });
    status.textContent = resume ? "Resuming…" : "Training…";
  };
  worker.onmessage = (event: MessageEvent<TrainReply>) => {
    const r = event.data;
    if (r.type === "started") status.textContent = r.resumed ? `Resumed at epoch ${r.epoch + 1}, batch ${r.unit} of ${r.units}.` : "Training…";
    else if (r.type === "progress") {
      history.push({ step: r.epoch * r.batches + r.batch, loss: r.loss, accuracy: r.accuracy });
      status.textContent = `epoch ${r.epoch + 1}: batch ${r.batch}/${r.batches}, loss ${r.loss.toFixed(3)}, accuracy ${(100 * r.accuracy).toFixed(1)} %, ${r.samplesPerSecond.toFixed(0)} samples/s`;
      const x = history.map((h) => h.step);
      curves.innerHTML = linePlot(
        [
          { label: "loss (running)", x, y: history.map((h) => h.loss), markers: false },
          { label: "accuracy (running)", x, y: history.map((h) => h.accuracy), axis: "right", markers: false },
        ],
        { title: "training", xLabel: "batch", yLabel: "loss", yLabelRight: "accuracy", height: 300 },
      );
    } else if (r.type === "epoch")
      epochs.append(element("p", { textContent: `epoch ${r.epoch}: train ${(100 * r.train_accuracy).toFixed(2)} %${r.validation_accuracy === undefined ? "" : `, validation ${(100 * r.validation_accuracy).toFixed(2)} %`}, test ${(100 * r.test_accuracy).toFixed(2)} % (${r.seconds.toFixed(1)} s)` }));
    else if (r.type === "done") {
      status.textContent = `${r.completed ? "Done" : "Stopped"}: test accuracy ${(100 * r.test_accuracy).toFixed(2)} % on 500 test digits after ${r.seconds.toFixed(1)} s.`;
      status.dataset.testAccuracy = String(r.test_accuracy);
      raster.innerHTML = r.raster;
    } else if (r.type === "classified") {
      answer.textContent = `The network says ${r.class} (scores ${r.scores.map((v) => v.toFixed(2)).join(", ")}).`;
      answer.dataset.class = String(r.class);
      answerRaster.innerHTML = r.raster;
    } else if (r.type === "model-loaded") {
      status.textContent = `Loaded ${r.name}: a ${r.model} network (${r.neuron} neurons, T = ${r.steps}). Draw a digit and classify it.`;
      status.dataset.loaded = r.name;
    } else if (r.type === "error") status.textContent = `Error: ${r.message}`;
  };
  const controls: Control[] = [
    { key: "model", label: "preset", choices: ["mlp", "conv"] },
    { key: "epochs", label: "epochs", min: 1, max: 5, step: 1 },
    { key: "trainLimit", label: "training digits", min: 500, max: 7000, step: 500 },
    { key: "steps", label: "time steps T", min: 1, max: 16, step: 1 },
  ];
  const panel = controlPanel(controls, s as unknown as Record<string, string | number>, () => true, () => undefined);
  const button = (text: string, id: string, onClick: () => void) => {
    const b = element("button", { textContent: text, id, type: "button" });
    b.addEventListener("click", onClick);
    return b;
  };
  panel.append(button("Train", "train", () => start(false)), button("Stop", "stop", () => send({ type: "stop" })), button("Resume", "resume", () => start(true)));
  const file = element("input", { type: "file", id: "model-file", accept: ".json,.nir,application/json" });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (f) send({ type: "load-model", name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
  });
  panel.append(element("label", { htmlFor: "model-file", textContent: "or load a model file (snnkit export: JSON or NIR):" }), file);
  const canvas = drawingCanvas();
  const drawing = element("div", { className: "controls" }, [
    element("p", { textContent: "Draw a digit (white on black), then classify it with the trained network." }),
    canvas,
    element("div", {}, [
      button("Classify", "classify", () => send({ type: "classify", pixels: pixelsOf(canvas), asset })),
      button("Clear", "clear", () => (canvas as HTMLCanvasElement & { clear: () => void }).clear()),
    ]),
    answer,
  ]);
  root.replaceChildren(
    element("h2", { textContent: "Train in the browser" }),
    element("p", { className: "note", textContent: "The preset trains in a Web Worker through the same task and runner as `snnkit train`; its checkpoints go to IndexedDB, so a reload can resume the run." }),
    element("div", { className: "panel" }, [panel, element("div", {}, [status, curves, epochs, raster])]),
    element("div", { className: "panel" }, [drawing, answerRaster]),
  );
  return () => worker.terminate();
}
