// Time encoding (Adam 2022): a bandlimited signal, the spike times a time-encoding neuron gives it, and a
// layer's weights recovered from output spike times by least squares, against the true ones. The same
// experiment as `snnkit tem one-layer`.
import { linePlot } from "../../src/plot/svg.js";
import { Rng } from "../../src/random/rng.js";
import { runOneLayer } from "../../src/tasks/tem/one_layer_experiment.js";
import { FourierSignal } from "../../src/tem/fourier_signal.js";
import { DEFAULT_TEM, temEncode } from "../../src/tem/tem_neuron.js";
import { type Control, controlPanel, element } from "../ui.js";

interface TemSettings {
  inputs: number;
  outputs: number;
  examples: number;
  exposure: number;
  jitter: number;
  seed: number;
}

/** Draws the page into `root`. */
export function timeEncodingPage(root: HTMLElement): void {
  const s: TemSettings = { inputs: 8, outputs: 3, examples: 3, exposure: 9, jitter: 0, seed: 0 };
  const out = element("div", { className: "plots", id: "tem-out" });
  const controls: Control[] = [
    { key: "inputs", label: "input signals", min: 1, max: 20, step: 1 },
    { key: "outputs", label: "output neurons", min: 1, max: 8, step: 1 },
    { key: "examples", label: "training examples", min: 1, max: 10, step: 1 },
    { key: "exposure", label: "exposure (signal period 10)", min: 1, max: 30, step: 0.5 },
    { key: "jitter", label: "jitter of spike times (std)", min: 0, max: 0.05, step: 0.001 },
    { key: "seed", label: "seed", min: 0, max: 20, step: 1 },
  ];
  const redraw = () => {
    // One signal and its spikes: the neuron integrates κ⁻¹(y + b) and spikes each time the integral reaches δ.
    const signal = FourierSignal.random(new Rng(s.seed + 1000), 10, 10);
    const times = Array.from(temEncode(signal, DEFAULT_TEM, s.exposure));
    const grid = Array.from({ length: 301 }, (_, i) => (i * s.exposure) / 300);
    const r = runOneLayer({ inputs: s.inputs, outputs: s.outputs, examples: s.examples, exposure: s.exposure, jitter: s.jitter, seed: s.seed });
    const learned = r.fits.flatMap((f) => Array.from(f.weights));
    const truth = r.wTrue.flatMap((w) => Array.from(w));
    const signalPlot = linePlot(
      [
        { label: "signal y(t)", x: grid, y: grid.map((t) => signal.value(t)), markers: false },
        { label: `spike times (${times.length})`, x: times, y: times.map(() => 0), markers: true, line: false },
      ],
      { title: "a bandlimited signal and its time encoding", xLabel: "time", yLabel: "y", height: 280 },
    );
    const weightPlot = linePlot(
      [
        { label: "learned against true", x: truth, y: learned, markers: true, line: false },
        { label: "learned = true", x: [0, 1], y: [0, 1], markers: false },
      ],
      { title: `recovered weights: ‖W − W_true‖_F = ${r.error.toExponential(2)}`, xLabel: "true weight", yLabel: "learned weight", height: 320 },
    );
    out.innerHTML = signalPlot + weightPlot;
    out.prepend(
      element("p", {
        id: "tem-result",
        textContent: `${r.spikes} output spikes; rank per neuron ${r.rank.join(", ")} of ${s.inputs}${r.determined ? "" : " (under-determined: W is not identifiable from these spikes)"}; error ${r.error.toExponential(3)}.`,
      }),
    );
    out.dataset.error = String(r.error);
  };
  const panel = controlPanel(controls, s as unknown as Record<string, string | number>, () => true, redraw);
  root.replaceChildren(
    element("h2", { textContent: "Time encoding" }),
    element("p", { className: "note", textContent: "A layer of time-encoding neurons encodes bandlimited inputs as spike times; its weights are recovered from those times alone (Adam 2022), as `snnkit tem one-layer` does." }),
    element("div", { className: "panel" }, [panel, out]),
  );
  redraw();
}
