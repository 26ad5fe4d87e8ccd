import type { Language } from '../data/model.js';
import { t } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { summaryOf } from './text.js';

/** "Your access ends soon: renew?": the button opens the access form prefilled from the granted request. */
export interface RenewalCardData {
  title: string;
  text: string;
  renewTitle: string;
  systemId: string;
  requestId: string;
}

const render = cardRenderer<RenewalCardData>('renewalCard');

export function renewalReply(
  lang: Language,
  input: { system: string; systemId: string; requestId: string; name: string; role: string; date: string },
): Reply {
  const params = { system: input.system, date: input.date, name: input.name, role: input.role };
  const title = t(lang, 'access.renew.title', params);
  const text = t(lang, 'access.renew.text', params);
  return {
    card: render({
      title,
      text,
      renewTitle: t(lang, 'access.renew.button'),
      systemId: input.systemId,
      requestId: input.requestId,
    }),
    summary: summaryOf(`${title}. ${text}`),
  };
}
