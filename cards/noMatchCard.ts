import type { Answer } from '../services/responsibility/answers.js';
import { formatList, t } from '../services/i18n/index.js';
import {
  keeperData,
  systemButton,
  type KeeperCardData,
  type Reply,
  type SystemButtonData,
} from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, summaryOf } from './text.js';

/** "I found no system matching X": the closest systems, and the IT coordinators who keep the register. */
export interface NoMatchCardData {
  title: string;
  suggestionsIntro: string;
  suggestions: SystemButtonData[];
  keepersText: string;
  keepers: KeeperCardData[];
}

const render = cardRenderer<NoMatchCardData>('noMatchCard');

type NoMatchAnswer = Extract<Answer, { kind: 'noMatch' }>;

export function noMatchReply(answer: NoMatchAnswer): Reply {
  const lang = answer.language;
  const title = t(lang, 'noMatch.title', { query: clip(answer.query, 100) });
  const suggestions = answer.suggestions.slice(0, LIMITS.suggestions).map(systemButton);
  const suggestionsIntro = suggestions.length > 0 ? t(lang, 'noMatch.suggestions') : '';
  const keepers = answer.registerKeepers.slice(0, LIMITS.keepers);
  const keepersText =
    keepers.length === 0
      ? t(lang, 'noMatch.keepersNone')
      : answer.organisation
        ? t(lang, 'noMatch.keepers', { organisation: answer.organisation.name })
        : t(lang, 'noMatch.keepersUnknownOrganisation');
  const card = render({
    title,
    suggestionsIntro,
    suggestions,
    keepersText,
    keepers: keepers.map((p) => keeperData(lang, p, LIMITS.text)),
  });
  const summary = [
    title,
    suggestions.length > 0 ? `${suggestionsIntro} ${suggestions.map((s) => s.label).join('; ')}.` : '',
    keepers.length > 0
      ? `${keepersText} ${formatList(
          lang,
          keepers.map((p) => p.name),
        )}`
      : keepersText,
  ];
  return { card, summary: summaryOf(summary.filter((s) => s !== '').join(' ')) };
}
