// A fuzz test of the command line: a few hundred bad inputs, each must end in a clean error (or, where
// documented, a result): no crash, no hang, no accepted nonsense.
import assert from "node:assert/strict";
import { test } from "node:test";
import { fuzzCases } from "./fuzz_cases.js";
import { runFuzz, summarise } from "./fuzz_runner.js";

test("CLI fuzz: every bad input ends in a clean error or a documented result", async () => {
  const cases = fuzzCases(0);
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  const { counts, failures } = summarise(await runFuzz(cases));
  const detail = failures.map((f) => `${f.outcome}: ${f.case.name} (exit ${f.code}) ${f.stderr.split("\n").slice(0, 3).join(" | ")}`);
  assert.deepEqual(detail, [], JSON.stringify(counts));
  assert.equal(counts.crash + counts.hang, 0);
});
