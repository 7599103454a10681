// STDP: the window measured by pairing two simulated neurons equals the pair rule's exponentials; the triplet
// rule's equals its steady-state formula for periodic pairings, written out here; weights stay in their
// bounds; bad rules, weights and spike trains are ValueErrors.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../src/cli/program.js";
import { DataError, ValueError } from "../../src/errors.js";
import { assertClose, withConsole } from "../helpers.js";
import { Rng } from "../../src/random/rng.js";
import { simulateEvents } from "../../src/sim/event_sim.js";
import { parseNetwork } from "../../src/sim/network.js";
import { simulateStepped } from "../../src/sim/stepped_sim.js";
import type { NetworkStdp } from "../../src/sim/stdp_network.js";
import { applyStdp, PAIR_STDP, type StdpRule, StdpSynapse, TRIPLET_STDP } from "../../src/sim/stdp.js";
import { pairedSpikes, stdpWindowJob } from "../../src/tasks/sim/stdp_window_job.js";
import { MemoryStore } from "../../src/tasks/run/memory_store.js";
import { nodeImages } from "../../src/node/images.js";

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b) + 1e-18, `${what}: ${a} vs ${b}`);

test("snnkit stdp window --rule pair: the measured window is A₊e^{−Δt/τ₊} for Δt ≥ 0 and −A₋e^{Δt/τ₋} for Δt < 0", async () => {
  const r = await stdpWindowJob.run(stdpWindowJob.configure({ rule: "pair", spanMs: 100, stepMs: 5 }), { store: new MemoryStore(), images: nodeImages }, {});
  assert.equal(r.dt_ms.length, 41);
  assert.deepEqual([r.dt_ms[0], r.dt_ms[20], r.dt_ms[40]], [-100, 0, 100]);
  const { a_plus, a_minus, tau_plus_ms, tau_minus_ms } = r.params;
  assert.deepEqual([a_plus, a_minus, tau_plus_ms, tau_minus_ms], [0.005, 0.00525, 20, 20]);
  r.dt_ms.forEach((d, k) => close(r.dw[k], d >= 0 ? a_plus * Math.exp(-d / tau_plus_ms) : -a_minus * Math.exp(d / tau_minus_ms), 1e-9, `Δt ${d} ms`));
});

test("the paired neurons fire at exactly t_k and t_k + Δt (the exact simulator)", () => {
  const { pre, post } = pairedSpikes(-0.03, 5, 2);
  assert.equal(pre.length, 5);
  pre.forEach((t, k) => {
    close(t, 0.04 + k * 0.5, 1e-15, `pre ${k}`);
    close(post[k] - t, -0.03, 1e-12, `offset ${k}`);
  });
});

test("triplet STDP (nearest spikes): the weight change per pairing equals the first pairing's and the periodic steady state's, written out", () => {
  const R = TRIPLET_STDP;
  const N = 40;
  for (const frequency of [1, 10, 40])
    for (const dtMs of [-20, -5, 0, 5, 20]) {
      const P = 1 / frequency;
      const d = dtMs / 1000;
      const e = (t: number, tau: number) => Math.exp(-t / tau);
      // First pairing: no earlier spikes; then every pairing sees the previous one's spikes (nearest: traces reset to 1).
      let first: number;
      let steady: number;
      if (d > 0) {
        first = e(d, R.tauPlus) * R.aPlus;
        steady = e(d, R.tauPlus) * (R.aPlus + R.a3Plus * e(P, R.tauY)) - e(P - d, R.tauMinus) * (R.aMinus + R.a3Minus * e(P, R.tauX));
      } else if (d < 0) {
        first = -e(-d, R.tauMinus) * R.aMinus;
        steady = e(P + d, R.tauPlus) * (R.aPlus + R.a3Plus * e(P, R.tauY)) - e(-d, R.tauMinus) * (R.aMinus + R.a3Minus * e(P, R.tauX));
      } else {
        first = R.aPlus; // the presynaptic spike goes first at equal times
        steady = R.aPlus + R.a3Plus * e(P, R.tauY) - e(P, R.tauMinus) * (R.aMinus + R.a3Minus * e(P, R.tauX));
      }
      const { pre, post } = pairedSpikes(d, N, frequency);
      const measured = (applyStdp(new StdpSynapse(R, 0.5), pre, post) - 0.5) / N;
      close(measured, (first + (N - 1) * steady) / N, 1e-9, `${frequency} Hz, Δt ${dtMs} ms`);
    }
  // The triplet term: at 40 Hz, +5 ms pairings potentiate far more per pairing than at 1 Hz (Sjöström et al. 2001's frequency effect).
  const at = (f: number) => {
    const { pre, post } = pairedSpikes(0.005, 60, f);
    return applyStdp(new StdpSynapse(R, 0.5), pre, post) - 0.5;
  };
  assert.ok(at(40) > 10 * at(1), `${at(40)} vs ${at(1)}`);
});

