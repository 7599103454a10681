// Noisy LIF neurons and noise-driven learning (Ma, Yan & Tang 2023; docs/noisy-snns.md): the noise families' closed forms, Monte Carlo
// firing against the CDF and its slope against the density, the NDL gradient against the derivative of
// the expected output, the deterministic limit, and js/wasm agreement under one seed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, gradCheck, randomData } from "../helpers.js";

const families = S.NOISE_FAMILIES;

describe("membrane noise families", () => {
  test("Gaussian σ = 0.3: the invariants of the noise-driven surrogate", () => {
    const g = S.membraneNoise("gaussian", 0.3);
    assert.ok(Math.abs(S.noiseCdf(g, 0) - 0.5) < 1e-15);
    assert.ok(Math.abs(S.noiseCdf(g, 0.3) - 0.8413447460685429) < 1e-12);
    assert.ok(Math.abs(S.noiseCdf(g, -0.3) - 0.15865525393145707) < 1e-12);
    assert.ok(Math.abs(S.noiseDensity(g, 0) - 1.329807601338109) < 1e-12);
  });

  test("erfc against reference values (Abramowitz & Stegun, table 7.1) and symmetry", () => {
    const known: [number, number][] = [
      [0, 1],
      [0.1, 0.887537083981715],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047266],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
    ];
    for (const [x, v] of known) {
      assert.ok(Math.abs(S.erfc(x) / v - 1) < 1e-13, `erfc(${x}) = ${S.erfc(x)}, expected ${v}`);
      assert.ok(Math.abs(S.erfc(-x) - (2 - v)) < 1e-15);
    }
    // Continuity where the series hands over to the continued fraction.
    assert.ok(Math.abs(S.erfc(2 - 1e-12) - S.erfc(2 + 1e-12)) < 1e-13);
  });

  test("each family: closed forms, CDF = ∫ density (Simpson), density = CDF′, symmetry, limits", () => {
    for (const family of families)
      for (const scale of [0.05, 0.3, 2]) {
        const n = S.membraneNoise(family, scale);
        assert.ok(S.noiseCdf(n, -50 * scale) < 1e-20, `${family} F(−∞)`);
        assert.ok(Math.abs(S.noiseCdf(n, 50 * scale) - 1) < 1e-15, `${family} F(∞)`);
        for (const z of [-1.7, -1, -0.6, -0.2, 0, 0.35, 0.9, 1.4]) {
          const x = z * scale;
          const F = S.noiseCdf(n, x);
          assert.ok(Math.abs(F + S.noiseCdf(n, -x) - 1) < 1e-14, `${family}: F(x) + F(−x) = 1`);
          // ∫_{lo}^{x} f by composite Simpson on each piece between the kinks of the densities (±a, 0); the
          // logistic tail below −40s is under 1e-17.
          const lo = (family === "logistic" ? -40 : -6) * scale;
          const cuts = [lo, ...[-scale, 0, scale].filter((c) => c > lo && c < x), x];
          let integral = 0;
          for (let p = 0; p + 1 < cuts.length; p++) {
            const [a, b] = [cuts[p], cuts[p + 1]];
            const steps = 4000;
            const h = (b - a) / steps;
            let piece = 0;
            // Inner nodes only at the ends' limits: evaluate just inside each end, where a density may jump.
            for (let k = 0; k <= steps; k++) {
              const at = k === 0 ? a + 1e-12 * scale : k === steps ? b - 1e-12 * scale : a + k * h;
              piece += (k === 0 || k === steps ? 1 : k % 2 ? 4 : 2) * S.noiseDensity(n, at);
            }
            integral += (piece * h) / 3;
          }
          assert.ok(Math.abs(integral - F) < 2e-4, `${family}(${scale}) at ${x}: ∫f = ${integral}, F = ${F}`);
          if (Math.abs(Math.abs(z) - 1) > 0.05 && z !== 0) {
            const d = 1e-6 * scale;
            const slope = (S.noiseCdf(n, x + d) - S.noiseCdf(n, x - d)) / (2 * d);
            assert.ok(Math.abs(slope - S.noiseDensity(n, x)) < 1e-6 / scale, `${family}: F′ = f at ${x}`);
          }
        }
      }
    // Closed forms written out.
    const s = 0.25;
    assert.ok(Math.abs(S.noiseCdf(S.membraneNoise("logistic", s), 0.1) - 1 / (1 + Math.exp(-0.1 / s))) < 1e-15);
    assert.equal(S.noiseCdf(S.membraneNoise("uniform", 0.5), 0.25), 0.75);
    assert.equal(S.noiseCdf(S.membraneNoise("triangular", 1), -0.5), 0.125);
    assert.equal(S.noiseCdf(S.membraneNoise("triangular", 1), 0.5), 0.875);
    assert.equal(S.noiseDensity(S.membraneNoise("triangular", 2), 1), 0.25);
  });

  test("sampled noise has the family's mean, variance and CDF", () => {
    const variance: Record<S.NoiseFamily, number> = { gaussian: 1, logistic: Math.PI ** 2 / 3, uniform: 1 / 3, triangular: 1 / 6 };
    for (const family of families) {
      const n = S.membraneNoise(family, 0.4);
      const draws = new Float32Array(200_000);
      S.sampleNoise(n, new S.Rng(5), draws);
      let mean = 0;
      let sq = 0;
      let below = 0;
      for (const v of draws) {
        mean += v;
        sq += v * v;
        if (v <= 0.2) below++;
      }
      mean /= draws.length;
      const v = sq / draws.length - mean * mean;
      const sd = Math.sqrt(variance[family]) * 0.4;
      assert.ok(Math.abs(mean) < (4 * sd) / Math.sqrt(draws.length), `${family} mean ${mean}`);
      assert.ok(Math.abs(v / (sd * sd) - 1) < 0.03, `${family} variance ${v} vs ${sd * sd}`);
      const p = S.noiseCdf(n, 0.2);
      assert.ok(Math.abs(below / draws.length - p) < 4 * Math.sqrt((p * (1 - p)) / draws.length), `${family} P(ε ≤ 0.2)`);
    }
  });

  test("bad noise names, scales and texts give typed errors", () => {
    for (const text of ["poisson:0.3", "gaussian:0", "gaussian:-1", "gaussian:abc", "gaussian", "gaussian:", ":0.3", "gaussian:1e7", "gaussian:NaN"])
      assert.throws(() => S.parseNoise(text), S.ValueError, text);
    assert.throws(() => S.membraneNoise("gaussian", Number.POSITIVE_INFINITY), S.ValueError);
    assert.throws(() => new S.NoisyLIF({ noise: "uniform:0" }), /NoisyLIF: noise: scale/);
    assert.throws(() => new S.NoisyLIF({ noise: { family: "cauchy" as S.NoiseFamily, scale: 1 } }), /NoisyLIF: noise: family/);
    assert.throws(() => new S.NoisyLIF({ surrogate: "atan" } as S.NoisyLIFOptions), /surrogate/);
    assert.throws(() => new S.NoisyLIF({ evalMode: "mean" as S.NoisyEvalMode }), /evalMode/);
    assert.deepEqual(S.parseNoise(" logistic:0.25 "), { family: "logistic", scale: 0.25 });
    assert.equal(S.formatNoise(S.parseNoise("triangular:1.5")), "triangular:1.5");
  });
});

