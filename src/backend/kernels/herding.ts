// The herding family: the event-driven loops of Deep Spiking Networks (O'Connor & Welling 2016). A herder
// (sigma-delta quantizer) with state φ emits a spike while φ > ½ (φ −= 1) and, when signed, a negative
// spike while φ < −½ (φ += 1). Spikes of one herd go out in order of |φ| (largest first; equal values:
// lower unit first), so the order of events is deterministic. The kernels add a vector, weight rows or
// weight columns into φ one event at a time, herding after each, and update weights from spike counts.
// Every multiply-free addition is one float32 operation, so the reference and wasm kernels agree bit for bit.
//
// Spike lists are int32 codes: unit u ≥ 0 for a positive spike, ~u (= −u − 1) for a negative one.
// A kernel that runs out of room in its output list returns a negative status with its state consistent:
// the spikes it could not write are still owed in φ, and a call with `pending` set finishes the herd.
import type { Storage } from "../storage.js";
import type { WasmContext } from "../wasm/wasm_context.js";
import type { KernelFamily } from "./family.js";

/** A herder's output: where its spikes are written and counted. */
interface HerdOutput {
  /** Signed count per unit of the spikes emitted (added to), or null. */
  counts: Storage | null;
  /** Spike codes (int32); the kernel writes from `written` up to the list's length. */
  out: Storage;
  written: number;
}

/** One vector event into a herder: φ += scale·x, then herd. */
export interface HerdVector extends HerdOutput {
  phi: Storage;
  x: Storage;
  /** +1 or −1 (the target herder takes −y). */
  scale: number;
  signed: boolean;
  /** The vector was added by an earlier call that ran out of room: only herd. */
  pending: boolean;
}

/**
 * Spikes into a layer. Forward (herdRows): each spike (i, s) adds s·W[i, :] to φ (and to `sum`, the
 * layer's pre-activation Σu, when given) and herds. Backward (herdColumns): each error spike (j, s) adds s·W[:, j]
 * to φ (when φ is given) and herds, then, with `rate` ≠ 0, applies the fractional update
 * W[i, j] −= s·rate·c_i for the units with c_i > 0.
 */
export interface HerdWeights extends HerdOutput {
  /** Weights [rows, cols], row-major. */
  w: Storage;
  rows: number;
  cols: number;
  /** Incoming spike codes, [from, to). */
  spikes: Storage;
  from: number;
  to: number;
  /** Spike `from` was added by an earlier call that ran out of room: only herd it. */
  pending: boolean;
  /** Herder state (cols for rows, rows for columns); null: no herder (backward into the input layer). */
  phi: Storage | null;
  signed: boolean;
  /** herdRows: the running sum of the added rows (Σu), or null. */
  sum: Storage | null;
  /** herdColumns: the learning rate of fractional updates (0: none) and the input counts c. */
  rate: number;
  inputCounts: Storage | null;
}

/** The outer-product update W[i, :] −= (rate·c_i)·e for every c_i > 0 (rows of W with c_i ≤ 0 untouched). */
interface OuterUpdate {
  w: Storage;
  rows: number;
  cols: number;
  c: Storage;
  e: Storage;
  rate: number;
}

/** The herding kernels. Herd kernels return the number of spikes written, or a negative status when `out` is full. */
export interface HerdingKernels {
  /** φ += scale·x, then herd. Returns the spikes written in total, or −1 (out full; call again with `pending`). */
  herdVector(p: HerdVector): number;
  /** Forward spikes into a layer. Returns the spikes written, or −(k + 1): out full while herding after spike k. */
  herdRows(p: HerdWeights): number;
  /** Backward error spikes into a layer (see HerdWeights). Same return as herdRows. */
  herdColumns(p: HerdWeights): number;
  outerUpdate(p: OuterUpdate): void;
}

/** Whether a unit with state v owes a spike. */
const owes = (v: number, signed: boolean): boolean => v > 0.5 || (signed && v < -0.5);

/**
 * Emits the spikes φ owes, largest |φ| first (ties: lower unit), into `out` from `written`; returns the new
 * count, or −1 when `out` filled up with spikes still owed. The one definition of the herding order.
 */
export function herdInto(
  phi: Float32Array | Float64Array,
  signed: boolean,
  counts: Float32Array | null,
  out: Int32Array,
  written: number,
): number {
  for (;;) {
    let best = -1;
    let bestPriority = 0;
    for (let j = 0; j < phi.length; j++) {
      const v = phi[j];
      if (owes(v, signed) && Math.abs(v) > bestPriority) {
        best = j;
        bestPriority = Math.abs(v);
      }
    }
    if (best < 0) return written;
    if (written >= out.length) return -1;
    const sign = phi[best] > 0 ? 1 : -1;
    out[written++] = sign > 0 ? best : ~best;
    phi[best] -= sign;
    if (counts) counts[best] += sign;
  }
}

/** The unit and sign of a spike code. */
function decodeSpike(code: number): [unit: number, sign: 1 | -1] {
  return code >= 0 ? [code, 1] : [~code, -1];
}

