import type { OutboxItem, Unreachable } from '../../data/requestModel.js';
import type { Logger } from '../../services/logger.js';
import type { RequestEngine } from '../../services/requests/engine.js';
import type { DeliveryOutcome } from './outboxProcessor.js';

const REASONS: Partial<Record<DeliveryOutcome['status'], Unreachable['reason']>> = {
  unreachable: 'noConversation',
  blocked: 'blocked',
  failed: 'failed',
};

/**
 * The outbox processor's `onOutcome` that turns an undeliverable card with buttons ('decide', 'task') into a note on
 * the request (`RequestEngine.noteUnreachable`), which tells the requester whom to contact. Undeliverable 'info' and
 * 'update' items are left alone: the note itself sends both, so reacting to them could loop.
 */
export function noteUndeliverableCards(
  engine: Pick<RequestEngine, 'noteUnreachable'>,
  logger: Logger,
): (item: OutboxItem, outcome: DeliveryOutcome) => Promise<void> {
  const log = logger.child({ component: 'delivery.unreachableNotes' });
  return async (item, outcome) => {
    const reason = REASONS[outcome.status];
    if (reason === undefined || (item.purpose !== 'decide' && item.purpose !== 'task')) return;
    const { changed } = await engine.noteUnreachable({
      requestId: item.requestId,
      personId: item.recipientId,
      reason,
    });
    if (changed) log.info({ requestId: item.requestId, reason }, 'requester told whom to contact');
  };
}
