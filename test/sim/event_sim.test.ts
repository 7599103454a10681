// Exact event-driven LIF networks: closed-form spike times, agreement with the quantizer, delays,
// refractoriness, Poisson drive, membrane recording, and network-file validation.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";

const net = (neurons: Record<string, unknown>, rest: Record<string, unknown> = {}) => S.parseNetwork({ neurons, ...rest }, "test.json");

test("one neuron with a constant current spikes at the analytic times t_k = k·T* + (k − 1)·r", () => {
  const tau = 0.02;
  const I = 80; // Iτ = 1.6 > θ = 1
  const r = 0.002;
  const spec = net({ count: 1, tau, threshold: 1, reset: "zero", refractory: r, bias: I });
  const out = S.simulateEvents(spec, { duration: 0.5 });
  const Tstar = tau * Math.log((I * tau) / (I * tau - 1));
  const t = out.spikes[0].times;
  assert.equal(t.length, Math.floor((0.5 + r) / (Tstar + r)));
  t.forEach((tk, k) => assert.ok(Math.abs(tk - ((k + 1) * Tstar + k * r)) < 1e-12, `spike ${k}: ${tk}`));
  // Without leak: v = I t, spikes every θ/I.
  const noLeak = S.simulateEvents(net({ count: 1, threshold: 1, bias: 10 }), { duration: 1 });
  noLeak.spikes[0].times.forEach((tk, k) => assert.ok(Math.abs(tk - (k + 1) * 0.1) < 1e-12));
  assert.ok(Math.abs(noLeak.meanRateHz - 10) <= 1);
});

test("a single neuron driven by a spike train equals the LIF quantizer (every reset mode)", () => {
  const rng = new S.Rng(2);
  for (const reset of ["mod", "subtract", "zero"] as const)
    for (const tau of [Infinity, 0.5, 2]) {
      const eta = S.randomTrain(rng, 25);
      const spec = net(
        { count: 1, tau: tau === Infinity ? undefined : tau, threshold: 0.3, reset },
        { inputs: [{ neuron: 0, times: [...eta.times], weights: [...eta.amplitudes] }] },
      );
      const sim = S.simulateEvents(spec, { duration: 100 }).spikes[0];
      const qz = S.lifQuantize(eta, { threshold: 0.3, alpha: tau === Infinity ? 0 : 1 / tau, reset, positiveOnly: true }).output;
      // The network neuron fires positive spikes only, with amplitude = number of thresholds crossed
      // (1 except under mod reset); the quantizer's amplitudes are that count times ϑ.
      assert.deepEqual([...sim.times], [...qz.times], `${reset}, τ = ${tau}`);
      sim.amplitudes.forEach((a, k) => assert.ok(Math.abs(a * 0.3 - qz.amplitudes[k]) < 1e-12));
    }
});

test("synaptic delays, refractoriness and membrane recording", () => {
  const spec = net(
    { count: 2, tau: 1, threshold: 1, reset: "zero", refractory: 0.5 },
    {
      synapses: { pre: [0], post: [1], weight: [1.5], delay: [0.25] },
      inputs: [{ neuron: 0, times: [1, 1.2, 2], weights: [1, 1, 1] }],
    },
  );
  const out = S.simulateEvents(spec, { duration: 3, record: { neurons: [1], times: [1.1, 1.3, 2.3] } });
  assert.deepEqual([...out.spikes[0].times], [1, 2]); // the input at 1.2 falls in the refractory period
  assert.deepEqual([...out.spikes[1].times], [1.25, 2.25]);
  // neuron 1 is held at 0 while refractory (1.25 … 1.75), and 0 after its reset at 2.25 (held until 2.75)
  assert.deepEqual(out.membrane[0], [0, 0, 0]);
});

test("Poisson drive: a non-leaky counter neuron fires at rate·sources·weight/θ on average", () => {
  const spec = net({ count: 50, threshold: 1, reset: "subtract" }, { poisson: [{ neurons: "all", rate: 20, weight: 0.25, sources: 10 }] });
  const out = S.simulateEvents(spec, { duration: 10, seed: 3 });
  // each neuron receives ~200 inputs/s of 0.25 → 50 spikes/s
  assert.ok(Math.abs(out.meanRateHz - 50) < 2, `rate ${out.meanRateHz}`);
  assert.ok(out.events > 9000);
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
  ];
  for (const [json, pattern] of bad)
    assert.throws(() => S.parseNetwork(json, "net.json"), (e: unknown) => e instanceof S.DataError && e.file === "net.json" && pattern.test(e.message));
  assert.throws(() => S.simulateEvents(net({ count: 1, threshold: 1 }), { duration: 0 }), S.ValueError);
});
