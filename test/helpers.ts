// Shared test helpers: seeded data, closeness checks, the error a call throws and a finite-difference gradient checker.
import { createServer } from "node:net";
import { crc32 as zlibCrc32 } from "node:zlib";
import assert from "node:assert/strict";
import { keep, mul, noGrad, Rng, sum, type Tensor, tensor, tidy, ValueError } from "../src/index.js";

/** Seeded normal data. */
export function randomData(n: number, seed: number, scale = 1): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = scale * rng.normal();
  return out;
}

/** Asserts |actual − expected| ≤ atol + rtol·|expected| elementwise. */
export function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol: number,
  what = "values",
): void {
  assert.equal(actual.length, expected.length, `${what}: lengths differ`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const err = Math.abs(a - e);
    assert.ok(err <= atol + rtol * Math.abs(e), `${what}[${i}]: got ${a}, expected ${e} (error ${err})`);
  }
}

/** The error of the given type a call throws (fails when it throws nothing or another type), to check its fields. */
export function caught<E extends Error>(fn: () => unknown, type: new (...a: never[]) => E): E {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof type, `expected ${type.name}, got ${String(e)}`);
    return e;
  }
  assert.fail(`expected ${type.name}, nothing thrown`);
}

/** Asserts that a call throws a ValueError whose message matches the pattern (the argument it names, the problem). */
export function throwsValueError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof ValueError && message.test((e as Error).message));
}

/**
 * Finite-difference gradient check. f maps the inputs to an output tensor; the scalar checked is
 * L = Σ out·R with fixed random weights R, evaluated in float64. Central differences with step eps;
 * passes when |analytic − numeric| ≤ atol + rtol·|numeric| for every input element.
 */
export function gradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: Float32Array[],
  shapes: number[][],
  options: { eps?: number; atol?: number; rtol?: number; seed?: number; which?: number[] } = {},
): void {
  const eps = options.eps ?? 1e-3;
  const atol = options.atol ?? 5e-3;
  const rtol = options.rtol ?? 1e-2;
  const which = options.which ?? inputs.map((_, i) => i);
  const outShape = tidy(() => [...f(...inputs.map((d, i) => tensor(d, shapes[i]))).shape]);
  const outSize = outShape.reduce((p, d) => p * d, 1);
  const R = randomData(outSize, options.seed ?? 99);
  const lossAt = (data: Float32Array[]): number =>
    tidy(() =>
      noGrad(() => {
        const out = f(...data.map((d, i) => tensor(d, shapes[i]))).dataFloat32();
        let s = 0;
        for (let i = 0; i < out.length; i++) s += out[i] * R[i];
        return s;
      }),
    );
  let analytic: (Float32Array | null)[] = [];
  tidy(() => {
    const xs = inputs.map((d, i) => tensor(d, shapes[i], { requiresGrad: which.includes(i) }));
    f(...xs).backward(tensor(R, outShape));
    analytic = xs.map((x) => (x.grad ? x.grad.dataFloat32() : null));
    for (const x of xs) x.dispose();
  });
  for (const k of which) {
    const numeric = new Float64Array(inputs[k].length);
    for (let j = 0; j < inputs[k].length; j++) {
      const plus = inputs.map((d) => d.slice());
      const minus = inputs.map((d) => d.slice());
      plus[k][j] += eps;
      minus[k][j] -= eps;
      const h = plus[k][j] - minus[k][j];
      numeric[j] = (lossAt(plus) - lossAt(minus)) / h;
    }
    const a = analytic[k];
    assert.ok(a, `input ${k} got no gradient`);
    assertClose(a, numeric, atol, rtol, `gradient of input ${k}`);
  }
}

/** Data with every value at least `gap` away from 0 (for kinks at 0). */
export function awayFromZero(n: number, seed: number, gap = 0.05): Float32Array {
  const d = randomData(n, seed);
  for (let i = 0; i < n; i++) if (Math.abs(d[i]) < gap) d[i] = d[i] < 0 ? d[i] - gap : d[i] + gap;
  return d;
}

