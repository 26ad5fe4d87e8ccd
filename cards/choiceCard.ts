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
  /** "Did you mean": each button asks its question as if typed (`question.ask`); none on a choice of systems. */
  questions: { label: string; question: string }[];
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
    card: render({ title, candidates, moreText, opensForm: answer.opensForm === true, questions: [] }),
    summary: summaryOf(
      [title, candidates.map((c) => c.label).join('; '), moreText].filter((s) => s !== '').join(' '),
    ),
  };
}

type DidYouMeanAnswer = Extract<Answer, { kind: 'didYouMean' }>;

/**
 * "Did you mean": the choice card with one button per reading, best first, each asking its question as if the
 * asker had typed it, so it does exactly what that typed question does (bot/actions/questionAsk.ts).
 */
export function didYouMeanReply(answer: DidYouMeanAnswer): Reply {
  const title = t(answer.language, 'didYouMean.title');
  const questions = answer.questions
    .slice(0, LIMITS.candidates)
    .map((question) => ({ label: clip(capitalised(question), 100), question }));
  return {
    card: render({ title, candidates: [], moreText: '', opensForm: false, questions }),
    summary: summaryOf(`${title} ${questions.map((q) => `“${q.label}”`).join('; ')}`),
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
