import type { Language } from '../data/model.js';
import { t, type MessageKey } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { summaryOf } from './text.js';

export interface NoticeCardData {
  title: string;
  text: string;
}

const render = cardRenderer<NoticeCardData>('noticeCard');

/** A short card with a title and an optional line, both from the catalogue (a system that is gone, an error). */
export function noticeReply(language: Language, titleKey: MessageKey, textKey?: MessageKey): Reply {
  const title = t(language, titleKey);
  const text = textKey ? t(language, textKey) : '';
  return {
    card: render({ title, text }),
    summary: summaryOf([title, text].filter((s) => s !== '').join(' ')),
  };
}