const f32OrNull = (s: Storage | null): Float32Array | null => (s ? s.f32() : null);

function herdVectorRef(p: HerdVector): number {
  const phi = p.phi.f32();
  if (!p.pending) {
    const x = p.x.f32();
    for (let j = 0; j < phi.length; j++) phi[j] += p.scale * x[j];
  }
  return herdInto(phi, p.signed, f32OrNull(p.counts), p.out.i32(), p.written);
}

function herdRowsRef(p: HerdWeights): number {
  const [w, spikes, out] = [p.w.f32(), p.spikes.i32(), p.out.i32()];
  const phi = p.phi!.f32();
  const sum = f32OrNull(p.sum);
  const counts = f32OrNull(p.counts);
  let written = p.written;
  for (let k = p.from; k < p.to; k++) {
    const [i, s] = decodeSpike(spikes[k]);
    if (!(p.pending && k === p.from)) {
      const row = i * p.cols;
      for (let j = 0; j < p.cols; j++) {
        phi[j] += s * w[row + j];
        if (sum) sum[j] += s * w[row + j];
      }
    }
    written = herdInto(phi, p.signed, counts, out, written);
    if (written < 0) return -(k + 1);
  }
  return written;
}

function herdColumnsRef(p: HerdWeights): number {
  const [w, spikes, out] = [p.w.f32(), p.spikes.i32(), p.out.i32()];
  const phi = f32OrNull(p.phi);
  const counts = f32OrNull(p.counts);
  const c = f32OrNull(p.inputCounts);
  let written = p.written;
  for (let k = p.from; k < p.to; k++) {
    const [j, s] = decodeSpike(spikes[k]);
    if (phi) {
      if (!(p.pending && k === p.from)) for (let i = 0; i < p.rows; i++) phi[i] += s * w[i * p.cols + j];
      written = herdInto(phi, p.signed, counts, out, written);
      if (written < 0) return -(k + 1);
    }
    if (p.rate !== 0 && c) {
      const a = Math.fround(s * p.rate);
      for (let i = 0; i < p.rows; i++) if (c[i] > 0) w[i * p.cols + j] -= Math.fround(a * c[i]);
    }
  }
  return written;
}

function outerUpdateRef(p: OuterUpdate): void {
  const [w, c, e] = [p.w.f32(), p.c.f32(), p.e.f32()];
  for (let i = 0; i < p.rows; i++) {
    if (!(c[i] > 0)) continue;
    const a = Math.fround(Math.fround(p.rate) * c[i]);
    for (let j = 0; j < p.cols; j++) w[i * p.cols + j] -= Math.fround(a * e[j]);
  }
}

/** A wasm pointer argument: the storage's byte offset, or 0 for none. */
const ptr = (s: Storage | null): number => (s ? s.ptr : 0);

/**
 * The int32 scratch of the wasm herd (its sort keys, buckets or heap: 10·n + 2 ints for n units), grown on
 * demand and kept for the backend's lifetime: returns its pointer for `ints` ints.
 */
function heapScratch(w: WasmContext): (ints: number) => number {
  let at = 0;
  let size = 0;
  return (ints) => {
    if (ints > size) {
      if (size > 0) w.allocator.free(at, size * 4);
      size = Math.max(ints, 2 * size, 256);
      at = w.allocator.alloc(size * 4);
    }
    return at;
  };
}

/** The herding family. */
export const herdingFamily: KernelFamily<HerdingKernels> = {
  reference: {
    herdVector: herdVectorRef,
    herdRows: herdRowsRef,
    herdColumns: herdColumnsRef,
    outerUpdate: outerUpdateRef,
  },
  wasm: {
    herdVector: (w) => {
      const heap = heapScratch(w);
      return (p) =>
        w.exports.herdVector(p.phi.ptr, p.phi.length, p.x.ptr, p.scale, p.signed, p.pending, ptr(p.counts), p.out.ptr, p.written, p.out.length, heap(10 * p.phi.length + 2));
    },
    herdRows: (w) => {
      const heap = heapScratch(w);
      return (p) =>
        w.exports.herdRows(p.w.ptr, p.rows, p.cols, p.spikes.ptr, p.from, p.to, p.pending, ptr(p.phi), p.signed, ptr(p.sum), ptr(p.counts), p.out.ptr, p.written, p.out.length, heap(10 * p.cols + 2));
    },
    herdColumns: (w) => {
      const heap = heapScratch(w);
      return (p) =>
        w.exports.herdColumns(
        p.w.ptr,
        p.rows,
        p.cols,
        p.spikes.ptr,
        p.from,
        p.to,
        p.pending,
        ptr(p.phi),
        p.signed,
        ptr(p.counts),
        p.out.ptr,
        p.written,
        p.out.length,
        p.rate,
        ptr(p.inputCounts),
        heap(10 * p.rows + 2),
      );
    },
    outerUpdate: (w) => (p) => w.exports.outerUpdate(p.w.ptr, p.rows, p.cols, p.c.ptr, p.e.ptr, p.rate),
  },
};
