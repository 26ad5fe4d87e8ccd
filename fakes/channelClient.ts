import type { Activity } from 'botbuilder';

/**
 * The Teams channel's side of `/api/messages` over real HTTP: activities shaped as the channel posts them (a 1:1
 * chat in tenant TEST_TENANT_ID, Swedish client) and `postActivity` to send them. For botbuilder's TestAdapter use
 * test/fixtures/activityBuilder.ts instead.
 */

export const TEST_TENANT_ID = '11111111-2222-3333-4444-555555555555';
export const OTHER_TENANT_ID = '99999999-8888-7777-6666-555555555555';

export interface ChannelActivityOverrides {
  serviceUrl?: string;
  /** `null` leaves the tenant out everywhere. */
  tenantId?: string | null;
  text?: string;
  [field: string]: unknown;
}

let seq = 0;

export function channelMessage(overrides: ChannelActivityOverrides = {}): Activity {
  seq += 1;
  const { serviceUrl, tenantId, text, ...rest } = overrides;
  const tenant = tenantId === null ? undefined : (tenantId ?? TEST_TENANT_ID);
  return {
    type: 'message',
    id: `incoming-${seq}`,
    channelId: 'msteams',
    serviceUrl: serviceUrl ?? 'http://127.0.0.1:9',
    timestamp: new Date().toISOString(),
    locale: 'sv-SE',
    from: { id: '29:user-anna', name: 'Anna Berg', aadObjectId: 'aad-anna' },
    recipient: { id: '28:ansvar-bot', name: 'Ansvar' },
    conversation: {
      id: 'a:conversation-anna',
      conversationType: 'personal',
      ...(tenant === undefined ? {} : { tenantId: tenant }),
    },
    channelData: tenant === undefined ? {} : { tenant: { id: tenant } },
    text: text ?? 'hej',
    textFormat: 'plain',
    ...rest,
  } as unknown as Activity;
}

export function channelInvoke(
  name: string,
  value: unknown,
  overrides: ChannelActivityOverrides = {},
): Activity {
  const message = channelMessage(overrides) as unknown as Record<string, unknown>;
  delete message.text;
  delete message.textFormat;
  return { ...message, type: 'invoke', name, value } as unknown as Activity;
}

/** POSTs `body` (as JSON unless already a string) to `<baseUrl>/api/messages`. */
export async function postActivity(
  baseUrl: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: () => unknown }> {
  const response = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as unknown };
}
