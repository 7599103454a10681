// The stepped engine runs a large batch in chunks, so its memory does not grow with the batch: measured
// as the wasm backend's linear memory, which grows by whole pages and never shrinks.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../../src/index.js";
import * as Tr from "../../src/transfer.js";

test("runSteppedNetwork: 64 images take no more memory than one chunk of 8 (T·k = 400 image-substeps, chunks of 3,200)", () => {
  const before = S.getBackendName();
  S.setBackend("wasm");
  try {
    const rng = new S.Rng(5);
    const mlp = new S.Sequential(new S.Linear(20, 200, { rng }), new S.CoarseLIF(), new S.Linear(200, 3, { rng }), new S.CoarseLIF());
    const T = 4;
    const k = 100;
    const images = (B: number) => S.tensor(Array.from({ length: T * B * 20 }, () => 3 * rng.uniform()), [T, B, 20]);
    const reserved = () => S.memoryInfo().bytesReserved;
    const start = reserved();
    S.tidy(() => Tr.runSteppedNetwork(mlp, images(8), k).output);
    const oneChunk = reserved() - start;
    S.tidy(() => Tr.runSteppedNetwork(mlp, images(64), k).output);
    const batch = reserved() - start - oneChunk;
    // One chunk holds tensors of 8 images × 400 substeps × 200 units × 4 bytes = 2.56 MB each (44 MB measured).
    assert.ok(oneChunk > 2_560_000, `one chunk reserved ${oneChunk} bytes`);
    assert.ok(batch < oneChunk / 2, `64 images reserved ${batch} more bytes than 8 did (${oneChunk})`);
  } finally {
    S.setBackend(before);
  }
});
