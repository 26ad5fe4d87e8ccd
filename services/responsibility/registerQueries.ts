import {
  isCurrent,
  type Organisation,
  type Person,
  type RoleAssignment,
  type SystemRecord,
  type Unit,
} from '../../data/model.js';
import type { Logger } from '../../core/logger.js';
import { isAnsvarError } from '../../core/errors.js';
import type { Directory, DirectoryPerson } from '../directory/directory.js';
import { unitId as unitIdOf } from '../register/ids.js';
import type { MatchResult } from '../search/nameIndex.js';
import type { RegisterIndexes, RegisterView } from '../search/registerView.js';
import { isListReader } from '../lists/index.js';
import type { Asker } from './answers.js';

/** Who is asking, as far as the register or the directory know them (see `RegisterQueries.askerIdentity`). */
export interface AskerIdentity {
  /** Lower-cased e-mail / UPN: the person id requests are kept under. */
  personId: string;
  name: string;
  /** The register's person, when the register knows the asker. */
  person?: Person;
  organisation?: Organisation;
}

/** The asker resolved against one register revision (see `RegisterQueries.asker`). */
export interface AskerContext {
  /** The asker in the register. */
  person?: Person;
  /** The asker in the directory, when the register does not know them by object id. */
  directoryPerson?: DirectoryPerson;
  organisation?: Organisation;
}

/** Names for ids, each falling back to the id itself (a person or system since removed from the register). */
export interface RegisterNames {
  person(id: string): string;
  system(id: string): string;
}

interface Deps {
  view: Pick<RegisterView, 'current'>;
  directory: Pick<Directory, 'findById'>;
  logger: Logger;
}

/**
 * The questions bot/ may ask about the register, and "who is asking". Handlers ask here and never read the
 * register's indexes themselves; every answer is computed from the current revision.
 *
 * Who is asking: the register person whose aadObjectId is the asker's; else the directory's person for that object
 * id, matched to the register by UPN or mail; the organisation is that person's, else the one whose tenant is the
 * asker's. An `Asker` object stands for one turn: its resolution is kept with it for the register revision it was
 * made against, so a turn calls the directory at most once however many questions it asks.
 */
export class RegisterQueries {
  private readonly askers = new WeakMap<
    Asker,
    { indexes: RegisterIndexes; context: Promise<AskerContext> }
  >();

  constructor(private readonly deps: Deps) {}

  /**
   * The register as of now, whole: only to hand on to a function that takes it so (list export, request names,
   * review notices); bot/ never reads it itself.
   */
  snapshot(): Promise<RegisterIndexes> {
    return this.deps.view.current();
  }

  /** The current revision, which a care card carries to detect a concurrent change. */
  async revision(): Promise<number> {
    return (await this.deps.view.current()).revision;
  }

  async system(id: string): Promise<SystemRecord | undefined> {
    return (await this.deps.view.current()).systems.get(id);
  }

  async organisation(id: string): Promise<Organisation | undefined> {
    return (await this.deps.view.current()).organisations.get(id);
  }

  /** The register person with this id (ids are lower-cased e-mail addresses). */
  async person(id: string): Promise<Person | undefined> {
    return (await this.deps.view.current()).people.get(id);
  }

  async unit(id: string): Promise<Unit | undefined> {
    return (await this.deps.view.current()).units.get(id);
  }

  /** A role assignment by id, current or ended. */
  async assignment(id: string): Promise<RoleAssignment | undefined> {
    return (await this.deps.view.current()).register.roleAssignments.find((a) => a.id === id);
  }

  /** The organisation's units in register order. */
  async unitsOf(organisationId: string): Promise<Unit[]> {
    return (await this.deps.view.current()).register.units.filter((u) => u.organisationId === organisationId);
  }

  /** Names for ids, all from one revision. */
  async names(): Promise<RegisterNames> {
    const indexes = await this.deps.view.current();
    return {
      person: (id) => indexes.people.get(id)?.name ?? id,
      system: (id) => indexes.systems.get(id)?.name ?? id,
    };
  }

  /** The register people a typed name means (typos allowed), the given organisation's first. */
  async findPeople(query: string, preferOrganisationId?: string): Promise<MatchResult<Person>> {
    const indexes = await this.deps.view.current();
    return indexes.people.find(query, preferOrganisationId ? { preferOrganisationId } : {});
  }

  /**
   * The one system whose name or an alias is exactly `name` (the given organisation's first); fuzzy hits do not
   * count.
   */
  async systemNamedExactly(name: string, preferOrganisationId?: string): Promise<SystemRecord | undefined> {
    const indexes = await this.deps.view.current();
    const found = indexes.systems.findExact(name, preferOrganisationId ? { preferOrganisationId } : {});
    return found?.kind === 'one' ? found.hit.item : undefined;
  }

