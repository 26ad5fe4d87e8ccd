import { replyForAnswer } from '../../cards/answers.js';
import type { Reply } from '../../cards/cardParts.js';
import { choiceReply } from '../../cards/choiceCard.js';
import { matchItemType } from '../../services/equipment/catalogue.js';
import type { Intent } from '../../services/nlu/intent.js';
import { equipmentForm } from './equipmentStart.js';
import { careMessageReply } from './careMessages.js';
import type { HandlerContext } from './handler.js';
import { hygieneCheckReply } from './hygiene.js';
import { inventoryMessageReply } from './inventory.js';
import { openRequestsReply } from './openRequests.js';
import { requestList } from './requestLists.js';
import { clickerOr } from './requestSupport.js';
import { requestForm } from './requestStart.js';
import { reviewMessageReply } from './reviews.js';

const REQUEST_INTENTS = [
  'requestAccess',
  'requestEquipment',
  'inventory',
  'openRequests',
  'myRequests',
  'awaitingMe',
  'hygieneCheck',
  'reviews',
  'care',
] as const;
export type RequestIntent = Extract<Intent, { kind: (typeof REQUEST_INTENTS)[number] }>;

/**
 * Intents the bot answers through its handlers (requests, equipment, lists of requests, the hygiene check, care of
 * the register) rather than with a ResponsibilityService answer.
 */
export function isRequestIntent(intent: Intent): intent is RequestIntent {
  return (REQUEST_INTENTS as readonly string[]).includes(intent.kind);
}

/**
 * A typed request: "I need access to X" opens the form for X (found as for "who owns": typos, aliases, the
 * asker's organisation first; several systems → the choice card whose buttons open the form; none → the usual
 * no-match card). "stop access for NAME in X" opens it as a stop for NAME (a unique register match is filled in
 * as the e-mail address; anything else as typed, checked on submit). "I need a projector for the conference room"
 * opens the equipment form with the type the catalogue finds, the quantity and the room. "my requests" / "waiting
 * for me" / "open requests" are lists; "what is registered to me" / "what equipment does X have" the inventory.
 */
export async function requestMessageReply(context: HandlerContext, intent: RequestIntent): Promise<Reply> {
  switch (intent.kind) {
    case 'myRequests':
      return requestList(context, 'mine');
    case 'awaitingMe':
      return requestList(context, 'awaiting');
    case 'openRequests':
      return openRequestsReply(context, intent);
    case 'inventory':
      return inventoryMessageReply(context, intent);
    case 'requestEquipment': {
      const { item, quantity, room } = intent;
      // "jag behöver Procapita" names a system, not equipment: the access form, as "I need access to" would.
      const system = item !== undefined ? await systemNamedInstead(context, item) : undefined;
      if (system) return requestForm(context, system);
      return equipmentForm(context, {
        ask: {
          ...(item !== undefined ? { item } : {}),
          ...(quantity !== undefined ? { quantity } : {}),
          ...(room !== undefined ? { room } : {}),
        },
      });
    }
    case 'requestAccess':
      return accessForm(context, intent);
    case 'hygieneCheck':
      return hygieneCheckReply(context, context.hygiene);
    case 'care':
      return careMessageReply(context, intent);
    case 'reviews':
      return reviewMessageReply(context, intent);
  }
}

/**
 * The system id when the words typed as an item are no equipment of the asker's catalogue but exactly the name or
 * an alias of one system (the asker's organisation first); fuzzy hits do not count, so a typo in an item never
 * opens an access form.
 */
async function systemNamedInstead(context: HandlerContext, item: string): Promise<string | undefined> {
  const organisation = await context.organisation();
  if (organisation && matchItemType(context.catalogues.for(organisation.id), item)) return undefined;
  const indexes = await context.responsibility.indexes();
  const found = indexes.systems.findExact(
    item,
    organisation ? { preferOrganisationId: organisation.id } : {},
  );
  return found?.kind === 'one' ? found.hit.item.id : undefined;
}

async function accessForm(
  context: HandlerContext,
  intent: Extract<Intent, { kind: 'requestAccess' }>,
): Promise<Reply> {
  const clicker = await clickerOr(context);
  if ('reply' in clicker) return clicker.reply;
  const language = await context.language();
  const found = await context.responsibility.findSystem(context.asker, intent.system, language);
  if (found.kind === 'choose') return choiceReply({ ...found, opensForm: true });
  if (found.kind === 'noMatch') return replyForAnswer(found);
  let subject = '';
  if (intent.subjectQuery !== undefined) {
    const indexes = await context.responsibility.indexes();
    const organisationId = clicker.identity.organisation?.id ?? found.organisation.id;
    const result = indexes.people.find(intent.subjectQuery, { preferOrganisationId: organisationId });
    subject = result.kind === 'one' ? result.hit.item.email : intent.subjectQuery;
  }
  return requestForm(context, found.system.id, { values: { change: intent.change, subject } });
}
