import { isAnsvarError } from '../../core/errors.js';

/**
 * What a failed Bot Connector call tells us, read from the error botbuilder throws (a RestError from
 * @azure/core-rest-pipeline: `statusCode`, `code` from the error body, `response.headers`, `response.bodyAsText`).
 *
 * The line that matters is "was the message certainly not accepted?". Only then may we send again without risking a
 * duplicate in the user's chat:
 * - 429 (throttled), 412, 502, 504 from the connector: not accepted (Teams' documented retry set);
 * - ECONNREFUSED / ENOTFOUND / EAI_AGAIN: the request never left this machine;
 * - everything else that is not a clear refusal (500, 503, ECONNRESET, timeouts) is `unknown`: the connector may have
 *   posted the message, so a send is not repeated (an update, a PUT, may be).
 *
 * botbuilder's own pipeline (core-rest-pipeline defaultRetryPolicy, 3 retries) has already run before we see the
 * error: it retries 429/503 only when they carry Retry-After, and 408 and every 5xx except 501/505 with its own
 * exponential backoff, plus ECONNRESET/ETIMEDOUT and similar. So botbuilder itself can duplicate a send after a 5xx
 * or a reset; we cannot switch that off per call, and we add no duplicates of our own on top.
 */

export type ConnectorFailure =
  | { kind: 'throttled'; statusCode: 429; retryAfterMs?: number; code?: string }
  | { kind: 'notAccepted'; statusCode: 412 | 502 | 504; code?: string }
  | { kind: 'notSent'; code: string }
  /** 403 MessageWritesBlocked / ConversationBlockedByUser: the user blocked or removed the app. */
  | { kind: 'blocked'; statusCode: 403; code: string }
  /** A definite refusal (other 4xx, or our own outbound guard): sending again gives the same answer. */
  | { kind: 'rejected'; statusCode?: number; code?: string }
  | { kind: 'unknown'; statusCode?: number; code?: string };

const NOT_ACCEPTED = new Set([412, 502, 504]);
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const BLOCKED_CODES = ['MessageWritesBlocked', 'ConversationBlockedByUser'];

interface RestErrorLike {
  statusCode?: unknown;
  code?: unknown;
  response?: { headers?: { get?: (name: string) => string | undefined | null }; bodyAsText?: unknown };
}

export function classifyConnectorError(error: unknown): ConnectorFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike;
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const withCode = code === undefined ? {} : { code };
  if (statusCode === undefined) {
    if (code && NOT_SENT_CODES.has(code)) return { kind: 'notSent', code };
    if (isAnsvarError(error)) return { kind: 'rejected', ...withCode };
    return { kind: 'unknown', ...withCode };
  }
  if (statusCode === 429) {
    const retryAfterMs = retryAfterOf(e);
    return {
      kind: 'throttled',
      statusCode,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...withCode,
    };
  }
  if (NOT_ACCEPTED.has(statusCode))
    return { kind: 'notAccepted', statusCode: statusCode as 412 | 502 | 504, ...withCode };
  if (statusCode === 403) {
    const body = typeof e.response?.bodyAsText === 'string' ? e.response.bodyAsText : '';
    const blocked = BLOCKED_CODES.find((c) => c === code || body.includes(c));
    if (blocked) return { kind: 'blocked', statusCode, code: blocked };
  }
  if (statusCode >= 400 && statusCode < 500) return { kind: 'rejected', statusCode, ...withCode };
  return { kind: 'unknown', statusCode, ...withCode };
}

/** True when the message was certainly not accepted, so sending it again cannot duplicate it. */
export function certainlyNotAccepted(failure: ConnectorFailure): boolean {
  return failure.kind === 'throttled' || failure.kind === 'notAccepted' || failure.kind === 'notSent';
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms / x-ms-retry-after-ms, in milliseconds. */
function retryAfterOf(e: RestErrorLike, now: number = Date.now()): number | undefined {
  const get = e.response?.headers?.get?.bind(e.response.headers);
  if (!get) return undefined;
  for (const header of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const ms = Number(get(header));
    if (get(header) && Number.isFinite(ms) && ms >= 0) return ms;
  }
  const value = get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** One line for logs and `OutboxItem.lastError`; never shown to a user. */
export function describeFailure(failure: ConnectorFailure): string {
  const parts: string[] = [failure.kind];
  if ('statusCode' in failure && failure.statusCode !== undefined) parts.push(String(failure.statusCode));
  if (failure.code) parts.push(failure.code);
  return parts.join(' ');
}
