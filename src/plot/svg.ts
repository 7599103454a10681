// Plots as SVG strings: no DOM and no Node APIs, so the same code draws in the browser. Axes take round
// ticks (1, 2 or 5 × 10ᵏ) with light grid lines; every plot has a legend or a colour bar.

/** One line of a line plot. */
export interface Series {
  label: string;
  x: readonly number[];
  y: readonly number[];
  /** The axis whose scale the series uses (default "left"). */
  axis?: "left" | "right";
  /** Draw a marker at every point (default: when the series has at most 30 points). */
  markers?: boolean;
  /** Join the points with a line (default true; false with markers: a scatter plot). */
  line?: boolean;
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A tick label: at most 4 significant digits, exponent form for very large or small values. */
function fmt(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1).replace("e+", "e");
  return Number(v.toPrecision(4)).toString();
}

/**
 * Round ticks covering [lo, hi]: a step of 1, 2 or 5 × 10ᵏ giving about `count` intervals; the domain is
 * widened to the outer ticks. Equal or non-finite ends are widened first.
 */
export function niceTicks(lo: number, hi: number, count = 5): { lo: number; hi: number; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) [lo, hi] = lo === 0 ? [-1, 1] : [lo - Math.abs(lo) / 2, hi + Math.abs(hi) / 2];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(lo / step + 1e-9) * step;
  const end = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  return { lo: start, hi: end, ticks };
}

function finiteExtent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? [0, 1] : [Math.min(...finite), Math.max(...finite)];
}

/** Opening tags of an SVG document of W×H pixels with a white background. */
function svgOpen(W: number, H: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
}

/** Title (top centre), x label (under the plot area) and y labels (rotated, left and right) for margins m. */
function titleAndLabels(
  o: { title?: string; xLabel?: string; yLabel?: string; yLabelRight?: string },
  W: number,
  H: number,
  m: { l: number; r: number; t: number; b: number },
): string[] {
  const out: string[] = [];
  if (o.title) out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`);
  if (o.xLabel) out.push(`<text x="${(W + m.l - m.r) / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  const mid = (H - m.b + m.t) / 2;
  if (o.yLabel) out.push(`<text x="14" y="${mid}" text-anchor="middle" transform="rotate(-90 14 ${mid})">${esc(o.yLabel)}</text>`);
  if (o.yLabelRight) out.push(`<text x="${W - 12}" y="${mid}" text-anchor="middle" transform="rotate(90 ${W - 12} ${mid})">${esc(o.yLabelRight)}</text>`);
  return out;
}

/** A legend box in the top-right corner of the plot area. */
function legend(entries: { label: string; color: string }[], right: number, top: number): string[] {
  if (entries.length === 0) return [];
  const width = 16 + 7 * Math.max(...entries.map((e) => e.label.length));
  const x = right - width - 6;
  const out = [`<rect x="${x}" y="${top + 4}" width="${width}" height="${entries.length * 16 + 6}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`];
  entries.forEach((e, k) => {
    const y = top + 18 + 16 * k;
    out.push(`<line x1="${x + 4}" y1="${y - 4}" x2="${x + 14}" y2="${y - 4}" stroke="${e.color}" stroke-width="2"/>`);
    out.push(`<text x="${x + 18}" y="${y}" fill="#222">${esc(e.label)}</text>`);
  });
  return out;
}

/**
 * Line plot of several series with round ticks, grid lines and a legend. Series on the "right" axis get
 * their own scale and label (yLabelRight), e.g. a loss on the left and an accuracy on the right.
 */
