// The Yin-Yang data set (Kriener, Göltz & Petrovici 2021): points in a yin-yang symbol, classed as yin,
// yang or one of its dots; four inputs per point (x, y, 1 − x, 1 − y). Generated exactly as the authors'
// dataset.py does, from numpy's legacy generator, so the published splits are regenerated sample for sample.
import { ValueError } from "../errors.js";
import { LegacyRandomState } from "../random/mt19937.js";
import type { ImageDataset } from "./dataset.js";

/** Radii of the symbol: the big circle r = 0.5 and the dots r = 0.1 (the authors' defaults). */
const R_BIG = 0.5;
const R_SMALL = 0.1;

/** The class names, by label. */
export const YIN_YANG_CLASSES = ["yin", "yang", "dot"] as const;

/** The published splits: sizes and numpy seeds (dataset.py's README: train 5,000 / 42, validation 1,000 / 41, test 1,000 / 40). */
export const YIN_YANG_SPLITS = { train: { size: 5000, seed: 42 }, validation: { size: 1000, seed: 41 }, test: { size: 1000, seed: 40 } } as const;

/** Most points one call generates. */
const MAX_POINTS = 10_000_000;

/**
 * The class of a point of the unit square: 2 (dot) within r_small of either dot's centre (0.75, 0.5) or
 * (0.25, 0.5); else 1 (yin) within r_small of the right dot, or in the ring r_small < d_left ≤ r_big/2
 * around the left one, or above the middle and farther than r_big/2 from the right dot; else 0 (yang).
 */
export function yinYangClass(x: number, y: number): number {
  const dRight = Math.hypot(x - 1.5 * R_BIG, y - R_BIG);
  const dLeft = Math.hypot(x - 0.5 * R_BIG, y - R_BIG);
  if (dRight < R_SMALL || dLeft < R_SMALL) return 2;
  const yin = dRight <= R_SMALL || (dLeft > R_SMALL && dLeft <= 0.5 * R_BIG) || (y > R_BIG && dRight > 0.5 * R_BIG);
  return yin ? 1 : 0;
}

/**
 * `size` points from numpy's RandomState(seed), balanced by rejection sampling: for each point a class
 * c = randint(3), then (x, y) = 2·r_big·rand(2) until the point lies in the big circle and has class c.
 * Features [x, y, 1 − x, 1 − y] as float32, shape [4, 1, 1] per sample.
 */
export function yinYang(size: number, seed: number, name = `yinyang/seed${seed}`): ImageDataset {
  if (!(Number.isInteger(size) && size >= 0 && size <= MAX_POINTS)) throw new ValueError("size", `an integer in [0, ${MAX_POINTS}]`, size);
  const rng = new LegacyRandomState(seed);
  const images = new Float32Array(size * 4);
  const labels = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const goal = rng.randint(3);
    let x: number;
    let y: number;
    // A point is kept with probability about 1/4 per draw (π/4 in the circle, then its class 1/3 of the time).
    for (;;) {
      x = rng.random() * 2 * R_BIG;
      y = rng.random() * 2 * R_BIG;
      if (Math.hypot(x - R_BIG, y - R_BIG) > R_BIG) continue;
      if (yinYangClass(x, y) === goal) break;
    }
    images.set([x, y, 1 - x, 1 - y], i * 4);
    labels[i] = goal;
  }
  return { name, images, labels, imageShape: [4, 1, 1], classes: 3 };
}

/** Two data sets of the same kind, one after the other. */
function joined(a: ImageDataset, b: ImageDataset, name: string): ImageDataset {
  const images = new Float32Array(a.images.length + b.images.length);
  images.set(a.images);
  images.set(b.images, a.images.length);
  const labels = new Uint8Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  return { name, images, labels, imageShape: a.imageShape, classes: a.classes };
}

/**
 * The published splits as snnkit's two: "train" is the 5,000 training points followed by the 1,000
 * validation points (a run's default --validation 1000 holds exactly those out), "test" the 1,000 test points.
 */
export function yinYangSplit(split: "train" | "test"): ImageDataset {
  if (split === "test") return yinYang(YIN_YANG_SPLITS.test.size, YIN_YANG_SPLITS.test.seed, "yinyang/test");
  const { train, validation } = YIN_YANG_SPLITS;
  return joined(yinYang(train.size, train.seed), yinYang(validation.size, validation.seed), "yinyang/train");
}
