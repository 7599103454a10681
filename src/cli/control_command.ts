// `snnkit control cartpole`: train a spiking cart-pole policy (evolution strategy or policy gradients), or evaluate one.
import { type Command, Option } from "commander";
import { controlToDirectory, loadControl } from "../node/control_run.js";
import { DEFAULT_ES } from "../tasks/control/es.js";
import { DEFAULT_PG } from "../tasks/control/pg.js";
import { CONTROL_METHODS, type ControlMethod, evaluatePolicy, HELD_OUT_EPISODES, SOLVED_RETURN } from "../tasks/control/session.js";
import type { CliRun } from "./exit_codes.js";
import { intFlag, nonNegativeFlag, pathFlag, seedFlag } from "./flags.js";
import { stopOnSignals } from "./signals.js";

interface ControlFlags {
  method: ControlMethod;
  episodes: number;
  seed: number;
  hidden?: number;
  observationNoise: number;
  out: string;
  resume: boolean;
  keepGoing: boolean;
  eval: boolean;
  checkpoint?: string;
  evalEpisodes: number;
  engine: "coarse" | "event";
  substeps: number;
  json: boolean;
}

/** Registers `snnkit control`. */
export function registerControlCommand(program: Command, run: CliRun): void {
  const control = program.command("control").description("spiking policies for control tasks");
  control
    .command("cartpole")
    .description("train a coarse-LIF policy on the cart-pole (CartPole-v1) until it averages 475 on 100 stopping episodes, then judge it on 1,000 held-out episodes; or --eval a trained one")
    .addOption(new Option("--method <name>", "es: evolution strategy (no gradients); pg: policy gradients through the surrogate").choices(CONTROL_METHODS).default("es"))
    .option("--episodes <n>", "training budget in episodes (whole generations or updates)", intFlag("--episodes", 1, 100_000_000), 5000)
    .option("--seed <n>", "seed of the weights, perturbations, actions and start states", seedFlag(), 0)
    .option("--hidden <n>", "coarse-LIF neurons of the policy (default 16)", intFlag("--hidden", 1, 4096))
    .option("--observation-noise <sigma>", "a harder variant: Gaussian noise of this standard deviation on every observed value", nonNegativeFlag("--observation-noise", 1000), 0)
    .option("--out <dir>", "run directory (checkpoint, metrics.json, returns.svg)", pathFlag("--out"), "runs/cartpole")
    .option("--resume", "continue from <out>/checkpoint.snnk", false)
    .option("--keep-going", "train the whole budget instead of stopping once solved", false)
    .option("--eval", "evaluate --checkpoint instead of training", false)
    .option("--checkpoint <path>", "with --eval: the checkpoint to evaluate", pathFlag("--checkpoint"))
    .option("--eval-episodes <n>", "with --eval: held-out episodes to average (never used in training or for stopping)", intFlag("--eval-episodes", 1, 100_000), HELD_OUT_EPISODES.episodes)
    .addOption(new Option("--engine <name>", "with --eval: coarse (as trained) or event (continuous-time LIF neurons, docs/transfer.md)").choices(["coarse", "event"]).default("coarse"))
    .option("--substeps <k>", "with --engine event: impulses per coarse step", intFlag("--substeps", 1, 100_000), 16)
    .option("--json", "print one JSON object at the end", false)
    .action(async (f: ControlFlags, command: Command) => {
      const log = f.json ? console.error : console.log;
      if (f.eval) {
        const path = f.checkpoint ?? `${f.out}/checkpoint.snnk`;
        const session = loadControl(path).session;
        const mean = evaluatePolicy(session, { ...HELD_OUT_EPISODES, episodes: f.evalEpisodes }, { engine: f.engine, substeps: f.substeps });
        if (f.json) console.log(JSON.stringify({ checkpoint: path, method: session.method, engine: f.engine, episodes: f.evalEpisodes, mean_return: mean, solved: mean >= SOLVED_RETURN }));
        else
          console.log(
            `mean return ${mean.toFixed(1)} over ${f.evalEpisodes} held-out episodes with ${f.engine === "event" ? "continuous-time" : "coarse-LIF"} neurons (${mean >= SOLVED_RETURN ? "solved" : "not solved"}: CartPole-v1 needs ≥ ${SOLVED_RETURN})`,
          );
        return;
      }
      const noisy = f.observationNoise > 0 ? { observationNoise: f.observationNoise } : {};
      const config = f.method === "es" ? { ...DEFAULT_ES, seed: f.seed, hidden: f.hidden ?? DEFAULT_ES.hidden, ...noisy } : { ...DEFAULT_PG, seed: f.seed, hidden: f.hidden ?? DEFAULT_PG.hidden, ...noisy };
      const signals = stopOnSignals("after this iteration");
      let result;
      try {
        result = await controlToDirectory({
          method: f.method,
          config,
          outDir: f.out,
          episodes: f.episodes,
          resume: f.resume,
          explicit: Object.fromEntries(
            ([["seed", "--seed"], ["hidden", "--hidden"], ["observationNoise", "--observation-noise"]] as const).filter(([k]) => command.getOptionValueSource(k) === "cli"),
          ),
          keepGoing: f.keepGoing,
          onIteration: (r) => {
            if (r.stopping_return !== null || r.iteration % 10 === 0)
              log(
                `${f.method} iteration ${r.iteration}: ${r.episodes} episodes, mean return ${r.mean_return.toFixed(1)}${r.stopping_return === null ? "" : `, greedy policy ${r.stopping_return.toFixed(1)} on the 100 stopping episodes`}, ${r.seconds.toFixed(1)} s`,
              );
          },
          shouldStop: () => signals.stopped() !== null,
        });
      } finally {
        signals.remove();
      }
      run.exitCode = signals.exitCode() ?? run.exitCode;
      if (f.json) {
        console.log(JSON.stringify(result));
        return;
      }
      console.log(
        result.stopped_after_episodes === null
          ? `the stopping episodes did not reach ${SOLVED_RETURN} in ${result.episodes} episodes (their mean: ${result.stopping_return.toFixed(1)})${result.completed ? "" : " (stopped; continue with --resume)"}`
          : `stopped after ${result.stopped_after_episodes} training episodes (${result.seconds.toFixed(1)} s), the 100 stopping episodes averaging ${result.stopping_return.toFixed(1)}`,
      );
      console.log(
        `held-out: mean return ${result.held_out_return.toFixed(1)} over ${result.held_out_episodes} new episodes: ${result.solved ? "solved" : "not solved"} (CartPole-v1 needs ≥ ${SOLVED_RETURN})`,
      );
      console.log(`checkpoint: ${result.checkpoint}\nmetrics:    ${result.metrics}\nplot:       ${result.plot}`);
    });
}
