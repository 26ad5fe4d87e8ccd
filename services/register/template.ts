import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Language } from '../../data/model.js';
import {
  COLUMNS,
  HEADER_WORDS,
  INSTRUCTION_SHEET,
  REQUIRED_COLUMNS,
  SHEET_WORDS,
  type FileKind,
} from './headers.js';
import { roleWordsFor } from './vocabulary.js';

/**
 * The register template (`npm run template -- sv FILE.xlsx`): one sheet per table with every column the import
 * reads, headed in the chosen language, one example row each, and an instructions sheet that explains every column
 * and lists the role words the import accepts. The import skips the instructions sheet (headers.ts `isInstructionSheet`).
 */

type Texts = {
  intro: string[];
  heading: [string, string, string, string];
  required: string;
  optional: string;
  rolesHeading: string;
  roleHeading: [string, string, string];
  columns: Record<string, string>;
};

const TEXTS: Record<Language, Texts> = {
  sv: {
    intro: [
      'Mall för Ansvars systemregister. Fyll i flikarna system, personer och roller (organisationer behövs bara om ni är flera organisationer).',
      'Byt ut exempelraderna mot era egna. Rad 1 är rubriker: ändra dem inte. Flera personer i en cell skiljs åt med ;',
      'En person anges med e-postadress, eller med namn om personen finns på fliken personer.',
      'Prova först: npm run import -- --dry-run FIL.xlsx   Importera sedan: npm run import -- FIL.xlsx',
    ],
    heading: ['Flik', 'Kolumn', 'Krävs', 'Betydelse'],
    required: 'ja',
    optional: 'nej',
    rolesHeading: 'Roller som godtas i kolumnen roll (fliken roller)',
    roleHeading: ['Roll', 'Skriv', 'Godtas också'],
    columns: {
      'systems.organisation':
        'Organisationens namn. Kan utelämnas när registret bara gäller en organisation.',
      'systems.system': 'Systemets namn, som användarna säger det.',
      'systems.aliases': 'Andra namn och förkortningar, skilda med ;',
      'systems.unit': 'Förvaltningen eller enheten som äger systemet.',
      'systems.owner': 'Systemägare (e-post eller namn).',
      'systems.administrator': 'Systemförvaltare/systemansvarig (e-post eller namn).',
      'systems.deputies': 'Ersättare, skilda med ;',
      'systems.super_users': 'Superanvändare, skilda med ;',
      'systems.supplier': 'Leverantör.',
      'systems.supplier_support': 'Leverantörens support (e-post, telefon eller webbadress).',
      'systems.description': 'Kort beskrivning.',
      'systems.lifecycle': 'planerad, aktiv, avvecklas eller avvecklad (tomt = aktiv).',
      'systems.personal_data': 'ja eller nej: behandlar systemet personuppgifter (tomt = ja).',
      'systems.confirmed_at': 'Datum då ägaren senast bekräftade uppgifterna (ÅÅÅÅ-MM-DD).',
      'systems.risk_analysis_at': 'Datum för systemets senaste riskanalys (ÅÅÅÅ-MM-DD).',
      'people.email': 'E-postadress (inloggningsnamn).',
      'people.name': 'För- och efternamn.',
      'people.title': 'Titel.',
      'people.department': 'Förvaltning eller avdelning.',
      'people.organisation': 'Organisation (kan utelämnas när det bara finns en).',
      'people.aad_object_id': 'Entra-objekt-id (lämna tomt om du inte vet).',
      'people.manager': 'Närmaste chef (e-post eller namn).',
      'roles.organisation': 'Organisation (kan utelämnas när det bara finns en).',
      'roles.role': 'Rollen, se listan nedan.',
      'roles.person': 'Personen (e-post eller namn).',
      'roles.units': 'IT-beställare: enheterna personen får beställa för, skilda med ;',
      'roles.valid_to': 'Slutdatum för en tidsbegränsad roll (ÅÅÅÅ-MM-DD); tomt = tills vidare.',
      'organisations.organisation': 'Organisationens namn.',
      'organisations.language': 'Språk: svenska, nynorsk, bokmål eller engelska.',
      'organisations.tenant_id':
        'Entra-klient-id (tenant id), om ni använder Teams med flera organisationer.',
    },
  },
  nn: {
    intro: [
      'Mal for fagsystemregisteret i Ansvar. Fyll ut faneane fagsystem, personar og rollar (organisasjonar trengst berre når de er fleire organisasjonar).',
      'Byt ut eksempelradene med dykkar eigne. Rad 1 er overskrifter: ikkje endre dei. Fleire personar i ei celle skil du med ;',
      'Ein person er ei e-postadresse, eller eit namn når personen står på fanen personar.',
      'Prøv først: npm run import -- --dry-run FIL.xlsx   Importer så: npm run import -- FIL.xlsx',
    ],
    heading: ['Fane', 'Kolonne', 'Påkravd', 'Tyding'],
    required: 'ja',
    optional: 'nei',
    rolesHeading: 'Roller som kolonnen rolle (fanen rollar) godtek',
    roleHeading: ['Rolle', 'Skriv', 'Godteke òg'],
    columns: {
      'systems.organisation': 'Namnet på organisasjonen. Kan sløyfast når registeret gjeld éin organisasjon.',
      'systems.system': 'Namnet på fagsystemet, slik brukarane seier det.',
      'systems.aliases': 'Andre namn og forkortingar, skilde med ;',
      'systems.unit': 'Eininga som eig fagsystemet.',
      'systems.owner': 'Fagsystemeigar (e-post eller namn).',
      'systems.administrator': 'Fagsystemansvarleg (e-post eller namn).',
      'systems.deputies': 'Stedfortredarar, skilde med ;',
      'systems.super_users': 'Superbrukarar, skilde med ;',
      'systems.supplier': 'Leverandør.',
      'systems.supplier_support': 'Støtte hos leverandøren (e-post, telefon eller nettadresse).',
      'systems.description': 'Kort skildring.',
      'systems.lifecycle': 'planlagd, aktiv, fases ut eller avslutta (tomt = aktiv).',
      'systems.personal_data': 'ja eller nei: handsamar systemet personopplysningar (tomt = ja).',
      'systems.confirmed_at': 'Dato då eigaren sist stadfesta opplysningane (ÅÅÅÅ-MM-DD).',
      'systems.risk_analysis_at': 'Dato for den siste risikoanalysen av systemet (ÅÅÅÅ-MM-DD).',
      'people.email': 'E-postadresse (brukarnamn).',
      'people.name': 'Fornamn og etternamn.',
      'people.title': 'Tittel.',
      'people.department': 'Eining eller avdeling.',
      'people.organisation': 'Organisasjon (kan sløyfast når det berre er éin).',
      'people.aad_object_id': 'Entra-objekt-id (la stå tomt om du ikkje veit).',
      'people.manager': 'Nærmaste leiar (e-post eller namn).',
      'roles.organisation': 'Organisasjon (kan sløyfast når det berre er éin).',
      'roles.role': 'Rolla, sjå lista under.',
      'roles.person': 'Personen (e-post eller namn).',
      'roles.units': 'IKT-bestillar: einingane personen kan bestille for, skilde med ;',
      'roles.valid_to': 'Sluttdato for ei tidsavgrensa rolle (ÅÅÅÅ-MM-DD); tomt = inntil vidare.',
      'organisations.organisation': 'Namnet på organisasjonen.',
      'organisations.language': 'Målform: nynorsk, bokmål, svenska eller english.',
      'organisations.tenant_id': 'Entra tenant-id, når fleire organisasjonar deler Ansvar.',
    },
  },
  nb: {
    intro: [
      'Mal for fagsystemregisteret i Ansvar. Fyll ut fanene systemer, personer og roller (organisasjoner trengs bare når dere er flere organisasjoner).',
      'Bytt ut eksempelradene med deres egne. Rad 1 er overskrifter: ikke endre dem. Flere personer i en celle skiller du med ;',
      'En person er en e-postadresse, eller et navn når personen står på fanen personer.',
      'Prøv først: npm run import -- --dry-run FIL.xlsx   Importer deretter: npm run import -- FIL.xlsx',
    ],
    heading: ['Fane', 'Kolonne', 'Påkrevd', 'Betydning'],
    required: 'ja',
    optional: 'nei',
    rolesHeading: 'Roller som kolonnen rolle (fanen roller) godtar',
    roleHeading: ['Rolle', 'Skriv', 'Godtas også'],
    columns: {
      'systems.organisation':
        'Navnet på organisasjonen. Kan utelates når registeret gjelder én organisasjon.',
      'systems.system': 'Navnet på systemet, slik brukerne sier det.',
      'systems.aliases': 'Andre navn og forkortelser, skilt med ;',
      'systems.unit': 'Enheten som eier systemet.',
      'systems.owner': 'Systemeier (e-post eller navn).',
      'systems.administrator': 'Systemansvarlig (e-post eller navn).',
      'systems.deputies': 'Stedfortredere, skilt med ;',
      'systems.super_users': 'Superbrukere, skilt med ;',
      'systems.supplier': 'Leverandør.',
      'systems.supplier_support': 'Leverandørens support (e-post, telefon eller nettadresse).',
      'systems.description': 'Kort beskrivelse.',
      'systems.lifecycle': 'planlagt, aktiv, fases ut eller avsluttet (tomt = aktiv).',
      'systems.personal_data': 'ja eller nei: behandler systemet personopplysninger (tomt = ja).',
      'systems.confirmed_at': 'Dato da eieren sist bekreftet opplysningene (ÅÅÅÅ-MM-DD).',
      'systems.risk_analysis_at': 'Dato for den siste risikoanalysen av systemet (ÅÅÅÅ-MM-DD).',
      'people.email': 'E-postadresse (brukernavn).',
      'people.name': 'Fornavn og etternavn.',
      'people.title': 'Tittel.',
      'people.department': 'Enhet eller avdeling.',
      'people.organisation': 'Organisasjon (kan utelates når det bare er én).',
      'people.aad_object_id': 'Entra-objekt-id (la stå tomt hvis du ikke vet).',
      'people.manager': 'Nærmeste leder (e-post eller navn).',
      'roles.organisation': 'Organisasjon (kan utelates når det bare er én).',
      'roles.role': 'Rollen, se listen under.',
      'roles.person': 'Personen (e-post eller navn).',
      'roles.units': 'IT-bestiller: enhetene personen kan bestille for, skilt med ;',
      'roles.valid_to': 'Sluttdato for en tidsbegrenset rolle (ÅÅÅÅ-MM-DD); tomt = inntil videre.',
      'organisations.organisation': 'Navnet på organisasjonen.',
      'organisations.language': 'Målform: bokmål, nynorsk, svenska eller english.',
      'organisations.tenant_id': 'Entra tenant-id, når flere organisasjoner deler Ansvar.',
    },
  },
  en: {
    intro: [
      "Template for Ansvar's system register. Fill in the sheets systems, people and roles (organisations is only needed when you are several organisations).",
      'Replace the example rows with your own. Row 1 holds the headers: do not change them. Separate several people in one cell with ;',
      'A person is an e-mail address, or a name when the person is on the people sheet.',
      'Try first: npm run import -- --dry-run FILE.xlsx   Then import: npm run import -- FILE.xlsx',
    ],
    heading: ['Sheet', 'Column', 'Required', 'Meaning'],
    required: 'yes',
    optional: 'no',
    rolesHeading: 'Roles the role column (roles sheet) accepts',
    roleHeading: ['Role', 'Write', 'Also accepted'],
    columns: {
      'systems.organisation':
        "The organisation's name. May be left out when the register is for one organisation.",
      'systems.system': 'The name of the system, as its users say it.',
      'systems.aliases': 'Other names and abbreviations, separated by ;',
      'systems.unit': 'The department or unit that owns the system.',
      'systems.owner': 'System owner (e-mail or name).',
      'systems.administrator': 'System administrator (e-mail or name).',
      'systems.deputies': 'Deputies, separated by ;',
      'systems.super_users': 'Super users, separated by ;',
      'systems.supplier': 'Supplier.',
      'systems.supplier_support': "The supplier's support (e-mail, phone or web address).",
      'systems.description': 'A short description.',
      'systems.lifecycle': 'planned, active, phasing_out or retired (empty = active).',
      'systems.personal_data': 'yes or no: does the system process personal data (empty = yes).',
      'systems.confirmed_at': 'When the owner last confirmed the entry (YYYY-MM-DD).',
      'systems.risk_analysis_at': 'Date of the last risk analysis of the system (YYYY-MM-DD).',
      'people.email': 'E-mail address (sign-in name).',
      'people.name': 'First and last name.',
      'people.title': 'Job title.',
      'people.department': 'Department or unit.',
      'people.organisation': 'Organisation (may be left out when there is one).',
      'people.aad_object_id': 'Entra object id (leave empty if you do not know it).',
      'people.manager': 'Manager (e-mail or name).',
      'roles.organisation': 'Organisation (may be left out when there is one).',
      'roles.role': 'The role, see the list below.',
      'roles.person': 'The person (e-mail or name).',
      'roles.units': 'IT orderer: the units the person may order for, separated by ;',
      'roles.valid_to': 'End date of a fixed-term role (YYYY-MM-DD); empty = open-ended.',
      'organisations.organisation': "The organisation's name.",
      'organisations.language': 'Language: svenska, nynorsk, bokmål or english.',
      'organisations.tenant_id': 'Entra tenant id, when several organisations share Ansvar.',
    },
  },
};

