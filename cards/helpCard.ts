import type { Language } from '../data/model.js';
import type { Answer } from '../services/responsibility/answers.js';
import { t, type MessageKey } from '../services/i18n/index.js';
import type { Intent } from '../services/nlu/intent.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, summaryOf } from './text.js';

export interface HelpCardData {
  title: string;
  intro: string;
  /** Example questions in order; `heading` ('' = none) starts a group (who is responsible, requests, ...). */
  examples: { text: string; heading: string }[];
  languages: string;
  organisationText: string;
}

const render = cardRenderer<HelpCardData>('helpCard');

type HelpAnswer = Extract<Answer, { kind: 'help' }>;

/**
 * The examples the help card shows, in order and grouped under a heading each, with what `understand` must make of
 * each in every language (a test holds every locale's text to it), so the card never suggests a question the bot
 * does not understand. The coordinators' questions come last: most people may not ask them.
 */
export const HELP_EXAMPLES = [
  { key: 'help.example1', intent: 'whoOwns', group: 'help.group.responsibility' },
  { key: 'help.example2', intent: 'whoOwns', group: 'help.group.responsibility' },
  { key: 'help.example3', intent: 'whoOwns', group: 'help.group.responsibility' },
  { key: 'help.example4', intent: 'rolesOf', group: 'help.group.responsibility' },
  { key: 'help.exampleOrganisationRole', intent: 'organisationRole', group: 'help.group.responsibility' },
  { key: 'help.example5', intent: 'requestAccess', group: 'help.group.requests' },
  { key: 'help.example6', intent: 'myRequests', group: 'help.group.requests' },
  { key: 'help.example7', intent: 'awaitingMe', group: 'help.group.requests' },
  { key: 'help.exampleNewScreen', intent: 'requestEquipment', group: 'help.group.equipment' },
  { key: 'help.exampleRegisteredToMe', intent: 'inventory', group: 'help.group.equipment' },
  { key: 'help.exampleNoDeputy', intent: 'systemList', group: 'help.group.lists' },
  { key: 'help.exampleOpenRequests', intent: 'openRequests', group: 'help.group.lists' },
  { key: 'help.exampleOwnedOn', intent: 'whoOwns', group: 'help.group.lists' },
  { key: 'help.exampleReviews', intent: 'reviews', group: 'help.group.lists' },
] as const satisfies readonly { key: MessageKey; intent: Intent['kind']; group: MessageKey }[];

/**
 * The system names and the organisation role in the example questions: the asker's own (`exampleSystems`,
 * `exampleRole`, chosen by the service), else the language's defaults.
 */
export function exampleParams(
  lang: Language,
  exampleSystems: readonly string[] = [],
  exampleRole?: string,
): { system: string; system2: string; role: string } {
  const system = exampleSystems[0] ?? t(lang, 'help.exampleSystem');
  const system2 =
    exampleSystems[1] ?? (exampleSystems[0] === undefined ? t(lang, 'help.exampleSystem2') : system);
  return { system, system2, role: exampleRole ?? t(lang, 'help.exampleRole') };
}

export function helpReply(answer: HelpAnswer): Reply {
  const lang = answer.language;
  const params = exampleParams(lang, answer.exampleSystems, answer.exampleRole);
  const data: HelpCardData = {
    title: t(lang, 'help.title'),
    intro: t(lang, 'help.intro'),
    examples: HELP_EXAMPLES.map(({ key, group }, i) => ({
      text: t(lang, key, params),
      heading: group === HELP_EXAMPLES[i - 1]?.group ? '' : t(lang, group),
    })),
    languages: t(lang, 'help.languages'),
    organisationText: organisationText(lang, answer.organisation?.name),
  };
  const summary = [
    `${data.title}.`,
    data.intro,
    data.examples.map((e) => `“${e.text}”`).join(', '),
    data.languages,
    data.organisationText,
  ];
  return {
    card: render(data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}

/** "You are in X" under the examples; '' without an organisation. */
export function organisationText(lang: Language, name: string | undefined): string {
  return name ? clip(t(lang, 'help.organisation', { organisation: name })) : '';
}
