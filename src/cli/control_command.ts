// `snnkit control cartpole`: registration of the cart-pole task (train a spiking policy) with its --eval
// mode (evaluate a trained one), and their printers.
import { type Command, Option } from "commander";
import { restoreRun } from "../tasks/run/runner.js";
import { evaluatePolicy, HELD_OUT_EPISODES, SOLVED_RETURN } from "../tasks/control/session.js";
import { controlTask } from "../tasks/control/task.js";
import { directoryContext } from "../node/run_store.js";
import { registerTask } from "./commands.js";
import type { CliRun } from "./exit_codes.js";
import { intFlag, pathFlag } from "./flags.js";

/** The flags of --eval. */
interface EvalFlags {
  checkpoint?: string;
  out: string;
  evalEpisodes: number;
  engine: "coarse" | "event";
  substeps: number;
  json: boolean;
}

/** Evaluates a trained policy on held-out episodes (the --eval mode). */
function evaluateCheckpoint(f: EvalFlags): void {
  const path = f.checkpoint ?? `${f.out}/checkpoint.snnk`;
  const session = restoreRun(controlTask, directoryContext("."), path).session;
  const mean = evaluatePolicy(session, { ...HELD_OUT_EPISODES, episodes: f.evalEpisodes }, { engine: f.engine, substeps: f.substeps });
  if (f.json) return console.log(JSON.stringify({ checkpoint: path, method: session.method, engine: f.engine, episodes: f.evalEpisodes, mean_return: mean, solved: mean >= SOLVED_RETURN }));
  console.log(
    `mean return ${mean.toFixed(1)} over ${f.evalEpisodes} held-out episodes with ${f.engine === "event" ? "continuous-time" : "coarse-LIF"} neurons (${mean >= SOLVED_RETURN ? "solved" : "not solved"}: CartPole-v1 needs ≥ ${SOLVED_RETURN})`,
  );
}

/** Registers `snnkit control`. */
export function registerControlCommand(program: Command, run: CliRun): void {
  const control = program.command("control").description("spiking policies for control tasks");
  registerTask(control, run, controlTask, {
    name: "cartpole",
    description:
      "train a coarse-LIF policy on the cart-pole (CartPole-v1) until it averages 475 on 100 stopping episodes, then judge it on 1,000 held-out episodes; or --eval a trained one",
    out: "runs/cartpole",
    unit: "iteration",
    stopsAt: "after this iteration",
    cadence: false,
    printer: (json) => ({
      epoch(r) {
        if (r.stopping_return !== null || r.iteration % 10 === 0)
          (json ? console.error : console.log)(
            `iteration ${r.iteration}: ${r.episodes} episodes, mean return ${r.mean_return.toFixed(1)}${r.stopping_return === null ? "" : `, greedy policy ${r.stopping_return.toFixed(1)} on the 100 stopping episodes`}, ${r.seconds.toFixed(1)} s`,
          );
      },
    }),
    alternative: {
      options: [
        new Option("--eval", "evaluate --checkpoint instead of training"),
        new Option("--checkpoint <path>", "with --eval: the checkpoint to evaluate (default: <out>/checkpoint.snnk)").argParser(pathFlag("--checkpoint")),
        new Option("--eval-episodes <n>", "with --eval: held-out episodes to average (never used in training or for stopping)").argParser(intFlag("--eval-episodes", 1, 100_000)).default(HELD_OUT_EPISODES.episodes),
        new Option("--engine <name>", "with --eval: coarse (as trained) or event (continuous-time LIF neurons, docs/transfer.md)").choices(["coarse", "event"]).default("coarse"),
        new Option("--substeps <k>", "with --engine event: impulses per coarse step").argParser(intFlag("--substeps", 1, 100_000)).default(16),
      ],
      when: (f) => f.eval === true,
      run: (f) => evaluateCheckpoint(f as unknown as EvalFlags),
    },
    print(r, json) {
      if (json) return console.log(JSON.stringify(r));
      console.log(
        r.stopped_after_episodes === null
          ? `the stopping episodes did not reach ${SOLVED_RETURN} in ${r.episodes} episodes (their mean: ${r.stopping_return.toFixed(1)})${r.completed ? "" : " (stopped; continue with --resume)"}`
          : `stopped after ${r.stopped_after_episodes} training episodes (${r.seconds.toFixed(1)} s), the 100 stopping episodes averaging ${r.stopping_return.toFixed(1)}`,
      );
      console.log(`held-out: mean return ${r.held_out_return.toFixed(1)} over ${r.held_out_episodes} new episodes: ${r.solved ? "solved" : "not solved"} (CartPole-v1 needs ≥ ${SOLVED_RETURN})`);
      console.log(`checkpoint: ${r.checkpoint}\nmetrics:    ${r.metrics}\nplot:       ${r.plot}`);
    },
  });
}