/** One example row per table, fictional, consistent with each other (the system's owner is on the people sheet). */
const EXAMPLES: Record<Language, { [K in FileKind]: Record<string, string> }> = {
  sv: {
    systems: {
      organisation: 'Exempelby kommun',
      system: 'Procapita',
      aliases: 'PCA; Procapita VoO',
      unit: 'Vård- och omsorgsförvaltningen',
      owner: 'Karin Holm',
      administrator: 'karin.holm@exempelby.se',
      deputies: '',
      super_users: '',
      supplier: 'Tietoevry',
      supplier_support: 'support@tietoevry.example',
      description: 'Verksamhetssystem för vård och omsorg',
      lifecycle: 'aktiv',
      personal_data: 'ja',
      confirmed_at: '',
      risk_analysis_at: '',
    },
    people: {
      email: 'karin.holm@exempelby.se',
      name: 'Karin Holm',
      title: 'Förvaltningschef',
      department: 'Vård- och omsorgsförvaltningen',
      organisation: 'Exempelby kommun',
      aad_object_id: '',
      manager: '',
    },
    roles: {
      organisation: 'Exempelby kommun',
      role: 'IT-samordnare',
      person: 'Karin Holm',
      units: '',
      valid_to: '',
    },
    organisations: { organisation: 'Exempelby kommun', language: 'svenska', tenant_id: '' },
  },
  nn: {
    systems: {
      organisation: 'Døme kommune',
      system: 'Acos WebSak',
      aliases: 'WebSak; sakshandsaming',
      unit: 'Sentraladministrasjonen',
      owner: 'Sigrid Bakke',
      administrator: 'sigrid.bakke@dome.kommune.no',
      deputies: '',
      super_users: '',
      supplier: 'Acos',
      supplier_support: 'support@acos.example',
      description: 'Sak- og arkivsystem',
      lifecycle: 'aktiv',
      personal_data: 'ja',
      confirmed_at: '',
      risk_analysis_at: '',
    },
    people: {
      email: 'sigrid.bakke@dome.kommune.no',
      name: 'Sigrid Bakke',
      title: 'Kommunalsjef',
      department: 'Sentraladministrasjonen',
      organisation: 'Døme kommune',
      aad_object_id: '',
      manager: '',
    },
    roles: {
      organisation: 'Døme kommune',
      role: 'IKT-koordinator',
      person: 'Sigrid Bakke',
      units: '',
      valid_to: '',
    },
    organisations: { organisation: 'Døme kommune', language: 'nynorsk', tenant_id: '' },
  },
  nb: {
    systems: {
      organisation: 'Eksempel kommune',
      system: 'Visma Flyt Skole',
      aliases: 'Flyt Skole',
      unit: 'Oppvekst',
      owner: 'Kari Nordmann',
      administrator: 'kari.nordmann@eksempel.kommune.no',
      deputies: '',
      super_users: '',
      supplier: 'Visma',
      supplier_support: 'support@visma.example',
      description: 'Skoleadministrativt system',
      lifecycle: 'aktiv',
      personal_data: 'ja',
      confirmed_at: '',
      risk_analysis_at: '',
    },
    people: {
      email: 'kari.nordmann@eksempel.kommune.no',
      name: 'Kari Nordmann',
      title: 'Kommunalsjef oppvekst',
      department: 'Oppvekst',
      organisation: 'Eksempel kommune',
      aad_object_id: '',
      manager: '',
    },
    roles: {
      organisation: 'Eksempel kommune',
      role: 'IT-koordinator',
      person: 'Kari Nordmann',
      units: '',
      valid_to: '',
    },
    organisations: { organisation: 'Eksempel kommune', language: 'bokmål', tenant_id: '' },
  },
  en: {
    systems: {
      organisation: 'Example Municipality',
      system: 'Public 360',
      aliases: 'P360; 360',
      unit: 'Municipal Executive Office',
      owner: 'Karin Holm',
      administrator: 'karin.holm@example.org',
      deputies: '',
      super_users: '',
      supplier: 'Tietoevry',
      supplier_support: 'support@tietoevry.example',
      description: 'Case and document management',
      lifecycle: 'active',
      personal_data: 'yes',
      confirmed_at: '',
      risk_analysis_at: '',
    },
    people: {
      email: 'karin.holm@example.org',
      name: 'Karin Holm',
      title: 'Head of administration',
      department: 'Municipal Executive Office',
      organisation: 'Example Municipality',
      aad_object_id: '',
      manager: '',
    },
    roles: {
      organisation: 'Example Municipality',
      role: 'it_coordinator',
      person: 'Karin Holm',
      units: '',
      valid_to: '',
    },
    organisations: { organisation: 'Example Municipality', language: 'english', tenant_id: '' },
  },
};

