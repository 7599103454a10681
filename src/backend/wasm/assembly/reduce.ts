// Reductions over the middle axis of a [outer, n, inner] view.

/** out[o, i] = Σ_k x[o, k, i]. */
export function reduceSum(x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    const xo = x + (<usize>(o * n * inner) << 2);
    const oo = out + (<usize>(o * inner) << 2);
    if (inner == 1) {
      let acc = f32x4.splat(0);
      let k = 0;
      for (; k + 4 <= n; k += 4) acc = f32x4.add(acc, v128.load(xo + (<usize>k << 2)));
      let s: f32 =
        f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) +
        (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
      for (; k < n; k++) s += load<f32>(xo + (<usize>k << 2));
      store<f32>(oo, s);
      continue;
    }
    memory.fill(oo, 0, <usize>inner << 2);
    for (let k = 0; k < n; k++) {
      const row = xo + (<usize>(k * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = <usize>i << 2;
        v128.store(oo + off, f32x4.add(v128.load(oo + off), v128.load(row + off)));
      }
      for (; i < inner; i++) {
        const off = <usize>i << 2;
        store<f32>(oo + off, load<f32>(oo + off) + load<f32>(row + off));
      }
    }
  }
}

/**
 * out[o, i] = max_k x[o, k, i] and idx[o, i] = the first k attaining it (NaN counts as the maximum).
 * `idx` may be 0 (not wanted).
 */
export function reduceMax(x: usize, out: usize, idx: usize, outer: i32, n: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let best: f32 = -Infinity;
      let bestK = 0;
      let p = x + (<usize>(o * n * inner + i) << 2);
      const step = <usize>inner << 2;
      for (let k = 0; k < n; k++) {
        const v = load<f32>(p);
        if (v > best || (isNaN(v) && !isNaN(best))) {
          best = v;
          bestK = k;
        }
        p += step;
      }
      if (n == 0) best = NaN;
      store<f32>(out + (<usize>(o * inner + i) << 2), best);
      if (idx != 0) store<i32>(idx + (<usize>(o * inner + i) << 2), bestK);
    }
  }
}
