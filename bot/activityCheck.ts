import { z } from 'zod';

/**
 * The shape of an inbound activity, checked at the door (bot/http.ts) before authentication and before any handler
 * runs: every field a handler (ours or botbuilder's) reads is checked for type and length, per activity type, so
 * malformed input is answered 400 and never fails deep inside a handler. Fields nobody reads pass through untouched.
 *
 * Optional fields may be absent but not null: botbuilder tests several of them with `!== undefined` only (entities)
 * or reads into them unguarded (channelData of message updates), and the channel omits empty fields.
 */

const ID_MAX = 1024;
const NAME_MAX = 1024;
/** Teams caps a message at about 28 KB of text. */
const TEXT_MAX = 40_000;

/** Ids travel in URLs and HTTP headers of replies (x-ms-conversation-id): printable ASCII only, as the channel's ids are. */
const headerSafeId = z
  .string()
  .min(1)
  .max(ID_MAX)
  .regex(/^[\x20-\x7e]+$/, 'printable ASCII');

const optional = <T extends z.ZodType>(schema: T) => schema.optional();
const text = (max: number) => z.string().max(max);

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}, 'an http(s) URL');

const dateTime = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'a date-time');

const account = z.looseObject({
  id: text(ID_MAX),
  name: optional(text(NAME_MAX)),
  aadObjectId: optional(text(256)),
  role: optional(text(64)),
});

const channelData = z.looseObject({
  tenant: optional(z.looseObject({ id: optional(text(256)) })),
  eventType: optional(text(128)),
});

/** What every activity carries: the conversation, who sent it, where to answer. */
const base = z.looseObject({
  type: z.string().min(1).max(64),
  id: optional(headerSafeId),
  serviceUrl: httpUrl,
  channelId: optional(text(64)),
  timestamp: optional(dateTime),
  localTimestamp: optional(dateTime),
  expiration: optional(dateTime),
  locale: optional(text(64)),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: headerSafeId,
    tenantId: optional(text(256)),
    conversationType: optional(text(64)),
    isGroup: optional(z.boolean()),
  }),
  channelData: optional(channelData),
  // TurnContext.removeRecipientMention reads `type`, `mentioned.id` and `text` of each entity.
  entities: optional(
    z
      .array(
        z
          .looseObject({
            type: text(256),
            mentioned: optional(z.looseObject({ id: text(ID_MAX) })),
            text: optional(text(TEXT_MAX)),
          })
          .refine(
            (e) => e.type.toLowerCase() !== 'mention' || e.mentioned !== undefined,
            'a mention names whom it mentions',
          ),
      )
      .max(100),
  ),
  attachments: optional(z.array(z.looseObject({ contentType: optional(text(256)) })).max(20)),
  replyToId: optional(headerSafeId),
});

const message = base.extend({
  text: optional(text(TEXT_MAX)),
  textFormat: optional(text(32)),
  // A card's Action.Submit data: checked by the handler against its verb.
  value: z.unknown().optional(),
});

/** `value` of fileConsent/invoke, as botbuilder's TeamsActivityHandler and bot/fileConsent.ts read it. */
const fileConsentValue = z.looseObject({
  action: z.enum(['accept', 'decline']),
  context: optional(z.record(z.string(), z.unknown())),
  uploadInfo: optional(
    z.looseObject({
      name: optional(text(NAME_MAX)),
      uploadUrl: optional(text(4096)),
      contentUrl: optional(text(4096)),
      uniqueId: optional(text(ID_MAX)),
      fileType: optional(text(64)),
    }),
  ),
});

const invoke = base.extend({
  name: z.string().min(1).max(256),
  value: z.unknown().optional(),
});

const membersUpdate = base.extend({
  membersAdded: optional(z.array(account).max(1000)),
  membersRemoved: optional(z.array(account).max(1000)),
});

const installationUpdate = base.extend({ action: optional(text(64)) });

const reaction = z.looseObject({ type: text(64) });
const messageReaction = base.extend({
  reactionsAdded: optional(z.array(reaction).max(100)),
  reactionsRemoved: optional(z.array(reaction).max(100)),
});

/** botbuilder's Teams handler reads `channelData.eventType` of these without a guard. */
const messageChange = base.extend({ channelData });

const BY_TYPE: Record<string, z.ZodType> = {
  messageUpdate: messageChange,
  messageDelete: messageChange,
  message,
  invoke,
  conversationUpdate: membersUpdate,
  installationUpdate,
  messageReaction,
};

export type ActivityCheck =
  { ok: true; activity: Record<string, unknown> } | { ok: false; problems: string[] };

/**
 * Checks `body` as an activity of its type (other types: the common fields only). One parse: a type's own schema
 * extends the common fields, so they are checked once, not once alone and again with the type's fields (every
 * message came through zod twice).
 */
export function checkActivity(body: unknown): ActivityCheck {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  // Own keys only: a type named like an Object.prototype member ("constructor") is no schema.
  const schema = typeof type === 'string' && Object.hasOwn(BY_TYPE, type) ? BY_TYPE[type]! : base;
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, problems: describe(parsed.error) };
  const activity = parsed.data as Record<string, unknown>;
  if (activity.type === 'invoke' && activity.name === 'fileConsent/invoke') {
    const consent = fileConsentValue.safeParse(activity.value);
    if (!consent.success) return { ok: false, problems: describe(consent.error, 'value') };
  }
  return { ok: true, activity };
}

function describe(error: z.ZodError, prefix?: string): string[] {
  return error.issues
    .slice(0, 5)
    .map((i) => `${[...(prefix ? [prefix] : []), ...i.path.map(String)].join('.')}: ${i.message}`);
}
