// Seeded k-means and the Hungarian algorithm (minimum-cost assignment).
import { ValueError } from "../errors.js";
import type { Rng } from "../random/rng.js";

/** Cluster centroids, the label of each point, and the within-cluster sum of squares. */
export interface KMeansResult {
  centroids: number[][];
  labels: number[];
  inertia: number;
}

const dist2 = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);

/** k-means (Lloyd) from k-means++ seeds drawn with `rng`; the best of `restarts` runs by inertia. */
export function kMeans(points: readonly (readonly number[])[], k: number, rng: Rng, restarts = 8): KMeansResult {
  if (!Number.isInteger(k) || k < 1 || k > points.length)
    throw new ValueError("kMeans: k", `an integer in [1, ${points.length}]`, k);
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const centroids: number[][] = [[...points[rng.int(points.length)]]];
    while (centroids.length < k) {
      const d = points.map((p) => Math.min(...centroids.map((c) => dist2(p, c))));
      const total = d.reduce((a, b) => a + b, 0);
      let u = rng.uniform() * total;
      let pick = 0;
      while (pick < d.length - 1 && u >= d[pick]) u -= d[pick++];
      centroids.push([...points[pick]]);
    }
    let labels: number[] = [];
    for (let it = 0; it < 100; it++) {
      const next = points.map((p) => centroids.reduce((bi, c, i) => (dist2(p, c) < dist2(p, centroids[bi]) ? i : bi), 0));
      const same = next.every((l, i) => l === labels[i]);
      labels = next;
      centroids.forEach((c, i) => {
        const members = points.filter((_, n) => labels[n] === i);
        if (members.length) c.forEach((_, d) => (c[d] = members.reduce((s, p) => s + p[d], 0) / members.length));
      });
      if (same) break;
    }
    const inertia = points.reduce((s, p, n) => s + dist2(p, centroids[labels[n]]), 0);
    if (!best || inertia < best.inertia) best = { centroids, labels, inertia };
  }
  return best as KMeansResult;
}

/**
 * Hungarian algorithm (Kuhn–Munkres with potentials, O(n³)): the assignment row → column of a square
 * cost matrix with the least total cost. Returns assignment[row] = column.
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  if (cost.some((r) => r.length !== n)) throw new ValueError("hungarian: cost", "a square matrix", cost.map((r) => r.length));
  const u = new Array(n + 1).fill(0);
  const v = new Array(n + 1).fill(0);
  const p = new Array(n + 1).fill(0); // p[col] = row matched to col (1-based, 0 = none)
  const way = new Array(n + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Array(n + 1).fill(Infinity);
    const used = new Array(n + 1).fill(false);
    do {
      used[j0] = true;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else minv[j] -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const assignment = new Array(n).fill(-1);
  for (let j = 1; j <= n; j++) if (p[j] > 0) assignment[p[j] - 1] = j - 1;
  return assignment;
}
