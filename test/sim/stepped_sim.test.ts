// The time-stepped simulator: agreement with the exact event-driven one as dt → 0, and the W5 network.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as SIM from "../../src/sim.js";
import * as T from "../../src/tasks.js";

test("time-stepped spike times converge to the exact event-driven ones as dt → 0", () => {
  const spec = SIM.parseNetwork({ neurons: { count: 1, tau: 0.02, threshold: 1, reset: "zero", refractory: 0.002, bias: 80 } }, "n");
  const exact = SIM.simulateEvents(spec, { duration: 0.2 }).spikes[0].times;
  const errors = [1e-4, 1e-5, 1e-6].map((dt) => {
    const stepped = SIM.simulateStepped(spec, { duration: 0.2, dt }).spikeTimes[0];
    assert.equal(stepped.length, exact.length, `dt ${dt}`);
    return Math.max(...exact.map((t, k) => Math.abs(t - stepped[k])));
  });
  assert.ok(errors[0] > errors[1] && errors[1] > errors[2], `errors ${errors}`);
  assert.ok(errors[2] < 1e-4, `errors ${errors}`);
});

/** Spike times with each spike repeated by its amplitude (a burst of n at one instant → n equal times). */
const expand = (times: ArrayLike<number>, amplitudes: ArrayLike<number>) => {
  const out: number[] = [];
  for (let k = 0; k < times.length; k++) for (let j = 0; j < amplitudes[k]; j++) out.push(times[k]);
  return out;
};

/** Largest spike-time difference between the two modes (Infinity when a neuron's counts differ). */
function modeDistance(spec: SIM.NetworkSpec, duration: number, dt: number): number {
  const exact = SIM.simulateEvents(spec, { duration });
  const stepped = SIM.simulateStepped(spec, { duration, dt });
  let err = 0;
  exact.spikes.forEach((s, i) => {
    const a = expand(s.times, s.amplitudes);
    const b = expand(stepped.spikeTimes[i], stepped.spikeAmplitudes[i]);
    if (a.length !== b.length) err = Infinity;
    else a.forEach((t, k) => (err = Math.max(err, Math.abs(t - b[k]))));
  });
  return err;
}

test("the reported supra-threshold cases: both modes agree as dt → 0 (refires, bursts, v0 above θ)", () => {
  const tau = 0.02;
  const input = { inputs: [{ neuron: 0, times: [0.01], weights: [2.5] }] };
  const cases: [string, SIM.NetworkSpec][] = [
    ["subtract, refractory 1 ms", SIM.parseNetwork({ neurons: { count: 1, tau, threshold: 1, reset: "subtract", refractory: 0.001 }, ...input }, "a")],
    ["subtract, no refractory period (burst)", SIM.parseNetwork({ neurons: { count: 1, tau, threshold: 1, reset: "subtract" }, ...input }, "b")],
    ["mod", SIM.parseNetwork({ neurons: { count: 1, tau, threshold: 1, reset: "mod" }, ...input }, "c")],
    ["v0 = 1.2, Iτ = 1.2, zero reset", SIM.parseNetwork({ neurons: { count: 1, tau, threshold: 1, reset: "zero", refractory: 0.002, bias: 60, v0: [1.2] } }, "d")],
  ];
  for (const [name, spec] of cases) {
    const errors = [1e-4, 1e-5, 1e-6].map((dt) => modeDistance(spec, 0.1, dt));
    assert.ok(errors[2] <= 3e-6 && errors[2] < errors[1] && errors[1] < errors[0], `${name}: errors ${errors}`);
  }
});

