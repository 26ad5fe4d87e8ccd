import type { z } from 'zod';
import type { Reply } from '../../cards/cardParts.js';
import type { Language, Organisation } from '../../data/model.js';
import type { Asker } from '../../services/responsibility/answers.js';
import type { AppServices } from '../../services/infrastructure/appServices.js';
import { AnsvarError } from '../../core/errors.js';
import type { CatalogueSet } from '../../services/equipment/catalogue.js';
import type { InventoryService } from '../../services/equipment/inventory.js';
import type { HygieneCheck } from '../../services/hygiene/index.js';
import type { RegisterCareService } from '../../services/care/index.js';
import type { ReviewService } from '../../services/reviews/reviewService.js';
import type { RequestEngine } from '../../services/requests/engine.js';
import type { AskerIdentity, ResponsibilityService } from '../../services/responsibility/index.js';
import type { RegisterQueries } from '../../services/responsibility/registerQueries.js';

/** What a verb handler may use: who clicked, the services, and the answer language. Nothing from botbuilder. */
export interface HandlerContext {
  asker: Asker;
  responsibility: ResponsibilityService;
  /** Questions about the register (systems, people, units, names); handlers never read its indexes. */
  register: RegisterQueries;
  /** The asker's organisation, looked up once per turn. */
  organisation(): Promise<Organisation | undefined>;
  /** The language to answer in, resolved once per turn. */
  language(): Promise<Language>;
  /** Requests of every kind: the use cases. */
  requests: RequestEngine;
  /** The equipment catalogue of each organisation. */
  catalogues: CatalogueSet;
  /** Registered equipment. */
  inventory: InventoryService;
  /** The register's hygiene check (on demand). */
  hygiene: HygieneCheck;
  /** Care of the register in Teams: systems, roles, handovers. */
  care: RegisterCareService;
  /** Access reviews. */
  reviews: ReviewService;
  /** Tells another person something in their personal chat (best effort). */
  tell: AppServices['tell'];
  /** The injectable clock (AppServices.now). */
  now: () => Date;
  /** Who the asker is (register, else directory), from `from.aadObjectId` only; looked up once per turn. */
  identity(): Promise<AskerIdentity | undefined>;
}

/** One card action. `rawData` is the untrusted action data (ids only); the handler validates it before use. */
export interface VerbHandler {
  handle(context: HandlerContext, rawData: unknown): Promise<Reply>;
}

/**
 * A handler whose data is checked against `schema` first. Malformed data throws AnsvarError('InvalidActivity'),
 * which bot/ turns into a 400 invoke response; unknown keys are dropped, so only the ids a handler names reach it.
 */
export function defineHandler<S extends z.ZodType>(
  schema: S,
  run: (context: HandlerContext, data: z.output<S>) => Promise<Reply>,
): VerbHandler {
  return {
    async handle(context, rawData) {
      const parsed = schema.safeParse(rawData);
      if (!parsed.success) {
        throw new AnsvarError('InvalidActivity', 'card action data does not match the verb', {
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code })),
        });
      }
      return run(context, parsed.data);
    },
  };
}
