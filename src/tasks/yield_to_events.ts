// Long runs yield between chunks of work, so that signal handlers, timers and UIs get to run.

/** Lets pending events (Ctrl-C, timers, UI) run; works in Node and browsers. */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
