import { randomUUID } from 'node:crypto';

/**
 * The Teams activities the benchmark sends: what the channel posts for a 1:1 chat message, and for a click on a
 * card button (fields the bot reads).
 */

export interface MessageFields {
  serviceUrl: string;
  tenantId?: string;
  aadObjectId?: string;
  conversationId: string;
  text: string;
}

let seq = 0;

export function teamsMessage(fields: MessageFields): Record<string, unknown> {
  seq += 1;
  return {
    type: 'message',
    id: `bench-${seq}`,
    channelId: 'msteams',
    serviceUrl: fields.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'sv-SE',
    from: {
      id: '29:bench-user',
      name: 'Bench User',
      ...(fields.aadObjectId ? { aadObjectId: fields.aadObjectId } : {}),
    },
    recipient: { id: '28:ansvar-bot', name: 'Ansvar' },
    conversation: {
      id: fields.conversationId,
      conversationType: 'personal',
      ...(fields.tenantId ? { tenantId: fields.tenantId } : {}),
    },
    channelData: fields.tenantId ? { tenant: { id: fields.tenantId } } : {},
    text: fields.text,
    textFormat: 'plain',
  };
}

export interface CardClickFields {
  serviceUrl: string;
  tenantId: string;
  from: { id: string; name: string; aadObjectId: string };
  conversationId: string;
  verb: string;
  data: object;
}

/** An Action.Execute button on a card (an `adaptiveCard/action` invoke) clicked in a 1:1 chat. */
export function cardClick(fields: CardClickFields): Record<string, unknown> {
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `bench-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: fields.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'sv-SE',
    from: fields.from,
    recipient: { id: '28:ansvar-bot', name: 'Ansvar' },
    conversation: { id: fields.conversationId, conversationType: 'personal', tenantId: fields.tenantId },
    channelData: { tenant: { id: fields.tenantId } },
    value: { action: { type: 'Action.Execute', verb: fields.verb, data: fields.data } },
  };
}
