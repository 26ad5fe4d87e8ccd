import type { z } from 'zod';
import type { Reply } from '../../cards/answerCards.js';
import type { Language, Organisation } from '../../data/model.js';
import type { Asker } from '../../services/answers.js';
import { AnsvarError } from '../../services/errors.js';
import type { RequestEngine } from '../../services/requests/engine.js';
import type { AskerIdentity, ResponsibilityService } from '../../services/responsibility.js';

/** What a verb handler may use: who clicked, the services, and the answer language. Nothing from botbuilder. */
export interface HandlerContext {
  asker: Asker;
  responsibility: ResponsibilityService;
  /** The asker's organisation, looked up once per turn. */
  organisation(): Promise<Organisation | undefined>;
  /** The language to answer in, resolved once per turn. */
  language(): Promise<Language>;
  /** Access requests: the use cases. */
  requests: RequestEngine;
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
