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

const ORGANISATION_ROLE_WORDS: Record<OrganisationRole, readonly string[]> = {
  it_coordinator: ['IT coordinator', 'IKT-koordinator', 'IT-koordinator', 'IT-samordnare', 'IT-strateg'],
  it_orderer: ['IT orderer', 'IKT-bestillar', 'IKT-bestiller', 'IT-bestiller', 'IT-beställare'],
  security_officer: [
    'security officer',
    'tryggleiksansvarleg',
    'IT-säkerhetsansvarig',
    'säkerhetsansvarig',
    'sikkerhetsansvarlig',
    'informasjonssikkerhetsansvarlig',
  ],
  data_protection_officer: [
    'data protection officer',
    'DPO',
    'personvernombod',
    'personvernombud',
    'dataskyddsombud',
    'PUL-ombud',
  ],
  it_manager: ['IT manager', 'IT-chef', 'Datachef', 'IT-sjef', 'IKT-sjef', 'dagleg leiar', 'daglig leder'],
  it_unit: [
    'IT unit',
    'IT-enhet',
    'IT-avdelning',
    'Dataenhet',
    'IT-avdeling',
    'IKT-tenesta',
    'IKT-tjenesten',
  ],
};

const SYSTEM_ROLE_WORDS: Record<SystemRole, readonly string[]> = {
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
