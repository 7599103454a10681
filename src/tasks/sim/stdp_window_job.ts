// `snnkit stdp window`: the STDP window measured as in the experiments (Bi & Poo 1998): a pre- and a
// postsynaptic neuron, simulated exactly, are made to fire at offsets Δt = t_post − t_pre over ±span,
// `pairings` times at `frequency`; the weight change per pairing is plotted against Δt.
import { z } from "zod";
import { ValueError } from "../../errors.js";
import { finiteNumber as number, integerIn as integer, parseSettings } from "../../io/validate.js";
import { linePlot } from "../../plot/svg.js";
import { simulateEvents } from "../../sim/event_sim.js";
import { parseNetwork } from "../../sim/network.js";
import { applyStdp, PAIR_STDP, type StdpRule, StdpSynapse, TRIPLET_STDP } from "../../sim/stdp.js";
import type { Job } from "../run/job.js";
import { withDefaults } from "../run/settings.js";

const windowSchema = z.strictObject({
  rule: z.enum(["pair", "triplet"]).describe("pair-based STDP (Song et al. 2000) or triplet STDP (Pfister & Gerstner 2006)"),
  spanMs: number("a number in (0, 1000]", (x) => x > 0 && x <= 1000).describe("offsets Δt from −span to +span (ms)"),
  stepMs: number("a number in [0.1, 1000]", (x) => x >= 0.1 && x <= 1000).describe("step between offsets (ms)"),
  pairings: integer(1, 10_000).describe("pairings per offset"),
  frequency: number("a number in (0, 100]", (x) => x > 0 && x <= 100).describe("pairings per second (Hz)"),
});
/** What `snnkit stdp window` runs. */
export type StdpWindowConfig = z.output<typeof windowSchema>;

/** The measured window: offsets (ms), weight change per pairing, and the rule's parameters (times in ms). */
export interface StdpWindowResult {
  rule: string;
  dt_ms: number[];
  dw: number[];
  params: { a_plus: number; a_minus: number; tau_plus_ms: number; tau_minus_ms: number; a3_plus: number; a3_minus: number; tau_x_ms: number; tau_y_ms: number; interaction: string; update: string };
  pairings: number;
  frequency_hz: number;
  files: Record<string, string>;
}

const defaults: Partial<StdpWindowConfig> = { rule: "pair", spanMs: 100, stepMs: 2, pairings: 60, frequency: 1 };

/** The spike trains of a pre- and a postsynaptic neuron driven to fire at t_k and t_k + Δt (k < pairings), simulated exactly. */
export function pairedSpikes(dt: number, pairings: number, frequency: number): { pre: Float64Array; post: Float64Array } {
  const period = 1 / frequency;
  const start = Math.abs(dt) + 0.01; // every spike after t = 0
  const at = (offset: number) => Array.from({ length: pairings }, (_, k) => start + k * period + offset);
  // Each neuron fires at once on an input of 1.5 θ (reset to zero, no leak): its spikes are the input times.
  const net = parseNetwork(
    {
      neurons: { count: 2, threshold: 1, reset: "zero" },
      inputs: [
        { neuron: 0, times: at(0), weights: new Array(pairings).fill(1.5) },
        { neuron: 1, times: at(dt), weights: new Array(pairings).fill(1.5) },
      ],
    },
    "stdp window",
  );
  const r = simulateEvents(net, { duration: start + pairings * period + Math.abs(dt) });
  return { pre: Float64Array.from(r.spikes[0].times), post: Float64Array.from(r.spikes[1].times) };
}

/** Pairs two neurons at offsets over ±span and measures the rule's weight change per pairing. */
export const stdpWindowJob: Job<StdpWindowConfig, StdpWindowResult> = {
  name: "stdp window",
  description: "the STDP window: a pre- and a postsynaptic neuron paired at offsets Δt = t_post − t_pre over ±span, the weight change per pairing (--json: dt_ms, dw, params)",
  schema: windowSchema,
  defaults,
  configure(fields) {
    const c = parseSettings(windowSchema, withDefaults(defaults, fields));
    // Beyond half the period, a pre spike is nearer the next pairing's post spike than its own.
    if (c.spanMs >= 500 / c.frequency) throw new ValueError("--span-ms", `less than half the pairing period (${500 / c.frequency} ms at --frequency ${c.frequency})`, c.spanMs);
    return c;
  },
  run(c, { store }, hooks) {
    const rule: StdpRule = c.rule === "pair" ? PAIR_STDP : TRIPLET_STDP;
    const steps = Math.floor((2 * c.spanMs) / c.stepMs + 1e-9);
    const dtMs = Array.from({ length: steps + 1 }, (_, k) => -c.spanMs + k * c.stepMs);
    const w0 = (rule.wMin + rule.wMax) / 2;
    const dw = dtMs.map((d, k) => {
      hooks.progress?.("stdp window: offsets", k, dtMs.length);
      const { pre, post } = pairedSpikes(d / 1000, c.pairings, c.frequency);
      return (applyStdp(new StdpSynapse(rule, w0), pre, post) - w0) / c.pairings;
    });
    store.write("window.json", `${JSON.stringify({ dt_ms: dtMs, dw })}\n`);
    store.write("window.svg", linePlot([{ label: `${c.rule} STDP, ${c.pairings} pairings at ${c.frequency} Hz`, x: dtMs, y: dw }], { title: "STDP window", xLabel: "Δt = t_post − t_pre (ms)", yLabel: "Δw per pairing" }));
    const ms = (s: number) => s * 1000;
    return {
      rule: c.rule,
      dt_ms: dtMs,
      dw,
      params: {
        a_plus: rule.aPlus,
        a_minus: rule.aMinus,
        tau_plus_ms: ms(rule.tauPlus),
        tau_minus_ms: ms(rule.tauMinus),
        a3_plus: rule.a3Plus,
        a3_minus: rule.a3Minus,
        tau_x_ms: ms(rule.tauX),
        tau_y_ms: ms(rule.tauY),
        interaction: rule.interaction,
        update: rule.update,
      },
      pairings: c.pairings,
      frequency_hz: c.frequency,
      files: { window: store.where("window.json"), plot: store.where("window.svg") },
    };
  },
  summary: (r) => {
    const shown = [-40, -20, -10, -2, 0, 2, 10, 20, 40].map((d) => r.dt_ms.findIndex((x) => Math.abs(x - d) < 1e-9)).filter((k) => k >= 0);
    return [
      `${r.rule} STDP, ${r.pairings} pairings at ${r.frequency_hz} Hz per offset (A+ ${r.params.a_plus}, A− ${r.params.a_minus}, τ+ ${r.params.tau_plus_ms} ms, τ− ${r.params.tau_minus_ms} ms):`,
      ...shown.map((k) => `  Δt ${r.dt_ms[k].toFixed(1).padStart(6)} ms: Δw ${r.dw[k].toExponential(3)}`),
      ...Object.entries(r.files).map(([k, v]) => `${k}: ${v}`),
    ].join("\n");
  },
};
