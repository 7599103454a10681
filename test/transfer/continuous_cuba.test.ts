// Current-based neurons and recurrent layers in continuous time: the exact event-driven neuron against an
// independent fine Runge–Kutta integration of its two ODEs; the closed form between impulses; a recurrent
// layer's feedback arriving one step after the spike that causes it; and the imported Braille network
// (recurrent CubaLIF) on both continuous engines, which agree.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { cubaAfter, type CubaConstants, runContinuousCuba } from "../../src/neurons/continuous_cuba.js";
import type { Impulses } from "../../src/neurons/continuous_lif.js";
import { readNir } from "../../src/nir/hdf5.js";
import { nirToNetwork } from "../../src/nir/network.js";
import { Linear } from "../../src/nn/linear.js";
import { Sequential } from "../../src/nn/sequential.js";
import { LIF } from "../../src/neurons/lif_module.js";
import { Recurrent } from "../../src/neurons/recurrent.js";
import { Rng } from "../../src/random/rng.js";
import { tensor } from "../../src/tensor/creation.js";
import { avgPoolImpulses, runEventNetwork } from "../../src/transfer/event_network.js";
import { AvgPool2d } from "../../src/nn/pool.js";
import { noGrad } from "../../src/tensor/engine.js";
import { assertClose } from "../helpers.js";
import { runSteppedNetwork } from "../../src/transfer/stepped_network.js";

/** Spike times of the neuron by RK4 on di/dt = −i/τs, dv/dt = −v/τm + c·i with steps of at most h, impulses as jumps of i; a step that crosses θ is shortened by bisection to the crossing, where v resets to 0. */
function rk4Spikes(input: Impulses, k: CubaConstants, steps: number, theta: number, h: number): number[] {
  const f = (v: number, i: number) => [-v / k.tauMem + k.coupling * i, -i / k.tauSyn];
  const rk4 = (v: number, i: number, dt: number): [number, number] => {
    const [a1, b1] = f(v, i);
    const [a2, b2] = f(v + (dt / 2) * a1, i + (dt / 2) * b1);
    const [a3, b3] = f(v + (dt / 2) * a2, i + (dt / 2) * b2);
    const [a4, b4] = f(v + dt * a3, i + dt * b3);
    return [v + (dt / 6) * (a1 + 2 * a2 + 2 * a3 + a4), i + (dt / 6) * (b1 + 2 * b2 + 2 * b3 + b4)];
  };
  let [v, i, t, n] = [0, 0, 0, 0];
  const spikes: number[] = [];
  while (t < steps) {
    while (n < input.t.length && input.t[n] <= t + 1e-12) i += input.w[n++];
    const dt = Math.min(steps, n < input.t.length ? Math.min(t + h, input.t[n]) : t + h) - t;
    let [v1, i1] = rk4(v, i, dt);
    if (v1 < theta) {
      [v, i, t] = [v1, i1, t + dt];
      continue;
    }
    let [lo, hi] = [0, dt];
    for (let m = 0; m < 60; m++) {
      const mid = (lo + hi) / 2;
      if (rk4(v, i, mid)[0] >= theta) hi = mid;
      else lo = mid;
    }
    [v1, i1] = rk4(v, i, hi);
    spikes.push(t + hi);
    [v, i, t] = [0, i1, t + hi];
  }
  return spikes;
}

test("runContinuousCuba: the closed form between impulses; spike times equal a fine RK4 integration of the two ODEs (τs ≠ τm and τs = τm)", () => {
  const k: CubaConstants = { tauSyn: 2, tauMem: 5, coupling: 0.8 };
  // The closed form against RK4 over one free interval.
  const free = cubaAfter(0.3, 1.2, 1.7, k);
  let [v, i] = [0.3, 1.2];
  for (let s = 0; s < 17000; s++) {
    const h = 1e-4;
    const dv = (vv: number, ii: number) => -vv / k.tauMem + k.coupling * ii;
    const di = (ii: number) => -ii / k.tauSyn;
    const [a1, b1] = [dv(v, i), di(i)];
    const [a2, b2] = [dv(v + (h / 2) * a1, i + (h / 2) * b1), di(i + (h / 2) * b1)];
    const [a3, b3] = [dv(v + (h / 2) * a2, i + (h / 2) * b2), di(i + (h / 2) * b2)];
    const [a4, b4] = [dv(v + h * a3, i + h * b3), di(i + h * b3)];
    v += (h / 6) * (a1 + 2 * a2 + 2 * a3 + a4);
    i += (h / 6) * (b1 + 2 * b2 + 2 * b3 + b4);
  }
  assert.ok(Math.abs(free.v - v) < 1e-9 && Math.abs(free.i - i) < 1e-9, `closed form ${free.v}, ${free.i} vs RK4 ${v}, ${i}`);
  for (const c of [k, { tauSyn: 3, tauMem: 3, coupling: 0.5 }]) {
    const rng = new Rng(4);
    const input: Impulses = { t: [], w: [] };
    let t = 0;
    for (let n = 0; n < 60; n++) {
      t += 0.05 + 0.4 * rng.uniform();
      input.t.push(t);
      input.w.push(0.4 + 0.6 * rng.uniform());
    }
    const steps = Math.ceil(t) + 2;
    const exact = runContinuousCuba(input, c, steps, false, "crossing", { threshold: 1, refractory: 0, reset: "zero" }).spikes;
    const reference = rk4Spikes(input, c, steps, 1, 1e-4);
    assert.ok(exact.length >= 5, `${exact.length} spikes`);
    assert.equal(exact.length, reference.length);
    exact.forEach((s, n) => assert.ok(Math.abs(s - reference[n]) < 1e-7, `spike ${n}: ${s} vs ${reference[n]}`));
  }
});

