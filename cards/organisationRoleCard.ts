import type { Answer, OrganisationRoleHolderView } from '../services/responsibility/answers.js';
import { formatList, t } from '../services/i18n/index.js';
import {
  holderPersonData,
  keeperData,
  type HolderPersonCardData,
  type KeeperCardData,
  type LabelValue,
  type Reply,
} from './cardParts.js';
import { cardRenderer } from './render.js';
import { clip, LIMITS, statusText, summaryOf, upperFirst } from './text.js';

export interface OrganisationRoleCardData {
  title: string;
  facts: LabelValue[];
  /** Lines before the holders: an unknown unit, or which organisation is meant. */
  notes: { text: string }[];
  noHoldersText: string;
  holders: OrganisationRoleHolderCardData[];
  moreHoldersText: string;
  /** Empty unless there is no holder and the organisation has IT coordinators to name. */
  keepersText: string;
  keepers: KeeperCardData[];
}

export interface OrganisationRoleHolderCardData extends HolderPersonCardData {
  /** IT orderers: the units they may order for. */
  unitsText: string;
}

const render = cardRenderer<OrganisationRoleCardData>('organisationRoleCard');

type OrganisationRoleAnswer = Extract<Answer, { kind: 'organisationRole' }>;

/**
 * "Who is our data protection officer?": the holders of one organisation role, with a chat link, status flag and,
 * for IT orderers, the units they may order for. With no holder the card says so and names the IT coordinators;
 * without an organisation it asks which one, with an example question the parser reads back.
 */
export function organisationRoleReply(answer: OrganisationRoleAnswer): Reply {
  const { language: lang, organisation, unit } = answer;
  const label = clip(answer.roleLabel, LIMITS.name);
  const title = clip(
    organisation ? `${upperFirst(label)} – ${organisation.name}` : upperFirst(label),
    LIMITS.name,
  );
  const facts = unit ? [{ label: t(lang, 'system.unit'), value: clip(unit.name) }] : [];

  const notes: string[] = [];
  if (!organisation) {
    const choices = answer.organisations.slice(0, LIMITS.candidates).map((o) => clip(o.name, LIMITS.name));
    const example = t(lang, 'organisationRole.example', {
      role: label,
      organisation: choices[0] ?? '…',
    });
    notes.push(clip(t(lang, 'organisationRole.whichOrganisation', { example })));
    if (choices.length > 0)
      notes.push(
        clip(t(lang, 'organisationRole.organisations', { organisations: formatList(lang, choices) })),
      );
  } else if (answer.unknownUnit !== undefined) {
    notes.push(
      clip(
        t(lang, 'organisationRole.unknownUnit', {
          query: clip(answer.unknownUnit, 100),
          organisation: organisation.name,
        }),
      ),
    );
  }

  const shown = answer.holders.slice(0, LIMITS.holders);
  const hidden = answer.holders.length - shown.length;
  const noHoldersText =
    !organisation || answer.holders.length > 0
      ? ''
      : clip(
          unit
            ? t(lang, 'organisationRole.noneForUnit', {
                role: label,
                unit: unit.name,
                organisation: organisation.name,
              })
            : t(lang, 'organisationRole.none', { role: label, organisation: organisation.name }),
        );
  const keepers = answer.registerKeepers.slice(0, LIMITS.keepers);
  const keepersText =
    organisation && keepers.length > 0
      ? clip(t(lang, 'noMatch.keepers', { organisation: organisation.name }))
      : '';

  const holderData = (holder: OrganisationRoleHolderView): OrganisationRoleHolderCardData => {
    const units = unitsOf(holder);
    return {
      ...holderPersonData(lang, holder),
      unitsText: units ? clip(t(lang, 'personRoles.units', { units: formatList(lang, units) })) : '',
    };
  };

  const data: OrganisationRoleCardData = {
    title,
    facts,
    notes: notes.map((text) => ({ text })),
    noHoldersText,
    holders: shown.map(holderData),
    moreHoldersText: hidden > 0 ? t(lang, 'system.moreHolders', { count: hidden }) : '',
    keepersText,
    keepers: keepers.map((p) => keeperData(lang, p, LIMITS.name)),
  };

  // Like the system answer's: "<Role> (<organisation>, <unit>): names (notes)", then what the card adds.
  const names = shown.map((holder) => {
    // Units are listed for every orderer unless the question already named the one unit they all hold.
    const units = unit ? undefined : unitsOf(holder);
    const note = [statusText(lang, holder), units?.join(', ') ?? ''].filter((n) => n !== '').join('. ');
    const name = clip(holder.person.name, LIMITS.name);
    return note === '' ? name : `${name} (${note})`;
  });
  const where = [organisation?.name, unit?.name].filter((s): s is string => Boolean(s)).join(', ');
  const head = where === '' ? upperFirst(label) : `${upperFirst(label)} (${clip(where)})`;
  const body = [
    ...notes,
    names.length > 0 ? formatList(lang, names) : noHoldersText,
    data.moreHoldersText,
    keepers.length > 0
      ? `${keepersText} ${formatList(
          lang,
          data.keepers.map((k) => k.name),
        )}`
      : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return { card: render(data), summary: summaryOf(`${head}: ${body}`) };
}

/** The names of an orderer's units; undefined when the holder has none listed. */
function unitsOf(holder: OrganisationRoleHolderView): string[] | undefined {
  const names = holder.units?.map((u) => clip(u.name, LIMITS.name)) ?? [];
  return names.length > 0 ? names : undefined;
}
