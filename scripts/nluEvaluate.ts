import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { MemoryRegisterStore } from '../data/memory/memoryRegisterStore.js';
import type { Language } from '../data/model.js';
import type { Answer, Asker } from '../services/responsibility/answers.js';
import { LocalDirectory } from '../services/directory/localDirectory.js';
import { loadCatalogues, matchItemType, type CatalogueSet } from '../services/equipment/catalogue.js';
import type { Intent, Scope, Understanding } from '../services/nlu/intent.js';
import { resolveLanguage } from '../services/nlu/language.js';
import { LanguageMemory } from '../services/nlu/languageMemory.js';
import { loadSampleRegister } from '../services/register/importer.js';
import { ResponsibilityService } from '../services/responsibility/index.js';

/**
 * The paraphrase corpus (test/services/nlu/corpus, format in its README) run end to end against the sample
 * register: each message is read and answered by the real ResponsibilityService over the imported data/sample, as
 * the bot does (the asker's organisation, Teams locale and the language the person last wrote, from "before").
 * Messages the bot answers through its request handlers (access and equipment requests, lists of requests, care)
 * are judged by what the handler is given: the intent and the system, person, unit or catalogue type the same
 * service finds for it. Used by `npm run nlu:report` and by test/services/nlu/corpus.test.ts.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = path.join(ROOT, 'test/services/nlu/corpus');
export const CORPUS_PARTS = ['development', 'heldout'] as const;
export type CorpusPart = (typeof CORPUS_PARTS)[number];

export interface CorpusItem {
  id: string;
  text: string;
  asker: string;
  locale?: string;
  before?: string[];
  lang: Language;
  expect: Record<string, unknown> & { intent: string };
}

/** What the user got, in the corpus's terms. */
export type Outcome = Record<string, unknown> & { intent: string; lang: Language };

export interface ItemResult {
  item: CorpusItem;
  outcome: Outcome;
  right: boolean;
  /** A system answer about another system than the one asked about: the worst error. */
  wrongOwner: boolean;
  /** Which expected fields differed (intent, lang, system, ...). */
  mismatches: string[];
}

export function readCorpus(part: CorpusPart): CorpusItem[] | undefined {
  const file = path.join(CORPUS_DIR, `${part}.jsonl`);
  if (!fs.existsSync(file)) return undefined;
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusItem);
}

export interface Evaluator {
  evaluate(item: CorpusItem): Promise<ItemResult>;
}

const REQUEST_KINDS = new Set([
  'requestAccess',
  'requestEquipment',
  'inventory',
  'openRequests',
  'myRequests',
  'awaitingMe',
  'hygieneCheck',
  'care',
]);

