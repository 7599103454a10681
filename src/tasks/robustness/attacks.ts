// The attacks of the robustness suite (the protocol of Ma, Yan & Tang 2023; docs/noisy-snns.md), their strengths and standard ranges.
import { ValueError } from "../../errors.js";
import { decimal } from "../../io/validate.js";

/** The attacks, in the order the suite runs them. */
export const ATTACK_NAMES = ["gaussian", "multiplicative", "salt-pepper", "fgsm", "l2", "spike-noise", "membrane"] as const;
/** An attack of the suite. */
export type AttackName = (typeof ATTACK_NAMES)[number];

/** What an attack perturbs: the input at random, the input along the loss gradient, or the network. */
export type AttackKind = "input" | "white-box" | "network";

/** An attack: what it does, the name of its strength, and its standard range (lo, hi, step). */
export interface AttackSpec {
  readonly kind: AttackKind;
  readonly title: string;
  readonly strength: string;
  readonly range: readonly [number, number, number];
}

/** Every attack of the suite. */
export const ATTACKS: Readonly<Record<AttackName, AttackSpec>> = {
  gaussian: { kind: "input", title: "additive Gaussian input noise x + σn", strength: "σ", range: [0, 0.5, 0.1] },
  multiplicative: { kind: "input", title: "multiplicative input noise x(1 + σn)", strength: "σ", range: [0, 1, 0.2] },
  "salt-pepper": { kind: "input", title: "salt and pepper (fraction α of the pixels to 0 or 1)", strength: "α", range: [0, 0.25, 0.05] },
  fgsm: { kind: "white-box", title: "FGSM x + ε·sign(∇ₓL)", strength: "ε", range: [0, 0.25, 0.05] },
  l2: { kind: "white-box", title: "30 Adam steps on the L2 sphere ‖δ‖₂ = γ", strength: "γ", range: [0, 3, 1] },
  "spike-noise": { kind: "network", title: "spike deletion and insertion (fraction p) after every spiking layer", strength: "p", range: [0, 0.25, 0.05] },
  membrane: { kind: "network", title: "membrane noise N(0, α²) on the current of every spiking layer", strength: "α", range: [0, 0.5, 0.1] },
};

/** A sweep of one attack. */
export interface AttackSweep {
  attack: AttackName;
  strengths: number[];
}

/** Most points of one sweep. */
const MAX_SWEEP_POINTS = 1000;

/** The strengths lo, lo + step, ..., hi (hi included when it falls on the grid, within rounding). */
export function sweep(lo: number, hi: number, step: number): number[] {
  if (!(Number.isFinite(lo) && lo >= 0)) throw new ValueError("range: start", "a number ≥ 0", lo);
  if (!(Number.isFinite(hi) && hi >= lo)) throw new ValueError("range: end", `a number ≥ the start (${lo})`, hi);
  if (!(Number.isFinite(step) && step > 0)) throw new ValueError("range: step", "a number > 0", step);
  const n = Math.floor((hi - lo) / step + 1e-9) + 1;
  if (n > MAX_SWEEP_POINTS) throw new ValueError("range", `at most ${MAX_SWEEP_POINTS} points`, `${n} points`);
  // Rounded to 12 significant digits, so 0.1 + 0.2 reads 0.3.
  return Array.from({ length: n }, (_, i) => Number((lo + i * step).toPrecision(12)));
}

/** "a:b:step" → its sweep. */
export function parseRange(text: string): number[] {
  const parts = text.split(":");
  const [lo, hi, step] = parts.map(decimal);
  if (parts.length !== 3 || ![lo, hi, step].every(Number.isFinite)) throw new ValueError("range", "start:end:step with three decimal numbers (e.g. 0:0.3:0.05)", text);
  return sweep(lo, hi, step);
}

/** Checks an attack name. */
export function attackName(name: string): AttackName {
  if (!(ATTACK_NAMES as readonly string[]).includes(name)) throw new ValueError("attack", ATTACK_NAMES.join(", "), name);
  return name as AttackName;
}
