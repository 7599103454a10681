// Exact event-driven LIF networks: closed-form spike times, agreement with the quantizer, delays,
// refractoriness, Poisson drive, membrane recording, and network-file validation.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as ST from "../../src/spiketrain.js";
import * as SIM from "../../src/sim.js";
import * as T from "../../src/tasks.js";

const net = (neurons: Record<string, unknown>, rest: Record<string, unknown> = {}) => SIM.parseNetwork({ neurons, ...rest }, "test.json");

test("one neuron with a constant current spikes at the analytic times t_k = k·T* + (k − 1)·r", () => {
  const tau = 0.02;
  const I = 80; // Iτ = 1.6 > θ = 1
  const r = 0.002;
  const spec = net({ count: 1, tau, threshold: 1, reset: "zero", refractory: r, bias: I });
  const out = SIM.simulateEvents(spec, { duration: 0.5 });
  const Tstar = tau * Math.log((I * tau) / (I * tau - 1));
  const t = out.spikes[0].times;
  assert.equal(t.length, Math.floor((0.5 + r) / (Tstar + r)));
  t.forEach((tk, k) => assert.ok(Math.abs(tk - ((k + 1) * Tstar + k * r)) < 1e-12, `spike ${k}: ${tk}`));
  // Without leak: v = I t, spikes every θ/I.
  const noLeak = SIM.simulateEvents(net({ count: 1, threshold: 1, bias: 10 }), { duration: 1 });
  noLeak.spikes[0].times.forEach((tk, k) => assert.ok(Math.abs(tk - (k + 1) * 0.1) < 1e-12));
  assert.ok(Math.abs(noLeak.meanRateHz - 10) <= 1);
});

test("a single neuron driven by a spike train equals the LIF quantizer (mod, zero; subtract without refractoriness is mod)", () => {
  const rng = new S.Rng(2);
  // The quantizer's subtract reset fires once per input and keeps a residual ≥ ϑ; the network's
  // subtract reset with a zero refractory period fires the whole burst, i.e. the mod reset (docs/simulation.md).
  for (const [reset, quantizerReset] of [["mod", "mod"], ["subtract", "mod"], ["zero", "zero"]] as const)
    for (const tau of [Infinity, 0.5, 2]) {
      const eta = T.randomTrain(rng, 25);
      const spec = net(
        { count: 1, tau: tau === Infinity ? undefined : tau, threshold: 0.3, reset },
        { inputs: [{ neuron: 0, times: [...eta.times], weights: [...eta.amplitudes] }] },
      );
      const sim = SIM.simulateEvents(spec, { duration: 100 }).spikes[0];
      const qz = ST.lifQuantize(eta, { threshold: 0.3, alpha: tau === Infinity ? 0 : 1 / tau, reset: quantizerReset, positiveOnly: true }).output;
      // The network neuron fires positive spikes only, with amplitude = number of thresholds crossed
      // (1 except under mod reset); the quantizer's amplitudes are that count times ϑ.
      assert.deepEqual([...sim.times], [...qz.times], `${reset}, τ = ${tau}`);
      sim.amplitudes.forEach((a, k) => assert.ok(Math.abs(a * 0.3 - qz.amplitudes[k]) < 1e-12));
    }
});

