// `snnkit tem one-layer | two-layer | sweep`: train TEM layers from spike times (Adam 2022; docs/time-encoding.md).
import { type Command, Option } from "commander";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ONE_LAYER_DEFAULTS, runOneLayer } from "../tasks/tem/one_layer_experiment.js";
import { oneLayerSweeps, twoLayerSweep } from "../tasks/tem/sweeps.js";
import type { TemParams } from "../tem/tem_neuron.js";
import { runTwoLayer, TWO_LAYER_DEFAULTS } from "../tem/two_layer.js";
import { TEM_LIMITS } from "../tem/limits.js";
import { finiteFlag, intFlag, nonNegativeFlag, pathFlag, positiveFlag, seedFlag } from "./flags.js";
import { stderrProgress } from "./progress.js";

/** Adds --kappaS, --deltaS, --biasS (S a suffix such as "1") with defaults p. */
function temParamOptions(cmd: Command, suffix: string, p: TemParams, what: string): Command {
  return cmd
    .option(`--kappa${suffix} <k>`, `${what} integration constant κ`, positiveFlag(`--kappa${suffix}`), p.kappa)
    .option(`--delta${suffix} <d>`, `${what} threshold δ`, positiveFlag(`--delta${suffix}`), p.delta)
    .option(`--bias${suffix} <b>`, `${what} bias b`, finiteFlag(`--bias${suffix}`), p.bias);
}

/** Adds the options shared by the training experiments: sizes, examples, exposure, jitter, seed, --json. */
function experimentOptions(cmd: Command, d: { inputs: number; outputs: number; examples: number; exposure: number; jitter: number; seed: number }): Command {
  return cmd
    .option("--inputs <n>", "input signals", intFlag("--inputs", 1, TEM_LIMITS.neurons), d.inputs)
    .option("--outputs <n>", "output neurons", intFlag("--outputs", 1, TEM_LIMITS.neurons), d.outputs)
    .option("--examples <n>", "training examples", intFlag("--examples", 1, TEM_LIMITS.examples), d.examples)
    .option("--exposure <t>", "duration over which output spikes are observed (period 10)", positiveFlag("--exposure", TEM_LIMITS.exposure), d.exposure)
    .option("--jitter <s>", "std of Gaussian noise on output spike times", nonNegativeFlag("--jitter", TEM_LIMITS.jitter), d.jitter)
    .option("--seed <n>", "seed", seedFlag(), d.seed)
    .option("--json", "print one JSON object", false);
}


interface OneLayerFlags {
  inputs: number;
  outputs: number;
  examples: number;
  exposure: number;
  jitter: number;
  kappa: number;
  delta: number;
  bias: number;
  bands: number;
  period: number;
  seed: number;
  json: boolean;
}

