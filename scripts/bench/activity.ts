/** The Teams message the benchmark sends: what the channel posts for a 1:1 chat message (fields the bot reads). */

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
