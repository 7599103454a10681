// Plots as SVG strings: no DOM and no Node APIs, so the same code draws in the browser.

/** One line of a line plot. */
export interface Series {
  label: string;
  x: readonly number[];
  y: readonly number[];
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || v === 0 ? v.toFixed(0) : Number(v.toPrecision(3)).toString();
}

function extent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/** Opening tags of an SVG document of W×H pixels with a white background. */
function svgOpen(W: number, H: number): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
  ];
}

/** Title (top centre), x label (under the plot area) and y label (rotated, left) for margins m. */
function titleAndLabels(
  o: { title?: string; xLabel?: string; yLabel?: string },
  W: number,
  H: number,
  m: { l: number; r: number; t: number; b: number },
): string[] {
  const out: string[] = [];
  if (o.title) out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${esc(o.title)}</text>`);
  if (o.xLabel) out.push(`<text x="${(W + m.l - m.r) / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  const mid = (H - m.b + m.t) / 2;
  if (o.yLabel) out.push(`<text x="14" y="${mid}" text-anchor="middle" transform="rotate(-90 14 ${mid})">${esc(o.yLabel)}</text>`);
  return out;
}

/** Line plot of several series sharing the axes, with a legend. */
export function linePlot(
  series: readonly Series[],
  options: { title?: string; xLabel?: string; yLabel?: string; width?: number; height?: number } = {},
): string {
  const W = options.width ?? 640;
  const H = options.height ?? 400;
  const m = { l: 60, r: 20, t: 36, b: 48 };
  const [x0, x1] = extent(series.flatMap((s) => [...s.x]));
  const [y0, y1] = extent(series.flatMap((s) => [...s.y]));
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const parts: string[] = [
    ...svgOpen(W, H),
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y0 + ((y1 - y0) * i) / 4;
    parts.push(`<text x="${px(xv)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${m.l - 6}" y="${py(yv) + 4}" text-anchor="end">${fmt(yv)}</text>`);
  }
  series.forEach((s, k) => {
    const pts = s.x.map((x, i) => `${px(x).toFixed(1)},${py(s.y[i]).toFixed(1)}`).join(" ");
    const color = COLORS[k % COLORS.length];
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${pts}"/>`);
    parts.push(`<text x="${W - m.r - 4}" y="${m.t + 14 * (k + 1)}" text-anchor="end" fill="${color}">${esc(s.label)}</text>`);
  });
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

/** Raster plot: one panel per layer, a mark per spike (x: time step, y: neuron). */
export function rasterPlot(panels: readonly RasterPanel[], options: { title?: string; width?: number } = {}): string {
  const W = options.width ?? 640;
  const panelH = 140;
  const gap = 34;
  const m = { l: 70, r: 20, t: 36, b: 0 };
  const H = m.t + panels.length * (panelH + gap);
  const parts: string[] = [
    ...svgOpen(W, H),
  ];
  parts.push(...titleAndLabels({ title: options.title }, W, H, m));
  panels.forEach((p, k) => {
    const top = m.t + k * (panelH + gap);
    const cw = (W - m.l - m.r) / Math.max(p.steps, 1);
    const rh = panelH / Math.max(p.neurons, 1);
    let count = 0;
    const marks: string[] = [];
    for (let t = 0; t < p.steps; t++)
      for (let i = 0; i < p.neurons; i++)
        if (p.spikes[t * p.neurons + i] !== 0) {
          count++;
          marks.push(`M${(m.l + t * cw).toFixed(1)} ${(top + i * rh).toFixed(2)}h${Math.max(cw * 0.8, 1).toFixed(1)}v${Math.max(rh, 0.6).toFixed(2)}h${-Math.max(cw * 0.8, 1).toFixed(1)}z`);
        }
    parts.push(`<rect x="${m.l}" y="${top}" width="${W - m.l - m.r}" height="${panelH}" fill="none" stroke="#999"/>`);
    parts.push(`<path d="${marks.join("")}" fill="black"/>`);
    parts.push(`<text x="${m.l - 6}" y="${top + panelH / 2}" text-anchor="end">${esc(p.label)}</text>`);
    parts.push(`<text x="${m.l}" y="${top + panelH + 14}">${p.neurons} neurons × ${p.steps} steps, ${count} spikes</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** Heat map of values[i][j] (rows: y values, columns: x values), colour from white (low) to dark red (high). */
export function heatMap(
  values: readonly (readonly number[])[],
  xs: readonly number[],
  ys: readonly number[],
  options: { title?: string; xLabel?: string; yLabel?: string; width?: number; height?: number } = {},
): string {
  const W = options.width ?? 640;
  const H = options.height ?? 420;
  const m = { l: 60, r: 90, t: 36, b: 48 };
  const flat = values.flatMap((r) => [...r]).filter(Number.isFinite);
  const lo = flat.length ? Math.min(...flat) : 0;
  const hi = flat.length ? Math.max(...flat) : 1;
  const cw = (W - m.l - m.r) / Math.max(xs.length, 1);
  const ch = (H - m.t - m.b) / Math.max(ys.length, 1);
  const colour = (v: number) => {
    const f = hi > lo ? (v - lo) / (hi - lo) : 0;
    return `rgb(${Math.round(255 - 100 * f)},${Math.round(255 - 235 * f)},${Math.round(255 - 235 * f)})`;
  };
  const parts: string[] = [
    ...svgOpen(W, H),
  ];
  values.forEach((row, i) =>
    row.forEach((v, j) =>
      parts.push(`<rect x="${(m.l + j * cw).toFixed(1)}" y="${(H - m.b - (i + 1) * ch).toFixed(1)}" width="${(cw + 0.5).toFixed(1)}" height="${(ch + 0.5).toFixed(1)}" fill="${colour(v)}"/>`),
    ),
  );
  for (const k of [0, Math.floor((xs.length - 1) / 2), xs.length - 1])
    if (xs.length) parts.push(`<text x="${m.l + (k + 0.5) * cw}" y="${H - m.b + 16}" text-anchor="middle">${fmt(xs[k])}</text>`);
  for (const k of [0, Math.floor((ys.length - 1) / 2), ys.length - 1])
    if (ys.length) parts.push(`<text x="${m.l - 6}" y="${H - m.b - (k + 0.5) * ch + 4}" text-anchor="end">${fmt(ys[k])}</text>`);
  parts.push(`<text x="${W - m.r + 10}" y="${m.t + 12}">max ${fmt(hi)}</text>`, `<text x="${W - m.r + 10}" y="${H - m.b}">min ${fmt(lo)}</text>`);
  parts.push(...titleAndLabels(options, W, H, m));
  parts.push("</svg>");
  return parts.join("\n");
}
