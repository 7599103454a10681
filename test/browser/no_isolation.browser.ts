// The playground served as a plain static host serves it: without the cross-origin isolation headers
// (COOP/COEP), so without shared memory. The page must say it runs on one thread, run its kernels on one
// thread, and still give Node's numbers. Debian's Chromium, driven by playwright-core.
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join, normalize } from "node:path";
import { after, before, test } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { engineChecks } from "../../web/engine_checks.js";
import { assertClose } from "../helpers.js";

const SITE = join(import.meta.dirname, "..", "..", "dist-web");
const CHROMIUM = "/usr/bin/chromium";
const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".bin": "application/octet-stream", ".ico": "image/x-icon", ".wasm": "application/wasm" };

let server: Server;
let browser: Browser;
let base = "";

before(async () => {
  assert.ok(existsSync(join(SITE, "index.html")), "the site is built (npm run build:web)");
  assert.ok(existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (Debian's chromium; .ci/run installs it)`);
  // A static file server with no headers but the content type.
  server = createServer((req, res) => {
    const path = normalize(join(SITE, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)));
    const file = path.startsWith(SITE) && existsSync(path) && statSync(path).isDirectory() ? join(path, "index.html") : path;
    if (!file.startsWith(SITE) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test("without cross-origin isolation the page says it runs on one thread, runs its kernels on one, and gives Node's numbers", { timeout: 120_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}#engine`);
  await page.waitForSelector("main h2");
  assert.equal(await page.textContent("#isolation"), "Not cross-origin isolated: the page runs on one thread.");
  await page.waitForFunction(() => document.querySelector<HTMLElement>("#engine-status")?.dataset.report !== undefined, undefined, { timeout: 100_000 });
  const report = JSON.parse((await page.getAttribute("#engine-status", "data-report"))!) as { checks: Record<string, number[]>; isolated: boolean; threads: number; workers: number };
  assert.equal(report.isolated, false);
  assert.equal(report.threads, 1);
  assert.equal(report.workers, 0);
  for (const [name, values] of Object.entries(engineChecks())) assertClose(report.checks[name], values, 1e-6, 1e-6, name);
  assert.deepEqual(errors, []);
  await page.close();
});
