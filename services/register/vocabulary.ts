import {
  LANGUAGES,
  LIFECYCLES,
  ORGANISATION_ROLES,
  SYSTEM_ROLES,
  type Language,
  type Lifecycle,
  type OrganisationRole,
  type SystemRole,
} from '../../data/model.js';
import { normaliseWord } from './headers.js';

/**
 * Cell values that name something from a closed set (roles, languages, lifecycle, yes/no), in the words of
 * DOMAIN.md. Compared like headers: case-, diacritics- and punctuation-insensitively.
 */

/**
 * Per role, the words each language's registers use, the first of each language being the one shown to the
 * coordinator (in errors and the template's explanation sheet). English shows the code itself. The chat
 * understanding (services/nlu/roleWords.ts) reads these words too, so a coordinator's own words work in chat.
 */
export const ORGANISATION_ROLE_WORDS_BY_LANGUAGE: Record<
  OrganisationRole,
  Record<Language, readonly string[]>
> = {
  it_coordinator: {
    sv: [
      'IT-samordnare',
      'IT-koordinator',
      'IT-strateg',
      'IT-ombud',
      'IT-kontakt',
      'digitaliseringssamordnare',
    ],
    nn: ['IKT-koordinator', 'IKT-kontakt'],
    nb: ['IT-koordinator', 'IKT-kontakt', 'IT-kontakt'],
    en: ['it_coordinator', 'IT coordinator'],
  },
  it_orderer: {
    sv: ['IT-beställare', 'beställare'],
    nn: ['IKT-bestillar', 'bestillar'],
    nb: ['IT-bestiller', 'IKT-bestiller', 'bestiller'],
    en: ['it_orderer', 'IT orderer'],
  },
  security_officer: {
    sv: [
      'informationssäkerhetssamordnare',
      'informationssäkerhetsansvarig',
      'IT-säkerhetsansvarig',
      'säkerhetsansvarig',
      'säkerhetssamordnare',
      'informationssäkerhetsstrateg',
      'CISO',
    ],
    nn: ['tryggleiksansvarleg', 'informasjonstryggleiksansvarleg'],
    nb: ['sikkerhetsansvarlig', 'informasjonssikkerhetsansvarlig', 'sikkerhetsleder'],
    en: ['security_officer', 'security officer'],
  },
  data_protection_officer: {
    sv: ['dataskyddsombud', 'PUL-ombud', 'DSO'],
    nn: ['personvernombod'],
    nb: ['personvernombud'],
    en: ['data_protection_officer', 'data protection officer', 'DPO'],
  },
  it_manager: {
    sv: ['IT-chef', 'Datachef', 'IT-direktör', 'digitaliseringschef', 'CIO'],
    nn: ['IKT-sjef', 'dagleg leiar', 'IKT-leiar'],
    nb: ['IT-sjef', 'daglig leder', 'IT-leder', 'IKT-leder'],
    en: ['it_manager', 'IT manager'],
  },
  it_unit: {
    sv: ['IT-enhet', 'IT-avdelning', 'Dataenhet', 'IT-enheten', 'IT-avdelningen', 'IT-support'],
    nn: ['IKT-tenesta', 'IKT-avdelinga'],
    nb: ['IT-avdeling', 'IKT-tjenesten', 'IT-avdelingen'],
    en: ['it_unit', 'IT unit'],
  },
};

const ORGANISATION_ROLE_WORDS: Record<OrganisationRole, readonly string[]> = Object.fromEntries(
  ORGANISATION_ROLES.map((role) => [role, Object.values(ORGANISATION_ROLE_WORDS_BY_LANGUAGE[role]).flat()]),
) as unknown as Record<OrganisationRole, readonly string[]>;

/** The role words a coordinator writing in `language` is shown, one per role (the first of that language). */
export function roleWordsFor(language: Language): { role: OrganisationRole; word: string; also: string[] }[] {
  return ORGANISATION_ROLES.map((role) => {
    const [word, ...also] = ORGANISATION_ROLE_WORDS_BY_LANGUAGE[role][language];
    return { role, word: word ?? role, also };
  });
}

