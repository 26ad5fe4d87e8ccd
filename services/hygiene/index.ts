import {
  isCurrent,
  type Organisation,
  type OrganisationRole,
  type Person,
  type Role,
  type SystemRecord,
  type Unit,
} from '../../data/model.js';
import type { RequestStore } from '../../data/requestStore.js';
import { personView, type PersonView, type SystemListRow } from '../responsibility/answers.js';
import type { Directory, PersonStatus } from '../directory/directory.js';
import { AnsvarError, isAnsvarError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { openRequestRows, type OpenRequestRow } from '../lists/openRequests.js';
import type { RegisterIndexes, RegisterView } from '../search/registerView.js';
import { LIST_READER_ROLES, systemListRows } from '../lists/index.js';

/**
 * The register's hygiene check (issue 5, point 6): per organisation, what a coordinator must act on. Read-only.
 * Decisions:
 *
 * - Role holders: every current system role (on systems that are not retired, as for the gap lists) and every
 *   current organisation role. Their directory status comes from ONE `statusOf` call per organisation (the Graph
 *   directory batches it, ≤ 20 requests per `$batch`). A holder the directory does not know is "gone", a disabled
 *   account "disabled"; out of office is not a finding. One finding per person, with every role they hold.
 * - Directory unreachable (DirectoryUnavailable): the report says so (`directoryChecked: false`) and lists the
 *   other findings; any other error is thrown.
 * - Systems without owner / deputy: exactly the rows of the responsibility lists (`systemListRows`).
 * - Unconfirmed: systems not retired whose `confirmedAt` is absent or more than `unconfirmedMonths` calendar
 *   months before now. Never confirmed first, then oldest confirmation first.
 * - Risk analysis: systems not retired whose `riskAnalysisAt` is absent or more than `riskAnalysisMonths` calendar
 *   months before now (Nora: risk analyses at least yearly). None recorded first, then the oldest first.
 * - Overdue requests: open requests whose current step has waited more than `overdueDays` days, as the open
 *   requests list counts them (`openRequestRows`).
 * - Each kind keeps its exact `total` and at most `FINDINGS_PER_KIND` items (the card's budget), in the order above.
 */

/** Items kept per kind of finding; totals are always exact. Keeps the digest card far below 80 KB. */
export const FINDINGS_PER_KIND = 15;

export interface HygieneSettings {
  /** A system whose entry was not confirmed for this many months is named. */
  unconfirmedMonths: number;
  /** An open request whose current step waited more than this many days is named. */
  overdueDays: number;
  /** A system whose last risk analysis is older than this many months (or absent) is named; default 12. */
  riskAnalysisMonths?: number;
}

export const RISK_ANALYSIS_MONTHS = 12;

export const DEFAULT_HYGIENE_SETTINGS: HygieneSettings = {
  unconfirmedMonths: 12,
  overdueDays: 5,
  riskAnalysisMonths: RISK_ANALYSIS_MONTHS,
};

/** Whether the system's risk analysis is missing or older than `months` calendar months before `now`. */
export function riskAnalysisDue(
  system: Pick<SystemRecord, 'riskAnalysisAt'>,
  now: Date,
  months: number = RISK_ANALYSIS_MONTHS,
): boolean {
  if (system.riskAnalysisAt === undefined) return true;
  return Date.parse(system.riskAnalysisAt) < monthsBefore(now, months).getTime();
}

export interface HeldRole {
  role: Role;
  /** Set for a system role. */
  system?: SystemRecord;
}

export interface HolderFinding {
  person: PersonView;
  /** Not known to the directory (deleted), or an account that is disabled. */
  status: 'gone' | 'disabled';
  roles: HeldRole[];
}

export interface UnconfirmedFinding {
  system: SystemRecord;
  unit?: Unit;
  /** Absent: never confirmed. */
  confirmedAt?: string;
}

export interface RiskAnalysisFinding {
  system: SystemRecord;
  unit?: Unit;
  /** Absent: no risk analysis recorded. */
  riskAnalysisAt?: string;
}

export interface FindingList<T> {
  total: number;
  items: T[];
}

export interface HygieneReport {
  organisation: Organisation;
  checkedAt: string;
  settings: HygieneSettings;
  /** False when the directory could not be reached: `holders` is then empty and says nothing. */
  directoryChecked: boolean;
  holders: FindingList<HolderFinding>;
  noOwner: FindingList<SystemListRow>;
  noDeputy: FindingList<SystemListRow>;
  unconfirmed: FindingList<UnconfirmedFinding>;
  riskAnalysis: FindingList<RiskAnalysisFinding>;
  overdue: FindingList<OpenRequestRow>;
}

/** The counts of a report, for logs and the audit event. */
export function findingCounts(
  report: HygieneReport,
): Record<'holders' | 'noOwner' | 'noDeputy' | 'unconfirmed' | 'riskAnalysis' | 'overdue', number> {
  return {
    holders: report.holders.total,
    noOwner: report.noOwner.total,
    noDeputy: report.noDeputy.total,
    unconfirmed: report.unconfirmed.total,
    riskAnalysis: report.riskAnalysis.total,
    overdue: report.overdue.total,
  };
}

/**
 * Whether the report is worth a digest: any finding, or a directory that could not be checked (silence would
 * read as "every holder is fine"). A report with neither sends nothing.
 */
export function needsAttention(report: HygieneReport): boolean {
  return !report.directoryChecked || Object.values(findingCounts(report)).some((n) => n > 0);
}

/** Whether the person may run the check for `organisation`: the rule of the responsibility lists. */
export type HygieneAccess =
  | { allowed: true; organisation: Organisation }
  | { allowed: false; organisation?: Organisation; registerKeepers: PersonView[] };

export interface HygieneServices {
  view: Pick<RegisterView, 'current'>;
  directory: Pick<Directory, 'statusOf'>;
  requestStore: Pick<RequestStore, 'list'>;
  now: () => Date;
  logger: Logger;
}

export class HygieneCheck {
  constructor(
    private readonly services: HygieneServices,
    private readonly settings: HygieneSettings = DEFAULT_HYGIENE_SETTINGS,
  ) {}

  /** The organisations of the current register, by name. */
  async organisations(): Promise<Organisation[]> {
    const indexes = await this.services.view.current();
    return [...indexes.organisations.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The report of one organisation. Throws AnsvarError('UnknownOrganisation') for an unknown id. */
  async check(organisationId: string): Promise<HygieneReport> {
    const indexes = await this.services.view.current();
    const organisation = indexes.organisations.get(organisationId);
    if (!organisation) throw new AnsvarError('UnknownOrganisation', `no organisation ${organisationId}`);
    const now = this.services.now();
    const holders = await this.holderFindings(indexes, organisation, now);
    const overdue = await openRequestRows(
      this.services.requestStore,
      indexes,
      organisation,
      this.settings.overdueDays,
      now,
    );
    return {
      organisation,
      checkedAt: now.toISOString(),
      settings: this.settings,
      directoryChecked: holders !== undefined,
      holders: capped(holders ?? []),
      noOwner: capped(systemListRows(indexes, organisation, 'noOwner', undefined, now)),
      noDeputy: capped(systemListRows(indexes, organisation, 'noDeputy', undefined, now)),
      unconfirmed: capped(this.unconfirmed(indexes, organisation, now)),
      riskAnalysis: capped(this.riskAnalysis(indexes, organisation, now)),
      overdue: capped(overdue),
    };
  }

  /** The organisation's current IT coordinators: whom the digest goes to. */
  async coordinators(organisationId: string): Promise<Person[]> {
    const indexes = await this.services.view.current();
    return currentHolders(indexes, organisationId, ['it_coordinator'], this.services.now()).map(
      (id) => indexes.people.get(id) ?? fallback(id),
    );
  }

  /**
   * The lists' rule: a holder of `LIST_READER_ROLES` in their own organisation, now. Anyone else is refused with
   * the organisation's IT coordinators named (none when the organisation is unknown).
   */
  async access(personId: string | undefined, organisation: Organisation | undefined): Promise<HygieneAccess> {
    if (!organisation) return { allowed: false, registerKeepers: [] };
    const indexes = await this.services.view.current();
    const now = this.services.now();
    if (
      personId !== undefined &&
      currentHolders(indexes, organisation.id, LIST_READER_ROLES, now).includes(personId)
    )
      return { allowed: true, organisation };
    const registerKeepers = (await this.coordinators(organisation.id)).map(personView);
    return { allowed: false, organisation, registerKeepers };
  }

  /** Undefined when the directory could not be reached. */
  private async holderFindings(
    indexes: RegisterIndexes,
    organisation: Organisation,
    now: Date,
  ): Promise<HolderFinding[] | undefined> {
    const rolesByPerson = new Map<string, HeldRole[]>();
    for (const assignment of indexes.register.roleAssignments) {
      if (assignment.organisationId !== organisation.id || !isCurrent(assignment, now)) continue;
      const system = assignment.systemId ? indexes.systems.get(assignment.systemId) : undefined;
      if (assignment.systemId !== undefined && (!system || system.lifecycle === 'retired')) continue;
      const roles = rolesByPerson.get(assignment.personId) ?? [];
      roles.push(system ? { role: assignment.role, system } : { role: assignment.role });
      rolesByPerson.set(assignment.personId, roles);
    }
    if (rolesByPerson.size === 0) return [];
    const people = [...rolesByPerson.keys()].map((id) => personView(indexes.people.get(id) ?? fallback(id)));
    let statuses: Map<string, PersonStatus>;
    try {
      statuses = await this.services.directory.statusOf(people.map((p) => p.email.toLowerCase()));
    } catch (error) {
      if (!isAnsvarError(error, 'DirectoryUnavailable')) throw error;
      this.services.logger.warn(
        { err: error, organisationId: organisation.id },
        'hygiene check: directory unavailable; role holders not checked',
      );
      return undefined;
    }
    const findings: HolderFinding[] = [];
    for (const person of people) {
      const status = statuses.get(person.email.toLowerCase());
      if (status === undefined || (status.found && status.accountEnabled)) continue;
      findings.push({
        person,
        status: status.found ? 'disabled' : 'gone',
        roles: rolesByPerson.get(person.id) ?? [],
      });
    }
    const collator = new Intl.Collator(organisation.language);
    return findings.sort((a, b) => collator.compare(a.person.name, b.person.name));
  }

  private riskAnalysis(
    indexes: RegisterIndexes,
    organisation: Organisation,
    now: Date,
  ): RiskAnalysisFinding[] {
    const months = this.settings.riskAnalysisMonths ?? RISK_ANALYSIS_MONTHS;
    const findings: RiskAnalysisFinding[] = [];
    for (const system of indexes.register.systems) {
      if (system.organisationId !== organisation.id || system.lifecycle === 'retired') continue;
      if (!riskAnalysisDue(system, now, months)) continue;
      const finding: RiskAnalysisFinding = { system };
      const unit = system.unitId ? indexes.units.get(system.unitId) : undefined;
      if (unit) finding.unit = unit;
      if (system.riskAnalysisAt !== undefined) finding.riskAnalysisAt = system.riskAnalysisAt;
      findings.push(finding);
    }
    const collator = new Intl.Collator(organisation.language);
    return findings.sort((a, b) => {
      if (a.riskAnalysisAt !== b.riskAnalysisAt) {
        if (a.riskAnalysisAt === undefined) return -1;
        if (b.riskAnalysisAt === undefined) return 1;
        return Date.parse(a.riskAnalysisAt) - Date.parse(b.riskAnalysisAt);
      }
      return collator.compare(a.system.name, b.system.name);
    });
  }

  private unconfirmed(indexes: RegisterIndexes, organisation: Organisation, now: Date): UnconfirmedFinding[] {
    const limit = monthsBefore(now, this.settings.unconfirmedMonths).toISOString();
    const findings: UnconfirmedFinding[] = [];
    for (const system of indexes.register.systems) {
      if (system.organisationId !== organisation.id || system.lifecycle === 'retired') continue;
      const confirmedAt = system.confirmedAt;
      if (confirmedAt !== undefined && !(Date.parse(confirmedAt) < Date.parse(limit))) continue;
      const finding: UnconfirmedFinding = { system };
      const unit = system.unitId ? indexes.units.get(system.unitId) : undefined;
      if (unit) finding.unit = unit;
      if (confirmedAt !== undefined) finding.confirmedAt = confirmedAt;
      findings.push(finding);
    }
    const collator = new Intl.Collator(organisation.language);
    return findings.sort((a, b) => {
      if (a.confirmedAt !== b.confirmedAt) {
        if (a.confirmedAt === undefined) return -1;
        if (b.confirmedAt === undefined) return 1;
        return Date.parse(a.confirmedAt) - Date.parse(b.confirmedAt);
      }
      return collator.compare(a.system.name, b.system.name);
    });
  }
}

/** Ids of the people holding any of `roles` for the organisation itself now, each once, in register order. */
function currentHolders(
  indexes: RegisterIndexes,
  organisationId: string,
  roles: readonly OrganisationRole[],
  now: Date,
): string[] {
  const ids = new Set<string>();
  for (const assignment of indexes.organisationAssignments.get(organisationId) ?? []) {
    if ((roles as readonly Role[]).includes(assignment.role) && isCurrent(assignment, now))
      ids.add(assignment.personId);
  }
  return [...ids];
}

/** `months` calendar months before `now` (the 31st falls back to the month's last day). */
export function monthsBefore(now: Date, months: number): Date {
  const result = new Date(now.getTime());
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

function capped<T>(items: T[]): FindingList<T> {
  return { total: items.length, items: items.slice(0, FINDINGS_PER_KIND) };
}

/** A person id the register does not hold (an assignment to someone never imported): shown by e-mail. */
function fallback(id: string): Person {
  return { id, email: id, name: id };
}
