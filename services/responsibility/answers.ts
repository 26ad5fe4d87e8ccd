import type { Availability } from '../directory/availability.js';
import type { Directory } from '../directory/directory.js';
import type { Logger } from '../../core/logger.js';
import type {
  Language,
  Organisation,
  OrganisationRole,
  Person,
  SystemRecord,
  SystemRole,
  Unit,
} from '../../data/model.js';

/**
 * The result model of the conversation: what services/ decides to answer, independent of Teams. bot/ turns an
 * Answer into a card and a plain-text summary; services/ never builds card payloads.
 */

/** Who is asking, as far as the (untrusted) activity and the directory tell. */
export interface Asker {
  aadObjectId?: string;
  tenantId?: string;
  /** Teams locale of the client, e.g. "sv-SE", "nb-NO", "nn-NO", "en-US". */
  locale?: string;
  /**
   * The language this person last wrote clearly in (see nlu/languageMemory.ts): answers a message that could be
   * several languages ("hjelp", a bare system name) before the locale and the organisation do.
   */
  recentLanguage?: Language;
}

export interface PersonView {
  id: string;
  name: string;
  email: string;
  title?: string;
  department?: string;
  aadObjectId?: string;
}

/** What an answer shows of a person of the register. */
export function personView(person: Person): PersonView {
  const view: PersonView = { id: person.id, name: person.name, email: person.email };
  if (person.title !== undefined) view.title = person.title;
  if (person.department !== undefined) view.department = person.department;
  if (person.aadObjectId !== undefined) view.aadObjectId = person.aadObjectId;
  return view;
}

/** How a holder stands in the directory; one definition for answers and routing. */
export type HolderStatus = Availability;

export interface HolderView {
  role: SystemRole;
  /** The label for this role in the organisation's own vocabulary and the answer's language. */
  roleLabel: string;
  person: PersonView;
  status: HolderStatus;
  outOfOfficeUntil?: string;
}

/** One holder of an organisation role. */
export interface OrganisationRoleHolderView {
  person: PersonView;
  status: HolderStatus;
  outOfOfficeUntil?: string;
  /** it_orderer only: the units on this person's authorisation list. */
  units?: Unit[];
}

export interface SystemRef {
  system: SystemRecord;
  organisation: Organisation;
}

/**
 * A responsibility list: every system, or the systems with no current deputy / owner / administrator / super user
 * (retired ones left out).
 */
export const SYSTEM_LIST_KINDS = ['all', 'noDeputy', 'noOwner', 'noAdministrator', 'noSuperUser'] as const;
export type SystemListKind = (typeof SYSTEM_LIST_KINDS)[number];

/** One system of a responsibility list, with the names of its current holders. */
export interface SystemListRow {
  system: SystemRecord;
  unit?: Unit;
  owners: string[];
  administrators: string[];
  deputies: string[];
}

/** One page of a responsibility list; `page` is 0-based and within `pageCount` (at least 1). */
export interface SystemListPage {
  rows: SystemListRow[];
  page: number;
  pageCount: number;
  /** Systems on all pages. */
  total: number;
}

/** What the user asked about a system: one role, access ("who can give me access"), supplier support, or all. */
export type SystemFocus = SystemRole | 'access' | 'supplier' | 'all';

export type Answer =
  | {
      kind: 'system';
      language: Language;
      focus: SystemFocus;
      system: SystemRecord;
      organisation: Organisation;
      unit?: Unit;
      /** Current holders, ordered owner, administrator, deputies, super users. */
      holders: HolderView[];
      /** Holders of the focused role who cannot act now, with the people to turn to instead (deputies). */
      unavailable: { holder: HolderView; turnTo: HolderView[] }[];
      /** True when the system belongs to another organisation than the asker's. */
      otherOrganisation: boolean;
      /**
       * "Who owned X on DAY": the day (YYYY-MM-DD) the holders are of (at midday, Europe/Stockholm), with no
       * directory flags, since today's status says nothing about then. Absent: the current holders.
       */
      asOf?: string;
    }
  | {
      kind: 'choose';
      language: Language;
      query: string;
      candidates: SystemRef[];
      /** Close readings of a name typed with a typo, not a name they share: "did you mean", two or three. */
      didYouMean?: boolean;
    }
  | {
      kind: 'noMatch';
      language: Language;
      query: string;
      suggestions: SystemRef[];
      /** The asker's organisation, when known, and its IT coordinators who keep the register. */
      organisation?: Organisation;
      registerKeepers: PersonView[];
    }
  | {
      kind: 'personRoles';
      language: Language;
      person: PersonView;
      self: boolean;
      roles: {
        role: SystemRole | OrganisationRole;
        roleLabel: string;
        organisation: Organisation;
        system?: SystemRecord;
        units?: Unit[];
      }[];
    }
  | {
      kind: 'organisationRole';
      language: Language;
      role: OrganisationRole;
      /** The organisation's own word for the role in the answer's language (the language's default without one). */
      roleLabel: string;
      /** Absent only when the asker's organisation is unknown and the question named none (see `organisations`). */
      organisation?: Organisation;
      /** Without an organisation: the register's organisations, to name one in the next question. */
      organisations: Organisation[];
      /** it_orderer: the unit the question named, when it matched one; `holders` are then its orderers only. */
      unit?: Unit;
      /** A unit the question named that matched none of the organisation's units; `holders` are then all. */
      unknownUnit?: string;
      /** Current holders, each person once. */
      holders: OrganisationRoleHolderView[];
      /** With no holder: the organisation's IT coordinators, who keep the register. */
      registerKeepers: PersonView[];
    }
  | {
      kind: 'systemList';
      language: Language;
      list: SystemListKind;
      /** The asker's organisation; absent only when refused to an asker of unknown organisation. */
      organisation?: Organisation;
      /** The unit the list is limited to. */
      unit?: Unit;
      /** A unit the question named that matched none of the organisation's units; the list is then unfiltered. */
      unknownUnit?: string;
      /**
       * The page, or 'refused' when the asker holds none of `LIST_READER_ROLES` in their organisation: the card
       * then names the organisation's IT coordinators (`registerKeepers`) and shows no system.
       */
      result: { kind: 'page'; page: SystemListPage } | { kind: 'refused'; registerKeepers: PersonView[] };
    }
  | { kind: 'unknownPerson'; language: Language; query: string; suggestions: PersonView[] }
  /** "Did you mean": a message no reading fits clearly; each question, sent back as typed, is one reading. */
  | { kind: 'didYouMean'; language: Language; questions: string[] }
  /** `exampleSystems`: names from the asker's own register for the example questions (services/responsibility/helpExamples.ts). */
  | {
      kind: 'help';
      language: Language;
      organisation?: Organisation;
      exampleSystems?: string[];
      /** The role word of the organisation-role example, from the asker's register (helpExamples.ts). */
      exampleRole?: string;
    }
  /** The asker is not in the register/directory: answers still come, naming the organisation. */
  | {
      kind: 'welcome';
      language: Language;
      organisation?: Organisation;
      exampleSystems?: string[];
      clockOffset?: string;
    };

/** What the answer builders need of the app: the clock, the directory for holders' status, the logger. */
export interface AnswerServices {
  now: () => Date;
  logger: Logger;
  directory: Directory;
}
