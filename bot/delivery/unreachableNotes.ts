import type { Unreachable } from '../../data/requestModel.js';
import type { Logger } from '../../core/logger.js';
import type { RequestEngine } from '../../services/requests/engine.js';
import type { DeliveryOutcome, ItemOutcome } from './outboxProcessor.js';

const REASONS: Partial<Record<DeliveryOutcome['status'], Unreachable['reason']>> = {
  unreachable: 'noConversation',
  blocked: 'blocked',
  failed: 'failed',
};

/**
 * The outbox processor's `onOutcomes` that turns undeliverable cards with buttons ('decide', 'task') into notes on
 * their requests (`RequestEngine.noteUnreachableMany`), which tell the requester whom to contact: one change per
 * request for all of its people in the batch (the five people of an IT unit who never opened Ansvar make one note
 * and one message to the requester, not five). Undeliverable 'info' and 'update' items are left alone: the note
 * itself sends both, so reacting to them could loop. A failed note is logged; the others are still made.
 */
export function noteUndeliverableCards(
  engine: Pick<RequestEngine, 'noteUnreachableMany'>,
  logger: Logger,
): (results: ItemOutcome[]) => Promise<void> {
  const log = logger.child({ component: 'delivery.unreachableNotes' });
  return async (results) => {
    const byRequest = new Map<string, Array<{ personId: string; reason: Unreachable['reason'] }>>();
    for (const { item, outcome } of results) {
      const reason = REASONS[outcome.status];
      if (reason === undefined || (item.purpose !== 'decide' && item.purpose !== 'task')) continue;
      const people = byRequest.get(item.requestId) ?? [];
      people.push({ personId: item.recipientId, reason });
      byRequest.set(item.requestId, people);
    }
    for (const [requestId, people] of byRequest) {
      try {
        const { changed } = await engine.noteUnreachableMany({ requestId, people });
        if (changed) log.info({ requestId, people: people.length }, 'requester told whom to contact');
      } catch (error) {
        log.error({ err: error, requestId }, 'could not note unreachable people on the request');
      }
    }
  };
}