  /**
   * The units an equipment order may be for, the person's own first: the units they are an IT orderer for (the
   * authorisation list), else every unit of the organisation. Sorted by name after the first.
   */
  async orderUnits(organisationId: string, person: Person | undefined, now: Date): Promise<Unit[]> {
    const indexes = await this.deps.view.current();
    const orderedFor = new Set(
      (indexes.organisationAssignments.get(organisationId) ?? [])
        .filter((a) => a.role === 'it_orderer' && a.personId === person?.id && isCurrent(a, now))
        .flatMap((a) => a.unitIds ?? []),
    );
    const units = indexes.register.units
      .filter((u) => u.organisationId === organisationId && (orderedFor.size === 0 || orderedFor.has(u.id)))
      .sort((a, b) => a.name.localeCompare(b.name));
    const own = person?.department ? unitIdOf(organisationId, person.department) : undefined;
    const first = units.findIndex((u) => u.id === own);
    return first > 0 ? [units[first]!, ...units.filter((_, i) => i !== first)] : units;
  }

  /**
   * Whether the person may read the organisation's lists now (IT coordinators, IT unit, IT manager, security
   * officer): they may also open any of its requests from the list of open requests.
   */
  async isListReader(personId: string, organisationId: string, now: Date): Promise<boolean> {
    return isListReader(await this.deps.view.current(), organisationId, personId, now);
  }

  /**
   * Who the asker is, as a person id (lower-cased e-mail / UPN): the register person with the asker's aadObjectId,
   * else the directory's person for it (matched to the register by UPN or mail, else its UPN). Undefined when
   * neither knows the asker. Never from anything the client sends but `from.aadObjectId`.
   */
  async askerIdentity(asker: Asker): Promise<AskerIdentity | undefined> {
    const context = await this.asker(asker);
    const identity: AskerIdentity | undefined = context.person
      ? { personId: context.person.id, name: context.person.name, person: context.person }
      : context.directoryPerson
        ? { personId: context.directoryPerson.upn.toLowerCase(), name: context.directoryPerson.displayName }
        : undefined;
    if (identity && context.organisation) identity.organisation = context.organisation;
    return identity;
  }

  async askerOrganisation(asker: Asker): Promise<Organisation | undefined> {
    return (await this.asker(asker)).organisation;
  }

  /** The asker resolved against the current revision (see the class comment). */
  async asker(asker: Asker, indexes?: RegisterIndexes): Promise<AskerContext> {
    const current = indexes ?? (await this.deps.view.current());
    const kept = this.askers.get(asker);
    if (kept?.indexes === current) return kept.context;
    const context = this.resolve(asker, current);
    this.askers.set(asker, { indexes: current, context });
    return context;
  }

  private async resolve(asker: Asker, indexes: RegisterIndexes): Promise<AskerContext> {
    const objectId = asker.aadObjectId?.toLowerCase();
    let person = objectId ? indexes.peopleByAadObjectId.get(objectId) : undefined;
    let directoryPerson: DirectoryPerson | undefined;
    if (!person && asker.aadObjectId) {
      directoryPerson = await directoryCall(
        this.deps.logger,
        () => this.deps.directory.findById(asker.aadObjectId!),
        undefined,
      );
      if (directoryPerson) {
        person =
          indexes.people.get(directoryPerson.upn.toLowerCase()) ??
          (directoryPerson.mail ? indexes.people.get(directoryPerson.mail.toLowerCase()) : undefined);
      }
    }
    const organisation =
      (person?.organisationId ? indexes.organisations.get(person.organisationId) : undefined) ??
      (asker.tenantId ? indexes.organisationsByTenant.get(asker.tenantId.toLowerCase()) : undefined);
    const context: AskerContext = {};
    if (person) context.person = person;
    else if (directoryPerson) context.directoryPerson = directoryPerson;
    if (organisation) context.organisation = organisation;
    return context;
  }
}

/** Runs a directory call; DirectoryUnavailable gives `fallback` and a warning, anything else is thrown. */
export async function directoryCall<T, F>(
  logger: Logger,
  call: () => Promise<T>,
  fallback: F,
): Promise<T | F> {
  try {
    return await call();
  } catch (error) {
    if (!isAnsvarError(error, 'DirectoryUnavailable')) throw error;
    logger.warn({ err: error }, 'directory unavailable: answering without it');
    return fallback;
  }
}
