import assert from "node:assert/strict";
import { describe, test } from "node:test";
import * as S from "../../src/index.js";
import { assertClose, randomData } from "../helpers.js";

const input = [0.6, 0.7, 2.5, -0.4, 0, 0];

for (const backend of ["js", "wasm"] as const) {
  describe(`fused LIF (${backend})`, () => {
    test.before(() => S.setBackend(backend));

    test("hand-computed sequences for each reset mode", () => {
      const run = (o: S.LifOptions) =>
        S.tidy(() => {
          const r = S.lif(S.tensor(input, [6, 1]), o);
          return [
            Array.from(r.spikes.dataFloat32()),
            Array.from(r.membrane.dataFloat32()),
          ] as unknown as number;
        }) as unknown as [number[], number[]];
      const expectRun = (o: S.LifOptions, spikes: number[], membrane: number[]) => {
        const [s, m] = run(o);
        assert.deepEqual(s, spikes);
        assertClose(m, membrane, 1e-6, 1e-6, "membrane");
      };
      // subtract (snnTorch): m[t] = β m[t−1] + I[t] − θ s[t−1]
      expectRun(
        { beta: 1, threshold: 1, reset: "subtract" },
        [0, 1, 1, 1, 0, 0],
        [0.6, 1.3, 2.8, 1.4, 0.4, 0.4],
      );
      // zero: m[t] = (β m[t−1] + I[t])(1 − s[t−1])
      expectRun(
        { beta: 1, threshold: 1, reset: "zero" },
        [0, 1, 0, 0, 0, 0],
        [0.6, 1.3, 0, -0.4, -0.4, -0.4],
      );
      // none, β = 0.5: 0.6, 0.3 + 0.7 = 1.0 (not above θ), 3.0, 1.1, 0.55, 0.275
      expectRun(
        { beta: 0.5, threshold: 1, reset: "none" },
        [0, 0, 1, 1, 0, 0],
        [0.6, 1.0, 3.0, 1.1, 0.55, 0.275],
      );
      // H(0) = 0.5 at exactly the threshold; subtract then removes θ·0.5
      assert.deepEqual(
        run({ beta: 1, threshold: 1.3, reset: "subtract", h0: 0.5 })[0].slice(0, 3),
        [0, 0.5, 1],
      );
      // initial membrane
      const m0 = S.tensor([0.9], [1]);
      assert.deepEqual(S.lif(S.tensor([0.2, 0], [2, 1]), { beta: 1 }, { mem: m0 }).spikes.toArray(), [[1], [0]]);
    });

    test("backward equals the same recurrence written with elementwise autograd ops", () => {
      const T = 7;
      const shape = [3, 4];
      const P = 12;
      for (const reset of ["subtract", "zero", "none"] as const) {
        for (const detachReset of [false, true]) {
          for (const [surrogate, k] of [
            ["fast_sigmoid", 25],
            ["atan", 2],
            ["gaussian", 0.4],
            ["triangle", 1],
          ] as const) {
            const beta = 0.8;
            const thr = 0.9;
            const g = 0.85; // input gain
            const gr = 0.4; // refractory gain (zero reset)
            const xData = randomData(T * P, 3, 0.9);
            const m0Data = randomData(P, 4, 0.5);
            const r1 = S.tensor(randomData(T * P, 5), [T, ...shape]);
            const r2 = S.tensor(randomData(T * P, 6), [T, ...shape]);
            const fused = S.tidy(() => {
              const x = S.tensor(xData, [T, ...shape], { requiresGrad: true });
              const m0 = S.tensor(m0Data, shape, { requiresGrad: true });
              const { spikes, membrane } = S.lif(x, {
                beta,
                threshold: thr,
                reset,
                detachReset,
                surrogate,
                surrogateParam: k,
                inputGain: g,
                refractoryGain: gr,
              }, { mem: m0 });
              S.add(S.sum(S.mul(spikes, r1)), S.sum(S.mul(membrane, r2))).backward();
              const out = [x.grad!.dataFloat32(), m0.grad!.dataFloat32()];
              x.dispose();
              m0.dispose();
              return out as unknown as number;
            }) as unknown as Float32Array[];
            const spikeFn = (u: S.Tensor) =>
              S.customOp(
                "spike",
                [u],
                (v) => S.cast(S.gt(v, 0), "float32"),
                (g, [v]) => {
                  const d = v.dataFloat32().map((z) => S.surrogateDerivative(surrogate, z, k));
                  return [S.mul(g, S.tensor(d, v.shape))];
                },
              );
            const composed = S.tidy(() => {
              const x = S.tensor(xData, [T, ...shape], { requiresGrad: true });
              const m0 = S.tensor(m0Data, shape, { requiresGrad: true });
              let m: S.Tensor = m0;
              let s = spikeFn(S.sub(m0, thr));
              let loss: S.Tensor = S.scalar(0);
              for (let t = 0; t < T; t++) {
                const sReset = detachReset ? S.detach(s) : s;
                const xt = S.reshape(S.slice(x, [t, 0, 0], [1, -1, -1]), shape);
                const h = S.add(S.mul(m, beta), S.mul(xt, g));
                m =
                  reset === "subtract"
                    ? S.sub(h, S.mul(sReset, thr))
                    : reset === "zero"
                      ? S.add(S.mul(h, S.sub(1, sReset)), S.mul(sReset, S.mul(xt, gr)))
                      : h;
                s = spikeFn(S.sub(m, thr));
                const rt = (r: S.Tensor) => S.reshape(S.slice(r, [t, 0, 0], [1, -1, -1]), shape);
                loss = S.add(loss, S.add(S.sum(S.mul(s, rt(r1))), S.sum(S.mul(m, rt(r2)))));
              }
              loss.backward();
              const out = [x.grad!.dataFloat32(), m0.grad!.dataFloat32()];
              x.dispose();
              m0.dispose();
              return out as unknown as number;
            }) as unknown as Float32Array[];
            const what = `${reset} detach=${detachReset} ${surrogate}`;
            assertClose(fused[0], composed[0], 1e-4, 1e-4, `input gradient, ${what}`);
            assertClose(fused[1], composed[1], 1e-4, 1e-4, `mem0 gradient, ${what}`);
            r1.dispose();
            r2.dispose();
          }
        }
      }
    });

    test("bad parameters give typed errors naming the argument", () => {
      const x = S.zeros([2, 3]);
      assert.throws(
        () => S.lif(x, { threshold: -1 }),
        (e: Error) => e instanceof S.ValueError && /lif: threshold/.test(e.message),
      );
      assert.throws(
        () => S.lif(x, { beta: 1.5 }),
        (e: Error) => e instanceof S.ValueError && /lif: beta/.test(e.message),
      );
      assert.throws(() => S.lif(x, { beta: Number.NaN }), S.ValueError);
      assert.throws(
        () => S.lif(x, { surrogate: "nope" }),
        (e: Error) => e instanceof S.ValueError && /surrogate/.test(e.message),
      );
      assert.throws(() => S.lif(x, { reset: "mod" as S.ResetMode }), S.ValueError);
      assert.throws(() => S.lif(S.zeros([3]), {}), S.ShapeError);
      assert.throws(
        () => S.lif(x, {}, { mem: S.zeros([4]) }),
        (e: Error) => e instanceof S.ShapeError && /\[4\]/.test(e.message),
      );
      x.dispose();
    });
  });
}

