import type { ConversationReference } from 'botbuilder';
import type { Person } from '../../data/model.js';
import type { ConversationReferenceStore } from '../../data/conversationReferenceStore.js';
import type { TellOutcome } from '../../services/infrastructure/appServices.js';
import type { Logger } from '../../core/logger.js';
import type { NotificationSender, OutboundMessage } from './sender.js';

/**
 * A message to one person of the register in their personal chat with Ansvar, outside any request: the hygiene
 * digest to a coordinator, a handover to the two people concerned. Through the same rate-limited sender as request
 * cards. Best effort: someone who never opened Ansvar (no conversation reference) is 'unreachable', a refused or
 * failed send is 'failed'; both are logged and not retried (request cards, which must arrive, go through the outbox).
 */

export interface PersonMessengerOptions {
  references: Pick<ConversationReferenceStore, 'get'>;
  sender: Pick<NotificationSender, 'send'>;
  /** Person id (e-mail) → conversation reference key, for someone the register has no object id for. */
  personKeyOf: (personId: string) => Promise<string | undefined>;
  logger: Logger;
}

export class PersonMessenger {
  private readonly log: Logger;

  constructor(private readonly options: PersonMessengerOptions) {
    this.log = options.logger.child({ component: 'messenger' });
  }

  async tell(person: Pick<Person, 'id' | 'aadObjectId'>, message: OutboundMessage): Promise<TellOutcome> {
    const reference = await this.referenceOf(person);
    if (!reference) {
      this.log.warn({ recipientId: person.id }, 'no conversation reference: not told');
      return 'unreachable';
    }
    const sent = await this.options.sender.send(reference, message);
    if (sent.status === 'sent') return 'sent';
    this.log.warn({ recipientId: person.id, status: sent.status }, 'message not sent');
    return 'failed';
  }

  private async referenceOf(
    person: Pick<Person, 'id' | 'aadObjectId'>,
  ): Promise<Partial<ConversationReference> | undefined> {
    let key = person.aadObjectId;
    if (key === undefined) {
      try {
        key = await this.options.personKeyOf(person.id);
      } catch (error) {
        this.log.warn({ err: error, recipientId: person.id }, 'no conversation key for the person');
        return undefined;
      }
    }
    if (!key) return undefined;
    return (await this.options.references.get(key)) as Partial<ConversationReference> | undefined;
  }
}
