// Whether two trees gave the same results on the same settings (bench/ab/before_after.sh writes them to
// /tmp/ab): the training runs' batch losses, records and every checkpoint array bit for bit, the
// transfer and TEM results, and the simulated spikes. Prints one line per comparison.
import { readFileSync } from "node:fs";
import { readCheckpoint } from "../../src/node.js";

const dir = process.argv[2] ?? "/tmp/ab";
const json = (p: string): Record<string, unknown> => JSON.parse(readFileSync(`${dir}/${p}`, "utf8"));
const without = (o: Record<string, unknown>, keys: string[]) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))));
const bits = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** Every array of the two checkpoints byte for byte (headers hold wall times, which differ). */
function sameArrays(file: string): boolean {
  const [a, b] = ["before", "after"].map((side) => readCheckpoint(`${dir}/${side}-${file}`).arrays);
  return Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => b[k] !== undefined && bits(a[k]).equals(bits(b[k])));
}
const report = (what: string, same: boolean) => console.log(`${same ? "same" : "DIFFERENT"}: ${what}`);
const timing = ["seconds", "checkpoint", "metrics", "plots", "plot", "history"];
for (const run of ["train", "dsn", "cp"]) {
  const [a, b] = ["before", "after"].map((side) => json(`${side}-${run}/metrics.json`));
  const pick = (m: Record<string, unknown>) => JSON.stringify([m.batch_losses ?? null, m.records ?? null, (m.history as { test_accuracy?: number; test_error?: number }[] | undefined)?.map((h) => h.test_accuracy ?? h.test_error) ?? null, without(m, [...timing, "config", "records", "batch_losses"])]);
  report(`${run}: losses, records and results`, pick(a) === pick(b));
  report(`${run}: checkpoint arrays`, sameArrays(`${run}/checkpoint.snnk`));
}
// The transfer JSON gained a `split` key (which images were used); the rest must be equal.
for (const f of ["transfer", "stepped", "tem"]) report(f, without(json(`before-${f}.json`), ["seconds", "checkpoint", "split"]) === without(json(`after-${f}.json`), ["seconds", "checkpoint", "split"]));
report("simulated spikes", readFileSync(`${dir}/before-sim/spikes.json`, "utf8") === readFileSync(`${dir}/after-sim/spikes.json`, "utf8"));
