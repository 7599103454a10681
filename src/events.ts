// snnkit/events: neuromorphic event files (N-MNIST samples, AEDAT 3.1 recordings such as DVS Gesture's),
// read from bytes or streamed packet by packet, and binned into frames; SHD and SSC (HDF5), read with
// snnkit's own HDF5 reader (openHdf5, memoryHdf5).
export { allocateEvents, concatEvents, firstEvents, type PolarityEvents, sliceEvents } from "./events/events.js";
export { decodeNmnist, encodeNmnist, NMNIST_SENSOR, nmnistLabel } from "./events/nmnist.js";
export { type AedatScan, encodeAedat3, type GestureLabel, parseGestureLabels, readAedat3, scanAedat3 } from "./events/aedat.js";
export { type FrameSlicing, type Frames, toFrames } from "./events/frames.js";
export { crop, cropTime, denoise, downsample, mergePolarities, timeJitter } from "./events/transforms.js";
export { openShd, SHD_UNITS, type ShdFile, type ShdSample, type ShdSource } from "./events/shd.js";
export { type Hdf5Dataset, type Hdf5Group, type Hdf5Reader, type Hdf5Type, type Hdf5Values, memoryHdf5, openHdf5 } from "./io/hdf5_reader.js";
export { type ByteSource, memorySource } from "./io/byte_source.js";
export { cameraFrames, checkFrameSettings, detectEventFormat, EVENT_DATASET_INFO, EVENT_DATASETS, type EventDatasetName, type FrameSettings, frameShape, gestureFrames, isEventDataset, shdFrames } from "./events/datasets.js";
export { type PublishedArchive, PUBLISHED_ARCHIVES, publishedArchive } from "./events/published_checksums.js";