test("random feedforward networks (every reset, with and without refractoriness, delays, bias): the modes agree as dt → 0", () => {
  const rng = new S.Rng(11);
  const resets = ["zero", "subtract", "mod"] as const;
  const disagree: string[] = [];
  for (let n = 0; n < 30; n++) {
    const N = 6;
    const syn = { pre: [] as number[], post: [] as number[], weight: [] as number[], delay: [] as number[] };
    for (let i = 0; i < N; i++)
      for (let j = i + 1; j < N; j++)
        if (rng.uniform() < 0.5) {
          syn.pre.push(i);
          syn.post.push(j);
          syn.weight.push(0.2 + 1.3 * rng.uniform());
          syn.delay.push(0.0002 + 0.003 * rng.uniform());
        }
    const inputs = [0, 1].map((neuron) => ({
      neuron,
      times: Array.from({ length: 15 }, () => 0.1 * rng.uniform()).sort((a, b) => a - b),
      weights: Array.from({ length: 15 }, () => 0.3 + 1.5 * rng.uniform()),
    }));
    // Iτ away from θ: near Iτ = θ a crossing time is ill-conditioned (dt/(Iτ − θ)).
    const bias = (rng.uniform() < 0.5 ? 0.8 * rng.uniform() : 1.3 + 0.7 * rng.uniform()) / 0.02;
    const refractory = rng.uniform() < 0.5 ? 0 : 0.002;
    const spec = SIM.parseNetwork({ neurons: { count: N, tau: 0.02, threshold: 1, reset: resets[n % 3], refractory, bias }, synapses: syn, inputs }, "random");
    // First order in dt: the spike counts agree and the times converge (errors accumulate over a few
    // dozen spikes). dt = 1e-7 resolves inputs that arrive within a microsecond of a spike, which a
    // step of 1e-6 puts in the spike's own step; exact coincidences (an input at the instant a
    // refractory period ends) follow the same rule in both modes (the end is included).
    const [coarse, fine] = [1e-6, 1e-7].map((dt) => modeDistance(spec, 0.1, dt));
    if (!(fine <= 2e-4 && (coarse === Infinity || fine < coarse / 3))) disagree.push(`network ${n} (${resets[n % 3]}, refractory ${refractory}): errors ${coarse}, ${fine}`);
  }
  assert.deepEqual(disagree, []);
});

test("work limits of the stepped mode: steps, Poisson events and the delay buffer are checked before allocation", () => {
  const one = SIM.parseNetwork({ neurons: { count: 1, threshold: 1 } }, "n");
  assert.throws(() => SIM.simulateStepped(one, { duration: 1, dt: 1e-300 }), (e: unknown) => e instanceof S.LimitError && /maxNeuronSteps/.test(e.message));
  const driven = SIM.parseNetwork({ neurons: { count: 10, threshold: 1 }, poisson: [{ neurons: "all", rate: 1e9, weight: 0.1 }] }, "p");
  assert.throws(() => SIM.simulateStepped(driven, { duration: 1, dt: 1e-3 }), /maxEvents/);
  const delayed = SIM.parseNetwork({ neurons: { count: 1000, threshold: 1 }, synapses: { pre: [0], post: [1], weight: [1], delay: [10] } }, "d");
  assert.throws(() => SIM.simulateStepped(delayed, { duration: 100, dt: 1e-6, maxNeuronSteps: 1e12 }), /maxBufferBytes/);
  // A delay longer than the run never arrives and needs no buffer beyond the run.
  assert.equal(SIM.simulateStepped(delayed, { duration: 0.01, dt: 1e-4 }).synapticEvents, 0);
});

test("a small W5-style network fires near the rate the drive and coupling imply; bad options are rejected", () => {
  const net = T.w5Network(1, 1000);
  assert.ok(Math.abs(net.synapses.pre.length - 0.02 * 1000 * 1000) < 4 * Math.sqrt(20000));
  const r = SIM.simulateStepped(net, { duration: 0.2, dt: 1e-4, seed: 2 });
  assert.ok(r.meanRateHz > 2 && r.meanRateHz < 40, `rate ${r.meanRateHz}`);
  assert.ok(Math.abs(r.externalEvents - 1000 * 2200 * 0.2) < 5 * Math.sqrt(1000 * 2200 * 0.2));
  assert.throws(() => SIM.simulateStepped(net, { duration: 1, dt: 0 }), S.ValueError);
});
