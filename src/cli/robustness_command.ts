// `snnkit robustness`: registration of the robustness job and its printer.
import type { Command } from "commander";
import { namedCheckpoint, robustnessJob } from "../tasks/robustness/robustness_job.js";
import { verdictLines } from "../tasks/robustness/seed_groups.js";
import { ATTACK_NAMES, type AttackName } from "../tasks/robustness/attacks.js";
import { formatSpread } from "../tasks/seeds/spread.js";
import { InvalidArgumentError } from "commander";
import { registerJob } from "./commands.js";
import type { CliRun } from "./exit_codes.js";

/** Registers `snnkit robustness`. */
export function registerRobustnessCommand(program: Command, run: CliRun): void {
  registerJob(program, run, robustnessJob, {
    name: "robustness",
    description:
      "evaluate trained networks under input noise, FGSM, an L2 attack, spike deletion/insertion and membrane noise; --preset paper trains an SNN and an NSNN of two architectures and compares them",
    out: "runs/robustness",
    stopsAt: "after this batch",
    codecs: {
      checkpoint: {
        placeholder: "[name=]path",
        repeatable: true,
        parse: (text: string) => {
          const c = namedCheckpoint(text);
          if (c.name.trim() === "" || c.checkpoint.trim() === "") throw new InvalidArgumentError(`--checkpoint must be [name=]path, got "${text}"`);
          return c;
        },
      },
      attack: {
        placeholder: "name",
        repeatable: true,
        parse: (text: string) => {
          if (!(ATTACK_NAMES as readonly string[]).includes(text)) throw new InvalidArgumentError(`--attack must be one of ${ATTACK_NAMES.join(", ")}, got "${text}"`);
          return text as AttackName;
        },
      },
    },
    print(result, json) {
      const log = json ? console.error : console.log;
      if (result === null) return log("stopped while training; run the same command again to continue");
      if (json)
        return console.log(
          JSON.stringify({
            results: result.results,
            plots: result.plots,
            models: result.models,
            areas: Object.fromEntries(result.attacks.map((a) => [a.attack, Object.fromEntries(a.curves.map((c) => [c.model, c.area]))])),
            clean: result.clean,
            group_areas: Object.fromEntries(result.grouped.map((g) => [g.attack, Object.fromEntries(g.groups.map((c) => [c.group, c.area]))])),
            verdicts: result.verdicts,
          }),
        );
      const seeded = result.grouped.some((g) => g.groups.some((c) => c.models.length > 1));
      console.log(`\nclean test accuracy: ${result.clean.map((c) => `${c.group} ${formatSpread(c.accuracy, 2, 100)} %`).join(", ")}\n`);
      console.log(seeded ? result.groupTable : result.table);
      if (result.verdicts.length > 0) console.log(`${verdictLines(result.verdicts).join("\n")}\n`);
      console.log(`results: ${result.results}`);
      console.log(`plots:   ${Object.values(result.plots).join("\n         ")}`);
    },
  });
}