/** Distinct values, pairwise at least `gap` apart, shuffled (for max-type ops). */
export function distinctValues(n: number, seed: number, gap = 0.05): Float32Array {
  const rng = new Rng(seed);
  const vals = Array.from({ length: n }, (_, i) => (i - n / 2) * gap * 2);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  return Float32Array.from(vals);
}

/**
 * Finite-difference check of a module's gradients: L = Σ f()·R; the analytic gradient of every tensor in
 * `targets` (inputs and parameters) against central differences on up to `maxEntries` entries of each.
 * Tolerance: |analytic − numeric| ≤ atol + rtol·|numeric|.
 */
export function moduleGradCheck(
  f: () => Tensor,
  targets: readonly [string, Tensor][],
  options: { eps?: number; atol?: number; rtol?: number; maxEntries?: number; seed?: number } = {},
): void {
  const eps = options.eps ?? 1e-3;
  const atol = options.atol ?? 5e-3;
  const rtol = options.rtol ?? 1e-2;
  const probe = tidy(() => f());
  const R = tensor(randomData(probe.size, options.seed ?? 99), probe.shape);
  probe.dispose();
  keep(R);
  const lossValue = (): number =>
    tidy(() => {
      const out = f().dataFloat32();
      const r = R.dataFloat32();
      let s = 0;
      for (let i = 0; i < out.length; i++) s += out[i] * r[i];
      return s;
    });
  for (const [, t] of targets) t.zeroGrad();
  tidy(() => sum(mul(f(), R)).backward());
  const rng = new Rng(options.seed ?? 7);
  for (const [name, t] of targets) {
    const analytic = t.grad ? t.grad.dataFloat32() : new Float32Array(t.size);
    const n = Math.min(t.size, options.maxEntries ?? 24);
    const picks = t.size <= n ? Array.from({ length: t.size }, (_, i) => i) : Array.from({ length: n }, () => rng.int(t.size));
    for (const i of picks) {
      const v = t.storage.f32();
      const old = v[i];
      v[i] = old + eps;
      const up = lossValue();
      t.storage.f32()[i] = old - eps;
      const down = lossValue();
      t.storage.f32()[i] = old;
      const numeric = (up - down) / (2 * eps);
      const err = Math.abs(analytic[i] - numeric);
      if (err > atol + rtol * Math.abs(numeric))
        throw new Error(`${name}[${i}]: analytic ${analytic[i]} vs numeric ${numeric}`);
    }
    t.zeroGrad();
  }
  R.dispose();
}

/** An IDX file of unsigned bytes (MNIST's format): the given data, or every byte `data` when a number. */
export function idxFile(dims: number[], data: number[] | number = 0): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  return Buffer.concat([head, typeof data === "number" ? Buffer.alloc(size, data) : Buffer.from(data)]);
}

/**
 * A checkpoint file written out by hand (independently of src/io/checkpoint_codec.ts): "SNNKITCK", version 1,
 * the header's byte length, zlib's CRC-32 of the rest, the header text padded with spaces to 4 bytes, then
 * `data` (the arrays' bytes, or anything a test wants there).
 */
export function checkpointBytes(headerText: string, data: Uint8Array = new Uint8Array(0)): Buffer {
  const text = headerText + " ".repeat((4 - (Buffer.byteLength(headerText) % 4)) % 4);
  const body = Buffer.concat([Buffer.from(text, "utf8"), data]);
  const prefix = Buffer.alloc(20);
  prefix.write("SNNKITCK", 0, "ascii");
  prefix.writeUInt32LE(1, 8);
  prefix.writeUInt32LE(Buffer.byteLength(text), 12);
  prefix.writeUInt32LE(zlibCrc32(body), 16);
  return Buffer.concat([prefix, body]);
}

/**
 * Runs `body` with console.log and console.error captured into one list of lines (what a command
 * printed, in order), restoring them afterwards.
 */
export async function withConsole<R>(body: (out: string[]) => Promise<R>): Promise<R> {
  const out: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void out.push(a.join(" "));
  console.error = (...a: unknown[]) => void out.push(a.join(" "));
  try {
    return await body(out);
  } finally {
    [console.log, console.error] = [log, error];
  }
}

/** A free TCP port on the loopback interface (for a service a test starts: a web server, redis-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}
