// Broadcast plans (how elementwise kernels walk their operands) and their decomposition into rows.

/** Operand layout for a broadcasting elementwise kernel: output shape and per-operand element strides (0 = broadcast). */
export interface BroadcastPlan {
  readonly shape: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

/** Row decomposition of a broadcast plan: base offsets of each output row (all dims but the last) per operand. */
export interface BroadcastRows {
  readonly rows: number;
  /** Length of the last dimension. */
  readonly n: number;
  /** offsets[k][r] = element offset of row r in operand k. */
  readonly offsets: Int32Array[];
  /** Element stride of the last dimension per operand (0 where broadcast). */
  readonly inner: number[];
}

/** Splits a plan into rows so kernels can run a simple inner loop per row. */
export function broadcastRows(plan: BroadcastPlan): BroadcastRows {
  const shape = plan.shape;
  const r = shape.length;
  const n = r === 0 ? 1 : shape[r - 1];
  let rows = 1;
  for (let d = 0; d < r - 1; d++) rows *= shape[d];
  const offsets = plan.strides.map(() => new Int32Array(rows));
  const inner = plan.strides.map((s) => (r === 0 ? 0 : s[r - 1]));
  const counter = new Array<number>(Math.max(r - 1, 0)).fill(0);
  const cur = plan.strides.map(() => 0);
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k < cur.length; k++) offsets[k][row] = cur[k];
    for (let d = r - 2; d >= 0; d--) {
      counter[d]++;
      for (let k = 0; k < cur.length; k++) cur[k] += plan.strides[k][d];
      if (counter[d] < shape[d]) break;
      for (let k = 0; k < cur.length; k++) cur[k] -= plan.strides[k][d] * shape[d];
      counter[d] = 0;
    }
  }
  return { rows, n, offsets, inner };
}

/**
 * The same plan with fewer dimensions: size-1 dimensions dropped, and neighbours merged where every
 * operand steps through them as one (stride[d] = stride[d+1]·shape[d+1]). Visits the same elements in the
 * same order.
 */
export function coalescePlan(plan: BroadcastPlan): BroadcastPlan {
  const shape: number[] = [];
  const strides: number[][] = plan.strides.map(() => []);
  plan.shape.forEach((size, d) => {
    if (size === 1) return;
    const last = shape.length - 1;
    if (last >= 0 && plan.strides.every((st, k) => strides[k][last] === st[d] * size)) {
      shape[last] *= size;
      plan.strides.forEach((st, k) => {
        strides[k][last] = st[d];
      });
      return;
    }
    shape.push(size);
    plan.strides.forEach((st, k) => strides[k].push(st[d]));
  });
  return { shape, strides };
}
