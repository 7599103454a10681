// The exact simulator's event queue against a second implementation (all pending events sorted by time,
// then insertion order) on random interleavings of pushes and pops, including ties and events pushed for the
// instant being processed (the ring); and its limit on pending events.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { LimitError } from "../../src/errors.js";
import { EventQueue } from "../../src/sim/event_queue.js";

type Op = { push: true; dt: number; burst: number } | { push: false };

test("events pop in (time, insertion) order, as a sorted list of the pending events gives them", () => {
  const op: fc.Arbitrary<Op> = fc.oneof(
    // A push at the current time plus dt (dt 0: the instant being processed; small integers make ties).
    fc.record({ push: fc.constant(true as const), dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 10, noNaN: true })), burst: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ push: fc.constant(false as const) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
      const q = new EventQueue();
      const reference: { time: number; seq: number; a: number; w: number }[] = [];
      let now = 0;
      let seq = 0;
      const popBoth = () => {
        reference.sort((x, y) => x.time - y.time || x.seq - y.seq);
        const want = reference.shift();
        assert.equal(q.pop(), want !== undefined);
        if (want) {
          assert.deepEqual([q.time, q.a, q.w, q.kind, q.b], [want.time, want.a, want.w, want.seq % 3, want.seq % 7]);
          now = want.time;
        }
      };
      for (const o of ops) {
        if (o.push)
          for (let k = 0; k < o.burst; k++, seq++) {
            reference.push({ time: now + o.dt, seq, a: seq, w: seq / 3 });
            q.push(now + o.dt, seq % 3, seq, seq % 7, seq / 3);
          }
        else popBoth();
        assert.equal(q.size, reference.length);
      }
      while (reference.length > 0) popBoth();
      assert.equal(q.pop(), false);
    }),
    { numRuns: 300 },
  );
});

test("more pending events than the limit is a LimitError naming it", () => {
  const q = new EventQueue(1000);
  for (let k = 0; k < 1000; k++) q.push(k, 0, k);
  assert.throws(() => q.push(5, 0, 0), (e: unknown) => e instanceof LimitError && /pending events/.test(e.message) && /1000/.test(e.message));
});