/** The sheets in the order a coordinator fills them. */
const ORDER: readonly FileKind[] = ['systems', 'people', 'roles', 'organisations'];

/** The template workbook as XLSX bytes. */
export async function templateWorkbook(language: Language): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  const texts = TEXTS[language];
  for (const kind of ORDER) {
    const words = HEADER_WORDS[language][kind] as Record<string, string>;
    const sheet = workbook.addWorksheet(SHEET_WORDS[language][kind], {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    sheet.columns = (COLUMNS[kind] as readonly string[]).map((column) => {
      const header = words[column] ?? column;
      const example = EXAMPLES[language][kind][column] ?? '';
      return {
        header,
        key: column,
        width: Math.min(40, Math.max(14, header.length + 2, example.length + 2)),
      };
    });
    sheet.getRow(1).font = { bold: true };
    sheet.addRow(EXAMPLES[language][kind]);
    sheet.getRow(2).font = { italic: true, color: { argb: 'FF666666' } };
  }
  const help = workbook.addWorksheet(INSTRUCTION_SHEET[language]);
  help.columns = [{ width: 18 }, { width: 24 }, { width: 10 }, { width: 90 }];
  for (const line of texts.intro) help.addRow([line]);
  help.addRow([]);
  help.addRow(texts.heading).font = { bold: true };
  for (const kind of ORDER) {
    const words = HEADER_WORDS[language][kind] as Record<string, string>;
    const required = REQUIRED_COLUMNS[kind] as readonly string[];
    for (const column of COLUMNS[kind] as readonly string[])
      help.addRow([
        SHEET_WORDS[language][kind],
        words[column] ?? column,
        required.includes(column) ? texts.required : texts.optional,
        texts.columns[`${kind}.${column}`] ?? '',
      ]);
  }
  help.addRow([]);
  help.addRow([texts.rolesHeading]).font = { bold: true };
  help.addRow(texts.roleHeading).font = { bold: true };
  for (const { role, word, also } of roleWordsFor(language))
    help.addRow([role, word, [...also, ...(word === role ? [] : [role])].join(', ')]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes the template to `file` (its folder created when missing). */
export async function writeTemplate(language: Language, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, await templateWorkbook(language));
}