test("supra-threshold membranes fire: at t = 0, at the end of the refractory period, and as bursts without one", () => {
  const tau = 0.02;
  const input = (w: number) => ({ inputs: [{ neuron: 0, times: [0.01], weights: [w] }] });
  // Subtract reset, one input of 2.5θ at 10 ms, refractory 1 ms: 10 ms, then 11 ms with the held 1.5.
  const a = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "subtract", refractory: 0.001 }, input(2.5)), {
    duration: 0.05,
    record: { neurons: [0], times: [0.0105, 0.0125] },
  });
  assert.deepEqual([...a.spikes[0].times], [0.01, 0.011]);
  assert.deepEqual([...a.spikes[0].amplitudes], [1, 1]);
  assert.equal(a.membrane[0][0], 1.5); // held while refractory, and again after the second spike until 12 ms
  assert.ok(Math.abs(a.membrane[0][1] - 0.5 * Math.exp(-0.0005 / tau)) < 1e-15);
  // Without a refractory period: a burst of ⌊2.5⌋ = 2 spikes at 10 ms, one spike of amplitude 2.
  const b = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "subtract" }, input(2.5)), { duration: 0.05 });
  assert.deepEqual([...b.spikes[0].times], [0.01]);
  assert.deepEqual([...b.spikes[0].amplitudes], [2]);
  assert.equal(b.totalSpikes, 2);
  // ... the limit of a vanishing refractory period: 2 spikes 1 ns apart.
  const b2 = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "subtract", refractory: 1e-9 }, input(2.5)), { duration: 0.05 });
  assert.equal(b2.spikes[0].length, 2);
  assert.ok(b2.spikes[0].times[1] - b2.spikes[0].times[0] < 1.1e-9);
  // Mod reset: one weighted spike either way; zero reset: one spike.
  for (const refractory of [0, 0.001]) {
    const m = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "mod", refractory }, input(2.5)), { duration: 0.05 });
    assert.deepEqual([...m.spikes[0].amplitudes], [2]);
    const z = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "zero", refractory }, input(2.5)), { duration: 0.05 });
    assert.deepEqual([...z.spikes[0].times], [0.01]);
  }
  // v0 = 1.2 with Iτ = 1.2, reset to 0, refractory 2 ms: 0, then every T* + r with T* = τ ln(Iτ/(Iτ − θ));
  // Brian2 reports 0, 37.83, 75.66 ms.
  const c = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "zero", refractory: 0.002, bias: 1.2 / tau, v0: [1.2] }), { duration: 0.08 });
  const period = tau * Math.log(1.2 / 0.2) + 0.002;
  assert.deepEqual(c.spikes[0].times.length, 3);
  c.spikes[0].times.forEach((t, k) => assert.ok(Math.abs(t - k * period) < 1e-12, `spike ${k}: ${t}`));
  [0, 0.03783, 0.07566].forEach((t, k) => assert.ok(Math.abs(c.spikes[0].times[k] - t) < 2e-5)); // Brian2 steps by dt
  // At exactly θ, and above it with a negative bias: fire at t = 0.
  for (const [v0, bias] of [[1, 0], [1.5, -10]]) {
    const d = SIM.simulateEvents(net({ count: 1, tau, threshold: 1, reset: "zero", bias, v0: [v0] }), { duration: 0.01 });
    assert.deepEqual([...d.spikes[0].times], [0], `v0 ${v0}, bias ${bias}`);
  }
});

test("zero-delay loops: a settling cascade runs at one instant; a loop that never settles is stopped with a LimitError", () => {
  // 0 → 1 → 2 with zero delays: all three fire at 5 ms.
  const chain = SIM.simulateEvents(
    net({ count: 3, threshold: 1, reset: "zero" }, { synapses: { pre: [0, 1], post: [1, 2], weight: [1, 1] }, inputs: [{ neuron: 0, times: [0.005] }] }),
    { duration: 0.01 },
  );
  assert.deepEqual(chain.spikes.map((s) => [...s.times]), [[0.005], [0.005], [0.005]]);
  // Two neurons exciting each other with delay 0 and no refractory period. Under zero reset the input
  // that returns at the instant of a neuron's spike is absorbed by its reset: each fires once.
  const loopOf = (reset: string) => net({ count: 2, threshold: 1, reset }, { synapses: { pre: [0, 1], post: [1, 0], weight: [1, 1] }, inputs: [{ neuron: 0, times: [0.001] }] });
  assert.equal(SIM.simulateEvents(loopOf("zero"), { duration: 1 }).totalSpikes, 2);
  // Under subtract reset it keeps firing at one instant (a Zeno loop).
  const loop = loopOf("subtract");
  assert.throws(
    () => SIM.simulateEvents(loop, { duration: 1, maxSpikesPerInstant: 1000 }),
    (e: unknown) => e instanceof S.LimitError && /t = 0\.001 s.*zero-delay/.test(e.message),
  );
  // The same loop with a refractory period fires once per neuron.
  const settled = SIM.simulateEvents(net({ count: 2, threshold: 1, reset: "zero", refractory: 0.001 }, { synapses: { pre: [0, 1], post: [1, 0], weight: [1, 1] }, inputs: [{ neuron: 0, times: [0.001] }] }), { duration: 1 });
  assert.equal(settled.totalSpikes, 2);
});