/** The service over the sample register, the catalogues, and the askers of people.csv by e-mail. */
export async function createEvaluator(): Promise<Evaluator> {
  const store = new MemoryRegisterStore();
  await loadSampleRegister(store, path.join(ROOT, 'data/sample'));
  const snapshot = await store.snapshot();
  const catalogues = await loadCatalogues(path.join(ROOT, 'data/catalogues'));
  const service = new ResponsibilityService({
    store,
    directory: new LocalDirectory(store, {
      statusFile: path.join(ROOT, 'data/sample/directory-status.json'),
    }),
    now: () => new Date('2026-01-15T10:00:00Z'),
    logger: pino({ level: 'silent' }),
    catalogues,
  });
  const organisations = new Map(snapshot.organisations.map((o) => [o.id, o]));
  const people = new Map(snapshot.people.map((p) => [p.email.toLowerCase(), p]));

  return {
    async evaluate(item) {
      const person = people.get(item.asker.toLowerCase());
      const organisation = person?.organisationId ? organisations.get(person.organisationId) : undefined;
      const locale = item.locale ?? (organisation?.language === 'sv' ? 'sv-SE' : 'nn-NO');
      const asker: Asker = { locale };
      if (person?.aadObjectId) asker.aadObjectId = person.aadObjectId;
      if (organisation?.tenantId) asker.tenantId = organisation.tenantId;
      // The bot's language memory, fed with the person's earlier messages as the bot would have been.
      const memory = new LanguageMemory();
      for (const earlier of item.before ?? []) {
        const read = await service.reader.understand(asker, earlier);
        memory.remember(asker.aadObjectId, read.understanding.language);
      }
      const recent = memory.get(asker.aadObjectId);
      const turnAsker: Asker = recent ? { ...asker, recentLanguage: recent } : asker;
      return judge(item, await outcomeOf(turnAsker, item.text, organisation));
    },
  };

  /**
   * What the user gets for `text`. A "did you mean" is judged by its first button, which asks its question as if
   * typed: the outcome is that question's, marked `didYouMean` (see `judge`).
   */
  async function outcomeOf(
    turnAsker: Asker,
    text: string,
    organisation: { id: string; language: Language } | undefined,
  ): Promise<Outcome> {
    const { understanding } = await service.reader.understand(turnAsker, text);
    if (understanding.intent.kind === 'didYouMean') {
      const answer = await service.ask(turnAsker, text);
      if (answer.kind === 'didYouMean') {
        const first = await outcomeOf(turnAsker, answer.questions[0]!, organisation);
        return { ...first, didYouMean: answer.questions.length };
      }
      return answerOutcome(answer, understanding.intent);
    }
    const outcome = REQUEST_KINDS.has(understanding.intent.kind)
      ? await requestOutcome(
          service,
          catalogues,
          turnAsker,
          understanding,
          organisation?.language,
          organisation?.id,
        )
      : answerOutcome(await service.ask(turnAsker, text), understanding.intent);
    // A list refused to someone who may not read it still shows which unit was understood.
    const intent = understanding.intent;
    if (intent.kind === 'systemList' && intent.unit && outcome.unit === undefined) {
      const unit = await service.findUnit(turnAsker, intent.unit);
      outcome.unit = unit?.name ?? intent.unit.fullQuery;
    }
    if (intent.kind === 'organisationRole' && intent.scope && outcome.unit === undefined) {
      const unit = await service.findUnit(turnAsker, intent.scope);
      if (unit) outcome.unit = unit.name;
    }
    return outcome;
  }
}

function answerOutcome(answer: Answer, intent: Intent): Outcome {
  const lang = answer.language;
  switch (answer.kind) {
    case 'system': {
      const outcome: Outcome = {
        intent: 'whoOwns',
        lang,
        system: answer.system.name,
        organisation: answer.organisation.name,
        focus: answer.focus,
      };
      if (answer.asOf !== undefined) outcome.at = answer.asOf;
      return outcome;
    }
    case 'choose':
      return { intent: 'choose', lang, systems: answer.candidates.map((c) => c.system.name) };
    case 'noMatch':
      return { intent: 'noMatch', lang, query: answer.query };
    case 'organisationRole': {
      const outcome: Outcome = { intent: 'organisationRole', lang, role: answer.role };
      if (answer.unit) outcome.unit = answer.unit.name;
      if (answer.organisation) outcome.organisation = answer.organisation.name;
      return outcome;
    }
    case 'personRoles':
      return answer.self
        ? { intent: 'rolesOf', lang, self: true, person: answer.person.name }
        : { intent: 'rolesOf', lang, person: answer.person.name };
    case 'unknownPerson':
      return { intent: 'unknownPerson', lang, query: answer.query };
    case 'systemList': {
      const outcome: Outcome = { intent: 'systemList', lang, list: answer.list };
      if (answer.unit) outcome.unit = answer.unit.name;
      return outcome;
    }
    case 'help':
      // A greeting from a known person is answered with the help card too; the intent says which it was.
      return { intent: intent.kind === 'greeting' ? 'greeting' : 'help', lang };
    case 'welcome':
      return { intent: 'greeting', lang };
    case 'didYouMean':
      // Judged by its first question in `outcomeOf`; never reached.
      return { intent: 'didYouMean', lang };
  }
}