/** The error for a role word nobody knows, listing the accepted words in the file's language. */
export function unknownRoleMessage(value: string, language: Language): string {
  const words = roleWordsFor(language).map(({ role, word }) => (word === role ? role : `${word} (${role})`));
  return `unknown role "${value}" (use one of: ${words.join(', ')})`;
}

/**
 * The system-role words a register's cells may hold; the chat understanding (services/nlu/roleWords.ts) knows them
 * too.
 */
export const SYSTEM_ROLE_WORDS: Record<SystemRole, readonly string[]> = {
  owner: ['system owner', 'systemägare', 'ägare', 'fagsystemeigar', 'systemeier'],
  administrator: [
    'system administrator',
    'systemansvarig',
    'systemförvaltare',
    'fagsystemansvarleg',
    'systemansvarlig',
  ],
  deputy: ['ersättare', 'stedfortredar', 'stedfortreder', 'vara'],
  super_user: ['super user', 'superanvändare', 'superbrukar', 'superbruker'],
};

const LANGUAGE_WORDS: Record<Language, readonly string[]> = {
  sv: ['svenska', 'svensk', 'swedish'],
  nn: ['nynorsk'],
  nb: ['bokmål', 'norwegian bokmål'],
  en: ['english', 'engelska', 'engelsk'],
};

const LIFECYCLE_WORDS: Record<Lifecycle, readonly string[]> = {
  planned: ['planerad', 'planlagd', 'planlagt'],
  active: ['aktiv', 'i drift', 'in use'],
  phasing_out: ['phasing out', 'avvecklas', 'under avveckling', 'fases ut', 'under utfasing', 'utfasing'],
  retired: ['avvecklad', 'avvecklat', 'utfasad', 'faset ut', 'avslutta', 'avsluttet'],
};

const YES = ['yes', 'y', 'ja', 'j', 'true', '1', 'x'];
const NO = ['no', 'n', 'nej', 'nei', 'false', '0'];

function lookup<T extends string>(
  canonical: readonly T[],
  words: Record<T, readonly string[]>,
): Map<string, T> {
  const map = new Map<string, T>();
  for (const value of canonical)
    for (const word of [value, ...words[value]]) map.set(normaliseWord(word), value);
  return map;
}

const ORGANISATION_ROLE_LOOKUP = lookup(ORGANISATION_ROLES, ORGANISATION_ROLE_WORDS);
const SYSTEM_ROLE_LOOKUP = lookup(SYSTEM_ROLES, SYSTEM_ROLE_WORDS);
const LANGUAGE_LOOKUP = lookup(LANGUAGES, LANGUAGE_WORDS);
const LIFECYCLE_LOOKUP = lookup(LIFECYCLES, LIFECYCLE_WORDS);
const BOOLEAN_LOOKUP = new Map<string, boolean>([
  ...YES.map((w) => [normaliseWord(w), true] as const),
  ...NO.map((w) => [normaliseWord(w), false] as const),
]);

export function organisationRoleFor(word: string): OrganisationRole | undefined {
  return ORGANISATION_ROLE_LOOKUP.get(normaliseWord(word));
}

/** Used only to explain an error: a system role named in a roles file belongs in the systems file. */
export function systemRoleFor(word: string): SystemRole | undefined {
  return SYSTEM_ROLE_LOOKUP.get(normaliseWord(word));
}

export function languageFor(word: string): Language | undefined {
  return LANGUAGE_LOOKUP.get(normaliseWord(word));
}

export function lifecycleFor(word: string): Lifecycle | undefined {
  return LIFECYCLE_LOOKUP.get(normaliseWord(word));
}

export function booleanFor(word: string): boolean | undefined {
  return BOOLEAN_LOOKUP.get(normaliseWord(word));
}