/** Spikes of one noisy step with membrane u (input u, β irrelevant at t = 0) for P neurons sharing one seed. */
function fireAt(u: number, P: number, noise: S.MembraneNoise, seed: number): Float32Array {
  return Float32Array.from(S.tidy(() => Array.from(new S.NoisyLIF({ noise, seed }).run(S.full([1, P], u)).spikes.dataFloat32())));
}

for (const backend of ["js", "wasm"] as const)
  describe(`noisy LIF (${backend})`, () => {
    test.before(() => S.setBackend(backend));

    test("Monte Carlo: mean firing matches F_ε(u − θ) within 4 standard errors, its slope the density", () => {
      const P = 40_000;
      for (const family of families) {
        const noise = S.membraneNoise(family, 0.3);
        for (const u of [0.7, 0.95, 1, 1.2]) {
          const p = S.noiseCdf(noise, u - 1);
          const mean = fireAt(u, P, noise, 11).reduce((a, b) => a + b, 0) / P;
          const se = Math.sqrt((p * (1 - p)) / P) + 1 / P;
          assert.ok(Math.abs(mean - p) <= 4 * se, `${family} at u = ${u}: ${mean} vs ${p}`);
        }
        // Slope with common random numbers: the same draws at u ± h differ where ε falls in a window of 2h.
        const h = 0.05;
        for (const u of [0.9, 1.1]) {
          const hi = fireAt(u + h, P, noise, 12);
          const lo = fireAt(u - h, P, noise, 12);
          let diff = 0;
          for (let i = 0; i < P; i++) diff += hi[i] - lo[i];
          const q = S.noiseCdf(noise, u + h - 1) - S.noiseCdf(noise, u - h - 1);
          const slope = diff / P / (2 * h);
          const se = Math.sqrt((q * (1 - q)) / P) / (2 * h);
          assert.ok(Math.abs(slope - q / (2 * h)) <= 4 * se + 1e-9, `${family} slope at ${u}: ${slope} vs ${q / (2 * h)}`);
          // The window average of the density is the density to O(h²).
          assert.ok(Math.abs(q / (2 * h) - S.noiseDensity(noise, u - 1)) < 0.15 * S.noiseDensity(noise, u - 1) + 1e-9, `${family} window vs density`);
        }
      }
    });

    test("noise-driven learning: the gradient of one step is f_ε(u − θ)·g, the derivative of the expected output", () => {
      for (const family of families) {
        const noise = S.membraneNoise(family, 0.3);
        const x = Float32Array.from([0.75, 0.9, 1.0, 1.05, 1.2, 1.6]);
        const grad = S.tidy(() => {
          const xt = S.tensor(x, [1, 6], { requiresGrad: true });
          S.sum(new S.NoisyLIF({ noise, seed: 3 }).run(xt).spikes).backward();
          return Array.from(xt.grad!.dataFloat32());
        });
        const d = 1e-5;
        const expectedSlope = Array.from(x, (v) => (S.noiseCdf(noise, v + d - 1) - S.noiseCdf(noise, v - d - 1)) / (2 * d));
        assertClose(grad, expectedSlope, 1e-4, 1e-4, `${family} NDL gradient`);
      }
    });

    test("expected mode is the mean-field network: s = F_ε(m − θ), gradients match finite differences over T steps", () => {
      const T = 4;
      const P = 3;
      for (const reset of ["subtract", "zero"] as const) {
        const layer = new S.NoisyLIF({ noise: "logistic:0.3", reset, seed: 1, evalMode: "expected" }).eval();
        gradCheck((xt) => layer.run(xt).spikes, [randomData(T * P, 4, 0.8)], [[T, P]], { eps: 1e-3, atol: 2e-3, rtol: 2e-2 });
        // Written out for one neuron, β = 0.5, θ = 1, subtract reset.
        if (reset === "subtract") {
          const s = S.tidy(() => Array.from(layer.run(S.tensor([1.0, 0.8], [2, 1])).spikes.dataFloat32()));
          const F = (v: number) => 1 / (1 + Math.exp(-v / 0.3));
          const s0 = F(0);
          const m1 = 0.5 * 1.0 + 0.8 - s0;
          assertClose(s, [s0, F(m1 - 1)], 1e-6, 1e-6, "mean-field sequence");
        }
      }
    });

    test("scale → 0 is the deterministic LIF, spikes and membranes bit for bit", () => {
      const T = 12;
      const P = 37;
      const x = randomData(T * P, 7, 0.9);
      for (const reset of ["subtract", "zero"] as const) {
        const [noisy, plain] = S.tidy(() => {
          const xt = S.tensor(x, [T, P]);
          const a = new S.NoisyLIF({ noise: "gaussian:1e-30", reset, seed: 2 }).run(xt);
          const b = new S.LIF({ beta: 0.5, reset }).run(xt);
          return [a, b].map((r) => [Array.from(r.spikes.dataFloat32()), Array.from(r.membrane.dataFloat32())]);
        });
        assert.deepEqual(noisy, plain, reset);
      }
    });

    test("the other LIF layers take a noise option: LIF, CoarseLIF and Synaptic become noisy, and tend to their deterministic selves", () => {
      const T = 8;
      const P = 25;
      const x = randomData(T * P, 10, 1.1);
      const run = (layer: S.SpikingNeuron) => S.tidy(() => Array.from(layer.run(S.tensor(x, [T, P])).spikes.dataFloat32()));
      // A LIF with noise is the NoisyLIF with the same settings.
      assert.deepEqual(run(new S.LIF({ beta: 0.5, noise: "logistic:0.2", seed: 3 })), run(new S.NoisyLIF({ noise: "logistic:0.2", seed: 3 })));
      // Vanishing noise: the deterministic layer, bit for bit (the coarse LIF's zero reset with refractory gain included).
      assert.deepEqual(run(new S.CoarseLIF({ noise: "gaussian:1e-30", seed: 1 })), run(new S.CoarseLIF()));
      assert.deepEqual(run(new S.Synaptic({ noise: "uniform:1e-30", seed: 1 })), run(new S.Synaptic()));
      // Real noise changes the spikes, and the layers record their noise.
      const noisy = new S.CoarseLIF({ noise: "gaussian:0.3", seed: 1 });
      assert.notDeepEqual(run(noisy), run(new S.CoarseLIF()));
      assert.deepEqual(noisy.noise, { family: "gaussian", scale: 0.3 });
      assert.equal(new S.LIF().noise, null);
      assert.throws(() => new S.LIF({ seed: 3 }), /rng\/seed\/evalMode\/injection: expected only with noise/);
      assert.throws(() => new S.CoarseLIF({ noise: "gaussian:0.3", surrogate: "atan" }), /CoarseLIF: surrogate/);
      assert.throws(() => new S.LIF({ noise: "gaussian:0.3", rng: new S.Rng(1), seed: 2 }), /either rng or seed/);
    });

    test("streaming steps carry the drawn spikes and equal one run with the same seed", () => {
      const T = 6;
      const P = 9;
      const x = randomData(T * P, 8, 1.2);
      const run = S.tidy(() => Array.from(new S.NoisyLIF({ seed: 4, noise: "uniform:0.4" }).run(S.tensor(x, [T, P])).spikes.dataFloat32()));
      const layer = new S.NoisyLIF({ seed: 4, noise: "uniform:0.4" });
      const stepped: number[] = [];
      let state: S.NeuronState | null = null;
      for (let t = 0; t < T; t++) {
        const r = layer.step(S.tensor(x.subarray(t * P, (t + 1) * P), [P]), state);
        stepped.push(...r.spikes.dataFloat32());
        state = r.state;
      }
      assert.deepEqual(stepped, run);
      assert.ok(run.some((v) => v === 1) && run.some((v) => v === 0));
    });
  });

