// The Mersenne Twister MT19937 with numpy's legacy RandomState draws, so that data sets published as
// "np.random.seed(s), then draws" can be regenerated exactly (the Yin-Yang set).
import { ValueError } from "../errors.js";

const N = 624;
const M = 397;

/**
 * numpy.random.RandomState(seed) for the draws a generator script needs: `random()` (rand, random_sample),
 * and `randint(n)` (integers in [0, n) by masked rejection, as RandomState.randint does).
 */
export class LegacyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** seed ∈ [0, 2³²): numpy's RandomState.seed(int) (init_genrand). */
  constructor(seed: number) {
    if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new ValueError("seed", "an integer in [0, 2³²)", seed);
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next tempered 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) from two outputs: (a·2²⁶ + b) / 2⁵³ with a = u >> 5, b = u >> 6. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** An integer in [0, n), n ≤ 2³²: 32-bit outputs masked to the next power of two less one, until ≤ n − 1. */
  randint(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= 2 ** 32)) throw new ValueError("n", "an integer in [1, 2³²]", n);
    const max = n - 1;
    if (max === 0) return 0;
    let mask = max;
    for (let s = 1; s < 32; s *= 2) mask |= mask >>> s;
    mask >>>= 0;
    for (;;) {
      const v = (this.nextUint32() & mask) >>> 0;
      if (v <= max) return v;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      mt[i] = (mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.index = 0;
  }
}
