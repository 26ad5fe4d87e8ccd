import type { Language, Person, Register, SystemRecord } from '../../data/model.js';

// The "who owns" questions of the local-mode ratio: every active system, in a fixed mix of languages and askers.

const QUESTION: Record<Language, (name: string) => string> = {
  sv: (name) => `vem äger ${name}`,
  nn: (name) => `kven eig ${name}`,
  nb: (name) => `hvem eier ${name}`,
  en: (name) => `who owns ${name}`,
};

/** Teams locales (Teams has no Nynorsk UI: Nynorsk writers use nb-NO or nn-NO). */
const LOCALES: Record<'sv' | 'no', readonly string[]> = {
  sv: ['sv-SE', 'sv-SE', 'sv-SE', 'en-US', 'en-GB'],
  no: ['nb-NO', 'nb-NO', 'nn-NO', 'en-US', 'en-GB'],
};

export interface Question {
  body: Buffer;
  activityId: string;
  /** What the reply's text must start with and contain. */
  title: string;
  owner: string | undefined;
  text: string;
  language: Language;
}

/** A small deterministic PRNG (mulberry32), so every run asks the same questions in the same order. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function buildQuestions(register: Register, serviceUrl: string): Question[] {
  const next = rng(1717);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const now = new Date().toISOString();
  const orgById = new Map(register.organisations.map((o) => [o.id, o]));
  const peopleByOrg = new Map<string, Person[]>();
  for (const person of register.people) {
    if (!person.aadObjectId || !person.organisationId) continue;
    const list = peopleByOrg.get(person.organisationId) ?? [];
    list.push(person);
    peopleByOrg.set(person.organisationId, list);
  }
  const personById = new Map(register.people.map((p) => [p.id, p]));
  const ownerOf = new Map<string, string>();
  for (const a of register.roleAssignments) {
    if (a.role !== 'owner' || !a.systemId || a.validTo !== undefined) continue;
    const name = personById.get(a.personId)?.name;
    if (name && !ownerOf.has(a.systemId)) ownerOf.set(a.systemId, name);
  }
  // A name two systems of one organisation share is a question with two answers: not a "who owns" turn.
  const nameCount = new Map<string, number>();
  for (const s of register.systems) {
    const key = `${s.organisationId}\n${s.name.toLowerCase()}`;
    nameCount.set(key, (nameCount.get(key) ?? 0) + 1);
  }
  const askable = (s: SystemRecord) =>
    s.lifecycle === 'active' &&
    nameCount.get(`${s.organisationId}\n${s.name.toLowerCase()}`) === 1 &&
    orgById.get(s.organisationId)?.tenantId !== undefined &&
    (peopleByOrg.get(s.organisationId)?.length ?? 0) > 0;
  const locales = new Map<string, string>();
  const questions: Question[] = [];
  for (const system of register.systems.filter(askable)) {
    const organisation = orgById.get(system.organisationId)!;
    const asker = pick(peopleByOrg.get(organisation.id)!);
    const norwegian = organisation.language !== 'sv';
    let locale = locales.get(asker.id);
    if (locale === undefined) {
      locale = pick(LOCALES[norwegian ? 'no' : 'sv']);
      locales.set(asker.id, locale);
    }
    // Mostly the organisation's own language, some English, and the other Norwegian written standard.
    const roll = next();
    const language: Language =
      roll < 0.15 ? 'en' : !norwegian ? 'sv' : roll < 0.6 ? 'nn' : roll < 0.9 ? 'nb' : organisation.language;
    const text = QUESTION[language](system.name);
    const activityId = `ratio-${questions.length + 1}`;
    const activity = {
      type: 'message',
      id: activityId,
      channelId: 'msteams',
      serviceUrl,
      timestamp: now,
      locale,
      from: { id: `29:${asker.aadObjectId}`, name: asker.name, aadObjectId: asker.aadObjectId },
      recipient: { id: '28:ansvar-bot', name: 'Ansvar' },
      conversation: {
        id: `a:ratio-${asker.aadObjectId}`,
        conversationType: 'personal',
        tenantId: organisation.tenantId,
      },
      channelData: { tenant: { id: organisation.tenantId } },
      text,
      textFormat: 'plain',
    };
    questions.push({
      body: Buffer.from(JSON.stringify(activity)),
      activityId,
      title: system.name,
      owner: ownerOf.get(system.id),
      text,
      language,
    });
  }
  // Shuffled, so consecutive questions come from different people, organisations and languages.
  for (let i = questions.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [questions[i], questions[j]] = [questions[j]!, questions[i]!];
  }
  return questions;
}
