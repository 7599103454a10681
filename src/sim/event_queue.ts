// A binary min-heap of timed events (time, then insertion order for ties).

/** An event: its time, a kind tag, two integer payloads and a real value. */
export interface TimedEvent {
  time: number;
  kind: number;
  a: number;
  b: number;
  w: number;
  /** Insertion counter, so equal times pop in insertion order. */
  seq: number;
}

/** Min-heap of events by (time, seq). */
export class EventQueue {
  private readonly heap: TimedEvent[] = [];
  private counter = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: number, kind: number, a: number, b = 0, w = 0): void {
    const e = { time, kind, a, b, w, seq: this.counter++ };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  peek(): TimedEvent | undefined {
    return this.heap[0];
  }

  pop(): TimedEvent | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(x: TimedEvent, y: TimedEvent): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}