test("a recurrent layer in continuous time: a spike's feedback arrives one step later, the bias from the second step", () => {
  // Unit 0 gets a strong input in step 0; its feedback makes unit 1 fire one step later; unit 1 feeds nothing back.
  const cell = new LIF({ beta: 0.5, threshold: 1, reset: "zero" });
  const feedback = new Linear(2, 2, { bias: false });
  feedback.weight.storage.f32().set([0, 5, 0, 0]);
  const layer = new Recurrent(cell, feedback);
  const net = new Sequential(layer);
  // One impulse per step (k = 1), at the step's middle.
  const x = Float32Array.of(5, 0, 0, 0, 0, 0);
  const event = runEventNetwork(net, x, [2], 3, { substeps: 1 });
  assert.deepEqual(Array.from(event.output), [1, 0, 0, 1, 0, 0]);
  const stepped = runSteppedNetwork(net, tensor(x, [3, 1, 2]), 1);
  assert.deepEqual(Array.from(stepped.output.dataFloat32()), [1, 0, 0, 1, 0, 0]);
  // A bias on the feedback: 5 per step into unit 1 from the second step on.
  const withBias = new Linear(2, 2);
  withBias.weight.storage.f32().fill(0);
  withBias.bias!.storage.f32().set([0, 5]);
  const biased = new Sequential(new Recurrent(new LIF({ beta: 0.5, threshold: 1, reset: "zero" }), withBias));
  const quiet = new Float32Array(6);
  assert.deepEqual(Array.from(runEventNetwork(biased, quiet, [2], 3, { substeps: 1 }).output), [0, 0, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(runSteppedNetwork(biased, tensor(quiet, [3, 1, 2]), 1).output.dataFloat32()), [0, 0, 0, 1, 0, 1]);
});

test("the Braille network (recurrent CubaLIF, imported from NIR) on the event-driven and stepped engines: the two agree", async () => {
  const path = join(import.meta.dirname, "..", "fixtures", "nir", "braille_noDelay_bias_zero.nir");
  const net = nirToNetwork((await readNir(readFileSync(path), "braille.nir")).graph, { dt: 1e-4 });
  const T = 30;
  const rng = new Rng(2);
  const x = Float32Array.from({ length: T * 12 }, () => (rng.uniform() < 0.3 ? 1 : 0));
  const event = runEventNetwork(net.model, x, [12], T, { substeps: 32 });
  const stepped = runSteppedNetwork(net.model, tensor(x, [T, 1, 12]), 32);
  const [a, b] = [Array.from(event.output), Array.from(stepped.output.dataFloat32())];
  const spikes = a.reduce((p, q) => p + q, 0);
  assert.ok(spikes >= 20, `${spikes} output spikes`);
  const differ = a.filter((v, i) => v !== b[i]).length;
  assert.ok(differ <= 0.05 * a.length, `${differ} of ${a.length} step counts differ`);
  net.model.dispose();
});

test("AvgPool2d and Scale pass impulses on as the tensor engine pools and scales their per-step masses; a layer passing its membrane on before the last is refused", async () => {
  const rng = new Rng(6);
  const [C, H, W, T] = [2, 5, 5, 3];
  const impulses: Impulses[] = Array.from({ length: C * H * W }, () => {
    const t = Array.from({ length: 4 }, () => T * rng.uniform()).sort((a, b) => a - b);
    return { t, w: t.map(() => rng.uniform() - 0.3) };
  });
  const perStep = (p: Impulses[], units: number) => {
    const m = new Float32Array(T * units);
    p.forEach((q, u) => q.t.forEach((t, n) => (m[Math.floor(t) * units + u] += q.w[n])));
    return m;
  };
  const pool = new AvgPool2d(2);
  const pooled = avgPoolImpulses(pool, impulses, [C, H, W], [C, 2, 2]);
  const expected = noGrad(() => pool.forward(tensor(perStep(impulses, C * H * W), [T, C, H, W])).dataFloat32());
  assertClose(perStep(pooled, C * 4), expected, 1e-5, 1e-5, "pooled masses");
  // The conv file of NIR 1.0 has an LI layer (membrane out) before its last: the engines refuse it by name.
  const conv = nirToNetwork((await readNir(readFileSync(join(import.meta.dirname, "..", "fixtures", "nir", "conv_cuba_gzip_nir1.nir")), "c.nir")).graph, { dt: 1e-4 });
  assert.throws(() => runEventNetwork(conv.model, new Float32Array(2 * 144), [2, 12, 12], 1), (e: unknown) => e instanceof Error && /a membrane output before the last layer/.test(e.message));
  // Without it (the layers up to the recurrent cell and the next Affine, then the output LIF) both engines run the rest, SumPool2d (AvgPool2d and a Scale) included.
  const kept = conv.model.layers.filter((_, i) => i !== conv.model.layers.length - 2);
  const net = new Sequential(...kept);
  // The IF layer gains dt·R = 10⁻⁴ per unit of input: a strong drive.
  const x = Float32Array.from({ length: 4 * 2 * 144 }, () => (rng.uniform() < 0.2 ? 3000 : 0));
  const event = runEventNetwork(net, x, [2, 12, 12], 4, { substeps: 16 });
  const stepped = runSteppedNetwork(net, tensor(x, [4, 1, 2, 12, 12]), 16);
  assert.ok(event.spikesPerLayer[0] > 0, "the first neurons spike");
  assert.deepEqual(event.spikesPerLayer.length, stepped.spikesPerLayer.length);
  const differ = Array.from(event.output).filter((v, i) => v !== stepped.output.dataFloat32()[i]).length;
  assert.ok(differ <= 2, `${differ} output counts differ`);
  conv.model.dispose();
});