test("work limits: Poisson drive and bias currents beyond the event budget are refused before they start", () => {
  const poisson = net({ count: 10, threshold: 1 }, { poisson: [{ neurons: "all", rate: 1e6, weight: 0.1, sources: 1000 }] });
  const t0 = performance.now();
  assert.throws(() => SIM.simulateEvents(poisson, { duration: 1 }), (e: unknown) => e instanceof S.LimitError && /maxEvents/.test(e.message));
  assert.throws(() => SIM.simulateEvents(net({ count: 2, threshold: 1, bias: 1e300 }), { duration: 1 }), S.LimitError);
  assert.throws(() => SIM.simulateEvents(net({ count: 2, threshold: 1, bias: 1 }), { duration: 1e308 }), S.LimitError);
  assert.ok(performance.now() - t0 < 5000);
  // A run that passes the limit while running stops at it.
  const driven = net({ count: 1, threshold: 1 }, { inputs: [{ neuron: 0, times: Array.from({ length: 100 }, (_, k) => k * 0.01) }] });
  assert.throws(() => SIM.simulateEvents(driven, { duration: 2, maxEvents: 50 }), /more than 50 events/);
  assert.equal(SIM.simulateEvents(driven, { duration: 2, maxEvents: 100 }).events, 100);
  const progress: number[] = [];
  SIM.simulateEvents(driven, { duration: 2, onProgress: (t) => progress.push(t) });
  assert.deepEqual(progress, [2]);
  assert.throws(() => SIM.simulateEvents({ ...driven, neurons: { ...driven.neurons, count: 1e9 } }, { duration: 1 }), /neurons.count/);
  // A membrane that overflows, or a burst too large to count, stops with the neuron and the time.
  const huge = net({ count: 1, threshold: 1, reset: "mod", refractory: 0.01 }, { inputs: [{ neuron: 0, times: [0.1, 0.2], weights: [1e308, 1e308] }] });
  assert.throws(() => SIM.simulateEvents(huge, { duration: 1 }), (e: unknown) => e instanceof S.LimitError && /membrane: neuron 0 .* t = 0\.1 s/.test(e.message));
  const tiny = net({ count: 1, threshold: 1e-300, reset: "subtract" }, { inputs: [{ neuron: 0, times: [0.1], weights: [1e10] }] });
  assert.throws(() => SIM.simulateEvents(tiny, { duration: 1 }), /more spikes than can be counted/);
});

test("recording requests are checked: neurons in range, times sorted and finite", () => {
  const spec = net({ count: 2, threshold: 1 });
  assert.throws(() => SIM.simulateEvents(spec, { duration: 1, record: { neurons: [2], times: [0.5] } }), /record.neurons\[0\]/);
  assert.throws(() => SIM.simulateEvents(spec, { duration: 1, record: { neurons: [0], times: [0.5, 0.2] } }), /record.times\[1\].*sorted/);
  assert.throws(() => SIM.simulateEvents(spec, { duration: 1, record: { neurons: [0], times: [NaN] } }), /record.times\[0\]/);
});

test("synaptic delays, refractoriness and membrane recording", () => {
  const spec = net(
    { count: 2, tau: 1, threshold: 1, reset: "zero", refractory: 0.5 },
    {
      synapses: { pre: [0], post: [1], weight: [1.5], delay: [0.25] },
      inputs: [{ neuron: 0, times: [1, 1.2, 2], weights: [1, 1, 1] }],
    },
  );
  const out = SIM.simulateEvents(spec, { duration: 3, record: { neurons: [1], times: [1.1, 1.3, 2.3] } });
  assert.deepEqual([...out.spikes[0].times], [1, 2]); // the input at 1.2 falls in the refractory period
  assert.deepEqual([...out.spikes[1].times], [1.25, 2.25]);
  // neuron 1 is held at 0 while refractory (1.25 … 1.75), and 0 after its reset at 2.25 (held until 2.75)
  assert.deepEqual(out.membrane[0], [0, 0, 0]);
});

test("Poisson drive: a non-leaky counter neuron fires at rate·sources·weight/θ on average", () => {
  const spec = net({ count: 50, threshold: 1, reset: "subtract" }, { poisson: [{ neurons: "all", rate: 20, weight: 0.25, sources: 10 }] });
  const out = SIM.simulateEvents(spec, { duration: 10, seed: 3 });
  // each neuron receives ~200 inputs/s of 0.25 → 50 spikes/s
  assert.ok(Math.abs(out.meanRateHz - 50) < 2, `rate ${out.meanRateHz}`);
  assert.ok(out.events > 9000);
});

