import type { Answer } from '../services/responsibility/answers.js';
import { t } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, summaryOf } from './text.js';

/** "I found no person matching X": similar people, each opening their roles. */
export interface UnknownPersonCardData {
  title: string;
  suggestionsIntro: string;
  suggestions: { label: string; personId: string }[];
}

const render = cardRenderer<UnknownPersonCardData>('unknownPersonCard');

type UnknownPersonAnswer = Extract<Answer, { kind: 'unknownPerson' }>;

export function unknownPersonReply(answer: UnknownPersonAnswer): Reply {
  const lang = answer.language;
  // An empty query means the asker asked for their own roles and is in neither the register nor the directory.
  const title =
    answer.query.trim() === ''
      ? t(lang, 'personRoles.noneSelf')
      : t(lang, 'unknownPerson.title', { query: clip(answer.query, 100) });
  const suggestions = answer.suggestions.slice(0, LIMITS.suggestions).map((p) => ({
    label: clip(p.title ? `${p.name} – ${p.title}` : p.name, 100),
    personId: p.id,
  }));
  const suggestionsIntro = suggestions.length > 0 ? t(lang, 'unknownPerson.suggestions') : '';
  return {
    card: render({ title, suggestionsIntro, suggestions }),
    summary: summaryOf(
      [title, suggestionsIntro, suggestions.map((s) => s.label).join('; ')].filter((s) => s !== '').join(' '),
    ),
  };
}
