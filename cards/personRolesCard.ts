import type { Answer } from '../services/responsibility/answers.js';
import { formatList, t } from '../services/i18n/index.js';
import type { Reply } from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, personDetails, summaryOf, upperFirst } from './text.js';

/** "Which roles does Anna have?": each role with what it is for; a system role opens its system. */
export interface PersonRolesCardData {
  title: string;
  subtitle: string;
  noneText: string;
  roles: { roleLabel: string; subject: string; context: string; systemId: string; showTitle: string }[];
  moreText: string;
}

const render = cardRenderer<PersonRolesCardData>('personRolesCard');

type PersonRolesAnswer = Extract<Answer, { kind: 'personRoles' }>;

export function personRolesReply(answer: PersonRolesAnswer): Reply {
  const { language: lang, person } = answer;
  const title = answer.self
    ? t(lang, 'personRoles.titleSelf')
    : t(lang, 'personRoles.title', { name: person.name });
  const shown = answer.roles.slice(0, LIMITS.personRoles);
  const hidden = answer.roles.length - shown.length;
  const roles = shown.map((r) => ({
    roleLabel: upperFirst(clip(r.roleLabel, LIMITS.name)),
    subject: clip(r.system?.name ?? r.organisation.name),
    context: r.system
      ? clip(r.organisation.name)
      : r.units && r.units.length > 0
        ? clip(
            t(lang, 'personRoles.units', {
              units: formatList(
                lang,
                r.units.map((u) => u.name),
              ),
            }),
          )
        : '',
    systemId: r.system?.id ?? '',
    showTitle: r.system ? clip(t(lang, 'personRoles.showSystem', { system: r.system.name })) : '',
  }));
  const noneText =
    answer.roles.length > 0
      ? ''
      : answer.self
        ? t(lang, 'personRoles.noneSelf')
        : t(lang, 'personRoles.none', { name: person.name });
  const moreText = hidden > 0 ? t(lang, 'personRoles.more', { count: hidden }) : '';
  const card = render({
    title: clip(title),
    subtitle: personDetails(person),
    noneText: clip(noneText),
    roles,
    moreText,
  });
  const summary = [
    `${title}:`,
    noneText,
    roles
      .map((r) => `${r.roleLabel} – ${r.subject}${r.systemId && r.context ? ` (${r.context})` : ''}`)
      .join('; '),
    moreText,
  ];
  return { card, summary: summaryOf(summary.filter((s) => s !== '').join(' ')) };
}
