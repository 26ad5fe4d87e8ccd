/**
 * Time as the delivery code sees it, injectable so tests run the limiter and the backoff on sinon's fake timers (or
 * a hand-driven clock) instead of real time. `sleep(0)` still yields to the event loop.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Reads `Date.now` and `setTimeout` at call time, so sinon fake timers installed later still apply. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
