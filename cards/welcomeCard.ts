import type { Answer } from '../services/responsibility/answers.js';
import { t } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { exampleParams, organisationText } from './helpCard.js';
import { cardRenderer } from './render.js';
import { summaryOf } from './text.js';

/** The first message in a new chat: what the bot answers, with an example from the asker's own register. */
export interface WelcomeCardData {
  title: string;
  lead: string;
  tryText: string;
  /** How to ask for access and follow requests, with the help card's examples. */
  requestsText: string;
  organisationText: string;
  helpTitle: string;
  /** Local mode with ANSVAR_CLOCK_OFFSET: says the clock is shifted; '' otherwise. */
  clockText: string;
}

const render = cardRenderer<WelcomeCardData>('welcomeCard');

type WelcomeAnswer = Extract<Answer, { kind: 'welcome' }>;

export function welcomeReply(answer: WelcomeAnswer): Reply {
  const lang = answer.language;
  const params = exampleParams(lang, answer.exampleSystems);
  const data: WelcomeCardData = {
    title: t(lang, 'welcome.title'),
    lead: t(lang, 'welcome.intro'),
    tryText: t(lang, 'welcome.try', { example: t(lang, 'help.example1', params) }),
    requestsText: t(lang, 'welcome.requests', {
      request: t(lang, 'help.example5', params),
      mine: t(lang, 'help.example6'),
      awaiting: t(lang, 'help.example7'),
    }),
    organisationText: organisationText(lang, answer.organisation?.name),
    helpTitle: t(lang, 'welcome.helpButton'),
    clockText: answer.clockOffset ? t(lang, 'welcome.clockOffset', { offset: answer.clockOffset }) : '',
  };
  const summary = [
    `${data.title}.`,
    data.lead,
    data.tryText,
    data.requestsText,
    data.organisationText,
    data.clockText,
  ];
  return {
    card: render(data),
    summary: summaryOf(summary.filter((s) => s !== '').join(' ')),
  };
}