async function systemName(
  service: ResponsibilityService,
  asker: Asker,
  scope: Scope,
  language: Language,
): Promise<Record<string, unknown>> {
  const found = await service.findSystem(asker, scope, language);
  if (found.kind === 'one') return { system: found.system.name };
  if (found.kind === 'choose') return { choose: found.candidates.map((c) => c.system.name) };
  return { system: undefined, noMatch: found.query };
}

async function personName(service: ResponsibilityService, query: string): Promise<string> {
  const indexes = await service.register.snapshot();
  const bare = query.replace(/(?<=\p{L}{3})s$/u, '');
  for (const q of [query, bare]) {
    const found = indexes.people.find(q);
    if (found.kind === 'one') return found.hit.item.name;
  }
  return query;
}

async function requestOutcome(
  service: ResponsibilityService,
  catalogues: CatalogueSet,
  asker: Asker,
  understanding: Understanding,
  organisationLanguage: Language | undefined,
  organisationId: string | undefined,
): Promise<Outcome> {
  const lang = resolveLanguage(
    understanding.language,
    asker.locale,
    organisationLanguage,
    understanding.norwegian,
    asker.recentLanguage,
  );
  const intent = understanding.intent;
  switch (intent.kind) {
    case 'requestAccess': {
      const found = await systemName(service, asker, intent.system, lang);
      if ('choose' in found) return { intent: 'choose', lang, systems: found.choose };
      const outcome: Outcome = { intent: 'requestAccess', lang, change: intent.change, ...found };
      if (intent.subjectQuery !== undefined) outcome.subject = await personName(service, intent.subjectQuery);
      return outcome;
    }
    case 'requestEquipment': {
      const outcome: Outcome = { intent: 'requestEquipment', lang };
      if (intent.item !== undefined && organisationId !== undefined) {
        outcome.item = matchItemType(catalogues.for(organisationId), intent.item)?.id ?? intent.item;
      }
      if (intent.quantity !== undefined) outcome.quantity = intent.quantity;
      return outcome;
    }
    case 'inventory': {
      if (intent.scope === 'mine') return { intent: 'inventory', lang, scope: 'mine' };
      const unit = await service.findUnit(asker, intent.unit);
      return { intent: 'inventory', lang, scope: 'unit', unit: unit?.name ?? intent.unit.fullQuery };
    }
    case 'openRequests':
      return intent.olderThanDays === undefined
        ? { intent: 'openRequests', lang }
        : { intent: 'openRequests', lang, olderThanDays: intent.olderThanDays };
    case 'care': {
      const outcome: Outcome = { intent: 'care', lang, action: intent.action };
      switch (intent.action) {
        case 'addSystem':
          outcome.name = intent.name;
          break;
        case 'editSystem':
        case 'confirmSystem':
          Object.assign(outcome, await systemName(service, asker, intent.system, lang));
          break;
        case 'assignRole':
        case 'endRole':
          outcome.person = await personName(service, intent.personQuery);
          outcome.role = intent.role;
          Object.assign(outcome, await systemName(service, asker, intent.system, lang));
          break;
        case 'assignOrganisationRole':
          outcome.person = await personName(service, intent.personQuery);
          outcome.role = intent.role;
          break;
        case 'handover':
          outcome.from = await personName(service, intent.fromQuery);
          outcome.to = await personName(service, intent.toQuery);
          break;
      }
      return outcome;
    }
    default:
      return { intent: intent.kind, lang };
  }
}

const SAME_CARD = new Set(['help', 'unknown']);

function same(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return false;
    const a = [...new Set(actual.map(String))].sort();
    const e = [...new Set(expected.map(String))].sort();
    return a.length === e.length && a.every((v, i) => v === e[i]);
  }
  if (typeof expected === 'string' && typeof actual === 'string')
    return expected.toLowerCase() === actual.toLowerCase();
  return expected === actual;
}

/**
 * Right when the intent and every given field match and the answer is in `lang`. "help" and "unknown" are one
 * outcome: both get the help card. A system answer (or an access form) for another system than expected is a
 * wrong owner named, as is one for a system outside the expected choice.
 *
 * A "did you mean" (outcome.didYouMean: how many buttons) is judged by its first button, the reading the reader
 * ranks best: right when that button's answer is the expected one, wrong otherwise, and never a wrong owner (it names
 * nobody until clicked). It is one click from the answer rather than the answer, so the report counts these apart
 * (`didYouMean`, `didYouMeanRight`) and nobody mistakes them for direct answers.
 */