test("bounds: additive updates clip at w_min and w_max; multiplicative ones converge to the fixed point of their periodic pairings, written out", () => {
  const T = 0.1;
  const d = 0.005;
  const pre = Array.from({ length: 1000 }, (_, k) => k * T + 0.01); // 1,000 periods: the map contracts by (1 − P)(1 − D) ≈ 0.96 per period
  const after = pre.map((t) => t + d);
  const before = pre.map((t) => t - d);
  const big: StdpRule = { ...PAIR_STDP, aPlus: 0.05, aMinus: 0.05 };
  assert.equal(applyStdp(new StdpSynapse(big, 0.5), pre, after), 1);
  assert.equal(applyStdp(new StdpSynapse(big, 0.5), pre, before), 0);
  const mult: StdpRule = { ...big, update: "multiplicative" };
  // All-to-all traces in the periodic steady state, read before each spike's own jump.
  const sum = (x: number, tau: number) => Math.exp(-x / tau) / (1 - Math.exp(-T / tau));
  // Δt > 0: each period, depression D·w at the pre spike, then potentiation P·(1 − w) at the post spike.
  let P = big.aPlus * sum(d, big.tauPlus);
  let D = big.aMinus * sum(T - d, big.tauMinus);
  close(applyStdp(new StdpSynapse(mult, 0.5), pre, after), P / (1 - (1 - D) * (1 - P)), 1e-6, "fixed point, Δt = +5 ms");
  // Δt < 0: potentiation at the post spike, then depression at the pre spike.
  P = big.aPlus * sum(T - d, big.tauPlus);
  D = big.aMinus * sum(d, big.tauMinus);
  close(applyStdp(new StdpSynapse(mult, 0.5), pre, before), (P * (1 - D)) / (1 - (1 - P) * (1 - D)), 1e-6, "fixed point, Δt = −5 ms");
});

