// Herding (sigma-delta) kernels of Deep Spiking Networks; see src/backend/kernels/herding.ts for the
// semantics, which the reference code there defines. A herd collects the units that owe a spike (four at a
// time) and emits them in the order of their keys (|φ|, then lower unit first).

/** Whether a unit with state v owes a spike. */
@inline function owes(v: f32, signed: bool): bool {
  return v > 0.5 || (signed && v < -0.5);
}

/**
 * The heap key of a unit: |φ| in the high 32 bits (the bits of a non-negative float32 order like the
 * numbers) and ~unit in the low ones, so that a larger key goes out first and equal |φ| favour the lower unit.
 */
@inline function key(phi: usize, unit: i32): u64 {
  const bits = reinterpret<u32>(abs<f32>(load<f32>(phi + (<usize>unit << 2))));
  return (<u64>bits << 32) | <u64>(~unit as u32);
}

/** The unit of a heap key. */
@inline function unitOf(k: u64): i32 {
  return ~(<u32>k) as i32;
}

/** Restores the max-heap below slot i (keys are u64). */
function siftDown(heap: usize, size: i32, i: i32): void {
  const k = load<u64>(heap + (<usize>i << 3));
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    let c = load<u64>(heap + (<usize>child << 3));
    if (child + 1 < size) {
      const right = load<u64>(heap + (<usize>(child + 1) << 3));
      if (right > c) {
        child++;
        c = right;
      }
    }
    if (c <= k) break;
    store<u64>(heap + (<usize>i << 3), c);
    i = child;
  }
  store<u64>(heap + (<usize>i << 3), k);
}

/** Whether any lane of v owes a spike. */
@inline function anyOwes(v: v128, signed: bool): bool {
  return v128.any_true(owesMask(v, signed));
}

/** The lanes of v that owe a spike. */
@inline function owesMask(v: v128, signed: bool): v128 {
  const m = f32x4.gt(v, f32x4.splat(0.5));
  return signed ? v128.or(m, f32x4.lt(v, f32x4.splat(-0.5))) : m;
}

/** Herds of at most this many spikes are sorted by insertion alone. */
const SMALL_HERD = 16;

/** The bucket of a key among `size` (largest keys in bucket 0), from the key bits' lowest value and scale. */
@inline function bucketOf(key: u64, lo: u32, scale: f64, size: i32): i32 {
  return max(0, size - 1 - <i32>(<f64>(<u32>(key >> 32) - lo) * scale));
}

/**
 * Emits the spikes φ [n] owes into out[written .. cap), counting them in `counts` (0: none). Returns the
 * new count, or −1 when out filled up with spikes still owed (they stay in φ). `scratch` holds 10·n + 2
 * ints. Usually every spike's key is known at once (a unit's keys are |φ|, |φ| − 1, ...: decreasing), so
 * the emission order is the keys sorted, by buckets over their range and a final insertion pass; with more
 * than 2·n spikes owed, or fewer places left in `out` than spikes, a heap hands them out one by one.
 */
function herd(phi: usize, n: i32, signed: bool, counts: usize, out: usize, written: i32, cap: i32, scratch: usize): i32 {
  return signed ? herdOf<i32>(phi, n, counts, out, written, cap, scratch) : herdOf<u32>(phi, n, counts, out, written, cap, scratch);
}

