import type { Answer } from '../services/responsibility/answers.js';
import { t } from '../services/i18n/index.js';
import { systemButton, type Reply, type SystemButtonData } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, summaryOf } from './text.js';

export interface ChoiceCardData {
  title: string;
  candidates: SystemButtonData[];
  moreText: string;
  /** True when the question was an access request: each button opens the request form instead of the system card. */
  opensForm: boolean;
}

const render = cardRenderer<ChoiceCardData>('choiceCard');

type ChooseAnswer = Extract<Answer, { kind: 'choose' }> & { opensForm?: boolean };

/** "Which system do you mean?"; with `opensForm` each button opens the access request form for its system. */
export function choiceReply(answer: ChooseAnswer): Reply {
  const lang = answer.language;
  const title = t(lang, answer.didYouMean === true ? 'choice.didYouMean' : 'choice.title', {
    query: clip(answer.query, 100),
  });
  const candidates = answer.candidates.slice(0, LIMITS.candidates).map(systemButton);
  const hidden = answer.candidates.length - candidates.length;
  const moreText = hidden > 0 ? t(lang, 'choice.more', { count: hidden }) : '';
  return {
    card: render({ title, candidates, moreText, opensForm: answer.opensForm === true }),
    summary: summaryOf(
      [title, candidates.map((c) => c.label).join('; '), moreText].filter((s) => s !== '').join(' '),
    ),
  };
}
