// Ownership of tensor memory, and the gradient mode.
//
// Memory model (as in tfjs): a tensor's memory is freed by dispose(). Inside tidy(fn), every tensor
// created is tracked and disposed when fn returns, except the tensors fn returns (handed to the enclosing
// scope) and tensors passed to keep(). Parameters are created kept. A training step wrapped in tidy()
// therefore frees every intermediate, including the autograd graph's saved tensors.
import { SnnkitError } from "../errors.js";

/** What the engine needs to know of a tensor to own it. */
export interface Disposable {
  readonly id: number;
  readonly isDisposed: boolean;
  dispose(): void;
}

const scopes: Set<Disposable>[] = [];
let gradDisabled = 0;
let live = 0;
let nextId = 1;

/** Registers a newly created tensor with the current scope; returns its id. */
export function registerTensor(t: Disposable): void {
  live++;
  const scope = scopes[scopes.length - 1];
  if (scope) scope.add(t);
}

/** A fresh tensor id. */
export function newTensorId(): number {
  return nextId++;
}

/** Called by Tensor.dispose(). */
export function tensorDisposed(t: Disposable): void {
  live--;
  const scope = scopes[scopes.length - 1];
  if (scope) scope.delete(t);
}

/** Number of tensors not yet disposed. */
export function liveTensorCount(): number {
  return live;
}

/** A value that may contain tensors, as returned from tidy(). */
// biome-ignore lint/suspicious/noConfusingVoidType: tidy() accepts functions that return nothing.
export type TidyResult = void | number | string | boolean | null | undefined | Disposable | TidyContainer;
type TidyContainer = readonly TidyResult[] | { readonly [key: string]: TidyResult };

function collect(value: unknown, into: Set<Disposable>): void {
  if (value === null || typeof value !== "object") return;
  if ("dispose" in value && "id" in value && "isDisposed" in value) {
    into.add(value as Disposable);
    return;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) collect(v, into);
}

/**
 * Runs fn, then disposes every tensor it created except those it returns (which move to the enclosing
 * scope) and those passed to keep().
 */
export function tidy<R extends TidyResult>(fn: () => R): R {
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: R;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) if (!t.isDisposed) disposeUntracked(t);
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise) throw new SnnkitError("tidy: the function must not be async");
  const kept = new Set<Disposable>();
  collect(result, kept);
  for (const t of scope) if (!kept.has(t) && !t.isDisposed) disposeUntracked(t);
  const parent = scopes[scopes.length - 1];
  if (parent) for (const t of kept) if (scope.has(t)) parent.add(t);
  return result;
}

function disposeUntracked(t: Disposable): void {
  // dispose() calls tensorDisposed(), which removes from the *current* scope; the finished scope is
  // already popped, so just dispose.
  t.dispose();
}

/** Removes a tensor from every enclosing tidy() scope so that it outlives them. Returns it. */
export function keep<T extends Disposable>(t: T): T {
  for (const s of scopes) s.delete(t);
  return t;
}

/** Disposes tensors (arrays and objects of tensors too). */
export function dispose(value: TidyResult): void {
  const all = new Set<Disposable>();
  collect(value, all);
  for (const t of all) if (!t.isDisposed) t.dispose();
}

/** Whether ops currently record the autograd graph. */
export function isGradEnabled(): boolean {
  return gradDisabled === 0;
}

/** Runs fn without recording gradients (results do not require grad). */
export function noGrad<R>(fn: () => R): R {
  gradDisabled++;
  try {
    return fn();
  } finally {
    gradDisabled--;
  }
}
