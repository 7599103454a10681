// The continuous-time LIF's closed forms against each other and against a fine Euler integration, and
// the registry of layer engines: an engine runs what is registered for it and names what it cannot run.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import * as S from "../../src/index.js";
import * as Tr from "../../src/transfer.js";

test("membraneAfter solves dv/dt = (Iτ − v)/τ: a fine Euler integration agrees, τ = ∞ integrates I", () => {
  for (const [v, dt, tau, bias] of [[0.3, 2, 1.5, 0.4], [-1, 0.7, 3, 0], [2, 5, 0.5, -0.2]]) {
    let u = v;
    const n = 200_000;
    for (let i = 0; i < n; i++) u += (dt / n) * ((bias * tau - u) / tau);
    assert.ok(Math.abs(S.membraneAfter(v, dt, tau, bias) - u) < 1e-5, `${S.membraneAfter(v, dt, tau, bias)} vs ${u}`);
  }
  assert.equal(S.membraneAfter(0.5, 3, Infinity, 0.25), 1.25);
  assert.equal(S.decayFactor(2, Infinity), 1);
  assert.equal(S.decayFactor(2, 4), Math.exp(-0.5));
});

test("timeToThreshold inverts membraneAfter, biasDrive is the membrane from rest, and neither invents a crossing", () => {
  const tau = fc.oneof(fc.double({ min: 0.05, max: 50, noNaN: true }), fc.constant(Infinity));
  fc.assert(
    fc.property(fc.double({ min: -2, max: 0.99, noNaN: true }), fc.double({ min: 0.01, max: 5, noNaN: true }), tau, (v0, bias, t) => {
      const dt = S.timeToThreshold(v0, 1, t, bias);
      const vInf = bias * t;
      if (t !== Infinity && vInf <= 1) return dt === null;
      assert.ok(dt !== null && dt > 0);
      assert.ok(Math.abs(S.membraneAfter(v0, dt, t, bias) - 1) < 1e-9, `v0 ${v0}, I ${bias}, τ ${t}`);
      assert.ok(Math.abs(S.biasDrive(dt, t, bias) - S.membraneAfter(0, dt, t, bias)) < 1e-12);
      return true;
    }),
  );
  assert.equal(S.timeToThreshold(1.5, 1, 2, 0), 0);
  assert.equal(S.timeToThreshold(0, 1, 2, -1), null);
});

test("layer engines: an unregistered layer is refused naming the engine and the layer; a registered one runs", () => {
  const net = new S.Sequential(new S.Linear(2, 2, { rng: new S.Rng(1) }), new S.Dropout(0.5), new S.CoarseLIF());
  net.eval();
  const x = new Float32Array([2, 1, 2, 1]);
  assert.throws(() => Tr.runEventNetwork(net, x, [2], 2), (e: unknown) => e instanceof S.ValueError && /the event engine.*\(Linear, Conv2d, MaxPool2d, AvgPool2d, Scale, Flatten, CoarseLIF, LIF, IF, Synaptic, Recurrent\).*a Dropout layer/.test((e as Error).message));
  assert.deepEqual(S.registeredKinds("event"), ["Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "Scale", "Flatten", "CoarseLIF", "LIF", "IF", "Synaptic", "Recurrent"]);
  // Dropout in evaluation mode passes its signal on unchanged: registered so, the network runs as without it.
  S.registerLayer("event", "Dropout", { run: (_layer: S.Module, signal: unknown) => signal });
  const without = new S.Sequential(net.layers[0], net.layers[2]);
  assert.deepEqual(Tr.runEventNetwork(net, x, [2], 2), Tr.runEventNetwork(without, x, [2], 2));
});
