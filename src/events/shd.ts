// The Spiking Heidelberg Digits and Spiking Speech Commands (Cramer et al. 2020): spoken words turned into
// spikes of 700 cochlear channels. An HDF5 file holds `spikes/times` (seconds) and `spikes/units`, one
// variable-length array per sample, `labels`, and `extra/...`. Read one sample at a time.
import { DataError } from "../errors.js";
import type { Hdf5Dataset } from "../io/hdf5_reader.js";

/** What openShd needs of an HDF5 file: its datasets by path, each with a shape and rows to read. */
export interface ShdSource {
  dataset(path: string): Pick<Hdf5Dataset, "shape" | "read"> | null;
}

/** Channels of the SHD and SSC cochlea model. */
export const SHD_UNITS = 700;

/** One sample: its spikes (channel, time in s) and its label. */
export interface ShdSample {
  units: Uint16Array;
  times: Float64Array;
  label: number;
}

/** What a file holds: its sample count and labels (the per-sample arrays are read on demand). */
export interface ShdFile {
  samples: number;
  labels: number[];
  /** Sample `i` (0-based); DataErrors name the file and the sample. */
  sample(i: number): ShdSample;
}

/** Opens an SHD or SSC file through an HDF5 reader: checks its datasets and their lengths. */
export function openShd(h5: ShdSource, file: string): ShdFile {
  const times = h5.dataset("spikes/times");
  const units = h5.dataset("spikes/units");
  const labelSet = h5.dataset("labels");
  for (const [path, d] of [["spikes/times", times], ["spikes/units", units], ["labels", labelSet]] as const)
    if (!d) throw new DataError(file, `${path}: missing (an SHD or SSC file has spikes/times, spikes/units and labels)`);
  const n = labelSet!.shape[0] ?? 0;
  if (times!.shape[0] !== n || units!.shape[0] !== n) throw new DataError(file, `spikes/times has ${times!.shape[0]} samples, spikes/units ${units!.shape[0]}, labels ${n}`);
  const labels = Array.from(labelSet!.read() as ArrayLike<number>, Number);
  return {
    samples: n,
    labels,
    sample(i) {
      if (!(Number.isInteger(i) && i >= 0 && i < n)) throw new DataError(file, `sample ${i}: the file has ${n}`);
      const t = (times!.read(i, i + 1) as ArrayLike<number>[])[0];
      const u = (units!.read(i, i + 1) as ArrayLike<number>[])[0];
      if (!t || !u || t.length !== u.length) throw new DataError(file, `sample ${i}: ${t?.length ?? 0} times and ${u?.length ?? 0} units (one of each per spike)`);
      // Checked as stored, before the units are narrowed to 16 bits (where 65536 + 5 would read as 5).
      for (let k = 0; k < t.length; k++) {
        const time = Number(t[k]);
        const unit = Number(u[k]);
        if (!Number.isFinite(time) || time < 0) throw new DataError(file, `sample ${i}, spike ${k}: time ${time} s`);
        if (!(Number.isInteger(unit) && unit >= 0 && unit < SHD_UNITS)) throw new DataError(file, `sample ${i}, spike ${k}: unit ${unit}, outside the ${SHD_UNITS} channels`);
      }
      return { units: Uint16Array.from(u), times: Float64Array.from(t), label: labels[i] };
    },
  };
}
