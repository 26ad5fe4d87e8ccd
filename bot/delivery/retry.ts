import { systemClock, type Clock } from '../../core/clock.js';

/**
 * Retrying one call with exponential backoff and full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): before retry n (n = 1, 2, ...) wait a uniformly random time in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))].
 * A server-named wait (Retry-After) is honoured as a floor: the wait is that time plus a jitter of up to
 * `baseDelayMs`, so callers throttled together do not all come back in the same millisecond.
 *
 * Which failures are retried is the caller's decision (`classify`): this module retries nothing on its own.
 * (p-retry was considered: it cannot take a per-error delay such as Retry-After, and its jitter is not full jitter.)
 */

export interface RetryPolicy {
  /** Total attempts including the first; at least 1. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 15_000 };

/** Retry (after at least `afterMs` if the server said so), or give up now. */
export type RetryDecision = { retry: true; afterMs?: number } | { retry: false };

export interface RetryOptions {
  policy?: RetryPolicy;
  classify: (error: unknown) => RetryDecision;
  clock?: Clock;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
  /** Called before each wait, for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** The wait before retry number `retry` (1-based). */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.ceil(retryAfterMs + random() * policy.baseDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it resolves, `classify` says not to retry, or `maxAttempts` are used; then rethrows the
 * last error. A server-named wait longer than `maxDelayMs` is not slept through: the error is rethrown at once, so
 * the caller can defer the work instead of holding a loop for (up to) an hour.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const decision = options.classify(error);
      if (!decision.retry || attempt >= policy.maxAttempts) throw error;
      if (decision.afterMs !== undefined && decision.afterMs > policy.maxDelayMs) throw error;
      const delayMs = backoffDelay(attempt, policy, random, decision.afterMs);
      options.onRetry?.({ attempt, delayMs, error });
      await clock.sleep(delayMs);
    }
  }
}
