import { CardFactory, type Activity, type ConversationReference } from 'botbuilder';
import type { Logger } from '../../core/logger.js';
import { systemClock, type Clock } from '../../core/clock.js';
import {
  certainlyNotAccepted,
  classifyConnectorError,
  describeFailure,
  type ConnectorFailure,
} from './connectorErrors.js';
import type { TeamsRateLimiter } from './rateLimiter.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';

/**
 * Sends and updates activities outside a turn (proactively), through the host's adapter (`ProactiveAdapter`:
 * botbuilder's CloudAdapter as it is, the Agents SDK's through bot/delivery/agentsProactive.ts) with a stored
 * conversation reference. Every connector call waits for the rate limiter first (retries included), and is retried
 * here only when the connector proved it did not accept the message (see connectorErrors.ts).
 *
 * Both SDKs shape this the same way: an error thrown inside the proactive logic goes to the adapter's `onTurnError`
 * (which logs and swallows it) instead of to the caller, so the logic catches its own error and the sender rethrows
 * it outside. The proactive turn's activity has an id the SDK generates, so `sendActivity` goes out as a reply to it
 * (POST .../activities/{id}); in a 1:1 chat Teams shows that as a new message.
 */

export interface OutboundMessage {
  /** Plain text (also the notification preview when a card is sent). */
  text?: string;
  /** An Adaptive Card, already rendered. */
  card?: object;
}

export type SendResult =
  | { status: 'sent'; conversationId: string; activityId: string }
  | { status: 'blocked'; failure: ConnectorFailure }
  | { status: 'failed'; failure: ConnectorFailure; message: string };

/** What the outbox processor needs from a sender (tests may fake it). */
export interface NotificationSender {
  send(reference: Partial<ConversationReference>, message: OutboundMessage): Promise<SendResult>;
  /** Replaces activity `activityId` in `conversationId` (a card copy), using `reference` for the service URL. */
  update(
    reference: Partial<ConversationReference>,
    conversationId: string,
    activityId: string,
    message: OutboundMessage,
  ): Promise<SendResult>;
}

/** An activity the sender posts or puts: a message with text, a card, or both. */
export type OutgoingActivity = Partial<Activity> & { type: 'message' };

/** The part of a proactive turn's context the sender uses (botbuilder's TurnContext has this shape). */
export interface ProactiveTurn {
  sendActivity(activity: OutgoingActivity): Promise<{ id?: string } | undefined>;
  updateActivity(activity: OutgoingActivity & { id: string }): Promise<unknown>;
}

/** The part of CloudAdapter the sender uses; one per host (ANSVAR_HOST). */
export interface ProactiveAdapter {
  continueConversationAsync(
    botAppId: string,
    reference: Partial<ConversationReference>,
    logic: (context: ProactiveTurn) => Promise<void>,
  ): Promise<void>;
}

export interface ProactiveSenderOptions {
  adapter: ProactiveAdapter;
  /** MicrosoftAppId; '' in local mode. */
  appId: string;
  limiter: TeamsRateLimiter;
  logger: Logger;
  retryPolicy?: RetryPolicy;
  clock?: Clock;
  random?: () => number;
}

export class ProactiveSender implements NotificationSender {
  private readonly log: Logger;

  constructor(private readonly options: ProactiveSenderOptions) {
    this.log = options.logger.child({ component: 'delivery.sender' });
  }

  send(reference: Partial<ConversationReference>, message: OutboundMessage): Promise<SendResult> {
    return this.call('send', reference, async (context) => {
      const response = await context.sendActivity(toActivity(message));
      return response?.id ?? '';
    });
  }

  update(
    reference: Partial<ConversationReference>,
    conversationId: string,
    activityId: string,
    message: OutboundMessage,
  ): Promise<SendResult> {
    const target = { ...reference, conversation: { ...reference.conversation, id: conversationId } };
    return this.call('update', target as Partial<ConversationReference>, async (context) => {
      // The SDKs' updateActivity applies the turn's reference, so the conversation is `target`'s.
      await context.updateActivity({ ...toActivity(message), id: activityId });
      return activityId;
    });
  }

  private async call(
    operation: 'send' | 'update',
    reference: Partial<ConversationReference>,
    work: (context: ProactiveTurn) => Promise<string>,
  ): Promise<SendResult> {
    const conversationId = reference.conversation?.id;
    if (!conversationId) {
      return {
        status: 'failed',
        failure: { kind: 'rejected' },
        message: 'conversation reference has no conversation id',
      };
    }
    const scope = { conversationId, tenantId: reference.conversation?.tenantId };
    try {
      const activityId = await withRetry(
        async () => {
          await this.options.limiter.acquire(scope);
          return this.once(reference, work);
        },
        {
          policy: this.options.retryPolicy ?? DEFAULT_RETRY_POLICY,
          clock: this.options.clock ?? systemClock,
          random: this.options.random,
          classify: (error) => {
            const failure = classifyConnectorError(error);
            if (!certainlyNotAccepted(failure)) return { retry: false };
            return failure.kind === 'throttled' && failure.retryAfterMs !== undefined
              ? { retry: true, afterMs: failure.retryAfterMs }
              : { retry: true };
          },
          onRetry: ({ attempt, delayMs, error }) =>
            this.log.warn(
              {
                operation,
                conversationId,
                attempt,
                delayMs,
                failure: describeFailure(classifyConnectorError(error)),
              },
              'connector call not accepted; retrying',
            ),
        },
      );
      return { status: 'sent', conversationId, activityId };
    } catch (error) {
      const failure = classifyConnectorError(error);
      if (failure.kind === 'blocked') {
        this.log.warn({ operation, conversationId, code: failure.code }, 'user blocked or removed the app');
        return { status: 'blocked', failure };
      }
      this.log.warn(
        { operation, conversationId, err: error, failure: describeFailure(failure) },
        'connector call failed',
      );
      return { status: 'failed', failure, message: describeFailure(failure) };
    }
  }

  /** One proactive turn; an error from inside the turn is rethrown here (see the class comment). */
  private async once(
    reference: Partial<ConversationReference>,
    work: (context: ProactiveTurn) => Promise<string>,
  ): Promise<string> {
    let outcome: { ok: true; id: string } | { ok: false; error: unknown } | undefined;
    await this.options.adapter.continueConversationAsync(this.options.appId, reference, async (context) => {
      try {
        outcome = { ok: true, id: await work(context) };
      } catch (error) {
        outcome = { ok: false, error };
      }
    });
    if (!outcome) throw new Error('proactive turn ended without running its logic');
    if (!outcome.ok) throw outcome.error;
    return outcome.id;
  }
}

function toActivity(message: OutboundMessage): OutgoingActivity {
  const activity: OutgoingActivity = { type: 'message' };
  if (message.text !== undefined) {
    activity.text = message.text;
    activity.textFormat = 'plain';
  }
  if (message.card !== undefined) activity.attachments = [CardFactory.adaptiveCard(message.card)];
  return activity;
}
