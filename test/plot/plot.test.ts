// Plots: round ticks that cover the data, a right axis, legends, markers, raster ticks and a colour bar.
import assert from "node:assert/strict";
import { test } from "node:test";
import { heatMap, linePlot, niceTicks, rasterPlot } from "../../src/plot/svg.js";

test("niceTicks: steps of 1, 2 or 5 × 10^k that cover the range, about `count` intervals", () => {
  for (const [lo, hi] of [[0, 1], [0.13, 0.87], [-3.2, 17.9], [1e-7, 3e-6], [95, 105], [0, 12], [2.5, 2.5], [-1e6, 1e6]]) {
    const t = niceTicks(lo, hi, 5);
    assert.ok(t.lo <= Math.min(lo, hi) && t.hi >= Math.max(lo, hi), `[${lo}, ${hi}] → [${t.lo}, ${t.hi}]`);
    const step = t.ticks[1] - t.ticks[0];
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    assert.ok([1, 2, 5].some((f) => Math.abs(mantissa - f) < 1e-6), `step ${step}`);
    assert.ok(t.ticks.length >= 3 && t.ticks.length <= 12, `${t.ticks.length} ticks for [${lo}, ${hi}]`);
    t.ticks.forEach((v, i) => i > 0 && assert.ok(Math.abs(v - t.ticks[i - 1] - step) < step * 1e-6));
  }
  assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(NaN, Infinity).ticks, niceTicks(0, 1).ticks);
});

test("a line plot with a right axis labels both axes, draws markers for short series and a legend", () => {
  const svg = linePlot(
    [
      { label: "loss", x: [0.5, 1, 1.5, 2], y: [2, 1.2, 0.8, 0.6], markers: false },
      { label: "accuracy", x: [1], y: [91.5], axis: "right" },
    ],
    { xLabel: "epoch", yLabel: "loss", yLabelRight: "accuracy (%)" },
  );
  assert.match(svg, />accuracy \(%\)</);
  assert.match(svg, />accuracy \(right\)</); // legend entry
  assert.equal((svg.match(/<circle /g) ?? []).length, 1); // the one-epoch point is visible
  assert.match(svg, /<polyline /);
  for (const tick of ["0.5", "1", "1.5", "2"]) assert.match(svg, new RegExp(`>${tick.replace(".", "\\.")}</text>`));
});

test("raster panels carry their label, spike count, time and neuron ticks; heat maps a colour bar", () => {
  const raster = rasterPlot([{ label: "layer 1", steps: 20, neurons: 5, spikes: Array.from({ length: 100 }, (_, i) => (i % 7 === 0 ? 1 : 0)) }], { timeLabel: "time (ms)", timeScale: 0.5 });
  assert.match(raster, />layer 1</);
  assert.match(raster, /5 neurons × 20 steps, 15 spikes/);
  assert.match(raster, />time \(ms\)</);
  assert.match(raster, />10<\/text>/); // the last time tick: 20 steps × 0.5 ms
  const heat = heatMap([[0, 1], [2, 3]], [0, 1], [0, 10], { valueLabel: "error" });
  assert.match(heat, />error</);
  assert.ok((heat.match(/<rect /g) ?? []).length > 50, "cells and the colour bar's bands");
  assert.match(heat, />3<\/text>/); // the top of the colour bar
});
