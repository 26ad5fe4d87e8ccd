import type { Language } from '../../data/model.js';
import { slug } from './ids.js';

/**
 * Column names of the import format, and the words IT coordinators use for them in Swedish, Nynorsk, Bokmål and
 * English. Headers match case-, diacritics-, space- and punctuation-insensitively ("Systemägare", "SYSTEM-AGARE" and
 * "systemagare" are one word). Aliases are per file kind because some words mean different things in different
 * files: "avdeling"/"avdelning" is the system's unit in a systems file but the person's department in a people file.
 */

export const FILE_KINDS = ['organisations', 'people', 'systems', 'roles'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const COLUMNS = {
  systems: [
    'organisation',
    'system',
    'aliases',
    'unit',
    'owner',
    'administrator',
    'deputies',
    'super_users',
    'supplier',
    'supplier_support',
    'description',
    'lifecycle',
    'personal_data',
    'confirmed_at',
    'risk_analysis_at',
  ],
  people: ['email', 'name', 'title', 'department', 'organisation', 'aad_object_id', 'manager'],
  roles: ['organisation', 'role', 'person', 'units', 'valid_to'],
  organisations: ['organisation', 'language', 'tenant_id'],
} as const satisfies Record<FileKind, readonly string[]>;

export type ColumnOf<K extends FileKind> = (typeof COLUMNS)[K][number];
export type Column = ColumnOf<FileKind>;

/**
 * Columns a file of the kind must have; the others may be left out (see the merge rules in planImport.ts). A
 * systems or roles file may leave out `organisation` when the import knows the one organisation it is about.
 */
export const REQUIRED_COLUMNS: { [K in FileKind]: readonly ColumnOf<K>[] } = {
  systems: ['system'],
  people: ['email', 'name'],
  roles: ['role', 'person'],
  organisations: ['organisation', 'language'],
};

const ORGANISATION = ['organisation', 'organization', 'organisasjon', 'kommun', 'kommune'];
const EMAIL = ['email', 'e-mail', 'mail', 'e-post', 'epost', 'e-postadress', 'e-postadresse', 'upn'];

/** Every alias is written as people type it; the canonical column name is always accepted too. */
const ALIASES: { [K in FileKind]: { [C in ColumnOf<K>]?: readonly string[] } } = {
  systems: {
    organisation: ORGANISATION,
    system: ['system', 'system name', 'systemnamn', 'systemnavn', 'fagsystem', 'verksamhetssystem'],
    aliases: [
      'alias',
      'förkortning',
      'förkortningar',
      'forkorting',
      'forkortingar',
      'forkortelse',
      'forkortelser',
    ],
    unit: ['enhet', 'förvaltning', 'eining', 'avdeling', 'avdelning', 'verksamhet', 'verksemd', 'virksomhet'],
    owner: [
      'system owner',
      'systemägare',
      'ägare',
      'fagsystemeigar',
      'systemeigar',
      'eigar',
      'systemeier',
      'eier',
    ],
    administrator: [
      'system administrator',
      'systemansvarig',
      'systemadministratör',
      'systemförvaltare',
      'fagsystemansvarleg',
      'systemansvarleg',
      'systemansvarlig',
      'systemadministrator',
    ],
    deputies: [
      'deputy',
      'ersättare',
      'ersättere',
      'stedfortredar',
      'stedfortredarar',
      'stedfortreder',
      'stedfortredere',
      'vara',
    ],
    super_users: [
      'super user',
      'superanvändare',
      'superbrukar',
      'superbrukarar',
      'superbruker',
      'superbrukere',
    ],
    supplier: ['vendor', 'leverantör', 'leverandør'],
    supplier_support: [
      'vendor support',
      'leverantörssupport',
      'leverandørstøtte',
      'leverandørsupport',
      'support',
      'kundtjänst',
      'kundestøtte',
    ],
    description: ['beskrivning', 'skildring', 'beskrivelse'],
    lifecycle: ['livscykel', 'livssyklus'],
    personal_data: ['personuppgifter', 'personopplysningar', 'personopplysninger', 'personal data'],
    confirmed_at: [
      'confirmed',
      'last confirmed',
      'bekräftad',
      'senast bekräftad',
      'stadfesta',
      'sist stadfesta',
      'bekreftet',
      'sist bekreftet',
    ],
    risk_analysis_at: [
      'risk analysis',
      'last risk analysis',
      'riskanalys',
      'senaste riskanalys',
      'risikoanalyse',
      'siste risikoanalyse',
    ],
  },
  people: {
    email: EMAIL,
    name: ['namn', 'navn', 'display name', 'fullt namn', 'fullt navn'],
    title: ['titel', 'tittel', 'job title', 'befattning', 'stilling'],
    department: ['avdelning', 'avdeling', 'enhet', 'eining', 'förvaltning'],
    organisation: ORGANISATION,
    aad_object_id: ['object id', 'objectid', 'entra object id', 'azure ad object id', 'oid'],
    manager: ['chef', 'närmaste chef', 'leiar', 'nærmaste leiar', 'leder', 'nærmeste leder'],
  },
  roles: {
    organisation: ORGANISATION,
    role: ['roll', 'rolle'],
    person: EMAIL,
    units: ['unit', 'enheter', 'enhet', 'einingar', 'eining', 'avdelingar', 'avdelinger', 'avdelningar'],
    valid_to: [
      'end',
      'ends',
      'end date',
      'valid until',
      'slutdatum',
      'giltig till',
      'gäller till',
      'sluttdato',
      'gyldig til',
    ],
  },
  organisations: {
    organisation: ORGANISATION,
    language: ['språk', 'mål', 'målform', 'lang'],
    tenant_id: ['tenant', 'entra tenant id', 'tenant id', 'tenant-id'],
  },
};

/** Sheet names of an XLSX workbook that fix the kind of the sheet; other sheets are recognised by their header. */
const SHEET_NAMES: Record<FileKind, readonly string[]> = {
  systems: ['systems', 'system', 'systemer', 'fagsystem', 'verksamhetssystem'],
  people: ['people', 'persons', 'personer', 'personar', 'folk'],
  roles: ['roles', 'roller', 'rollar'],
  organisations: ['organisations', 'organizations', 'organisationer', 'organisasjonar', 'organisasjoner'],
};

/** The template's instructions sheet per language (services/register/template.ts). */
export const INSTRUCTION_SHEET: Record<Language, string> = {
  sv: 'Instruktioner',
  nn: 'Rettleiing',
  nb: 'Veiledning',
  en: 'Instructions',
};

const INSTRUCTION_SHEET_NAMES = new Set(
  [...Object.values(INSTRUCTION_SHEET), 'instruktion', 'anvisningar', 'rettleiing', 'readme', 'read me'].map(
    (n) => normaliseWord(n),
  ),
);

/** Whether a sheet is instructions for people (the template's), which the import skips without a warning. */
export function isInstructionSheet(sheetName: string): boolean {
  return INSTRUCTION_SHEET_NAMES.has(normaliseWord(sheetName));
}

type Words = { [K in FileKind]: Record<ColumnOf<K>, string> };

/**
 * The header a coordinator reads in each language, for files the bot writes for them (a list's download). Every
 * word is one the import reads as that column again (test/services/register/headers.test.ts checks), so a
 * download in Nynorsk imports as it is. English uses the canonical column names.
 */
export const HEADER_WORDS: Record<Language, Words> = {
  sv: {
    systems: {
      organisation: 'organisation',
      system: 'system',
      aliases: 'förkortningar',
      unit: 'enhet',
      owner: 'systemägare',
      administrator: 'systemförvaltare',
      deputies: 'ersättare',
      super_users: 'superanvändare',
      supplier: 'leverantör',
      supplier_support: 'leverantörssupport',
      description: 'beskrivning',
      lifecycle: 'livscykel',
      personal_data: 'personuppgifter',
      confirmed_at: 'bekräftad',
      risk_analysis_at: 'riskanalys',
    },
    people: {
      email: 'e-post',
      name: 'namn',
      title: 'titel',
      department: 'avdelning',
      organisation: 'organisation',
      aad_object_id: 'object id',
      manager: 'chef',
    },
    roles: {
      organisation: 'organisation',
      role: 'roll',
      person: 'e-post',
      units: 'enheter',
      valid_to: 'giltig till',
    },
    organisations: { organisation: 'organisation', language: 'språk', tenant_id: 'tenant id' },
  },
  nn: {
    systems: {
      organisation: 'organisasjon',
      system: 'fagsystem',
      aliases: 'forkortingar',
      unit: 'eining',
      owner: 'fagsystemeigar',
      administrator: 'fagsystemansvarleg',
      deputies: 'stedfortredarar',
      super_users: 'superbrukarar',
      supplier: 'leverandør',
      supplier_support: 'leverandørstøtte',
      description: 'skildring',
      lifecycle: 'livssyklus',
      personal_data: 'personopplysningar',
      confirmed_at: 'stadfesta',
      risk_analysis_at: 'siste risikoanalyse',
    },
    people: {
      email: 'e-post',
      name: 'namn',
      title: 'tittel',
      department: 'avdeling',
      organisation: 'organisasjon',
      aad_object_id: 'object id',
      manager: 'nærmaste leiar',
    },
    roles: {
      organisation: 'organisasjon',
      role: 'rolle',
      person: 'e-post',
      units: 'einingar',
      valid_to: 'gyldig til',
    },
    organisations: { organisation: 'organisasjon', language: 'målform', tenant_id: 'tenant id' },
  },
  nb: {
    systems: {
      organisation: 'organisasjon',
      system: 'fagsystem',
      aliases: 'forkortelser',
      unit: 'enhet',
      owner: 'systemeier',
      administrator: 'systemansvarlig',
      deputies: 'stedfortredere',
      super_users: 'superbrukere',
      supplier: 'leverandør',
      supplier_support: 'leverandørsupport',
      description: 'beskrivelse',
      lifecycle: 'livssyklus',
      personal_data: 'personopplysninger',
      confirmed_at: 'bekreftet',
      risk_analysis_at: 'risikoanalyse',
    },
    people: {
      email: 'e-post',
      name: 'navn',
      title: 'tittel',
      department: 'avdeling',
      organisation: 'organisasjon',
      aad_object_id: 'object id',
      manager: 'nærmeste leder',
    },
    roles: {
      organisation: 'organisasjon',
      role: 'rolle',
      person: 'e-post',
      units: 'enheter',
      valid_to: 'gyldig til',
    },
    organisations: { organisation: 'organisasjon', language: 'språk', tenant_id: 'tenant id' },
  },
  en: {
    systems: Object.fromEntries(COLUMNS.systems.map((c) => [c, c])) as Words['systems'],
    people: Object.fromEntries(COLUMNS.people.map((c) => [c, c])) as Words['people'],
    roles: Object.fromEntries(COLUMNS.roles.map((c) => [c, c])) as Words['roles'],
    organisations: Object.fromEntries(COLUMNS.organisations.map((c) => [c, c])) as Words['organisations'],
  },
};

/** Sheet names per language; each is one `kindOfSheetName` reads as that kind. */
export const SHEET_WORDS: Record<Language, Record<FileKind, string>> = {
  sv: { systems: 'system', people: 'personer', roles: 'roller', organisations: 'organisationer' },
  nn: { systems: 'fagsystem', people: 'personar', roles: 'rollar', organisations: 'organisasjonar' },
  nb: { systems: 'systemer', people: 'personer', roles: 'roller', organisations: 'organisasjoner' },
  en: { systems: 'systems', people: 'people', roles: 'roles', organisations: 'organisations' },
};

/** The form in which words are compared: "Systemägare " → "systemagare", "e-post" → "epost". */
export function normaliseWord(word: string): string {
  return slug(word).replace(/-/g, '');
}

function buildLookup(): { [K in FileKind]: Map<string, ColumnOf<K>> } {
  const out = {} as { [K in FileKind]: Map<string, ColumnOf<K>> };
  for (const kind of FILE_KINDS) {
    const map = new Map<string, string>();
    const aliases = ALIASES[kind] as Record<string, readonly string[] | undefined>;
    for (const column of COLUMNS[kind]) {
      for (const word of [column, ...(aliases[column] ?? [])]) {
        const key = normaliseWord(word);
        const taken = map.get(key);
        // A clash would make a header silently mean the wrong column; fail at load so a test catches it.
        if (taken !== undefined && taken !== column)
          throw new Error(`header alias "${word}" means both ${taken} and ${column} in ${kind} files`);
        map.set(key, column);
      }
    }
    (out as Record<FileKind, Map<string, string>>)[kind] = map;
  }
  return out;
}

const LOOKUP = buildLookup();
const SHEET_LOOKUP = new Map(
  FILE_KINDS.flatMap((kind) => SHEET_NAMES[kind].map((name) => [normaliseWord(name), kind] as const)),
);

export function columnFor<K extends FileKind>(kind: K, header: string): ColumnOf<K> | undefined {
  return LOOKUP[kind].get(normaliseWord(header)) as ColumnOf<K> | undefined;
}

/** The kind a sheet's name fixes ("Systems", "Roller"), if any. */
export function kindOfSheetName(sheetName: string): FileKind | undefined {
  return SHEET_LOOKUP.get(normaliseWord(sheetName));
}

/**
 * The kind of a file told by its header row: a system column makes a systems file; role and person a roles file;
 * email and name a people file; organisation and language an organisations file. Checked in that order, so a
 * systems file with a language column is still a systems file.
 */
export function detectKind(headers: readonly string[]): FileKind | undefined {
  const has = <K extends FileKind>(kind: K, ...columns: ColumnOf<K>[]) =>
    columns.every((c) => headers.some((h) => columnFor(kind, h) === c));
  if (has('systems', 'system')) return 'systems';
  if (has('roles', 'role', 'person')) return 'roles';
  if (has('people', 'email', 'name')) return 'people';
  if (has('organisations', 'organisation', 'language')) return 'organisations';
  return undefined;
}

/**
 * The language a table's header is written in: the language whose header words (HEADER_WORDS) name most of its
 * columns; English when none does better than the canonical names. Used to word errors in the file's language.
 */
export function headerLanguage(kind: FileKind, headers: readonly string[]): Language {
  const normalised = new Set(headers.map(normaliseWord));
  let best: Language = 'en';
  let bestCount = 0;
  for (const language of ['sv', 'nn', 'nb'] as const) {
    const words = Object.values(HEADER_WORDS[language][kind] as Record<string, string>).map(normaliseWord);
    const count = words.filter(
      (w) => normalised.has(w) && !(COLUMNS[kind] as readonly string[]).includes(w),
    ).length;
    if (count > bestCount) {
      best = language;
      bestCount = count;
    }
  }
  return best;
}

export interface HeaderMapping<K extends FileKind> {
  /** Column of each header position; undefined for ignored headers. */
  columns: (ColumnOf<K> | undefined)[];
  /** Non-empty headers that name no column of this kind (ignored, reported as a warning). */
  ignored: string[];
  /** Columns named by more than one header (an error: which one should win is a guess). */
  duplicates: { column: ColumnOf<K>; headers: string[] }[];
  /** Required columns the header lacks (an error). */
  missing: ColumnOf<K>[];
}

export function mapHeaders<K extends FileKind>(kind: K, headers: readonly string[]): HeaderMapping<K> {
  const columns = headers.map((h) => columnFor(kind, h));
  const ignored = headers.filter((h, i) => h.trim() !== '' && columns[i] === undefined);
  const byColumn = new Map<ColumnOf<K>, string[]>();
  columns.forEach((c, i) => {
    if (c !== undefined) byColumn.set(c, [...(byColumn.get(c) ?? []), headers[i] ?? '']);
  });
  const duplicates = [...byColumn]
    .filter(([, hs]) => hs.length > 1)
    .map(([column, hs]) => ({ column, headers: hs }));
  const missing = (REQUIRED_COLUMNS[kind] as readonly ColumnOf<K>[]).filter((c) => !byColumn.has(c));
  return { columns, ignored, duplicates, missing };
}