test("surrogate derivatives are the derivatives of their smooth primitives (finite differences)", () => {
  const primitives: Record<string, (x: number, k: number) => number> = {
    fast_sigmoid: (x, k) => x / (1 + k * Math.abs(x)),
    atan: (x, k) => Math.atan((Math.PI / 2) * k * x) / Math.PI,
    sigmoid: (x, k) => 1 / (1 + Math.exp(-k * x)),
    logistic: (x, s) => 1 / (1 + Math.exp(-x / s)),
    gaussian: (x, s) => 0.5 * (1 + erf(x / (s * Math.SQRT2))),
  };
  for (const [name, F] of Object.entries(primitives)) {
    const k = S.defaultSurrogateParam[name as S.SurrogateName];
    for (const x of [-0.7, -0.1, -0.013, 0.021, 0.2, 1.3]) {
      const h = 1e-6;
      const fd = (F(x + h, k) - F(x - h, k)) / (2 * h);
      assertClose(
        [S.surrogateDerivative(name as S.SurrogateName, x, k)],
        [fd],
        1e-6,
        1e-5,
        `${name} at ${x}`,
      );
    }
  }
  // The noise densities integrate to 1 (triangle, rectangle, gaussian, logistic).
  for (const name of ["triangle", "rectangle", "gaussian", "logistic"] as const) {
    let area = 0;
    for (let x = -20; x < 20; x += 1e-4)
      area += S.surrogateDerivative(name, x + 5e-5, S.defaultSurrogateParam[name]) * 1e-4;
    assertClose([area], [1], 1e-4, 0, `${name} area`);
  }
  // Ma, Yan & Tang (2023): Gaussian σ = 0.3 has density 1.3298 at the threshold.
  assertClose([S.surrogateDerivative("gaussian", 0, 0.3)], [1.3298], 1e-4, 0, "gaussian density at 0");
});

/** erf by Abramowitz–Stegun 7.1.26 refined with a series (accurate to ~1e-12 for |x| < 3 via the series). */
function erf(x: number): number {
  // Maclaurin series converges quickly for the |x| used here.
  let sum = 0;
  let term = x;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
