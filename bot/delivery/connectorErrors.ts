import { isAnsvarError } from '../../core/errors.js';

/**
 * What a failed Bot Connector call tells us, read from the error either host's SDK throws:
 * - botbuilder: a RestError from @azure/core-rest-pipeline (`statusCode`, `code` from the error body,
 *   `response.headers.get`, `response.bodyAsText`);
 * - the Microsoft 365 Agents SDK (@microsoft/agents-hosting httpClient.js): an HttpError (`status`,
 *   `response.headers` a fetch Headers, `response.data` the parsed body, `{error: {code, subCode}}` from Teams);
 *   a failed fetch (no answer at all) is undici's TypeError "fetch failed" with the socket error as `cause`
 *   (`cause.code` ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET, ...); and the SDK's own refusals before any request
 *   (a reference without a conversation, a service URL its outbound policy does not allow) carry a numeric `code`
 *   and a `helpLink` (agents-activity ExceptionHelper).
 *
 * The line that matters is "was the message certainly not accepted?". Only then may we send again without risking a
 * duplicate in the user's chat:
 * - 429 (throttled), 412, 502, 504 from the connector: not accepted (Teams' documented retry set);
 * - ECONNREFUSED / ENOTFOUND / EAI_AGAIN: the request never left this machine;
 * - everything else that is not a clear refusal (500, 503, ECONNRESET, a dropped connection, timeouts) is `unknown`:
 *   the connector may have posted the message, so a send is not repeated (an update, a PUT, may be).
 *
 * botbuilder's own pipeline (core-rest-pipeline defaultRetryPolicy, 3 retries) has already run before we see the
 * error: it retries 429/503 only when they carry Retry-After, and 408 and every 5xx except 501/505 with its own
 * exponential backoff, plus ECONNRESET/ETIMEDOUT and similar. So botbuilder itself can duplicate a send after a 5xx
 * or a reset; we cannot switch that off per call, and we add no duplicates of our own on top. The Agents SDK's
 * connector client retries nothing: its failures arrive here first-hand.
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

interface HeadersLike {
  get?: (name: string) => string | undefined | null;
}

/** botbuilder's RestError and the Agents SDK's HttpError / fetch failure, as far as they are read here. */
interface ConnectorErrorLike {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  helpLink?: unknown;
  cause?: { code?: unknown };
  response?: { headers?: HeadersLike; bodyAsText?: unknown; data?: unknown };
}

export function classifyConnectorError(error: unknown): ConnectorFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as ConnectorErrorLike;
  const statusCode = statusOf(e);
  const code = codeOf(e);
  const withCode = code === undefined ? {} : { code };
  if (statusCode === undefined) {
    if (code && NOT_SENT_CODES.has(code)) return { kind: 'notSent', code };
    // Our own outbound guard (botbuilder host) or the Agents SDK's refusal before any request: it will refuse again.
    if (isAnsvarError(error) || isAgentsSdkRefusal(e)) return { kind: 'rejected', ...withCode };
    return { kind: 'unknown', ...withCode };
  }
  if (statusCode === 429) {
    const retryAfterMs = retryAfterOf(e.response?.headers);
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
    const body = bodyOf(e);
    const blocked = BLOCKED_CODES.find((c) => c === code || body.includes(c));
    if (blocked) return { kind: 'blocked', statusCode, code: blocked };
  }
  if (statusCode >= 400 && statusCode < 500) return { kind: 'rejected', statusCode, ...withCode };
  return { kind: 'unknown', statusCode, ...withCode };
}

function statusOf(e: ConnectorErrorLike): number | undefined {
  if (typeof e.statusCode === 'number') return e.statusCode;
  // The Agents SDK's HttpError; `status` alone (without its response) could be anything's.
  return typeof e.status === 'number' && e.response !== undefined ? e.status : undefined;
}

/** botbuilder's error code, the Agents SDK's error body code, or the socket error under a failed fetch. */
function codeOf(e: ConnectorErrorLike): string | undefined {
  if (typeof e.code === 'string') return e.code;
  if (isAgentsSdkRefusal(e)) return String(e.code);
  const data = e.response?.data as { error?: { code?: unknown } } | undefined;
  if (typeof data?.error?.code === 'string') return data.error.code;
  return typeof e.cause?.code === 'string' ? e.cause.code : undefined;
}

function bodyOf(e: ConnectorErrorLike): string {
  if (typeof e.response?.bodyAsText === 'string') return e.response.bodyAsText;
  const data = e.response?.data;
  if (typeof data === 'string') return data;
  return data === undefined ? '' : JSON.stringify(data);
}

/** The Agents SDK's ExceptionHelper errors: a numeric code and a help link, thrown before any request is made. */
function isAgentsSdkRefusal(e: ConnectorErrorLike): boolean {
  return typeof e.code === 'number' && typeof e.helpLink === 'string';
}

/** True when the message was certainly not accepted, so sending it again cannot duplicate it. */
export function certainlyNotAccepted(failure: ConnectorFailure): boolean {
  return failure.kind === 'throttled' || failure.kind === 'notAccepted' || failure.kind === 'notSent';
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms / x-ms-retry-after-ms, in milliseconds. */
function retryAfterOf(headers: HeadersLike | undefined, now: number = Date.now()): number | undefined {
  const get = headers?.get?.bind(headers);
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