test("bad rules, weights, spike trains and settings are ValueErrors naming them", () => {
  const bad: [() => unknown, RegExp][] = [
    [() => new StdpSynapse({ ...PAIR_STDP, tauPlus: 0 }, 0.5), /stdp\.tauPlus/],
    [() => new StdpSynapse({ ...PAIR_STDP, aMinus: Number.NaN }, 0.5), /stdp\.aMinus/],
    [() => new StdpSynapse({ ...PAIR_STDP, wMin: 1, wMax: 1 }, 1), /stdp\.wMax/],
    [() => new StdpSynapse(PAIR_STDP, 2), /weight/],
    [() => applyStdp(new StdpSynapse(PAIR_STDP, 0.5), [0.2, 0.1], []), /pre spike times\[1\]/],
    [() => new StdpSynapse(PAIR_STDP, 0.5).post(Number.POSITIVE_INFINITY), /spike time/],
    [() => stdpWindowJob.configure({ rule: "hebb" as never }), /rule/],
    [() => stdpWindowJob.configure({ spanMs: -1 }), /spanMs/],
    [() => stdpWindowJob.configure({ spanMs: 30, frequency: 20 }), /--span-ms.*half the pairing period \(25 ms/],
  ];
  for (const [run, name] of bad) assert.throws(run, (e: unknown) => e instanceof ValueError && name.test(e.message), String(name));
  // A spike before the last one seen.
  const s = new StdpSynapse(PAIR_STDP, 0.5);
  s.pre(1);
  assert.throws(() => s.post(0.5), (e: unknown) => e instanceof ValueError && /not before the last spike/.test(e.message));
});

test("STDP in both simulators: every synapse's final weight equals StdpSynapse run offline on the spike trains the run produced (pair and triplet, all and nearest, additive and multiplicative, a subset)", () => {
  const rng = new Rng(9);
  const n = 30;
  const pre: number[] = [];
  const post: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (i === j ? i === 3 : rng.uniform() < 0.2) {
        pre.push(i);
        post.push(j);
      }
  const weight = pre.map(() => 0.05 + 0.25 * rng.uniform());
  const delay = pre.map(() => 0.001 + 0.002 * rng.uniform());
  const net = parseNetwork(
    { neurons: { count: n, tau: 0.02, threshold: 1, reset: "zero", refractory: 0.002 }, synapses: { pre, post, weight, delay }, poisson: [{ neurons: "all", rate: 40, weight: 0.3, sources: 10 }] },
    "stdp-net",
  );
  const rules: [string, StdpRule, number[] | undefined][] = [
    ["pair, all, additive", PAIR_STDP, undefined],
    ["triplet, nearest, additive", TRIPLET_STDP, undefined],
    ["pair, nearest, multiplicative, a subset", { ...PAIR_STDP, interaction: "nearest", update: "multiplicative", aPlus: 0.02, aMinus: 0.021 }, pre.map((_, s) => s).filter((s) => s % 3 === 0)],
  ];
  // The exact simulator, and the time-stepped one (dt 0.1 ms: spikes of one step count as pre before post).
  const runs = {
    exact: (stdp: NetworkStdp) => {
      const r = simulateEvents(net, { duration: 2, seed: 4, stdp });
      return { spikes: r.spikes.map((x) => x.times), weights: r.weights!, total: r.totalSpikes };
    },
    stepped: (stdp: NetworkStdp) => {
      const r = simulateStepped(net, { duration: 2, dt: 1e-4, seed: 4, stdp });
      return { spikes: r.spikeTimes, weights: r.weights!, total: r.totalSpikes };
    },
  };
  for (const [mode, simulate] of Object.entries(runs))
  for (const [ruleName, rule, subset] of rules) {
    const name = `${mode}, ${ruleName}`;
    const r = simulate({ rule, synapses: subset });
    assert.ok(r.total > 300, `${name}: ${r.total} spikes`);
    const learns = new Set(subset ?? pre.map((_, s) => s));
    let changed = 0;
    pre.forEach((p, s) => {
      const expected = learns.has(s) ? applyStdp(new StdpSynapse(rule, weight[s]), r.spikes[p], r.spikes[post[s]]) : weight[s];
      assert.ok(Math.abs(r.weights![s] - expected) <= 1e-9, `${name}: synapse ${s} (${p} → ${post[s]}): ${r.weights![s]} vs ${expected}`);
      if (r.weights![s] !== weight[s]) changed++;
    });
    assert.ok(changed >= learns.size / 2, `${name}: ${changed} of ${learns.size} plastic weights changed`);
  }
  assert.throws(() => simulateEvents(net, { duration: 1, stdp: { rule: PAIR_STDP, synapses: [pre.length] } }), (e: unknown) => e instanceof ValueError && /stdp\.synapses\[0\]/.test(e.message));
});

test("network files declare plasticity: the rule's defaults and overrides, and `snnkit simulate` writes the learnt weights (exact and time-stepped)", async () => {
  const file = {
    neurons: { count: 3, tau: 0.02, threshold: 1, reset: "zero", refractory: 0.002 },
    synapses: { pre: [0, 1, 0], post: [2, 2, 1], weight: [0.4, 0.4, 0.2], delay: [0.001, 0.001, 0.002] },
    poisson: [{ neurons: [0, 1], rate: 50, weight: 0.4, sources: 4 }],
    plasticity: { rule: "pair", synapses: [0, 1], a_plus: 0.01, tau_minus: 0.03, update: "multiplicative" },
  };
  const net = parseNetwork(file, "plastic.json");
  assert.deepEqual(net.plasticity, { rule: { ...PAIR_STDP, aPlus: 0.01, tauMinus: 0.03, update: "multiplicative" }, synapses: [0, 1] });
  const dir = mkdtempSync(join(tmpdir(), "snnkit-stdp-"));
  try {
    const path = join(dir, "plastic.json");
    writeFileSync(path, JSON.stringify(file));
    for (const dt of [undefined, 1e-4]) {
      const out = join(dir, `run-${dt ?? "exact"}`);
      const args = ["simulate", "--network", path, "--duration", "2", "--seed", "3", "--out", out, "--json", ...(dt ? ["--dt", String(dt)] : [])];
      const printed = await withConsole(async (lines) => {
        assert.equal(await runCli(args), 0, lines.join("\n"));
        return JSON.parse(lines.at(-1)!) as { plasticity: { synapses: number; mean_weight_before: number; mean_weight_after: number } };
      });
      const api = dt ? simulateStepped(net, { duration: 2, dt, seed: 3 }) : simulateEvents(net, { duration: 2, seed: 3 });
      const written = JSON.parse(readFileSync(join(out, "weights.json"), "utf8")) as number[];
      assert.deepEqual(written, [...api.weights!]);
      assert.equal(written[2], 0.2, "the synapse not listed keeps its weight");
      assert.equal(printed.plasticity.synapses, 2);
      assert.ok(Math.abs(printed.plasticity.mean_weight_after - (written[0] + written[1]) / 2) < 1e-12);
      assert.notEqual(written[0], 0.4);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bad: [unknown, RegExp][] = [
    [{ ...file, plasticity: { rule: "hebb" } }, /plasticity\.rule: expected "pair" or "triplet"/],
    [{ ...file, plasticity: { rule: "pair", synapses: [5] } }, /plasticity\.synapses\[0\]: expected a synapse index in \[0, 3\)/],
    [{ ...file, plasticity: { rule: "pair", w_max: 0.3 } }, /synapses\.weight\[0\]: a plastic synapse's weight must lie in \[w_min, w_max\] = \[0, 0\.3\]/],
    [{ ...file, plasticity: { rule: "pair", w_min: 1, w_max: 0.5 } }, /plasticity\.w_max/],
    [{ ...file, plasticity: { rule: "pair", tau_plus: 0 } }, /plasticity\.tau_plus/],
    [{ ...file, plasticity: { rule: "pair", learning: 1 } }, /learning/],
  ];
  for (const [json, message] of bad) assert.throws(() => parseNetwork(json, "plastic.json"), (e: unknown) => e instanceof DataError && /plastic\.json/.test(e.message) && message.test(e.message), String(message));
});

test("synaptic delays end to end: snnkit simulate on a file with delays puts every spike one delay after its cause, exactly and on a grid", async () => {
  // A chain 0 → 1 → 2 with delays 3 ms and 7.5 ms; neuron 0 fires on its input at 10 ms; each synapse lifts its
  // target over threshold at once (weight 1.5 θ, no leak, zero reset).
  const file = {
    neurons: { count: 3, threshold: 1, reset: "zero" },
    synapses: { pre: [0, 1], post: [1, 2], weight: [1.5, 1.5], delay: [0.003, 0.0075] },
    inputs: [{ neuron: 0, times: [0.01, 0.05], weights: [1.5, 1.5] }],
  };
  const dir = mkdtempSync(join(tmpdir(), "snnkit-delays-"));
  try {
    const path = join(dir, "chain.json");
    writeFileSync(path, JSON.stringify(file));
    for (const dt of [undefined, 5e-4]) {
      const out = join(dir, `run-${dt ?? "exact"}`);
      await withConsole(async (lines) => assert.equal(await runCli(["simulate", "--network", path, "--duration", "0.1", "--out", out, "--json", ...(dt ? ["--dt", String(dt)] : [])]), 0, lines.join("\n")));
      const spikes = JSON.parse(readFileSync(join(out, "spikes.json"), "utf8")) as { times: number[] }[];
      const want = [[0.01, 0.05], [0.013, 0.053], [0.0205, 0.0605]];
      // Exact times event-driven. On the grid (Brian2's step order: the threshold is tested before the step's
      // inputs arrive) every hop takes one step more, so neuron n of the chain lags by n + 1 steps at most.
      spikes.forEach((s, n) => {
        assertClose(s.times, want[n], dt ? (n + 1) * dt + 1e-9 : 1e-12, 0, `neuron ${n}${dt ? ` (dt ${dt})` : ""}`);
        if (dt) s.times.forEach((t, k) => assert.ok(t >= want[n][k] - 1e-12, "never early"));
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
