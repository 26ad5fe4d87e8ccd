import type { RegisterStore } from '../../data/registerStore.js';
import type { PendingDownloadStore } from '../../data/pendingDownloadStore.js';
import type { ConversationReferenceStore } from '../../data/conversationReferenceStore.js';
import type { RequestStore } from '../../data/requestStore.js';
import type { Config } from './config.js';
import type { Directory } from '../directory/directory.js';
import type { CatalogueSet } from '../equipment/catalogue.js';
import type { InventoryService } from '../equipment/inventory.js';
import type { HygieneCheck } from '../hygiene/index.js';
import type { RegisterCareService } from '../care/index.js';
import type { Logger } from '../../core/logger.js';
import type { RequestEngine } from '../requests/engine.js';
import type { ReviewService } from '../reviews/reviewService.js';
import type { RegisterView } from '../search/registerView.js';

/** What a message to one person outside any request came to (see bot/delivery/personMessenger.ts). */
export type TellOutcome = 'sent' | 'unreachable' | 'failed';

/** A card with its plain-text summary, as sent to a person's personal chat. */
export interface PersonMessage {
  card: Record<string, unknown>;
  text: string;
}

/** What the composition root (bot/app.ts) hands to the bot: the configured infrastructure, nothing else. */
export interface AppServices {
  config: Config;
  logger: Logger;
  store: RegisterStore;
  directory: Directory;
  /** Injectable clock, so tests can pin "now" (out-of-office windows, validity of roles). */
  now: () => Date;
  /** The register's indexes for its current revision, shared so the process holds one copy. */
  view: RegisterView;
  /** Access and equipment requests (and any kind defined in data): the use cases. */
  requests: RequestEngine;
  /** The equipment catalogue of each organisation. */
  catalogues: CatalogueSet;
  /** Registered equipment: per unit, per person, discarding. */
  inventory: InventoryService;
  /** The register's hygiene check (daily digest and on demand). */
  hygiene: HygieneCheck;
  /** Care of the register in Teams (systems, roles, handovers), audited with each change. */
  care: RegisterCareService;
  /** Access reviews: campaigns per system, decided by its administrator (services/reviews). */
  reviews: ReviewService;
  /** Where requests, their outbox and card copies are kept (the delivery side reads it). */
  requestStore: RequestStore;
  /**
   * Tells one person something in their personal chat with Ansvar, best effort (a handover to the two people it
   * concerns): not retried, and 'unreachable' for someone who never opened Ansvar.
   */
  tell(person: { id: string; aadObjectId?: string }, message: PersonMessage): Promise<TellOutcome>;
  /** Each person's conversation reference, for proactive messages. */
  conversationReferences: ConversationReferenceStore;
  /** Where list downloads wait for the user's file consent; default in memory (one process). */
  pendingDownloads?: PendingDownloadStore;
}