/** herd() compiled once per kind: T = i32 for signed herders, u32 for rectified ones (no branch on it in the loops). */
function herdOf<T>(phi: usize, n: i32, counts: usize, out: usize, written: i32, cap: i32, scratch: usize): i32 {
  const signed = isSigned<T>();
  const maxKeys = 2 * n;
  const keys = scratch;
  let size = 0;
  let lo: u32 = 0xffffffff;
  let hi: u32 = 0;
  let j = 0;
  for (; j < n; j += 4) {
    if (j + 4 <= n && !anyOwes(v128.load(phi + (<usize>j << 2)), signed)) continue;
    const end = min(j + 4, n);
    for (let q = j; q < end; q++) {
      let v = load<f32>(phi + (<usize>q << 2));
      while (owes(v, signed)) {
        if (size >= maxKeys) return herdByHeap(phi, n, signed, counts, out, written, cap, scratch);
        const bits = reinterpret<u32>(abs<f32>(v));
        lo = min(lo, bits);
        hi = max(hi, bits);
        store<u64>(keys + (<usize>size << 3), (<u64>bits << 32) | <u64>(~q as u32));
        size++;
        v = v > 0 ? v - 1 : v + 1;
      }
    }
  }
  if (size == 0) return written;
  if (size > cap - written) return herdByHeap(phi, n, signed, counts, out, written, cap, scratch);
  // Few keys: insertion sort in place. More: counting sort into `sorted` by bucket (largest keys first),
  // then the same insertion pass, which only moves keys within their buckets.
  let sorted = keys;
  if (size > SMALL_HERD) {
    sorted = keys + (<usize>maxKeys << 3);
    const buckets = sorted + (<usize>maxKeys << 3);
    const scale = <f64>size / (<f64>(hi - lo) + 1);
    memory.fill(buckets, 0, <usize>(size + 1) << 2);
    for (let k = 0; k < size; k++) {
      const at = buckets + (<usize>(bucketOf(load<u64>(keys + (<usize>k << 3)), lo, scale, size) + 1) << 2);
      store<i32>(at, load<i32>(at) + 1);
    }
    for (let b = 1; b <= size; b++) {
      const at = buckets + (<usize>b << 2);
      store<i32>(at, load<i32>(at) + load<i32>(at - 4));
    }
    for (let k = 0; k < size; k++) {
      const key = load<u64>(keys + (<usize>k << 3));
      const at = buckets + (<usize>bucketOf(key, lo, scale, size) << 2);
      const slot = load<i32>(at);
      store<i32>(at, slot + 1);
      store<u64>(sorted + (<usize>slot << 3), key);
    }
  }
  for (let k = 1; k < size; k++) {
    const key = load<u64>(sorted + (<usize>k << 3));
    let m = k - 1;
    while (m >= 0 && load<u64>(sorted + (<usize>m << 3)) < key) {
      store<u64>(sorted + (<usize>(m + 1) << 3), load<u64>(sorted + (<usize>m << 3)));
      m--;
    }
    store<u64>(sorted + (<usize>(m + 1) << 3), key);
  }
  for (let k = 0; k < size; k++) emit(phi, unitOf(load<u64>(sorted + (<usize>k << 3))), counts, out, written++);
  return written;
}

/** Emits one spike of unit u as out[written] (φ_u moves 1 toward 0, counts_u by the sign); returns the new φ_u. */
@inline function emit(phi: usize, u: i32, counts: usize, out: usize, written: i32): f32 {
  const p = phi + (<usize>u << 2);
  const v = load<f32>(p);
  const sign: f32 = v > 0 ? 1 : -1;
  store<i32>(out + (<usize>written << 2), v > 0 ? u : ~u);
  store<f32>(p, v - sign);
  if (counts) store<f32>(counts + (<usize>u << 2), load<f32>(counts + (<usize>u << 2)) + sign);
  return v - sign;
}

/** herd() one spike at a time from a max-heap of keys (n slots of `heap`): any number of spikes, and partial output. */
function herdByHeap(phi: usize, n: i32, signed: bool, counts: usize, out: usize, written: i32, cap: i32, heap: usize): i32 {
  let size = 0;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    if (!anyOwes(v128.load(phi + (<usize>j << 2)), signed)) continue;
    for (let q = j; q < j + 4; q++)
      if (owes(load<f32>(phi + (<usize>q << 2)), signed)) {
        store<u64>(heap + (<usize>size << 3), key(phi, q));
        size++;
      }
  }
  for (; j < n; j++)
    if (owes(load<f32>(phi + (<usize>j << 2)), signed)) {
      store<u64>(heap + (<usize>size << 3), key(phi, j));
      size++;
    }
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, size, i);
  while (size > 0) {
    if (written >= cap) return -1;
    const u = unitOf(load<u64>(heap));
    if (owes(emit(phi, u, counts, out, written++), signed)) store<u64>(heap, key(phi, u));
    else {
      size--;
      store<u64>(heap, load<u64>(heap + (<usize>size << 3)));
    }
    if (size > 0) siftDown(heap, size, 0);
  }
  return written;
}

/** φ [n] += scale·x, then herd (only herd when `pending`). */
export function herdVector(
  phi: usize,
  n: i32,
  x: usize,
  scale: f32,
  signed: bool,
  pending: bool,
  counts: usize,
  out: usize,
  written: i32,
  cap: i32,
  heap: usize,
): i32 {
  if (!pending) {
    const s = f32x4.splat(scale);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const at = phi + (<usize>j << 2);
      v128.store(at, f32x4.add(v128.load(at), f32x4.mul(s, v128.load(x + (<usize>j << 2)))));
    }
    for (; j < n; j++) {
      const at = phi + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + scale * load<f32>(x + (<usize>j << 2)));
    }
  }
  return herd(phi, n, signed, counts, out, written, cap, heap);
}

/**
 * φ ±= row [n] (and sum ±= row when withSum); returns whether any unit owes a spike after it. Inlined with
 * constant flags (see addRow), so each of the eight loops is compiled without the branches.
 */
