// Module: a container of parameters, buffers and sub-modules, as in PyTorch's nn.Module.
import { ShapeError, ValueError } from "../errors.js";
import { keep } from "../tensor/engine.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * How a module treats time:
 * - "stateless": acts on every row independently; given [T, B, ...] it runs once over all T·B rows;
 * - "temporal": takes the whole sequence [T, B, ...] (spiking neurons, dropout with one mask over T).
 */
export type TimeMode = "stateless" | "temporal";

/** The state a temporal layer carries from one run to the next (e.g. { mem } of a neuron layer). */
export interface LayerState {
  readonly [variable: string]: Tensor;
}

/** A temporal layer's output over [T, B, ...], its spikes (null for a layer that does not spike) and its state after the last step. */
export interface LayerRun {
  output: Tensor;
  spikes: Tensor | null;
  final: LayerState;
}

/** The saved values of one parameter or buffer. */
export interface TensorEntry {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Base class of layers and networks: named parameters, buffers and children; train/eval mode. */
export abstract class Module {
  /** Training mode (dropout active, batch statistics) or evaluation mode. */
  training = true;
  /** See TimeMode. */
  readonly time: TimeMode = "stateless";
  /**
   * The layer's kind, by which an engine finds how it runs the layer (layer_engines.ts). Layers set it
   * to their class's name as a literal (class names do not survive minification); other modules get
   * their constructor's name.
   */
  readonly kind: string = this.constructor.name;
  private readonly ownParams = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  /** Runs the module. */
  abstract forward(x: Tensor): Tensor;

  /**
   * forward(x) and, for a layer that spikes, its spikes (also when its output is something else, such
   * as a membrane readout); null spikes for other layers. Sequential records rasters through it.
   */
  forwardWithSpikes(x: Tensor): { output: Tensor; spikes: Tensor | null } {
    return { output: this.forward(x), spikes: null };
  }

  /**
   * Temporal layers that can continue a sequence (neurons, Delay) override this: runs x [T, B, ...] from
   * `state` (null: the start of a sequence) and returns the state after its last step, so that running
   * [0, t) and then [t, T) from that state equals running [0, T). Others refuse with a ValueError.
   */
  runFrom(x: Tensor, state: LayerState | null): LayerRun {
    void x;
    void state;
    throw new ValueError(`${this.kind}`, "a layer that can continue a sequence from a state (neurons, Delay) to run in chunks of time", this.kind);
  }

  /** Registers a trainable parameter (made a kept leaf that requires grad). */
  protected addParameter(name: string, t: Tensor): Tensor {
    t.requiresGrad = true;
    keep(t);
    this.ownParams.set(name, t);
    return t;
  }

  /** Registers a non-trainable state tensor saved with the weights (e.g. running statistics). */
  protected addBuffer(name: string, t: Tensor): Tensor {
    keep(t);
    this.ownBuffers.set(name, t);
    return t;
  }

  /** Registers a child module. */
  protected addModule<M extends Module>(name: string, m: M): M {
    this.children.set(name, m);
    return m;
  }

  /** Child modules in registration order. */
  namedChildren(): [string, Module][] {
    return [...this.children];
  }

  /** Parameters of this module and its descendants, with dotted names ("0.weight"). */
  namedParameters(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.ownParams].map(([n, t]) => [prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** Trainable parameters of this module and its descendants. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** Buffers of this module and its descendants, with dotted names. */
  namedBuffers(prefix = ""): [string, Tensor][] {
    const out: [string, Tensor][] = [...this.ownBuffers].map(([n, t]) => [prefix + n, t]);
    for (const [n, m] of this.children) out.push(...m.namedBuffers(`${prefix}${n}.`));
    return out;
  }

  /** Sets training mode on this module and its descendants. */
  train(mode = true): this {
    this.training = mode;
    for (const m of this.children.values()) m.train(mode);
    return this;
  }

  /** Sets evaluation mode. */
  eval(): this {
    return this.train(false);
  }

  /** Copies of every parameter and buffer, by name. */
  stateDict(): Record<string, TensorEntry> {
    const out: Record<string, TensorEntry> = {};
    for (const [n, t] of [...this.namedParameters(), ...this.namedBuffers()])
      out[n] = { shape: [...t.shape], data: t.dataFloat32().slice() };
    return out;
  }

  /** Loads values saved by stateDict(); every name must be present with the same shape. */
  loadStateDict(state: Readonly<Record<string, TensorEntry>>): void {
    const targets = [...this.namedParameters(), ...this.namedBuffers()];
    for (const [n, t] of targets) {
      const e = state[n];
      if (!e) throw new ValueError("loadStateDict: state", `an entry named "${n}"`, Object.keys(state));
      if (e.shape.length !== t.rank || e.shape.some((d, i) => d !== t.shape[i]) || e.data.length !== t.size)
        throw new ShapeError("loadStateDict", `"${n}" has the wrong shape`, [e.shape, t.shape]);
    }
    for (const [n, t] of targets) t.storage.f32().set(state[n].data);
  }

  /** Frees every parameter and buffer. */
  dispose(): void {
    for (const [, t] of [...this.namedParameters(), ...this.namedBuffers()]) t.dispose();
  }
}
