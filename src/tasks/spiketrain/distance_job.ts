// `snnkit analyze distance`: how far apart two spike trains are, in the leaky Alexiewicz norm of their
// difference (Moser & Lunglmayr 2024), the van Rossum distance and the Victor–Purpura distance.
import { z } from "zod";
import { finiteNumber as number } from "../../io/validate.js";
import { alexiewiczNorm, vanRossumDistance, victorPurpuraDistance } from "../../spiketrain/norms.js";
import { SpikeTrain } from "../../spiketrain/spike_train.js";
import { type Job, schemaSettings } from "../run/job.js";

/** Spikes per train: Victor–Purpura's dynamic programme takes n·m steps, at most 10⁸ (a fraction of a second). */
const MAX_SPIKES = 10_000;
const values = (what: string) => z.array(number("a finite number")).min(1, "expected at least one spike").max(MAX_SPIKES, `expected at most ${MAX_SPIKES} spikes`).describe(what);

const distanceSchema = z.strictObject({
  times: values("spike times of η, strictly increasing, e.g. 1,2,3"),
  amplitudes: values("amplitudes of η (default all 1)").optional(),
  otherTimes: values("spike times of ζ, strictly increasing"),
  otherAmplitudes: values("amplitudes of ζ (default all 1)").optional(),
  alpha: number("a number in [0, 1e6]", (x) => x >= 0 && x <= 1e6).describe("leak rate α of the Alexiewicz norm (0: the plain norm)"),
  tau: number("a number in (0, 1e12]", (x) => x > 0 && x <= 1e12).describe("time constant τ of the van Rossum distance"),
  q: number("a number in [0, 1e12]", (x) => x >= 0 && x <= 1e12).describe("cost per unit of time of moving a spike (Victor–Purpura)"),
});
/** What `snnkit analyze distance` compares. */
export type DistanceConfig = z.output<typeof distanceSchema>;

/** Three distances between η and ζ. */
export interface DistanceResult {
  /** ‖η − ζ‖_{A,α} = max_k |Σ_{i≤k} e^{−α(t_k − t_i)} c_i| over the difference's spikes (c: amplitudes of η, minus ζ's). */
  alexiewicz: number;
  /** van Rossum: D² = ½ Σ_{i,j} c_i c_j e^{−|t_i − t_j|/τ}. */
  van_rossum: number;
  /** Victor–Purpura D^spike[q]: the least cost of deleting, inserting (1 each) and shifting (q·|Δt|) spikes. */
  victor_purpura: number;
}

/** The distances between two spike trains given as times (and amplitudes). */
export const distanceJob: Job<DistanceConfig, DistanceResult> = {
  name: "analyze distance",
  description: "distances between two spike trains: the Alexiewicz norm of their difference, van Rossum and Victor–Purpura",
  ...schemaSettings<DistanceConfig>(distanceSchema, { alpha: 0, tau: 1, q: 1 }),
  run(c) {
    const eta = SpikeTrain.from(c.times, c.amplitudes);
    const zeta = SpikeTrain.from(c.otherTimes, c.otherAmplitudes);
    return { alexiewicz: alexiewiczNorm(eta.sub(zeta), c.alpha), van_rossum: vanRossumDistance(eta, zeta, c.tau), victor_purpura: victorPurpuraDistance(eta, zeta, c.q) };
  },
  summary: (r, c) => `‖η − ζ‖_A,α = ${r.alexiewicz} (α = ${c.alpha}); van Rossum ${r.van_rossum} (τ = ${c.tau}); Victor–Purpura ${r.victor_purpura} (q = ${c.q})`,
};
