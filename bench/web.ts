// The playground against its targets, in alternating rounds on this machine (npm run bench:web; the site
// must be built: npm run build:web, or npm run docs for the documentation too): the size (gzip) of the
// playground and, apart, of the documentation's pages, the first paint of the playground in
// Debian's Chromium, and a training step of the MLP preset in the page against the same step in Node on
// the same number of threads.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { getThreads } from "../src/backend/registry.js";
import { embeddedSplit } from "../src/node/mnist_embedded.js";
import { installNodeKernelThreads } from "../src/node/kernel_workers.js";
import { msPerStep } from "../web/engine_checks.js";
import { median } from "./kernels.js";

installNodeKernelThreads();
const root = join(import.meta.dirname, "..");
const site = join(root, "dist-web");

/** Every file of the built site with its gzip size. */
function files(dir: string, prefix = ""): { name: string; bytes: number; gzip: number }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path, `${prefix}${name}/`);
    const bytes = readFileSync(path);
    return [{ name: `${prefix}${name}`, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }];
  });
}

const everything = files(site);
// The playground (what build:web writes) apart from the documentation (docs/, written by typedoc: pages read one at a time).
const all = everything.filter((f) => !f.name.startsWith("docs/"));
const docs = everything.filter((f) => f.name.startsWith("docs/"));
const gzipOf = (list: { gzip: number }[]) => list.reduce((s, f) => s + f.gzip, 0);
const total = gzipOf(all);

const port = 4000 + Math.floor(Math.random() * 1000);
const server: ChildProcess = spawn(join(root, "node_modules", ".bin", "vite"), ["preview", "--port", String(port), "--strictPort"], { cwd: root, stdio: "ignore" });
const base = `http://127.0.0.1:${port}/`;
for (let k = 0; k < 100; k++) {
  try {
    if ((await fetch(base)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 100));
  }
}
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const paints: number[] = [];
  for (let k = 0; k < 5; k++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}#neuron`);
    await page.waitForSelector("main svg");
    paints.push(await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN));
    await context.close();
  }
  const { train, test } = embeddedSplit();
  const rounds: { page: { one: number; all: number; threads: number }; node: { one: number; all: number } }[] = [];
  for (let r = 0; r < 3; r++) {
    const page = await browser.newPage();
    await page.goto(`${base}#engine`);
    await page.waitForFunction(() => document.querySelector<HTMLElement>("#engine-status")?.dataset.report !== undefined, undefined, { timeout: 120_000 });
    const report = JSON.parse((await page.getAttribute("#engine-status", "data-report"))!) as { threads: number; msPerStep: { one: number; all: number } };
    await page.close();
    const threads = report.threads;
    const node = { one: msPerStep({ train, test }, 1), all: msPerStep({ train, test }, threads) };
    rounds.push({ page: { ...report.msPerStep, threads }, node });
  }
  console.log("| measure | value | target |");
  console.log("|---|---|---|");
  console.log(`| built playground, gzip -9 (every file, the digits asset included) | ${(total / 1e6).toFixed(2)} MB | ≤ 2 MB |`);
  console.log(`| of which the digits asset | ${((all.find((f) => f.name === "digits.bin")?.gzip ?? 0) / 1e6).toFixed(2)} MB | |`);
  if (docs.length > 0) {
    const pages = docs.filter((f) => f.name.endsWith(".html"));
    const shared = gzipOf(docs.filter((f) => f.name.startsWith("docs/assets/")));
    console.log(`| documentation (npm run docs): ${pages.length} pages, gzip -9 in all | ${(gzipOf(docs) / 1e6).toFixed(2)} MB | |`);
    console.log(`| a documentation page with its shared assets (the largest page) | ${((shared + Math.max(...pages.map((f) => f.gzip))) / 1e3).toFixed(0)} kB | |`);
  }
  console.log(`| first contentful paint of the playground (median of 5) | ${median(paints).toFixed(0)} ms | < 2000 ms |`);
  rounds.forEach((r, k) =>
    console.log(`| round ${k + 1}: a training step, page / Node on ${r.page.threads} threads | ${r.page.all.toFixed(2)} / ${r.node.all.toFixed(2)} ms = ${(r.page.all / r.node.all).toFixed(2)} (one thread: ${r.page.one.toFixed(2)} / ${r.node.one.toFixed(2)} = ${(r.page.one / r.node.one).toFixed(2)}) | ≤ 1.5 |`),
  );
  console.log(`\nNode's kernel threads: ${getThreads()}; files: ${all.map((f) => `${f.name} ${(f.gzip / 1e3).toFixed(0)} kB`).join(", ")}`);
} finally {
  await browser.close();
  server.kill();
}
