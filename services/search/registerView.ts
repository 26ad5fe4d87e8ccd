import type {
  Organisation,
  Person,
  Register,
  RegisterSnapshot,
  RoleAssignment,
  Unit,
} from '../../data/model.js';
import type { RegisterStore } from '../../data/registerStore.js';
import { PersonIndex } from './personIndex.js';
import { SystemIndex } from './systemIndex.js';

/**
 * One register revision with everything the question path looks things up in. Built once per revision, then
 * only read: the hot path never copies the register or touches the disk.
 */
export interface RegisterIndexes {
  readonly revision: number;
  readonly register: Register;
  readonly systems: SystemIndex;
  readonly people: PersonIndex;
  readonly organisations: ReadonlyMap<string, Organisation>;
  /** Organisations by lower-cased Entra tenant id (the first one listed wins if two share a tenant). */
  readonly organisationsByTenant: ReadonlyMap<string, Organisation>;
  readonly units: ReadonlyMap<string, Unit>;
  /** People by lower-cased Entra object id. */
  readonly peopleByAadObjectId: ReadonlyMap<string, Person>;
  /** All assignments, current and ended, of each system; callers filter with `isCurrent`. */
  readonly assignmentsBySystem: ReadonlyMap<string, readonly RoleAssignment[]>;
  readonly assignmentsByPerson: ReadonlyMap<string, readonly RoleAssignment[]>;
  /** Organisation-wide assignments (no systemId) by organisation. */
  readonly organisationAssignments: ReadonlyMap<string, readonly RoleAssignment[]>;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Builds the indexes of a register (a store snapshot, or a generated register for the benchmark). Keeps the
 * register's objects by reference, so the caller must not mutate it afterwards.
 */
export function buildRegisterIndexes(
  register: Register | RegisterSnapshot,
  revision?: number,
): RegisterIndexes {
  const organisationsByTenant = new Map<string, Organisation>();
  for (const organisation of register.organisations) {
    const tenantId = organisation.tenantId?.toLowerCase();
    if (tenantId && !organisationsByTenant.has(tenantId)) organisationsByTenant.set(tenantId, organisation);
  }
  const peopleByAadObjectId = new Map<string, Person>();
  for (const person of register.people) {
    if (person.aadObjectId) peopleByAadObjectId.set(person.aadObjectId.toLowerCase(), person);
  }
  return {
    revision: revision ?? ('revision' in register ? register.revision : 0),
    register,
    systems: SystemIndex.build(register.systems),
    people: PersonIndex.build(register.people),
    organisations: new Map(register.organisations.map((o) => [o.id, o])),
    organisationsByTenant,
    units: new Map(register.units.map((u) => [u.id, u])),
    peopleByAadObjectId,
    assignmentsBySystem: groupBy(register.roleAssignments, (a) => a.systemId),
    assignmentsByPerson: groupBy(register.roleAssignments, (a) => a.personId),
    organisationAssignments: groupBy(register.roleAssignments, (a) =>
      a.systemId === undefined ? a.organisationId : undefined,
    ),
  };
}

/**
 * The register as the question path sees it: the indexes of the store's current revision. `current()` asks the
 * store for its revision (cheap, no copy) and takes a snapshot and rebuilds only when the revision has changed;
 * concurrent callers during a rebuild share it.
 */
export class RegisterView {
  private built?: RegisterIndexes;
  private pending?: { revision: number; promise: Promise<RegisterIndexes> };

  constructor(private readonly store: Pick<RegisterStore, 'revision' | 'snapshot' | 'frozen'>) {}

  async current(): Promise<RegisterIndexes> {
    const revision = await this.store.revision();
    if (this.built?.revision === revision) return this.built;
    if (this.pending?.revision === revision) return this.pending.promise;
    const promise = this.rebuild();
    this.pending = { revision, promise };
    try {
      return await promise;
    } finally {
      if (this.pending?.promise === promise) this.pending = undefined;
    }
  }

  private async rebuild(): Promise<RegisterIndexes> {
    // The indexes point into the store's shared, frozen state instead of a copy of it: entities handed out from
    // them are read-only at run time (writing one throws), which is all the hot path needs.
    const snapshot = (await this.store.frozen()) as RegisterSnapshot;
    const indexes = buildRegisterIndexes(snapshot);
    if (this.built === undefined || indexes.revision >= this.built.revision) this.built = indexes;
    return indexes;
  }
}
