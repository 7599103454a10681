// A trained network as one portable JSON file: versioned and self-describing (the network's settings,
// its weights as base64 float32, the snnkit version), without optimizer state or progress. loadModel
// reads it back in Node or in a page with one call.
import { z } from "zod";
import { DataError } from "../../errors.js";
import { base64ToFloat32, float32ToBase64 } from "../../io/base64.js";
import { parseWithSchema } from "../../io/validate.js";
import { type TrainConfig, trainConfigSchema } from "./config.js";
import { createSession, type TrainingSession } from "./session.js";

/** The version of snnkit that writes model files. */
export const SNNKIT_VERSION = "0.1.0";
const FORMAT = "snnkit-model";
/** The NIR version snnkit writes (the layout of NIR 1.0's writer). */
export const NIR_VERSION = "1.0.0";

const modelFileSchema = z.strictObject({
  format: z.literal(FORMAT, { error: "not an snnkit model file (snnkit export)" }),
  version: z.literal(1, { error: "an snnkit model file of another version (this snnkit reads version 1)" }),
  snnkit: z.string(),
  config: trainConfigSchema,
  arrays: z.record(z.string(), z.strictObject({ shape: z.array(z.int().min(0).max(2 ** 28)), data: z.string() })),
});

/** The model file of a trained session: its configuration and its model's arrays (no optimizer state). */
export function modelFile(s: TrainingSession): string {
  const arrays = Object.fromEntries(Object.entries(s.model.stateDict()).map(([k, e]) => [k, { shape: [...e.shape], data: float32ToBase64(e.data) }]));
  return `${JSON.stringify({ format: FORMAT, version: 1, snnkit: SNNKIT_VERSION, config: s.config, arrays })}\n`;
}

/** A model file's network, ready to run (evaluation mode): its configuration and session; DataErrors name the file and the field. */
export function loadModel(text: string, file: string): TrainingSession & { config: TrainConfig } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataError(file, `not JSON (${(e as Error).message})`);
  }
  const m = parseWithSchema(modelFileSchema, json, file);
  const s = createSession(m.config);
  try {
    const state = s.model.stateDict();
    for (const name of Object.keys(m.arrays)) if (!(name in state)) throw new DataError(file, `arrays.${name}: not an array of a ${m.config.model} network`);
    const entries = Object.entries(state).map(([name, e]) => {
      const a = m.arrays[name];
      if (!a) throw new DataError(file, `arrays.${name}: missing`);
      if (a.shape.join(",") !== e.shape.join(",")) throw new DataError(file, `arrays.${name}.shape: [${a.shape}], the network has [${e.shape}]`);
      const data = base64ToFloat32(a.data, e.data.length, `${file}: arrays.${name}.data`);
      const bad = data.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) throw new DataError(file, `arrays.${name}: ${data[bad]} at index ${bad}`);
      return [name, { shape: e.shape, data }] as const;
    });
    s.model.loadStateDict(Object.fromEntries(entries));
    s.model.eval();
    return s;
  } catch (e) {
    s.model.dispose();
    throw e;
  }
}