test("the same seed gives the same spikes on js and wasm", () => {
  const T = 10;
  const P = 301;
  const x = randomData(T * P, 9, 0.7);
  const spikes = (["js", "wasm"] as const).map((b) => {
    S.setBackend(b);
    return S.tidy(() => Array.from(new S.NoisyLIF({ seed: 77, noise: "gaussian:0.3" }).run(S.tensor(x, [T, P])).spikes.dataFloat32()));
  });
  assert.deepEqual(spikes[0], spikes[1]);
  assert.ok(spikes[0].filter((v) => v === 1).length > 100);
});

describe("where the noise enters, and the authors' NILIF", () => {
  test("NILIF equals the authors' update written out, draw for draw: u ← u(1 − o)/τ + x + η, o = H(u + ε − θ)", () => {
    const [T, P, sigma] = [600, 3, 0.3];
    const x = Array.from({ length: T * P }, (_, k) => 0.35 + 0.3 * Math.sin(0.05 * k));
    const layer = new S.NoisyLIF({ variant: "nilif", noise: `gaussian:${sigma}`, rng: new S.Rng(5) });
    const out = S.tidy(() => Array.from(layer.run(S.tensor(x, [T, P])).spikes.dataFloat32()));
    // The same generator, drawn in the layer's order: η for the whole run, then ε.
    const rng = new S.Rng(5);
    const eta = new Float32Array(T * P);
    const eps = new Float32Array(T * P);
    S.sampleNoise(S.membraneNoise("gaussian", sigma), rng, eta);
    S.sampleNoise(S.membraneNoise("gaussian", sigma), rng, eps);
    const want: number[] = [];
    const u = new Array(P).fill(0);
    const o = new Array(P).fill(0);
    for (let t = 0; t < T; t++)
      for (let i = 0; i < P; i++) {
        const k = t * P + i;
        // models/NILIF.py: u = u/τ + x (τ = 2); u −= noise; o = Bernoulli(Φ((u − θ)/σ)); u = u·(1 − o).
        u[i] = (0.5 * u[i] * (1 - o[i]) + x[k]) + eta[k];
        o[i] = u[i] + eps[k] - 1 >= 0 ? 1 : 0;
        want.push(o[i]);
      }
    assert.deepEqual(out, want);
    const count = want.reduce((a, b) => a + b, 0);
    assert.ok(count > 150, `${count} spikes`);
    // The reading the docs used to give, Norse's Euler step with τ = 2, halves the input and barely fires.
    const norse = new S.NoisyLIF({ convention: "norse", tau: 2, noise: `gaussian:${sigma}`, rng: new S.Rng(5) });
    const norseCount = S.tidy(() => norse.run(S.tensor(x, [T, P])).spikes.dataFloat32().reduce((a, b) => a + b, 0));
    assert.ok(norseCount < count / 4, `norse ${norseCount} against NILIF ${count}`); // 51 against 304
    assert.throws(() => new S.NoisyLIF({ variant: "nilif", reset: "subtract" }), /NoisyLIF: reset.*variant "nilif"/);
    assert.throws(() => new S.NoisyLIF({ variant: "sideways" as "nilif" }), /variant/);
  });

  test("one step from rest: escape noise fires with Φ((x − θ)/σ), both draws with Φ((x − θ)/(σ√2)) (Monte Carlo)", () => {
    const [n, sigma, x] = [40000, 0.3, 0.85];
    const rate = (injection: "escape" | "diffusive" | "both") => {
      const layer = new S.LIF({ beta: 0.5, noise: `gaussian:${sigma}`, injection, seed: 11 });
      return S.tidy(() => layer.run(S.full([1, n], x)).spikes.dataFloat32().reduce((a, b) => a + b, 0) / n);
    };
    const phi = (z: number) => 0.5 * S.erfc(-z / Math.SQRT2);
    for (const [injection, p] of [["escape", phi((x - 1) / sigma)], ["diffusive", phi((x - 1) / sigma)], ["both", phi((x - 1) / (sigma * Math.SQRT2))]] as const) {
      const se = Math.sqrt((p * (1 - p)) / n);
      assert.ok(Math.abs(rate(injection) - p) < 4 * se, `${injection}: rate ${rate(injection)}, expected ${p}`);
    }
  });

  test("diffusive noise is carried by the membrane: Var m[T] = σ²(1 − β^{2T})/(1 − β²) below threshold; escape noise leaves it alone", () => {
    const [n, T, beta, sigma] = [20000, 6, 0.8, 0.2];
    const membrane = (injection: "escape" | "diffusive") => {
      const layer = new S.LIF({ beta, threshold: 1e6, noise: `gaussian:${sigma}`, injection, seed: 3 });
      return S.tidy(() => Array.from(S.slice(layer.run(S.full([T, n], 0.1)).membrane, [T - 1, 0], [1, -1]).dataFloat32()));
    };
    const mean = 0.1 * (1 - beta ** T) / (1 - beta);
    const variance = (sigma ** 2 * (1 - beta ** (2 * T))) / (1 - beta ** 2);
    const m = membrane("diffusive");
    const mu = m.reduce((a, b) => a + b, 0) / n;
    const v = m.reduce((a, b) => a + (b - mu) ** 2, 0) / (n - 1);
    assert.ok(Math.abs(mu - mean) < 4 * Math.sqrt(variance / n), `mean ${mu}, expected ${mean}`);
    assert.ok(Math.abs(v / variance - 1) < 4 * Math.sqrt(2 / n), `variance ${v}, expected ${variance}`);
    assert.ok(membrane("escape").every((y) => Math.abs(y - mean) < 1e-5));
    assert.throws(() => new S.LIF({ noise: "gaussian:0.3", injection: "diffusive", evalMode: "expected" }), /evalMode/);
    assert.throws(() => new S.LIF({ injection: "both" }), /only with noise/);
  });

  test("the diffusive draw is a constant of the backward pass: without a reset the gradient is the noise-free layer's", () => {
    const x0 = Array.from(randomData(12, 21), (v) => 0.6 + 0.3 * v);
    const weights = S.tensor([1, -2, 0.5, 1.5, -1, 2, 0.3, 0.7, -0.4, 1.1, 0.9, -1.3], [4, 3]);
    const grad = (layer: S.LIF) =>
      S.tidy(() => {
        const x = S.tensor(x0, [4, 3], { requiresGrad: true });
        S.sum(S.mul(layer.run(x).membrane, weights)).backward();
        const g = Array.from(x.grad!.dataFloat32());
        x.dispose();
        return g;
      });
    const noisy = grad(new S.LIF({ beta: 0.7, reset: "none", noise: "gaussian:0.2", injection: "diffusive", seed: 4 }));
    const plain = grad(new S.LIF({ beta: 0.7, reset: "none" }));
    noisy.forEach((g, k) => assert.ok(Math.abs(g - plain[k]) < 1e-6, `∂/∂x[${k}]: ${g} vs ${plain[k]}`));
  });
});
