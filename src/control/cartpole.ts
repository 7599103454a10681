// The cart-pole of Barto, Sutton & Anderson (1983) as the CartPole-v1 benchmark defines it: a pole hinged
// on a cart that a force of ±10 N pushes left or right, integrated by explicit Euler steps of 0.02 s; an
// episode fails when the pole leans past 12° or the cart leaves ±2.4 m, and ends after 500 steps.
import { ValueError } from "../errors.js";
import { Rng } from "../random/rng.js";

/** One transition of an environment. */
export interface EnvironmentStep {
  /** The observation after the action. */
  observation: Float64Array;
  reward: number;
  /** The episode failed or reached a terminal state. */
  terminated: boolean;
  /** The episode hit its step limit. */
  truncated: boolean;
}

/** A single-step control environment with discrete actions (the interface other environments implement too). */
export interface Environment {
  readonly observationSize: number;
  readonly actionCount: number;
  /** Starts an episode (seeded when a seed is given, else from the environment's generator); returns the first observation. */
  reset(seed?: number): Float64Array;
  /** Applies an action in [0, actionCount). */
  step(action: number): EnvironmentStep;
}

/** The physical constants and limits of the cart-pole (CartPole-v1's by default). */
export interface CartPoleOptions {
  gravity?: number;
  cartMass?: number;
  poleMass?: number;
  /** Half the pole's length (m). */
  halfPoleLength?: number;
  forceMagnitude?: number;
  /** Time step (s). */
  dt?: number;
  /** Failure angle (rad; default 12°). */
  angleLimit?: number;
  /** Failure position (m). */
  positionLimit?: number;
  /** Steps per episode. */
  maxSteps?: number;
  /**
   * Standard deviation of Gaussian noise added to every observed value (default 0: the state itself). A
   * harder variant: the policy sees x + σn, ẋ + σn, θ + σn, θ̇ + σn; the dynamics and limits use the true state.
   */
  observationNoise?: number;
  /** Seed of the start states (and of the observation noise). */
  seed?: number;
}

const positive = (name: string, v: number, max = 1e6): number => {
  if (!(Number.isFinite(v) && v > 0 && v <= max)) throw new ValueError(`CartPole: ${name}`, `a number in (0, ${max}]`, v);
  return v;
};

/**
 * The cart-pole. State (x, ẋ, θ, θ̇), θ = 0 upright; the start state is uniform in ±0.05 per component. With
 * force F = ±10 N, m = m_cart + m_pole and l the half pole length:
 *   a = (F + m_pole·l·θ̇²·sin θ)/m
 *   θ̈ = (g·sin θ − cos θ·a) / (l·(4/3 − m_pole·cos²θ/m))
 *   ẍ = a − m_pole·l·θ̈·cos θ/m
 *   x += dt·ẋ, ẋ += dt·ẍ, θ += dt·θ̇, θ̇ += dt·θ̈   (explicit Euler, the old velocities move the positions)
 * Reward 1 per step, the failing step included.
 */
export class CartPole implements Environment {
  readonly observationSize = 4;
  readonly actionCount = 2;
  readonly gravity: number;
  readonly cartMass: number;
  readonly poleMass: number;
  readonly halfPoleLength: number;
  readonly forceMagnitude: number;
  readonly dt: number;
  readonly angleLimit: number;
  readonly positionLimit: number;
  readonly maxSteps: number;
  readonly observationNoise: number;
  private readonly rng: Rng;
  /** The generator of the current episode (its start state and observation noise). */
  private episodeRng: Rng;
  private state = new Float64Array(4);
  private steps = 0;
  private done = true;

  constructor(options: CartPoleOptions = {}) {
    this.gravity = positive("gravity", options.gravity ?? 9.8);
    this.cartMass = positive("cartMass", options.cartMass ?? 1);
    this.poleMass = positive("poleMass", options.poleMass ?? 0.1);
    this.halfPoleLength = positive("halfPoleLength", options.halfPoleLength ?? 0.5);
    this.forceMagnitude = positive("forceMagnitude", options.forceMagnitude ?? 10);
    this.dt = positive("dt", options.dt ?? 0.02, 1);
    this.angleLimit = positive("angleLimit", options.angleLimit ?? (12 * 2 * Math.PI) / 360, Math.PI);
    this.positionLimit = positive("positionLimit", options.positionLimit ?? 2.4);
    const maxSteps = options.maxSteps ?? 500;
    if (!(Number.isInteger(maxSteps) && maxSteps >= 1 && maxSteps <= 1e9)) throw new ValueError("CartPole: maxSteps", "an integer in [1, 1e9]", maxSteps);
    this.maxSteps = maxSteps;
    const noise = options.observationNoise ?? 0;
    if (!(Number.isFinite(noise) && noise >= 0 && noise <= 1e3)) throw new ValueError("CartPole: observationNoise", "a number in [0, 1000]", noise);
    this.observationNoise = noise;
    this.rng = new Rng(options.seed ?? 0);
    this.episodeRng = this.rng;
  }

  /** What the policy sees: the state, plus observation noise when set. */
  private observe(): Float64Array {
    const o = this.getState();
    if (this.observationNoise > 0) for (let i = 0; i < 4; i++) o[i] += this.observationNoise * this.episodeRng.normal();
    return o;
  }

  /** A copy of the state (x, ẋ, θ, θ̇). */
  getState(): Float64Array {
    return this.state.slice();
  }

  /** Starts an episode from a given state (e.g. to test the dynamics). */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new ValueError("CartPole: state", "4 numbers (x, ẋ, θ, θ̇)", `${state.length} numbers`);
    for (let i = 0; i < 4; i++) if (!Number.isFinite(state[i])) throw new ValueError(`CartPole: state[${i}]`, "a finite number", state[i]);
    this.state = Float64Array.from(state);
    this.steps = 0;
    this.done = false;
  }

  reset(seed?: number): Float64Array {
    this.episodeRng = seed === undefined ? this.rng : new Rng(seed);
    const rng = this.episodeRng;
    this.setState(Array.from({ length: 4 }, () => 0.1 * rng.uniform() - 0.05));
    return this.observe();
  }

  step(action: number): EnvironmentStep {
    if (action !== 0 && action !== 1) throw new ValueError("CartPole: action", "0 (push left) or 1 (push right)", action);
    if (this.done) throw new ValueError("CartPole: step", "an episode in progress (call reset() first)", "an ended episode");
    const [x, xDot, theta, thetaDot] = this.state;
    const force = action === 1 ? this.forceMagnitude : -this.forceMagnitude;
    const m = this.cartMass + this.poleMass;
    const ml = this.poleMass * this.halfPoleLength;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const a = (force + ml * thetaDot * thetaDot * sin) / m;
    const thetaAcc = (this.gravity * sin - cos * a) / (this.halfPoleLength * (4 / 3 - (this.poleMass * cos * cos) / m));
    const xAcc = a - (ml * thetaAcc * cos) / m;
    this.state = Float64Array.of(x + this.dt * xDot, xDot + this.dt * xAcc, theta + this.dt * thetaDot, thetaDot + this.dt * thetaAcc);
    this.steps++;
    const [nx, , nTheta] = this.state;
    const terminated = Math.abs(nx) > this.positionLimit || Math.abs(nTheta) > this.angleLimit;
    const truncated = !terminated && this.steps >= this.maxSteps;
    this.done = terminated || truncated;
    return { observation: this.observe(), reward: 1, terminated, truncated };
  }
}
