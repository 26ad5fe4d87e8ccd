import type { CloudAdapter } from '@microsoft/agents-hosting';
import type { Activity, ConversationReference as AgentsReference } from '@microsoft/agents-activity';
import type { OutgoingActivity, ProactiveAdapter } from './sender.js';

/**
 * The sender's adapter (sender.ts `ProactiveAdapter`) on the Microsoft 365 Agents SDK: `continueConversation` on the
 * Agents host's own CloudAdapter (bot/agentsAdapter.ts), so proactive sends and card updates go through the SDK's
 * connector client and token provider, not botbuilder's.
 *
 * What differs from botbuilder and is bridged here:
 * - the stored references are botbuilder's (recorded by either host, data/ keeps them as they are): the bot's account
 *   is `bot` there and `agent` in the SDK, which makes it the `from` of what is sent; and botbuilder keeps empty
 *   strings the SDK's schema refuses;
 * - the SDK requires an app id or an identity; in local mode there is no app id, and an identity without an audience
 *   is the SDK's anonymous path (no token; the adapter's URL policy still allows loopback service URLs only);
 * - the SDK's context is typed for its own `Activity` class, but builds one from whatever it is given
 *   (`Activity.fromObject` in TurnContext.sendActivities and updateActivity), so the sender's plain activity is passed
 *   as it is: building the class here would validate every card twice.
 * Its connector client has no retry of its own (plain fetch): every failure reaches the sender's classification
 * (connectorErrors.ts) as it happened.
 */
export function agentsProactive(adapter: CloudAdapter): ProactiveAdapter {
  return {
    continueConversationAsync: (botAppId, reference, logic) =>
      adapter.continueConversation(botAppId || {}, toAgentsReference(reference), (context) =>
        logic({
          sendActivity: (activity) => context.sendActivity(asSdkActivity(activity)),
          updateActivity: (activity) => context.updateActivity(asSdkActivity(activity)),
        }),
      ),
  };
}

function toAgentsReference(reference: Parameters<ProactiveAdapter['continueConversationAsync']>[1]) {
  const { bot, user, conversation, ...rest } = reference;
  // The SDK checks the service URL and the conversation id itself (and throws before any call).
  return {
    ...rest,
    agent: withoutEmptyStrings(bot),
    user: withoutEmptyStrings(user),
    conversation: withoutEmptyStrings(conversation),
  } as AgentsReference;
}

/**
 * The account without its empty fields: botbuilder keeps e.g. a conversation `name: ''` as it came, the SDK's schema
 * refuses an empty name or id (an absent one is fine).
 */
function withoutEmptyStrings<T extends object>(account: T | undefined): T | undefined {
  if (account === undefined) return undefined;
  return Object.fromEntries(Object.entries(account).filter(([, value]) => value !== '')) as T;
}

/** The sender's plain activity where the SDK's types want its class (see above: the SDK converts it itself). */
function asSdkActivity(activity: OutgoingActivity): Activity {
  return activity as unknown as Activity;
}
