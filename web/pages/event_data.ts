// Event data: a file dropped on the page (an N-MNIST sample, a DVS Gesture recording in AEDAT 3.1, or an
// SHD/SSC file), read by snnkit's readers and played back: camera events as frames (counts per pixel in
// each time bin, both polarities), audio spikes as a raster of channels over time.
import { readAedat3 } from "../../src/events/aedat.js";
import { detectEventFormat, EVENT_DATASET_INFO } from "../../src/events/datasets.js";
import type { PolarityEvents } from "../../src/events/events.js";
import { toFrames } from "../../src/events/frames.js";
import { decodeNmnist, NMNIST_SENSOR } from "../../src/events/nmnist.js";
import { openShd, SHD_UNITS } from "../../src/events/shd.js";
import { downsample } from "../../src/events/transforms.js";
import { memorySource } from "../../src/io/byte_source.js";
import { memoryHdf5 } from "../../src/io/hdf5_reader.js";
import { heatMap, rasterPlot } from "../../src/plot/svg.js";
import { element } from "../ui.js";

const BINS = 12;

/** Camera events as frames, with a slider over the frames. */
function showCamera(out: HTMLElement, e: PolarityEvents, width: number, height: number, title: string): void {
  const k = width > 64 ? 4 : 1;
  const [w, h] = [Math.ceil(width / k), Math.ceil(height / k)];
  const frames = toFrames(k === 1 ? e : downsample(e, k), w, h, { bins: BINS });
  const plot = element("div", { className: "plots", id: "event-frame" });
  const slider = element("input", { type: "range", min: "0", max: String(BINS - 1), step: "1", value: "0", id: "ctl-frame" });
  const draw = () => {
    const f = Number(slider.value);
    const plane = w * h;
    const values = Array.from({ length: h }, (_, y) => Array.from({ length: w }, (_, x) => frames.data[(f * 2 + 1) * plane + y * w + x] + frames.data[f * 2 * plane + y * w + x]));
    plot.innerHTML = heatMap(values, Array.from({ length: w }, (_, x) => x * k), Array.from({ length: h }, (_, y) => y * k), { title: `${title}: frame ${f + 1} of ${BINS}`, xLabel: "x (pixel)", yLabel: "y (pixel)", valueLabel: "events", height: 420 });
  };
  slider.addEventListener("input", draw);
  out.append(element("label", { htmlFor: "ctl-frame", textContent: "frame (time bin)" }), slider, plot);
  draw();
}

/** Reads a file and shows it. */
async function show(out: HTMLElement, name: string, bytes: Uint8Array): Promise<void> {
  const format = detectEventFormat(bytes.subarray(0, 16), bytes.length, name);
  const summary = element("p", { id: "event-summary" });
  out.replaceChildren(summary);
  if (format === "nmnist") {
    const e = decodeNmnist(bytes, name);
    summary.textContent = `${name}: N-MNIST, ${e.t.length} events over ${((e.t.at(-1) ?? 0) - (e.t[0] ?? 0)) / 1000} ms`;
    summary.dataset.events = String(e.t.length);
    showCamera(out, e, NMNIST_SENSOR[0], NMNIST_SENSOR[1], "N-MNIST");
  } else if (format === "dvsgesture") {
    const e = readAedat3(memorySource(bytes), name);
    summary.textContent = `${name}: AEDAT 3.1 (${EVENT_DATASET_INFO.dvsgesture.title}), ${e.t.length} events in ${e.packets} packets over ${((e.t.at(-1) ?? 0) - (e.t[0] ?? 0)) / 1e6} s`;
    summary.dataset.events = String(e.t.length);
    showCamera(out, e, 128, 128, "DVS");
  } else {
    const h5 = await memoryHdf5(bytes, name);
    try {
      const shd = openShd(h5, name);
      const sample = shd.sample(0);
      summary.textContent = `${name}: SHD/SSC, ${shd.samples} samples; sample 0: label ${sample.label}, ${sample.times.length} spikes`;
      summary.dataset.events = String(sample.times.length);
      const bins = 100;
      const spikes = new Uint8Array(bins * SHD_UNITS);
      for (let i = 0; i < sample.times.length; i++) spikes[Math.min(bins - 1, Math.floor(sample.times[i] * bins)) * SHD_UNITS + sample.units[i]] = 1;
      const plot = element("div", { className: "plots", id: "event-frame" });
      plot.innerHTML = rasterPlot([{ label: `sample 0 (label ${sample.label})`, steps: bins, neurons: SHD_UNITS, spikes }], { title: "spikes of the 700 channels", timeLabel: "time (s)", timeScale: 0.01 });
      out.append(plot);
    } finally {
      h5.close();
    }
  }
}

/** Draws the page into `root`. */
export function eventDataPage(root: HTMLElement): void {
  const out = element("div", { id: "event-out" }, [element("p", { className: "note", textContent: "No file yet." })]);
  const input = element("input", { type: "file", id: "event-file" });
  const read = (file: File) =>
    file
      .arrayBuffer()
      .then((b) => show(out, file.name, new Uint8Array(b)))
      .catch((e: unknown) => out.replaceChildren(element("p", { className: "bad", id: "event-error", textContent: (e as Error).message })));
  input.addEventListener("change", () => input.files?.[0] && read(input.files[0]));
  root.addEventListener("dragover", (e) => e.preventDefault());
  root.addEventListener("drop", (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files[0];
    if (file) void read(file);
  });
  root.replaceChildren(
    element("h2", { textContent: "Event data" }),
    element("p", { className: "note", textContent: "Drop an event file on the page, or choose one: an N-MNIST sample (.bin), a DVS Gesture recording (AEDAT 3.1) or an SHD/SSC file (HDF5). Nothing leaves the page." }),
    element("div", { className: "controls" }, [input]),
    out,
  );
}