@inline function addRowWith(phi: usize, sum: usize, row: usize, n: i32, negative: bool, signed: bool, withSum: bool): bool {
  let owed = v128.splat<i32>(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const r = v128.load(row + o);
    const v = negative ? f32x4.sub(v128.load(phi + o), r) : f32x4.add(v128.load(phi + o), r);
    v128.store(phi + o, v);
    if (withSum) v128.store(sum + o, negative ? f32x4.sub(v128.load(sum + o), r) : f32x4.add(v128.load(sum + o), r));
    owed = v128.or(owed, owesMask(v, signed));
  }
  let tail = false;
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const r = load<f32>(row + o);
    const v = negative ? load<f32>(phi + o) - r : load<f32>(phi + o) + r;
    store<f32>(phi + o, v);
    if (withSum) store<f32>(sum + o, negative ? load<f32>(sum + o) - r : load<f32>(sum + o) + r);
    tail = tail || owes(v, signed);
  }
  return tail || v128.any_true(owed);
}

/** φ ±= row [n] (and sum ±= row when sum ≠ 0); returns whether any unit owes a spike after it. */
function addRow(phi: usize, sum: usize, row: usize, n: i32, negative: bool, signed: bool): bool {
  if (sum) {
    if (negative) return signed ? addRowWith(phi, sum, row, n, true, true, true) : addRowWith(phi, sum, row, n, true, false, true);
    return signed ? addRowWith(phi, sum, row, n, false, true, true) : addRowWith(phi, sum, row, n, false, false, true);
  }
  if (negative) return signed ? addRowWith(phi, sum, row, n, true, true, false) : addRowWith(phi, sum, row, n, true, false, false);
  return signed ? addRowWith(phi, sum, row, n, false, true, false) : addRowWith(phi, sum, row, n, false, false, false);
}

/** Forward spikes [from, to) into a layer W [rows, cols]: each adds ±its row to φ (and sum), then herds. */
export function herdRows(
  w: usize,
  rows: i32,
  cols: i32,
  spikes: usize,
  from: i32,
  to: i32,
  pending: bool,
  phi: usize,
  signed: bool,
  sum: usize,
  counts: usize,
  out: usize,
  written: i32,
  cap: i32,
  heap: usize,
): i32 {
  for (let k = from; k < to; k++) {
    const code = load<i32>(spikes + (<usize>k << 2));
    const i = code >= 0 ? code : ~code;
    const owed = pending && k == from ? true : addRow(phi, sum, w + (<usize>(i * cols) << 2), cols, code < 0, signed);
    if (!owed) continue;
    written = herd(phi, cols, signed, counts, out, written, cap, heap);
    if (written < 0) return -(k + 1);
  }
  return written;
}

/**
 * Backward error spikes [from, to) into a layer W [rows, cols]: each (j, s) adds s·W[:, j] to φ (if φ ≠ 0)
 * and herds, then with rate ≠ 0 applies W[i, j] −= (s·rate)·c_i where c_i > 0.
 */
export function herdColumns(
  w: usize,
  rows: i32,
  cols: i32,
  spikes: usize,
  from: i32,
  to: i32,
  pending: bool,
  phi: usize,
  signed: bool,
  counts: usize,
  out: usize,
  written: i32,
  cap: i32,
  rate: f32,
  c: usize,
  heap: usize,
): i32 {
  const stride = <usize>cols << 2;
  for (let k = from; k < to; k++) {
    const code = load<i32>(spikes + (<usize>k << 2));
    const j = code >= 0 ? code : ~code;
    const column = w + (<usize>j << 2);
    if (phi) {
      if (!(pending && k == from))
        for (let i = 0; i < rows; i++) {
          const at = phi + (<usize>i << 2);
          const v = load<f32>(column + <usize>i * stride);
          store<f32>(at, code < 0 ? load<f32>(at) - v : load<f32>(at) + v);
        }
      written = herd(phi, rows, signed, counts, out, written, cap, heap);
      if (written < 0) return -(k + 1);
    }
    if (rate != 0 && c) {
      const a: f32 = code < 0 ? -rate : rate;
      for (let i = 0; i < rows; i++) {
        const ci = load<f32>(c + (<usize>i << 2));
        if (ci > 0) {
          const at = column + <usize>i * stride;
          store<f32>(at, load<f32>(at) - a * ci);
        }
      }
    }
  }
  return written;
}

/** W [rows, cols]: row i −= (rate·c_i)·e for every c_i > 0. */
export function outerUpdate(w: usize, rows: i32, cols: i32, c: usize, e: usize, rate: f32): void {
  for (let i = 0; i < rows; i++) {
    const ci = load<f32>(c + (<usize>i << 2));
    if (!(ci > 0)) continue;
    const a: f32 = rate * ci;
    const av = f32x4.splat(a);
    const row = w + (<usize>(i * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(row + o, f32x4.sub(v128.load(row + o), f32x4.mul(av, v128.load(e + o))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) - a * load<f32>(e + o));
    }
  }
}
