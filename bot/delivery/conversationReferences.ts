import { ActivityTypes, TurnContext, type Activity } from 'botbuilder';
import type { ConversationReferenceStore } from '../../data/conversationReferenceStore.js';
import type { Directory } from '../../services/directory/directory.js';
import { isAnsvarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Bot } from '../pipeline.js';

/**
 * Keeps each user's conversation reference from their install or from any message in their personal chat with the
 * bot, so notifications can reach them later. Key: the user's Entra object id (`from.aadObjectId`), which is what
 * an activity proves about the user; the outbox names people by e-mail, so the processor maps person id → object id
 * with `directoryPersonKey`.
 *
 * Only personal (1:1) conversations are kept: a proactive card for one approver must never land in a group chat or a
 * channel. An uninstall (`installationUpdate` remove) is not stored. The tenant allow-list has already run (bot/http.ts),
 * so only references from allowed tenants are kept. The reference is written only when it changed (kept in memory
 * per process, bounded), so a chatty user does not cause a durable write per message. Storing never fails the turn.
 */

const REMEMBERED_LIMIT = 10_000;

export interface ConversationReferenceRecorderOptions {
  logger: Logger;
  /** Called after a new or changed reference is stored (wake the outbox processor). */
  onStored?: (personKey: string) => void;
}

export class ConversationReferenceRecorder {
  private readonly known = new Map<string, string>();
  private readonly log: Logger;

  constructor(
    private readonly store: ConversationReferenceStore,
    private readonly options: ConversationReferenceRecorderOptions,
  ) {
    this.log = options.logger.child({ component: 'delivery.references' });
  }

  async remember(context: TurnContext): Promise<void> {
    const { activity } = context;
    const personKey = personKeyOfActivity(activity);
    if (!personKey || !worthKeeping(activity)) return;
    // Without the activity id: it changes with every message and would make each one a durable write.
    const reference = { ...TurnContext.getConversationReference(activity), activityId: undefined };
    const serialised = JSON.stringify(reference);
    if (this.known.get(personKey) === serialised) return;
    try {
      await this.store.set(personKey, JSON.parse(serialised) as Record<string, unknown>);
    } catch (error) {
      // A full disk is reported once by the app; each reference it could not store is a warning.
      this.log[isAnsvarError(error, 'NotSaved') ? 'warn' : 'error'](
        { err: error, personKey },
        'could not store the conversation reference',
      );
      return;
    }
    this.known.delete(personKey);
    this.known.set(personKey, serialised);
    if (this.known.size > REMEMBERED_LIMIT) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.log.info({ personKey, conversationId: reference.conversation?.id }, 'conversation reference stored');
    this.options.onStored?.(personKey);
  }
}

/** The bot with the recorder in front: the reference is stored before the turn runs. */
export function withConversationReferences(bot: Bot, recorder: ConversationReferenceRecorder): Bot {
  return {
    async run(context) {
      await recorder.remember(context);
      await bot.run(context);
    },
  };
}

export function personKeyOfActivity(activity: Partial<Activity>): string | undefined {
  const id = activity.from?.aadObjectId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}

/** Person id (e-mail/UPN) → the key references are stored under, via the directory (cached there). */
export function directoryPersonKey(
  directory: Pick<Directory, 'findByUpn'>,
): (personId: string) => Promise<string | undefined> {
  return async (personId) => (await directory.findByUpn(personId.trim().toLowerCase()))?.id;
}

function worthKeeping(activity: Partial<Activity>): boolean {
  if (activity.conversation?.conversationType !== 'personal') return false;
  if (!activity.serviceUrl || !activity.conversation.id) return false;
  switch (activity.type) {
    case ActivityTypes.Message:
    case ActivityTypes.ConversationUpdate:
    case ActivityTypes.Invoke:
      return true;
    case ActivityTypes.InstallationUpdate:
      return activity.action === undefined || activity.action.startsWith('add');
    default:
      return false;
  }
}
