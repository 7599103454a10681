// Spike-train lab: a spike train you edit, quantized by the LIF (Moser & Lunglmayr 2024): the output train,
// the residuals, the error in the Alexiewicz norm against the bound ϑ for every reset mode. The numbers are
// those of `snnkit analyze quantize`: the page runs the same job.
import { quantizeJob, type QuantizeResult } from "../../src/tasks/spiketrain/analyze_jobs.js";
import { heatMap, linePlot } from "../../src/plot/svg.js";
import { SpikeTrain } from "../../src/spiketrain/spike_train.js";
import { resonanceSurface } from "../../src/tasks/spiketrain/resonance.js";
import { type Control, controlPanel, element } from "../ui.js";

const RESETS = ["mod", "subtract", "zero"] as const;

/** The lab's settings: the train as text, and the quantizer's. */
interface SpikeTrainSettings {
  times: string;
  amplitudes: string;
  threshold: number;
  alpha: number;
  reset: (typeof RESETS)[number];
}

const numbersOf = (text: string) => text.split(/[\s,]+/).filter(Boolean).map(Number);

/** `analyze quantize` on the lab's train with the given reset (its schema checks the numbers). */
function quantize(s: SpikeTrainSettings, reset: SpikeTrainSettings["reset"]): QuantizeResult {
  const config = quantizeJob.configure({ times: numbersOf(s.times), amplitudes: numbersOf(s.amplitudes), threshold: s.threshold, alpha: s.alpha, reset });
  return quantizeJob.run(config, undefined as never, {}) as QuantizeResult;
}

/** Spikes as stems: a polyline down to 0 and back at each time. */
function stems(label: string, times: readonly number[], amplitudes: readonly number[]) {
  const x: number[] = [];
  const y: number[] = [];
  times.forEach((t, k) => {
    x.push(t, t, t);
    y.push(0, amplitudes[k], 0);
  });
  return { label, x, y, markers: false };
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** Draws the lab into `root`. */
export function spikeTrainLab(root: HTMLElement): void {
  const s: SpikeTrainSettings = { times: "1, 2, 3, 4", amplitudes: "0.6, 0.7, 2.5, -0.4", threshold: 1, alpha: 0, reset: "mod" };
  const out = element("div", { className: "plots", id: "spiketrain-out" });
  const controls: Control[] = [
    { key: "times", label: "spike times (increasing)", text: true },
    { key: "amplitudes", label: "amplitudes", text: true },
    { key: "threshold", label: "threshold ϑ", min: 0.1, max: 3, step: 0.05 },
    { key: "alpha", label: "leak rate α", min: 0, max: 2, step: 0.05 },
    { key: "reset", label: "reset (for the output and residuals)", choices: [...RESETS] },
  ];
  const redraw = () => {
    let r: QuantizeResult;
    try {
      r = quantize(s, s.reset);
    } catch (e) {
      out.replaceChildren(element("p", { className: "bad", textContent: (e as Error).message }));
      return;
    }
    const eta = { times: numbersOf(s.times), amplitudes: numbersOf(s.amplitudes) };
    const rows = RESETS.map((reset) => {
      const q = quantize(s, reset);
      return element("tr", {}, [
        element("td", { textContent: reset }),
        element("td", { textContent: fmt(q.error_norm), className: "error-norm" }),
        element("td", { textContent: fmt(q.bound) }),
        element("td", { textContent: q.holds ? "holds" : "violated", className: q.holds ? "ok" : "bad" }),
      ]);
    });
    const table = element("table", { className: "numbers", id: "bounds" }, [
      element("tr", {}, ["reset", "‖η − LIF(η)‖_A,α", "bound ϑ", "‖·‖ < ϑ"].map((h) => element("th", { textContent: h }))),
      ...rows,
    ]);
    const plot = element("div");
    plot.innerHTML = linePlot([stems("input η", eta.times, eta.amplitudes), stems(`output LIF(η), ${s.reset} reset`, r.output.times, r.output.amplitudes)], {
      title: "spike trains",
      xLabel: "time",
      yLabel: "amplitude",
      height: 300,
    });
    // The resonance surface of the edited train (as `snnkit analyze resonance` draws it): the output's change
    // ‖LIF(η + ν_p) − LIF(η)‖_A,α for a small perturbation ν_p = (p, −p, p) at 2.3, 5.85, 7, over α and p.
    const surface = resonanceSurface(SpikeTrain.from(eta.times, eta.amplitudes), s.threshold, s.reset, { alphaMax: 10, alphaSteps: 21, pSteps: 11 });
    const heat = element("div", { id: "resonance" });
    heat.innerHTML = heatMap(surface.error, surface.ps, surface.alphas, { title: `resonance, reset ${s.reset}: the largest change at α = ${surface.peakAlpha}`, xLabel: "perturbation p", yLabel: "leak rate α", valueLabel: "‖Δ output‖_A,α", height: 360 });
    out.replaceChildren(
      plot,
      element("p", { id: "quantized", textContent: `output spikes: ${r.output.times.map((t, k) => `${fmt(r.output.amplitudes[k])}@${fmt(t)}`).join(", ") || "none"}` }),
      element("p", { id: "residuals", textContent: `residuals: ${r.residuals.map(fmt).join(", ")}` }),
      table,
      heat,
    );
  };
  const panel = controlPanel(controls, s as unknown as Record<string, string | number>, () => true, redraw);
  root.replaceChildren(
    element("h2", { textContent: "Spike-train lab" }),
    element("p", { className: "note", textContent: "The LIF as a quantizer of spike trains: its error in the Alexiewicz norm stays below the threshold ϑ (Moser & Lunglmayr 2024). The numbers are those of `snnkit analyze quantize`." }),
    element("div", { className: "panel" }, [panel, out]),
  );
  redraw();
}
