// The numeric codes shared by TypeScript and the wasm kernels are defined once, in TypeScript; the
// AssemblyScript constants are generated from them. This test fails if the two drift apart.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { assemblyCodes } from "../../scripts/assembly_codes.js";
import { ResetCode, UnaryOp } from "../../src/backend/kernel_codes.js";
import { SurrogateCode } from "../../src/surrogate/surrogate.js";

const assembly = "src/backend/wasm/assembly";

test("the generated AssemblyScript codes equal the TypeScript tables", () => {
  const generated = readFileSync(join(assembly, "codes.ts"), "utf8");
  assert.equal(generated, assemblyCodes(), "src/backend/wasm/assembly/codes.ts is stale: run npm run build:wasm");
  for (const [name, code] of Object.entries(SurrogateCode)) assert.match(generated, new RegExp(`export const SURROGATE_${name.toUpperCase()}: i32 = ${code};`));
  for (const [name, code] of Object.entries(ResetCode)) assert.match(generated, new RegExp(`export const RESET_${name.toUpperCase()}: i32 = ${code};`));
  for (const [name, code] of Object.entries(UnaryOp)) assert.match(generated, new RegExp(`export const UNARY_${name.toUpperCase()}: i32 = ${code};`));
});

test("no kernel source defines a code of its own: they import ./codes", () => {
  const names = [...Object.keys(SurrogateCode), ...Object.keys(UnaryOp), "reset_subtract", "reset_zero", "add", "sub", "mul", "div"].map((n) => n.toUpperCase());
  for (const file of readdirSync(assembly).filter((f) => f.endsWith(".ts") && f !== "codes.ts")) {
    const text = readFileSync(join(assembly, file), "utf8");
    for (const name of names)
      assert.doesNotMatch(text, new RegExp(`(const|,)\\s*${name}\\s*(: i32)?\\s*=\\s*\\d`), `${file} defines ${name} itself`);
  }
});