/** Registers `snnkit tem`. */
export function registerTemCommands(program: Command): void {
  const tem = program.command("tem").description("time-encoding machines: train spiking layers from spike times (Adam 2022)");
  const d = ONE_LAYER_DEFAULTS;
  const oneLayer = tem
    .command("one-layer")
    .description("draw a random layer of TEM neurons, encode random bandlimited inputs, recover W by least squares")
    .option("--bands <K>", "Fourier coefficients per signal (|m| < K)", intFlag("--bands", 1, TEM_LIMITS.bands), d.bands)
    .option("--period <P>", "signal period", positiveFlag("--period", 1e6), d.period);
  temParamOptions(experimentOptions(oneLayer, d), "", d.params, "TEM")
    .action((f: OneLayerFlags) => {
      const t0 = performance.now();
      const r = runOneLayer({
        inputs: f.inputs,
        outputs: f.outputs,
        examples: f.examples,
        exposure: f.exposure,
        jitter: f.jitter,
        params: { kappa: f.kappa, delta: f.delta, bias: f.bias },
        bands: f.bands,
        period: f.period,
        seed: f.seed,
      });
      const out = {
        error: r.error,
        rank: r.rank,
        determined: r.determined,
        spikes: r.spikes,
        equations: r.equations,
        residual: r.residual,
        seconds: (performance.now() - t0) / 1000,
      };
      if (f.json) {
        console.log(JSON.stringify(out));
        return;
      }
      console.log(`${f.inputs} → ${f.outputs} TEM layer, ${f.examples} examples of duration ${f.exposure}: ${r.spikes} output spikes`);
      console.log(`rank per output neuron: ${r.rank.join(", ")} of ${f.inputs}${r.determined ? "" : "  (UNDER-DETERMINED: W is not identifiable from these spikes)"}`);
      console.log(`‖W_learned − W_true‖_F = ${r.error.toExponential(3)}; largest interval residual ${r.residual.toExponential(2)}`);
    });

  tem
    .command("sweep")
    .description("the experiments of Adam 2022: one-layer error vs examples × exposure and vs jitter; two-layer median errors vs exposure (JSON + SVG)")
    .option("--out <dir>", "output directory", pathFlag("--out"), "runs/tem-sweep")
    .addOption(new Option("--which <set>", "which experiments").choices(["all", "one-layer", "two-layer"]).default("all"))
    .option("--trials <n>", "two-layer trials per exposure", intFlag("--trials", 1, 10_000), 50)
    .option("--seed <n>", "seed", seedFlag(), 0)
    .option("--quick", "fewer points", false)
    .option("--json", "print one JSON object", false)
    .action((f: { out: string; which: string; trials: number; seed: number; quick: boolean; json: boolean }) => {
      const dir = resolve(f.out);
      mkdirSync(dir, { recursive: true });
      const files: Record<string, string> = {};
      const result: Record<string, unknown> = {};
      const lines: string[] = [];
      if (f.which !== "two-layer") {
        const r = oneLayerSweeps(f.seed, f.quick);
        Object.assign(files, {
          one_layer_data: join(dir, "one_layer_sweeps.json"),
          examples_plot: join(dir, "error_vs_examples.svg"),
          jitter_plot: join(dir, "error_vs_jitter.svg"),
        });
        writeFileSync(files.one_layer_data, `${JSON.stringify({ examples: r.examples, jitter: r.jitter }, null, 1)}\n`);
        writeFileSync(files.examples_plot, r.plots.examples);
        writeFileSync(files.jitter_plot, r.plots.jitter);
        result.one_layer = { examples: r.examples, jitter: r.jitter };
        for (const p of [...r.examples, ...r.jitter])
          lines.push(
            `one layer: examples ${p.examples}, exposure ${p.exposure}, jitter ${p.jitter}: error ${p.error.toExponential(2)}${p.determined ? "" : " (under-determined)"}`,
          );
      }
      if (f.which !== "one-layer") {
        const { rows, plot } = twoLayerSweep(undefined, f.quick ? Math.min(f.trials, 5) : f.trials, f.seed, stderrProgress("tem sweep: two-layer trials"));
        Object.assign(files, { two_layer_data: join(dir, "two_layer_sweep.json"), two_layer_plot: join(dir, "two_layer_errors.svg") });
        writeFileSync(files.two_layer_data, `${JSON.stringify(rows, null, 1)}\n`);
        writeFileSync(files.two_layer_plot, plot);
        result.two_layer = rows;
        for (const r of rows)
          lines.push(
            `two layers: exposure ${r.exposure}: median error W1 ${r.median_error_w1.toExponential(2)}, W2 ${r.median_error_w2.toExponential(2)}; exact in ${r.exact}/${r.trials}`,
          );
      }
      if (f.json) {
        console.log(JSON.stringify({ ...result, files }));
        return;
      }
      for (const l of lines) console.log(l);
      for (const [k, v] of Object.entries(files)) console.log(`${k}: ${v}`);
    });

  const t2 = TWO_LAYER_DEFAULTS;
  const twoLayer = tem
    .command("two-layer")
    .description("draw a random 2-layer TEM network, recover hidden spikes and both weight matrices from output spikes")
    .option("--hidden <n>", "hidden neurons", intFlag("--hidden", 1, TEM_LIMITS.neurons), t2.hidden);
  temParamOptions(temParamOptions(experimentOptions(twoLayer, t2), "1", t2.hiddenParams, "hidden"), "2", t2.outputParams, "output")
    .action(
      (f: {
        inputs: number;
        hidden: number;
        outputs: number;
        examples: number;
        exposure: number;
        jitter: number;
        kappa1: number;
        delta1: number;
        bias1: number;
        kappa2: number;
        delta2: number;
        bias2: number;
        seed: number;
        json: boolean;
      }) => {
        const t0 = performance.now();
        const r = runTwoLayer({
          inputs: f.inputs,
          hidden: f.hidden,
          outputs: f.outputs,
          examples: f.examples,
          exposure: f.exposure,
          jitter: f.jitter,
          hiddenParams: { kappa: f.kappa1, delta: f.delta1, bias: f.bias1 },
          outputParams: { kappa: f.kappa2, delta: f.delta2, bias: f.bias2 },
          seed: f.seed,
        });
        const out = { ...r, seconds: (performance.now() - t0) / 1000 };
        if (f.json) {
          console.log(JSON.stringify(out));
          return;
        }
        console.log(`${f.inputs} → ${f.hidden} → ${f.outputs}, ${f.examples} examples, exposure ${f.exposure}: ${r.hidden_spikes} hidden and ${r.spikes} output spikes`);
        console.log(`error W1 ${r.error_w1.toExponential(3)}, W2 ${r.error_w2.toExponential(3)} (best permutation); hidden spike times within ${r.time_error.toExponential(2)}`);
      },
    );
}
