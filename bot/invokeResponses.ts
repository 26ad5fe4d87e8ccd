import type { AdaptiveCardInvokeResponse, InvokeResponse } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render.js';
import type { Logger } from '../core/logger.js';

/**
 * Every invoke response the bot returns, built here and nowhere else, each checked against the SDK's types. The
 * HTTP status and the body's `statusCode` agree, except the last-resort error, which Teams must receive as HTTP 200
 * to show its message (bot/adapter.ts).
 */

/**
 * The message Teams shows over the card it keeps (`application/vnd.microsoft.activity.message`). The SDK's
 * `AdaptiveCardInvokeResponse` types `value` as an object, while this response carries the text itself.
 */
export type MessageInvokeBody = Omit<AdaptiveCardInvokeResponse, 'value'> & {
  type: 'application/vnd.microsoft.activity.message';
  value: string;
};

/** The codes the bot answers an invoke's error with; the message is always a translated, generic text. */
export type InvokeErrorCode = 'BadRequest' | 'NotSupported';

/** Action.Execute answered with the card that replaces the clicked one. */
export function cardInvokeResponse(card: AdaptiveCard): InvokeResponse<AdaptiveCardInvokeResponse> {
  const body = {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: card,
  } satisfies AdaptiveCardInvokeResponse;
  return { status: 200, body } satisfies InvokeResponse<AdaptiveCardInvokeResponse>;
}

/** Action.Execute answered with a message over the card, which stays as it was (a refusal, a failure). */
export function messageInvokeResponse(text: string): InvokeResponse<MessageInvokeBody> {
  const body = {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: text,
  } satisfies MessageInvokeBody;
  return { status: 200, body } satisfies InvokeResponse<MessageInvokeBody>;
}

/** HTTP 400: a malformed card action, an unknown verb (`BadRequest`) or an invoke the bot does not offer. */
export function errorInvokeResponse(
  code: InvokeErrorCode,
  message: string,
): InvokeResponse<AdaptiveCardInvokeResponse> {
  const body = {
    statusCode: 400,
    type: 'application/vnd.microsoft.error',
    value: { code, message },
  } satisfies AdaptiveCardInvokeResponse;
  return { status: 400, body } satisfies InvokeResponse<AdaptiveCardInvokeResponse>;
}

/**
 * The last resort of `onTurnError` for an invoke that failed before it was answered: HTTP 200 carrying an error
 * body (statusCode 500) with a fixed text, so the client shows an error and no exception text leaves the process.
 */
export function internalErrorInvokeResponse(): InvokeResponse<AdaptiveCardInvokeResponse> {
  const body = {
    statusCode: 500,
    type: 'application/vnd.microsoft.error',
    value: { code: 'InternalError', message: 'The request could not be completed.' },
  } satisfies AdaptiveCardInvokeResponse;
  return { status: 200, body } satisfies InvokeResponse<AdaptiveCardInvokeResponse>;
}

/** What the turn-error handler reads of a turn: the same on botbuilder's TurnContext and the Agents SDK's. */
interface FailedTurn {
  activity: { type?: string; name?: string };
  turnState: { get(key: unknown): unknown; set(key: unknown, value: unknown): unknown };
}

/**
 * Each host adapter's `onTurnError`: logs the failure, and an invoke that has no answer yet gets the fixed 500
 * body (never the SDK's own text). `invokeResponseKey` is the SDK's turn-state key for the invoke response.
 */
export function turnErrorHandler(
  log: Logger,
  invokeResponseKey: unknown,
): (context: FailedTurn, error: unknown) => Promise<void> {
  return async (context, error) => {
    log.error(
      { err: error, activityType: context.activity.type, activityName: context.activity.name },
      'turn failed',
    );
    if (context.activity.type === 'invoke' && !context.turnState.get(invokeResponseKey))
      context.turnState.set(invokeResponseKey, {
        type: 'invokeResponse',
        value: internalErrorInvokeResponse(),
      });
  };
}