export function judge(item: CorpusItem, outcome: Outcome): ItemResult {
  const expected = item.expect;
  const mismatches: string[] = [];
  const intentMatches =
    expected.intent === outcome.intent || (SAME_CARD.has(expected.intent) && SAME_CARD.has(outcome.intent));
  if (!intentMatches) mismatches.push('intent');
  else {
    for (const [key, value] of Object.entries(expected)) {
      if (key === 'intent') continue;
      if (key === 'self' && value === true && outcome.self === true) continue;
      if (!same(value, outcome[key])) mismatches.push(key);
    }
  }
  if (outcome.lang !== item.lang) mismatches.push('lang');
  const answered = typeof outcome.system === 'string' ? outcome.system : undefined;
  let wrongOwner = false;
  // A "did you mean" names nobody until a button is clicked: a wrong first button is a wrong answer, no wrong owner.
  const offered = outcome.didYouMean !== undefined;
  if (
    !offered &&
    answered !== undefined &&
    (outcome.intent === 'whoOwns' || outcome.intent === 'requestAccess')
  ) {
    if (typeof expected.system === 'string') wrongOwner = !same(expected.system, answered);
    else if (Array.isArray(expected.systems)) wrongOwner = !expected.systems.some((s) => same(s, answered));
    if (
      !wrongOwner &&
      typeof expected.organisation === 'string' &&
      typeof outcome.organisation === 'string' &&
      expected.intent === 'whoOwns'
    )
      wrongOwner = !same(expected.organisation, outcome.organisation);
  }
  return { item, outcome, right: mismatches.length === 0, wrongOwner, mismatches };
}

export interface PartReport {
  part: CorpusPart;
  total: number;
  right: number;
  wrongOwners: number;
  /** Help-card answers to a message that expected something else. */
  helpForQuestion: number;
  /** "Did you mean" answers, and how many of them are right by their first button. */
  didYouMean: number;
  didYouMeanRight: number;
  byLanguage: Map<string, { total: number; right: number }>;
  byIntent: Map<string, { total: number; right: number }>;
  /** expected intent → got intent (language) counts, for the wrong ones. */
  confusions: Map<string, number>;
  results: ItemResult[];
}

export async function evaluatePart(evaluator: Evaluator, part: CorpusPart): Promise<PartReport | undefined> {
  const items = readCorpus(part);
  if (!items) return undefined;
  const report: PartReport = {
    part,
    total: 0,
    right: 0,
    wrongOwners: 0,
    helpForQuestion: 0,
    didYouMean: 0,
    didYouMeanRight: 0,
    byLanguage: new Map(),
    byIntent: new Map(),
    confusions: new Map(),
    results: [],
  };
  const count = (map: Map<string, { total: number; right: number }>, key: string, right: boolean) => {
    const entry = map.get(key) ?? { total: 0, right: 0 };
    entry.total += 1;
    if (right) entry.right += 1;
    map.set(key, entry);
  };
  for (const item of items) {
    const result = await evaluator.evaluate(item);
    report.results.push(result);
    report.total += 1;
    if (result.right) report.right += 1;
    if (result.wrongOwner) report.wrongOwners += 1;
    if (result.outcome.intent === 'help' && !SAME_CARD.has(item.expect.intent)) report.helpForQuestion += 1;
    if (result.outcome.didYouMean !== undefined) {
      report.didYouMean += 1;
      if (result.right) report.didYouMeanRight += 1;
    }
    count(report.byLanguage, item.lang, result.right);
    count(report.byIntent, item.expect.intent, result.right);
    if (!result.right) {
      const key = `${item.expect.intent} -> ${result.outcome.intent} [${result.mismatches.join(',')}] (${item.lang})`;
      report.confusions.set(key, (report.confusions.get(key) ?? 0) + 1);
    }
  }
  return report;
}
