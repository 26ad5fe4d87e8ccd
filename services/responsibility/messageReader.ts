import type { Language } from '../../data/model.js';
import type { Logger } from '../../core/logger.js';
import { matchItemType, type CatalogueSet } from '../equipment/catalogue.js';
import type { DidYouMean, Understanding } from '../nlu/intent.js';
import { resolveLanguage } from '../nlu/language.js';
import { readMessage, type ReadingContext } from '../nlu/reader.js';
import type { Asker } from './answers.js';
import { questionOf, sameReading } from './didYouMean.js';
import type { RegisterQueries } from './registerQueries.js';

/** A message read once: what it asks, and the language to answer it in. */
export interface Understood {
  understanding: Understanding;
  language: Language;
}

interface Deps {
  register: RegisterQueries;
  logger: Logger;
  /** The equipment catalogues, so "I need a projector" reads as equipment in the asker's organisation. */
  catalogues?: CatalogueSet;
  /** The app's clock (AppServices.now): a month without a year is read against it. */
  now?: () => Date;
}

/**
 * "jag slutar som superanvändare i X": the writer's own role ended, named by their e-mail so the care handler finds
 * them as it finds any person typed. Someone the register does not know holds no role: asked who holds it instead.
 */
function ownRole(understanding: Understanding, email: string | undefined): Understanding {
  const intent = understanding.intent;
  if (intent.kind !== 'care' || intent.action !== 'endRole' || intent.self !== true) return understanding;
  if (email !== undefined) return { ...understanding, intent: { ...intent, personQuery: email } };
  const { system } = intent;
  return { ...understanding, intent: { kind: 'whoOwns', focus: intent.role, ...system } };
}

/** Reads each message of a turn once, before any handler runs. */
export class MessageReader {
  constructor(private readonly deps: Deps) {}

  /**
   * What a message asks, read against the register (services/nlu/reader.ts: the systems, people, units and
   * organisations it names, the asker's organisation preferred for names several share), and the language its
   * answer is in (`resolveLanguage`: the message's own words, the language the asker last wrote, the Teams locale,
   * the organisation's language).
   */
  async understand(asker: Asker, text: string): Promise<Understood> {
    const { indexes, context, where } = await this.reading(asker);
    const understanding = ownRole(readMessage(text, indexes, where), context.person?.email);
    const language = resolveLanguage(
      understanding.language,
      asker.locale,
      context.organisation?.language,
      understanding.norwegian,
      asker.recentLanguage,
    );
    this.deps.logger.debug({ intent: understanding.intent.kind, language }, 'question understood');
    return { understanding, language };
  }

  /**
   * The questions of a "did you mean" (services/nlu/didYouMean.ts), best first, in `language`: each reading's
   * question (didYouMean.ts), kept only when reading it back gives that reading, so a button that sends it does
   * what it says. Empty when none reads back.
   */
  async didYouMean(asker: Asker, intent: DidYouMean, language: Language): Promise<string[]> {
    const { indexes, context, where } = await this.reading(asker);
    const questions: string[] = [];
    for (const reading of intent.readings) {
      const question = questionOf(reading, language, context.organisation);
      if (question === undefined || questions.includes(question)) continue;
      const again = readMessage(question, indexes, where).intent;
      if (again.kind !== 'didYouMean' && sameReading(reading, again)) questions.push(question);
    }
    return questions;
  }

  /** The register and what a reading knows of the asker: their organisation and its equipment catalogue. */
  private async reading(asker: Asker) {
    const indexes = await this.deps.register.snapshot();
    const context = await this.deps.register.asker(asker, indexes);
    const homeOrganisationId = context.organisation?.id;
    const where: ReadingContext = {};
    if (homeOrganisationId !== undefined) where.homeOrganisationId = homeOrganisationId;
    if (this.deps.now) where.now = this.deps.now();
    const catalogues = this.deps.catalogues;
    if (catalogues && homeOrganisationId !== undefined) {
      const catalogue = catalogues.for(homeOrganisationId);
      where.isEquipment = (words) => matchItemType(catalogue, words) !== undefined;
    }
    return { indexes, context, where };
  }
}
