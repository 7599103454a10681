// Robustness over several training seeds: networks named "<group>-seed<k>" are one model trained with
// different seeds; their curves are reported as mean ± standard deviation per strength and their areas
// as a spread, and one model is more robust than another only where the seeds' areas do not overlap.
import { compareSpreads, formatSpread, type Spread, spread } from "../seeds/spread.js";
import type { AttackName } from "./attacks.js";
import type { AttackCurves } from "./suite.js";

/** The group and seed of a network name: "conv-snn-seed2" → { group: "conv-snn", seed: 2 }; other names are a group of their own. */
export function seedGroup(name: string): { group: string; seed: number | null } {
  const m = /^(.+)-seed(\d+)$/.exec(name);
  return m ? { group: m[1], seed: Number(m[2]) } : { group: name, seed: null };
}

/** The name of a group's network trained with `seed`. */
export function seededName(group: string, seed: number): string {
  return `${group}-seed${seed}`;
}

/** One group's curve under one attack: its seeds, the accuracy at each strength and the area, as spreads. */
export interface GroupCurve {
  group: string;
  models: string[];
  points: { strength: number; accuracy: Spread }[];
  area: Spread;
}

/** The groups' curves of one attack. */
export interface GroupedAttack {
  attack: AttackName;
  title: string;
  strength: string;
  groups: GroupCurve[];
}

/** Groups each attack's curves by seedGroup (in first-seen order). */
export function groupCurves(attacks: readonly AttackCurves[]): GroupedAttack[] {
  return attacks.map((a) => {
    const names = [...new Set(a.curves.map((c) => seedGroup(c.model).group))];
    return {
      attack: a.attack,
      title: a.title,
      strength: a.strength,
      groups: names.map((group) => {
        const members = a.curves.filter((c) => seedGroup(c.model).group === group);
        return {
          group,
          models: members.map((c) => c.model),
          points: members[0].points.map((p, i) => ({ strength: p.strength, accuracy: spread(members.map((c) => c.points[i].accuracy)) })),
          area: spread(members.map((c) => c.area)),
        };
      }),
    };
  });
}

/** The verdict on one pair of groups under one attack: which area is larger beyond the spread of the seeds, or a tie. */
export interface PairVerdict {
  attack: AttackName;
  a: string;
  b: string;
  /** "a" or "b": that group's area is larger for every seed than the other's for any seed; "tie" otherwise (or with one seed). */
  more_robust: "a" | "b" | "tie";
  difference: number;
  a_area: Spread;
  b_area: Spread;
}

/** The verdicts of `pairs` ([a, b] group names) under every attack where both are present. */
export function pairVerdicts(grouped: readonly GroupedAttack[], pairs: readonly (readonly [string, string])[]): PairVerdict[] {
  const out: PairVerdict[] = [];
  for (const g of grouped)
    for (const [a, b] of pairs) {
      const [ga, gb] = [g.groups.find((x) => x.group === a), g.groups.find((x) => x.group === b)];
      if (!ga || !gb) continue;
      const order = compareSpreads(ga.area, gb.area);
      out.push({ attack: g.attack, a, b, more_robust: order === "higher" ? "a" : order === "lower" ? "b" : "tie", difference: ga.area.mean - gb.area.mean, a_area: ga.area, b_area: gb.area });
    }
  return out;
}

/** A text table per attack: each group's accuracy (%) as mean ± sd over its seeds at each strength, and its area. */
export function groupedTable(grouped: readonly GroupedAttack[]): string {
  const lines: string[] = [];
  for (const g of grouped) {
    const labels = g.groups.map((x) => `${x.group} (${x.models.length})`);
    const width = Math.max(14, ...labels.map((l) => l.length + 2));
    lines.push(`${g.attack}: ${g.title} (mean ± sd over seeds)`);
    lines.push(`  ${g.strength.padStart(8)}${labels.map((l) => l.padStart(width)).join("")}`);
    g.groups[0]?.points.forEach((p, i) => lines.push(`  ${String(p.strength).padStart(8)}${g.groups.map((x) => formatSpread(x.points[i].accuracy, 1, 100).padStart(width)).join("")}`));
    lines.push(`  ${"area".padStart(8)}${g.groups.map((x) => formatSpread(x.area, 1, 100).padStart(width)).join("")}`);
    lines.push("");
  }
  return lines.join("\n");
}

/** One line per verdict, e.g. "gaussian: conv-nsnn 90.1 ± 0.8 vs conv-snn 87.4 ± 1.2: a tie (the seeds overlap)". */
export function verdictLines(verdicts: readonly PairVerdict[]): string[] {
  return verdicts.map((v) => {
    const what = v.more_robust === "tie" ? "a tie (the seeds' areas overlap)" : `${v.more_robust === "a" ? v.a : v.b} more robust, beyond the spread of the seeds`;
    return `${v.attack}: ${v.a} ${formatSpread(v.a_area, 1, 100)} vs ${v.b} ${formatSpread(v.b_area, 1, 100)}: ${what}`;
  });
}
