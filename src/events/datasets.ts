// The event data sets snnkit trains on, and how one sample becomes frames: events binned in time (as
// tonic's ToFrame with n_time_bins) after a spatial downsampling, stored as byte counts per bin.
import { DataError, ValueError } from "../errors.js";
import { hasHdf5Signature } from "../io/hdf5_reader.js";
import type { GestureLabel } from "./aedat.js";
import { cropTime, downsample } from "./transforms.js";
import { type PolarityEvents } from "./events.js";
import { toFrames } from "./frames.js";
import { NMNIST_SENSOR } from "./nmnist.js";
import { SHD_UNITS, type ShdSample } from "./shd.js";

/** The event data sets of `snnkit train --dataset`. */
export const EVENT_DATASETS = ["nmnist", "shd", "dvsgesture"] as const;
/** An event data set's name. */
export type EventDatasetName = (typeof EVENT_DATASETS)[number];

/** The format of an event file from its first bytes: AEDAT's text header (DVS Gesture), HDF5's signature (SHD), or N-MNIST's 5-byte records. */
export function detectEventFormat(head: Uint8Array, size: number, file: string): EventDatasetName {
  if (new TextDecoder("latin1").decode(head.subarray(0, 9)) === "#!AER-DAT") return "dvsgesture";
  if (hasHdf5Signature(head)) return "shd";
  if (size % 5 === 0) return "nmnist";
  throw new DataError(file, `not an event file snnkit reads (no AEDAT header, and ${size} bytes is not a whole number of N-MNIST's 5-byte events)`);
}

/** Whether a data set's name is an event data set's. */
export const isEventDataset = (name: string): name is EventDatasetName => (EVENT_DATASETS as readonly string[]).includes(name);

/** What a data set is: its sensor (width × height, or channels), its classes, and snnkit's default downsampling. */
export const EVENT_DATASET_INFO: Record<EventDatasetName, { sensor: [number, number]; polarities: number; classes: number; downsample: number; title: string }> = {
  nmnist: { sensor: [NMNIST_SENSOR[0], NMNIST_SENSOR[1]], polarities: 2, classes: 10, downsample: 1, title: "N-MNIST" },
  shd: { sensor: [SHD_UNITS, 1], polarities: 1, classes: 20, downsample: 5, title: "SHD" },
  dvsgesture: { sensor: [128, 128], polarities: 2, classes: 11, downsample: 4, title: "DVS Gesture" },
};

/** How samples become frames. */
export interface FrameSettings {
  /** Time bins per sample (the run's steps T). */
  bins: number;
  /** Spatial (or, for SHD, channel) downsampling factor k: addresses divided by k and floored. */
  downsample: number;
  /** SHD: the time (s) the bins cover from 0; spikes after it count in the last bin (default 1 s). */
  duration?: number;
}

/** The shape [C, H, W] of one frame of a data set under `s`. */
export function frameShape(dataset: EventDatasetName, s: FrameSettings): [number, number, number] {
  const { sensor, polarities } = EVENT_DATASET_INFO[dataset];
  const k = s.downsample;
  if (dataset === "shd") return [1, 1, Math.ceil(sensor[0] / k)];
  return [polarities, Math.ceil(sensor[1] / k), Math.ceil(sensor[0] / k)];
}

/** Checks frame settings (ValueErrors naming the field). */
export function checkFrameSettings(s: FrameSettings): void {
  if (!(Number.isInteger(s.bins) && s.bins >= 1 && s.bins <= 100_000)) throw new ValueError("bins", "an integer in [1, 100000]", s.bins);
  if (!(Number.isInteger(s.downsample) && s.downsample >= 1 && s.downsample <= 1024)) throw new ValueError("downsample", "an integer in [1, 1024]", s.downsample);
  if (s.duration !== undefined && !(s.duration > 0 && s.duration <= 1e6)) throw new ValueError("duration", "seconds in (0, 1e6]", s.duration);
}

/** Float counts as bytes, capped at 255. */
function asBytes(counts: Float32Array): Uint8Array {
  const out = new Uint8Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = Math.min(255, counts[i]);
  return out;
}

/**
 * Camera events as frames [bins, 2, H/k, W/k] of byte counts: downsampled by k, then binned into `bins`
 * slices of equal time over the events' span (tonic's ToFrame with n_time_bins).
 */
export function cameraFrames(e: PolarityEvents, sensor: readonly [number, number], s: FrameSettings): Uint8Array {
  const k = s.downsample;
  const d = k === 1 ? e : downsample(e, k);
  return asBytes(toFrames(d, Math.ceil(sensor[0] / k), Math.ceil(sensor[1] / k), { bins: s.bins }).data);
}

/** One labelled gesture of a DVS Gesture recording as frames (its events between the label's start and end). */
export function gestureFrames(recording: PolarityEvents, gesture: GestureLabel, s: FrameSettings): Uint8Array {
  return cameraFrames(cropTime(recording, gesture.start, gesture.end), EVENT_DATASET_INFO.dvsgesture.sensor, s);
}

/**
 * An SHD or SSC sample as frames [bins, 1, 1, 700/k] of spike counts: channel u/k, time bin ⌊t/dt⌋ with
 * dt = duration/bins (spikes after the duration counted in the last bin).
 */
export function shdFrames(sample: ShdSample, s: FrameSettings): Uint8Array {
  const width = Math.ceil(SHD_UNITS / s.downsample);
  const out = new Uint8Array(s.bins * width);
  const dt = (s.duration ?? 1) / s.bins;
  for (let i = 0; i < sample.times.length; i++) {
    const bin = Math.min(s.bins - 1, Math.floor(sample.times[i] / dt));
    const at = bin * width + Math.floor(sample.units[i] / s.downsample);
    if (out[at] < 255) out[at]++;
  }
  return out;
}