test("Poisson drive: each listed neuron gets its own rate·sources arrivals (twice when listed twice), the others none", () => {
  // Non-leaky integrators that never fire: the membrane at the end counts the arrivals.
  const neurons = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9];
  const spec = net({ count: 12, threshold: 1e9 }, { poisson: [{ neurons, rate: 50, weight: 1, sources: 4 }] });
  const T = 20;
  const out = SIM.simulateEvents(spec, { duration: T, seed: 5, record: { neurons: [...Array(12).keys()], times: [T] } });
  const counts = out.membrane.map((m) => m[0]);
  const mean = 50 * 4 * T; // 4,000, standard deviation 63
  for (let i = 0; i < 9; i++) assert.ok(Math.abs(counts[i] - mean) < 5 * Math.sqrt(mean), `neuron ${i}: ${counts[i]} arrivals`);
  assert.ok(Math.abs(counts[9] - 2 * mean) < 5 * Math.sqrt(2 * mean), `neuron 9: ${counts[9]}`);
  assert.deepEqual(counts.slice(10), [0, 0]);
  assert.equal(out.events, counts.reduce((a, b) => a + b, 0));
});

test("bad network files give DataError naming the field", () => {
  const bad: [unknown, RegExp][] = [
    [null, /root/],
    [{}, /neurons: missing/],
    [{ neurons: { count: 0, threshold: 1 } }, /neurons.count/],
    [{ neurons: { count: 2, threshold: -1 } }, /neurons.threshold/],
    [{ neurons: { count: 2, threshold: 1, reset: "none" } }, /neurons.reset/],
    [{ neurons: { count: 2, threshold: 1 }, synapses: { pre: [0], post: [5], weight: [1] } }, /synapses.post\[0\]/],
    [{ neurons: { count: 2, threshold: 1 }, synapses: { pre: [0, 1], post: [1], weight: [1, 1] } }, /synapses.post: expected 2 entries/],
    [{ neurons: { count: 2, threshold: 1 }, inputs: [{ neuron: 0, times: [2, 1] }] }, /strictly increasing/],
    [{ neurons: { count: 2, threshold: 1 }, poisson: [{ neurons: "all", rate: -1, weight: 1 }] }, /poisson\[0\].rate/],
    // Wrong types anywhere give the path of the field, never a TypeError.
    [{ neurons: { count: 2, threshold: 1 }, inputs: 5 }, /inputs: expected an array of inputs, got 5/],
    [{ neurons: { count: 2, threshold: 1 }, inputs: [null] }, /inputs\[0\]: expected an object/],
    [{ neurons: { count: 2, threshold: 1 }, inputs: [{ neuron: 0, times: "1,2" }] }, /inputs\[0\].times: expected an array/],
    [{ neurons: { count: 2, threshold: 1 }, poisson: { neurons: "all", rate: 1, weight: 1 } }, /poisson: expected an array/],
    [{ neurons: { count: 2, threshold: 1 }, poisson: [{ neurons: 5, rate: 1, weight: 1 }] }, /poisson\[0\].neurons: expected "all" or an array/],
    [{ neurons: { count: 2, threshold: 1 }, poisson: [{ neurons: [0, 7], rate: 1, weight: 1 }] }, /poisson\[0\].neurons\[1\]/],
    [{ neurons: { count: 2, threshold: 1 }, synapses: { pre: [0], post: [1], weight: ["1"] } }, /synapses.weight\[0\]: expected a finite number, got "1"/],
    [{ neurons: { count: 1e9, threshold: 1 } }, /neurons.count: expected an integer in \[1, 10000000\]/],
    [{ neurons: { count: 2, threshold: 1, refactory: 0.002 } }, /neurons: Unrecognized key: "refactory"/],
    [{ neurons: { count: 2, threshold: 1, v0: [0] } }, /neurons.v0: expected 2 entries/],
    [[1, 2], /root: expected a JSON object/],
  ];
  for (const [json, pattern] of bad)
    assert.throws(() => SIM.parseNetwork(json, "net.json"), (e: unknown) => e instanceof S.DataError && e.file === "net.json" && pattern.test(e.message));
  assert.throws(() => SIM.simulateEvents(net({ count: 1, threshold: 1 }), { duration: 0 }), S.ValueError);
});