export function linePlot(
  series: readonly Series[],
  options: { title?: string; xLabel?: string; yLabel?: string; yLabelRight?: string; width?: number; height?: number } = {},
): string {
  const W = options.width ?? 640;
  const H = options.height ?? 400;
  const hasRight = series.some((s) => s.axis === "right");
  const m = { l: 64, r: hasRight ? 64 : 20, t: 36, b: 48 };
  const xt = niceTicks(...finiteExtent(series.flatMap((s) => [...s.x])));
  const side = (axis: "left" | "right") => series.filter((s) => (s.axis ?? "left") === axis);
  const yl = niceTicks(...finiteExtent(side("left").flatMap((s) => [...s.y])));
  const yr = niceTicks(...finiteExtent(side("right").flatMap((s) => [...s.y])));
  const px = (x: number) => m.l + ((x - xt.lo) / (xt.hi - xt.lo)) * (W - m.l - m.r);
  const py = (y: number, t: { lo: number; hi: number }) => H - m.b - ((y - t.lo) / (t.hi - t.lo)) * (H - m.t - m.b);
  const parts: string[] = [...svgOpen(W, H)];
  for (const v of xt.ticks) {
    parts.push(`<line x1="${px(v)}" y1="${m.t}" x2="${px(v)}" y2="${H - m.b}" stroke="#eee"/>`);
    parts.push(`<text x="${px(v)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(v)}</text>`);
  }
  for (const v of yl.ticks) {
    parts.push(`<line x1="${m.l}" y1="${py(v, yl)}" x2="${W - m.r}" y2="${py(v, yl)}" stroke="#eee"/>`);
    parts.push(`<text x="${m.l - 6}" y="${py(v, yl) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  if (hasRight) for (const v of yr.ticks) parts.push(`<text x="${W - m.r + 6}" y="${py(v, yr) + 4}">${fmt(v)}</text>`);
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`);
  const entries: { label: string; color: string }[] = [];
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const t = s.axis === "right" ? yr : yl;
    const pts = s.x.map((x, i) => [px(x), py(s.y[i], t)]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (pts.length > 1 && s.line !== false) parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ")}"/>`);
    if (s.markers ?? s.x.length <= 30) for (const [a, b] of pts) parts.push(`<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="3" fill="${color}"/>`);
    entries.push({ label: s.axis === "right" ? `${s.label} (right)` : s.label, color });
  });
  parts.push(...legend(entries, W - m.r, m.t));
  parts.push(...titleAndLabels(options, W, H, m));
  parts.push("</svg>");
  return parts.join("\n");
}

/** One panel of a raster plot: the spike times of `neurons` neurons over `steps` steps. */
export interface RasterPanel {
  label: string;
  steps: number;
  neurons: number;
  /** spikes[t·neurons + i] ≠ 0 when neuron i spiked at step t. */
  spikes: ArrayLike<number>;
}

/**
 * Raster plot: one panel per layer (its label and spike count above it), a mark per spike, x: time step
 * (or `timeLabel` over `timeScale` units per step), y: neuron index, with round ticks on both.
 */
export function rasterPlot(
  panels: readonly RasterPanel[],
  options: { title?: string; width?: number; timeLabel?: string; timeScale?: number } = {},
): string {
  const W = options.width ?? 640;
  const panelH = 140;
  const gap = 56;
  const m = { l: 56, r: 20, t: 40, b: 0 };
  const H = m.t + panels.length * (panelH + gap);
  const scale = options.timeScale ?? 1;
  const parts: string[] = [...svgOpen(W, H)];
  parts.push(...titleAndLabels({ title: options.title }, W, H, m));
  panels.forEach((p, k) => {
    const top = m.t + 18 + k * (panelH + gap);
    const plotW = W - m.l - m.r;
    const cw = plotW / Math.max(p.steps, 1);
    const rh = panelH / Math.max(p.neurons, 1);
    let count = 0;
    const marks: string[] = [];
    for (let t = 0; t < p.steps; t++)
      for (let i = 0; i < p.neurons; i++)
        if (p.spikes[t * p.neurons + i] !== 0) {
          count++;
          marks.push(`M${(m.l + t * cw).toFixed(1)} ${(top + i * rh).toFixed(2)}h${Math.max(cw * 0.8, 1).toFixed(1)}v${Math.max(rh, 0.6).toFixed(2)}h${-Math.max(cw * 0.8, 1).toFixed(1)}z`);
        }
    parts.push(`<text x="${m.l}" y="${top - 6}" font-weight="bold">${esc(p.label)}</text>`);
    parts.push(`<text x="${W - m.r}" y="${top - 6}" text-anchor="end" fill="#555">${p.neurons} neurons × ${p.steps} steps, ${count} spikes</text>`);
    parts.push(`<rect x="${m.l}" y="${top}" width="${plotW}" height="${panelH}" fill="none" stroke="#999"/>`);
    parts.push(`<path d="${marks.join("")}" fill="black"/>`);
    for (const v of niceTicks(0, p.steps * scale, 6).ticks.filter((v) => v <= p.steps * scale + 1e-9)) {
      const x = m.l + (v / scale) * cw;
      parts.push(`<line x1="${x}" y1="${top + panelH}" x2="${x}" y2="${top + panelH + 4}" stroke="#555"/>`);
      parts.push(`<text x="${x}" y="${top + panelH + 16}" text-anchor="middle" font-size="11">${fmt(v)}</text>`);
    }
    for (const i of [0, p.neurons - 1]) parts.push(`<text x="${m.l - 6}" y="${top + (i + 0.5) * rh + 4}" text-anchor="end" font-size="11">${i}</text>`);
    parts.push(`<text x="${m.l - 30}" y="${top + panelH / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 ${m.l - 30} ${top + panelH / 2})">neuron</text>`);
    parts.push(`<text x="${m.l + plotW / 2}" y="${top + panelH + 32}" text-anchor="middle" font-size="11">${esc(options.timeLabel ?? "time step")}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** White (low) to dark red (high) for f ∈ [0, 1]. */
function heat(f: number): string {
  return `rgb(${Math.round(255 - 100 * f)},${Math.round(255 - 235 * f)},${Math.round(255 - 235 * f)})`;
}

/**
 * Heat map of values[i][j] (rows: y values, columns: x values), colour from white (low) to dark red
 * (high), with a colour bar and round ticks on both axes.
 */
export function heatMap(
  values: readonly (readonly number[])[],
  xs: readonly number[],
  ys: readonly number[],
  options: { title?: string; xLabel?: string; yLabel?: string; valueLabel?: string; width?: number; height?: number } = {},
): string {
  const W = options.width ?? 640;
  const H = options.height ?? 420;
  const m = { l: 64, r: 110, t: 36, b: 48 };
  const [lo, hi] = finiteExtent(values.flatMap((r) => [...r]));
  const bar = niceTicks(lo, hi, 5);
  const cw = (W - m.l - m.r) / Math.max(xs.length, 1);
  const ch = (H - m.t - m.b) / Math.max(ys.length, 1);
  const parts: string[] = [...svgOpen(W, H)];
  values.forEach((row, i) =>
    row.forEach((v, j) => {
      const f = Number.isFinite(v) ? (v - bar.lo) / (bar.hi - bar.lo) : 0;
      parts.push(`<rect x="${(m.l + j * cw).toFixed(1)}" y="${(H - m.b - (i + 1) * ch).toFixed(1)}" width="${(cw + 0.5).toFixed(1)}" height="${(ch + 0.5).toFixed(1)}" fill="${heat(f)}"/>`);
    }),
  );
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="black"/>`);
  // Axes: cells are centred on their x and y values; ticks at round values inside the range.
  const axis = (vals: readonly number[], place: (k: number) => number, text: (v: number, pos: number) => string) => {
    if (vals.length === 0) return;
    const t = niceTicks(vals[0], vals[vals.length - 1], 5).ticks.filter((v) => v >= Math.min(vals[0], vals[vals.length - 1]) - 1e-9 && v <= Math.max(vals[0], vals[vals.length - 1]) + 1e-9);
    const span = vals[vals.length - 1] - vals[0] || 1;
    for (const v of t) parts.push(text(v, place(((v - vals[0]) / span) * (vals.length - 1))));
  };
  axis(xs, (k) => m.l + (k + 0.5) * cw, (v, x) => `<text x="${x.toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(v)}</text>`);
  axis(ys, (k) => H - m.b - (k + 0.5) * ch, (v, y) => `<text x="${m.l - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${fmt(v)}</text>`);
  // Colour bar.
  const bx = W - m.r + 24;
  const bh = H - m.t - m.b;
  for (let s = 0; s < 50; s++) parts.push(`<rect x="${bx}" y="${(m.t + bh - ((s + 1) * bh) / 50).toFixed(1)}" width="16" height="${(bh / 50 + 0.5).toFixed(1)}" fill="${heat((s + 0.5) / 50)}"/>`);
  parts.push(`<rect x="${bx}" y="${m.t}" width="16" height="${bh}" fill="none" stroke="#555"/>`);
  for (const v of bar.ticks) {
    const y = m.t + bh - ((v - bar.lo) / (bar.hi - bar.lo)) * bh;
    parts.push(`<line x1="${bx + 16}" y1="${y.toFixed(1)}" x2="${bx + 20}" y2="${y.toFixed(1)}" stroke="#555"/>`);
    parts.push(`<text x="${bx + 23}" y="${(y + 4).toFixed(1)}" font-size="11">${fmt(v)}</text>`);
  }
  if (options.valueLabel) parts.push(`<text x="${bx + 8}" y="${m.t - 8}" text-anchor="middle" font-size="11">${esc(options.valueLabel)}</text>`);
  parts.push(...titleAndLabels(options, W, H, m));
  parts.push("</svg>");
  return parts.join("\n");
}
