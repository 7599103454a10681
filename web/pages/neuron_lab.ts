// Neuron lab: one neuron of each model snnkit has, driven by an input you choose; its membrane and spikes
// redraw as a slider moves. The neurons are the library's own layers (and the transfer's continuous-time
// LIF), run on the js backend; the plots are the library's SVG plots.
import { setBackend } from "../../src/backend/registry.js";
import { CoarseLIF } from "../../src/neurons/coarse_lif.js";
import { COARSE_NEURON, runContinuousLif } from "../../src/neurons/continuous_lif.js";
import { IF, LIF } from "../../src/neurons/lif_module.js";
import type { SpikingNeuron } from "../../src/neurons/neuron.js";
import { NoisyLIF } from "../../src/neurons/noisy_lif.js";
import { Synaptic } from "../../src/neurons/synaptic.js";
import { linePlot, rasterPlot } from "../../src/plot/svg.js";
import { Rng } from "../../src/random/rng.js";
import { NOISE_FAMILIES } from "../../src/surrogate/noise.js";
import { tensor } from "../../src/tensor/creation.js";
import { noGrad, tidy } from "../../src/tensor/engine.js";
import { spreadSteps } from "../../src/transfer/impulses.js";
import { type Control, controlPanel, element } from "../ui.js";

/** The neuron models of the lab. */
const NEURON_MODELS = ["lif", "if", "coarse", "synaptic", "noisy", "continuous"] as const;
type NeuronModel = (typeof NEURON_MODELS)[number];
const INPUTS = ["constant", "steps", "poisson", "spike train", "drawn"] as const;

/** Everything the lab's controls set. */
interface NeuronSettings {
  model: NeuronModel;
  beta: number;
  tau: number;
  threshold: number;
  reset: "subtract" | "zero" | "none";
  alpha: number;
  noise: (typeof NOISE_FAMILIES)[number];
  noiseScale: number;
  refractory: number;
  input: (typeof INPUTS)[number];
  amplitude: number;
  rate: number;
  train: string;
  steps: number;
  seed: number;
  /** The drawn input: a value in [0, 2] per step. */
  drawn: number[];
}

/** The input current per step. */
function inputCurrent(s: NeuronSettings): number[] {
  const rng = new Rng(s.seed);
  const times = new Set(s.train.split(/[\s,]+/).filter(Boolean).map(Number).filter((t) => Number.isInteger(t) && t >= 0));
  return Array.from({ length: s.steps }, (_, t) => {
    if (s.input === "constant") return s.amplitude;
    if (s.input === "steps") return t >= s.steps * 0.2 && t < s.steps * 0.6 ? s.amplitude : 0;
    if (s.input === "poisson") return rng.uniform() < s.rate ? s.amplitude : 0;
    if (s.input === "drawn") return s.drawn[t] ?? 0;
    return times.has(t) ? s.amplitude : 0;
  });
}

/** The layer of a model (the continuous-time LIF has none: it runs on impulses). */
function layerOf(s: NeuronSettings): SpikingNeuron {
  switch (s.model) {
    case "lif":
      return new LIF({ beta: s.beta, threshold: s.threshold, reset: s.reset });
    case "if":
      return new IF({ threshold: s.threshold, reset: s.reset });
    case "coarse":
      return new CoarseLIF({ tau: s.tau, threshold: s.threshold });
    case "synaptic":
      return new Synaptic({ alpha: s.alpha, beta: s.beta, threshold: s.threshold, reset: s.reset });
    case "noisy":
      return new NoisyLIF({ beta: s.beta, threshold: s.threshold, reset: s.reset === "none" ? "subtract" : s.reset, noise: `${s.noise}:${s.noiseScale}`, seed: s.seed });
    default:
      throw new Error(`no layer for ${s.model}`);
  }
}

/** The neuron's membrane at every step and its spikes per step. */
function simulateNeuron(s: NeuronSettings): { input: number[]; membrane: number[]; spikes: number[] } {
  const input = inputCurrent(s);
  if (s.model === "continuous") {
    // The transfer's neuron: each step's input spread as 16 impulses in the step, exact between them.
    const run = runContinuousLif(spreadSteps(input, 16, "even", null), s.tau, s.steps, true, "crossing", { ...COARSE_NEURON, threshold: s.threshold, refractory: s.refractory });
    const spikes = new Array<number>(s.steps).fill(0);
    for (const t of run.spikes) spikes[Math.min(s.steps - 1, Math.floor(t))]++;
    return { input, membrane: Array.from(run.stepEnds!), spikes };
  }
  setBackend("js");
  const layer = layerOf(s);
  try {
    return tidy(() =>
      noGrad(() => {
        const r = layer.run(tensor(Float32Array.from(input), [s.steps, 1, 1]));
        return { input, membrane: Array.from(r.membrane.dataFloat32()), spikes: Array.from(r.spikes.dataFloat32()) };
      }),
    );
  } finally {
    layer.dispose();
  }
}

const DEFAULTS: NeuronSettings = { model: "lif", beta: 0.9, tau: 4, threshold: 1, reset: "subtract", alpha: 0.8, noise: "gaussian", noiseScale: 0.3, refractory: 1, input: "constant", amplitude: 0.25, rate: 0.2, train: "5, 6, 7, 30, 31, 60", steps: 100, seed: 1, drawn: new Array<number>(100).fill(0) };

