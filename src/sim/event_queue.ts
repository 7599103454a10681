// The exact simulator's queue of timed events, without an allocation per event: a binary min-heap kept in
// typed arrays (structure of arrays) ordered by (time, insertion order), and a first-in-first-out ring for
// the events scheduled at the instant being processed (zero-delay synapses), which need no ordering at all.
import { LimitError } from "../errors.js";

/** Most events pending at once by default (about 1.4 GB of queue). */
const DEFAULT_MAX_PENDING = 2 ** 25;

/** Min-queue of events by (time, insertion order): equal times pop in the order they were pushed. */
export class EventQueue {
  // The heap: time, insertion number and payload of each entry, in heap order.
  private heapTime = new Float64Array(64);
  private heapSeq = new Float64Array(64);
  private heapKind = new Uint8Array(64);
  private heapA = new Int32Array(64);
  private heapB = new Int32Array(64);
  private heapW = new Float64Array(64);
  private heapSize = 0;
  // The ring of events at `now` (their time), in insertion order.
  private ringSeq = new Float64Array(64);
  private ringKind = new Uint8Array(64);
  private ringA = new Int32Array(64);
  private ringB = new Int32Array(64);
  private ringW = new Float64Array(64);
  private ringHead = 0;
  private ringSize = 0;
  /** The time of the last event popped: events pushed for it go to the ring. */
  private now = Number.NEGATIVE_INFINITY;
  private counter = 0;

  /** The last event popped: its time, kind tag, two integer payloads and real value. */
  time = 0;
  kind = 0;
  a = 0;
  b = 0;
  w = 0;

  /** @param maxPending most events pending at once; more is a LimitError (a network scheduling without bound). */
  constructor(private readonly maxPending = DEFAULT_MAX_PENDING) {}

  /** Events pending. */
  get size(): number {
    return this.heapSize + this.ringSize;
  }

  /** Schedules an event at `time` (≥ the last popped time). */
  push(time: number, kind: number, a: number, b = 0, w = 0): void {
    if (this.heapSize + this.ringSize >= this.maxPending)
      throw new LimitError("pending events", `more than ${this.maxPending} events scheduled at once (at t = ${time} s); the network schedules more synaptic events than memory holds`);
    const seq = this.counter++;
    if (time === this.now) {
      if (this.ringSize === this.ringSeq.length) this.growRing();
      const at = (this.ringHead + this.ringSize++) & (this.ringSeq.length - 1);
      this.ringSeq[at] = seq;
      this.ringKind[at] = kind;
      this.ringA[at] = a;
      this.ringB[at] = b;
      this.ringW[at] = w;
      return;
    }
    if (this.heapSize === this.heapTime.length) this.growHeap();
    // Sift the hole up from the end, moving later entries down.
    const ht = this.heapTime;
    const hs = this.heapSeq;
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (ht[p] < time || (ht[p] === time && hs[p] < seq)) break;
      this.move(p, i);
      i = p;
    }
    ht[i] = time;
    hs[i] = seq;
    this.heapKind[i] = kind;
    this.heapA[i] = a;
    this.heapB[i] = b;
    this.heapW[i] = w;
  }

  /** Removes the earliest event into `time`, `kind`, `a`, `b`, `w`; false when the queue is empty. */
  pop(): boolean {
    const fromRing = this.ringSize > 0 && !(this.heapSize > 0 && this.heapTime[0] === this.now && this.heapSeq[0] < this.ringSeq[this.ringHead]);
    if (fromRing) {
      const at = this.ringHead;
      this.time = this.now;
      this.kind = this.ringKind[at];
      this.a = this.ringA[at];
      this.b = this.ringB[at];
      this.w = this.ringW[at];
      this.ringHead = (at + 1) & (this.ringSeq.length - 1);
      this.ringSize--;
      return true;
    }
    if (this.heapSize === 0) return false;
    this.time = this.now = this.heapTime[0];
    this.kind = this.heapKind[0];
    this.a = this.heapA[0];
    this.b = this.heapB[0];
    this.w = this.heapW[0];
    const n = --this.heapSize;
    if (n > 0) {
      // Sift the last entry down from the root.
      const ht = this.heapTime;
      const hs = this.heapSeq;
      const t = ht[n];
      const s = hs[n];
      let i = 0;
      for (;;) {
        let m = 2 * i + 1;
        if (m >= n) break;
        if (m + 1 < n && (ht[m + 1] < ht[m] || (ht[m + 1] === ht[m] && hs[m + 1] < hs[m]))) m++;
        if (t < ht[m] || (t === ht[m] && s < hs[m])) break;
        this.move(m, i);
        i = m;
      }
      this.move(n, i);
    }
    return true;
  }

  /** Copies heap entry `from` into `to`. */
  private move(from: number, to: number): void {
    this.heapTime[to] = this.heapTime[from];
    this.heapSeq[to] = this.heapSeq[from];
    this.heapKind[to] = this.heapKind[from];
    this.heapA[to] = this.heapA[from];
    this.heapB[to] = this.heapB[from];
    this.heapW[to] = this.heapW[from];
  }

  private growHeap(): void {
    const n = 2 * this.heapTime.length;
    this.heapTime = grown(this.heapTime, new Float64Array(n));
    this.heapSeq = grown(this.heapSeq, new Float64Array(n));
    this.heapKind = grown(this.heapKind, new Uint8Array(n));
    this.heapA = grown(this.heapA, new Int32Array(n));
    this.heapB = grown(this.heapB, new Int32Array(n));
    this.heapW = grown(this.heapW, new Float64Array(n));
  }

  /** Doubles the ring (a power of two), unwrapping it so that its head is at 0. */
  private growRing(): void {
    const n = 2 * this.ringSeq.length;
    const head = this.ringHead;
    this.ringSeq = unwrapped(this.ringSeq, new Float64Array(n), head);
    this.ringKind = unwrapped(this.ringKind, new Uint8Array(n), head);
    this.ringA = unwrapped(this.ringA, new Int32Array(n), head);
    this.ringB = unwrapped(this.ringB, new Int32Array(n), head);
    this.ringW = unwrapped(this.ringW, new Float64Array(n), head);
    this.ringHead = 0;
  }
}

/** `dst` with `src` copied into its start. */
function grown<A extends Float64Array | Uint8Array | Int32Array>(src: A, dst: A): A {
  dst.set(src);
  return dst;
}

/** `dst` with the ring `src` (a power of two long, starting at `head`) copied into its start, in order. */
function unwrapped<A extends Float64Array | Uint8Array | Int32Array>(src: A, dst: A, head: number): A {
  for (let k = 0; k < src.length; k++) dst[k] = src[(head + k) & (src.length - 1)];
  return dst;
}
