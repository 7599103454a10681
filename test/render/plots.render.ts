// Renders each kind of plot to PNG with rsvg-convert (Debian's librsvg2-bin; .ci/run installs it) and
// checks the images: valid PNGs of the declared size that rsvg renders without error. Run with
// `npm run test:render`; the PNGs are left in $SNNKIT_RENDER_DIR (default a temporary directory) to look at.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { heatMap, linePlot, rasterPlot } from "../../src/plot/svg.js";

const dir = process.env.SNNKIT_RENDER_DIR ?? mkdtempSync(join(tmpdir(), "snnkit-render-"));
mkdirSync(dir, { recursive: true });

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  assert.equal(bytes.subarray(1, 4).toString("ascii"), "PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

function render(name: string, svg: string, width: number): Buffer {
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  writeFileSync(svgPath, svg);
  execFileSync("rsvg-convert", [svgPath, "-o", pngPath]);
  const png = readFileSync(pngPath);
  assert.equal(pngSize(png)[0], width, name);
  return png;
}

test("training curve, raster, heat map and sweep render to PNG", () => {
  const losses = Array.from({ length: 60 }, (_, i) => 2.3 * Math.exp(-i / 20) + 0.2);
  render(
    "training_curve",
    linePlot(
      [
        { label: "training loss", x: losses.map((_, i) => (i + 1) / 20), y: losses, markers: false },
        { label: "test accuracy", x: [1, 2, 3], y: [88.1, 93.4, 95.2], axis: "right" },
      ],
      { title: "training", xLabel: "epoch", yLabel: "training loss", yLabelRight: "test accuracy (%)" },
    ),
    640,
  );
  const spikes = Array.from({ length: 50 * 40 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1 > 0.8 ? 1 : 0);
  render("raster", rasterPlot([{ label: "hidden", steps: 50, neurons: 40, spikes }, { label: "output", steps: 50, neurons: 10, spikes: spikes.slice(0, 500) }], { title: "spikes" }), 640);
  const values = Array.from({ length: 21 }, (_, i) => Array.from({ length: 11 }, (_, j) => Math.exp(-(((i - 10) / 5) ** 2) - ((j - 5) / 3) ** 2)));
  render("heat_map", heatMap(values, Array.from({ length: 11 }, (_, j) => j / 10), Array.from({ length: 21 }, (_, i) => i / 2), { title: "surface", xLabel: "p", yLabel: "α", valueLabel: "error" }), 640);
  render("sweep", linePlot([{ label: "exposure 9", x: [1, 2, 3, 5, 8], y: [0.4, -2.2, -11, -12.5, -12.9] }], { xLabel: "examples", yLabel: "log10 error" }), 640);
});