/** A canvas to draw the input on: x the time step, y the current (0 at the bottom, 2 at the top); `changed` after each stroke. */
function inputCanvas(s: NeuronSettings, changed: () => void): HTMLCanvasElement {
  const canvas = element("canvas", { width: 300, height: 100, id: "input-draw" });
  canvas.style.width = "100%";
  canvas.style.border = "1px solid #ccc";
  canvas.style.touchAction = "none";
  const ctx = canvas.getContext("2d")!;
  const paint = () => {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, 300, 100);
    ctx.fillStyle = "#2ca02c";
    s.drawn.forEach((v, t) => ctx.fillRect((t * 300) / s.steps, 100 - v * 50, 300 / s.steps, v * 50));
  };
  let down = false;
  let last: number | null = null;
  const at = (e: PointerEvent) => {
    const r = canvas.getBoundingClientRect();
    const t = Math.max(0, Math.min(s.steps - 1, Math.floor(((e.clientX - r.left) / r.width) * s.steps)));
    const v = Math.max(0, Math.min(2, 2 * (1 - (e.clientY - r.top) / r.height)));
    // Every step between the last point and this one takes this value: a fast stroke leaves no gaps.
    for (let k = Math.min(last ?? t, t); k <= Math.max(last ?? t, t); k++) s.drawn[k] = v;
    last = t;
    paint();
    changed();
  };
  canvas.addEventListener("pointerdown", (e) => {
    down = true;
    last = null;
    canvas.setPointerCapture(e.pointerId);
    at(e);
  });
  canvas.addEventListener("pointermove", (e) => down && at(e));
  canvas.addEventListener("pointerup", () => (down = false));
  paint();
  return canvas;
}

/** Which controls a model (and its input) uses. */
const USES: Record<string, (m: NeuronModel, s: NeuronSettings) => boolean> = {
  rate: (_m, s) => s.input === "poisson",
  train: (_m, s) => s.input === "spike train",
  beta: (m) => m === "lif" || m === "synaptic" || m === "noisy",
  tau: (m) => m === "coarse" || m === "continuous",
  reset: (m) => m === "lif" || m === "if" || m === "synaptic" || m === "noisy",
  alpha: (m) => m === "synaptic",
  noise: (m) => m === "noisy",
  noiseScale: (m) => m === "noisy",
  refractory: (m) => m === "continuous",
};

/** Draws the lab into `root`. */
export function neuronLab(root: HTMLElement): void {
  const s: NeuronSettings = { ...DEFAULTS, drawn: [...DEFAULTS.drawn] };
  const plots = element("div", { className: "plots", id: "neuron-plots" });
  const controls: Control[] = [
    { key: "model", label: "neuron", choices: [...NEURON_MODELS] },
    { key: "beta", label: "leak β per step", min: 0, max: 1, step: 0.01 },
    { key: "tau", label: "τ (steps)", min: 0.5, max: 50, step: 0.5 },
    { key: "threshold", label: "threshold θ", min: 0.1, max: 3, step: 0.05 },
    { key: "reset", label: "reset", choices: ["subtract", "zero", "none"] },
    { key: "alpha", label: "synaptic decay α per step", min: 0, max: 0.99, step: 0.01 },
    { key: "noise", label: "noise family", choices: [...NOISE_FAMILIES] },
    { key: "noiseScale", label: "noise scale", min: 0.01, max: 1, step: 0.01 },
    { key: "refractory", label: "refractory period (steps)", min: 0, max: 3, step: 0.25 },
    { key: "input", label: "input", choices: [...INPUTS] },
    { key: "amplitude", label: "input amplitude", min: 0, max: 2, step: 0.01 },
    { key: "rate", label: "Poisson: probability per step", min: 0, max: 1, step: 0.01 },
    { key: "train", label: "spike train: input steps", text: true },
  ];
  const redraw = () => {
    const r = simulateNeuron(s);
    const x = r.membrane.map((_, t) => t);
    plots.innerHTML =
      linePlot(
        [
          { label: "membrane", x, y: r.membrane, markers: false },
          { label: "threshold θ", x: [0, s.steps - 1], y: [s.threshold, s.threshold], markers: false },
          { label: "input", x, y: r.input, markers: false },
        ],
        { title: `${s.model}: membrane (${r.spikes.reduce((a, b) => a + b, 0)} spikes)`, xLabel: "time step", yLabel: "membrane / input", height: 320 },
      ) +
      rasterPlot(
        [
          { label: "input (non-zero steps)", steps: s.steps, neurons: 1, spikes: r.input.map((v) => (v !== 0 ? 1 : 0)) },
          { label: "output spikes", steps: s.steps, neurons: 1, spikes: r.spikes },
        ],
        { title: "spikes" },
      );
  };
  const drawing = element("div", {}, [element("label", { htmlFor: "input-draw", textContent: "draw the input (time →, current ↑)" })]);
  const panel = controlPanel(controls, s as unknown as Record<string, string | number>, (key) => !(key in USES) || USES[key](s.model, s), () => {
    drawing.hidden = s.input !== "drawn";
    redraw();
  });
  drawing.append(inputCanvas(s, redraw));
  drawing.hidden = true;
  panel.append(drawing);
  root.replaceChildren(element("h2", { textContent: "Neuron lab" }), element("p", { className: "note", textContent: "Each model is snnkit's own layer (the continuous-time LIF is the transfer's neuron, exact between input impulses). Move a slider: the trace redraws." }), element("div", { className: "panel" }, [panel, plots]));
  redraw();
}
