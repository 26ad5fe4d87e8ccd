import { requestReply } from '../../cards/requestCard.js';
import { requestNamesFrom } from '../../cards/requestText.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import type { RenderNotification } from './outboxProcessor.js';

/**
 * What an outbox item shows its recipient: the request card as that person should see it now (their buttons for
 * the current state, none once decided), with its plain-text summary. A proactive message carries no locale of
 * the recipient's, so the language is their organisation's (a Nynorsk organisation's approver gets Nynorsk).
 * The request is reloaded: an item written at version 3 of a request now at version 5 shows version 5.
 */
export function requestNotificationRenderer(
  services: Pick<AppServices, 'requests' | 'view' | 'catalogues'>,
): RenderNotification {
  return async (item) => {
    const request = await services.requests.get(item.requestId);
    if (!request) return undefined;
    const indexes = await services.view.current();
    const recipient = indexes.people.get(item.recipientId);
    const organisation =
      indexes.organisations.get(recipient?.organisationId ?? request.organisationId) ??
      indexes.organisations.get(request.organisationId);
    const reply = requestReply(request, { personId: item.recipientId }, organisation?.language ?? 'en', {
      names: requestNamesFrom(indexes, services.catalogues),
    });
    return { card: reply.card, text: reply.summary };
  };
}
