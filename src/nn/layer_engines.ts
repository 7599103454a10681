// How each engine runs each kind of layer: one registry, engine × layer kind → implementation, as
// tfjs-core registers kernels per backend. The tensor engine is every layer's own forward(); the
// continuous-time engines (event-driven and stepped, src/transfer) register what they can run, and a
// network with a layer an engine has no implementation for is refused naming both.
import { ValueError } from "../errors.js";
import type { Module } from "./module.js";

/** The engines that run a network beside the tensor engine: exact event by event, or on a grid of substeps. */
export type LayerEngine = "event" | "stepped";

const registry = new Map<LayerEngine, Map<string, unknown>>();

/** Registers how `engine` runs layers of `kind` (a Module's kind); a second registration replaces the first. */
export function registerLayer<I>(engine: LayerEngine, kind: string, implementation: I): void {
  let kinds = registry.get(engine);
  if (!kinds) registry.set(engine, (kinds = new Map()));
  kinds.set(kind, implementation);
}

/** The kinds of layer `engine` can run. */
export function registeredKinds(engine: LayerEngine): string[] {
  return [...(registry.get(engine)?.keys() ?? [])];
}

/** How `engine` runs `layer`; a ValueError names the engine, the layer's kind and the kinds it can run. */
export function layerImplementation<I>(engine: LayerEngine, layer: Module): I {
  const implementation = registry.get(engine)?.get(layer.kind);
  if (implementation === undefined) throw new ValueError(`the ${engine} engine`, `a network of the layers it can run (${registeredKinds(engine).join(", ") || "none registered"})`, `a ${layer.kind} layer`);
  return implementation as I;
}
