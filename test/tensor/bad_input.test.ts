// Bad operands and absurd sizes give typed errors naming the op, never a TypeError, RangeError or an
// out-of-memory abort.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";

test("non-Tensor operands give a ValueError naming the op and the operand", () => {
  const t = S.zeros([2, 2]);
  const cases: [() => unknown, RegExp][] = [
    [() => S.matmul(null as never, t), /^matmul: operand 1: expected a Tensor, got null$/],
    [() => S.matmul(t, undefined as never), /matmul: operand 2: expected a Tensor, got undefined/],
    [() => S.sum(null as never), /sum: operand 1/],
    [() => S.relu({} as never), /relu: operand 1: expected a Tensor, got an object \(Object\)/],
    [() => S.lif([1, 2] as never), /lif: operand 1/],
    [() => S.conv2d(t, null as never), /conv2d: operand/],
  ];
  for (const [f, pattern] of cases) assert.throws(f, (e: unknown) => e instanceof S.ValueError && pattern.test(e.message), String(pattern));
  t.dispose();
});

test("tensors beyond 4 GiB are refused with a LimitError before any allocation, on every backend", () => {
  for (const backend of ["wasm", "js"] as const) {
    S.setBackend(backend);
    const before = S.memoryInfo().numTensors;
    assert.throws(() => S.zeros([1e6, 1e6]), (e: unknown) => e instanceof S.LimitError && /\[1000000, 1000000\].*4294967296/.test(e.message));
    assert.throws(() => S.ones([2 ** 31]), S.LimitError);
    assert.equal(S.memoryInfo().numTensors, before);
  }
  S.setBackend("wasm");
});

test("a backend out of memory while backward() allocates gradients gives a LimitError, not a RangeError", () => {
  const backend = S.getBackend();
  const alloc = backend.alloc;
  const x = S.tensor([1, 2, 3], [3], { requiresGrad: true });
  const y = S.sum(S.mul(x, x));
  backend.alloc = () => {
    throw new RangeError("WebAssembly.Memory.grow(): Unable to grow instance memory");
  };
  try {
    assert.throws(() => y.backward(), (e: unknown) => e instanceof S.LimitError && /cannot allocate a float32 tensor of shape/.test(e.message));
  } finally {
    backend.alloc = alloc;
  }
  x.zeroGrad();
  S.dispose([x, y]);
});
