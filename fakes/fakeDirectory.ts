import type { Person } from '../data/model.js';
import type { Directory, DirectoryPerson, PersonStatus } from '../services/directory/directory.js';
import { AnsvarError } from '../core/errors.js';

/**
 * An in-memory Directory for tests. Everyone added is found, enabled and in office until a test says otherwise
 * with `disable`, `remove` (gone from the directory), `setOutOfOffice` or `setUnavailable` (every call throws
 * DirectoryUnavailable). `calls` counts calls per method and `statusRequests` keeps the UPN lists asked for.
 */
export class FakeDirectory implements Directory {
  readonly kind = 'local' as const;
  readonly calls = { findById: 0, findByUpn: 0, statusOf: 0, managerOf: 0 };
  readonly statusRequests: string[][] = [];
  private readonly people = new Map<string, DirectoryPerson>();
  private readonly outOfOffice = new Map<string, string | undefined>();
  private readonly managers = new Map<string, string>();
  private unavailable = false;

  constructor(people: readonly (Partial<DirectoryPerson> & { upn: string })[] = []) {
    for (const person of people) this.add(person);
  }

  /** A directory holding the register's people, with their aadObjectId (or e-mail) as object id. */
  static fromPeople(people: readonly Person[]): FakeDirectory {
    const directory = new FakeDirectory();
    for (const p of people) {
      directory.add({ upn: p.email, id: p.aadObjectId ?? p.email, displayName: p.name, mail: p.email });
      if (p.managerId) directory.setManager(p.email, p.managerId);
    }
    return directory;
  }

  add(person: Partial<DirectoryPerson> & { upn: string }): DirectoryPerson {
    const upn = person.upn.toLowerCase();
    const full: DirectoryPerson = { id: upn, displayName: upn, accountEnabled: true, ...person, upn };
    this.people.set(upn, full);
    return full;
  }

  disable(upn: string): this {
    const person = this.require(upn);
    this.people.set(person.upn, { ...person, accountEnabled: false });
    return this;
  }

  /** The person no longer exists in the directory (left, deleted). */
  remove(upn: string): this {
    this.people.delete(upn.toLowerCase());
    return this;
  }

  setOutOfOffice(upn: string, until?: string): this {
    this.outOfOffice.set(this.require(upn).upn, until);
    return this;
  }

  backInOffice(upn: string): this {
    this.outOfOffice.delete(upn.toLowerCase());
    return this;
  }

  setManager(upn: string, managerUpn: string): this {
    this.managers.set(upn.toLowerCase(), managerUpn.toLowerCase());
    return this;
  }

  /** While true, every call throws AnsvarError('DirectoryUnavailable'), as an unreachable Graph would. */
  setUnavailable(unavailable = true): this {
    this.unavailable = unavailable;
    return this;
  }

  get totalCalls(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0);
  }

  async findById(objectId: string): Promise<DirectoryPerson | undefined> {
    this.calls.findById += 1;
    this.checkAvailable();
    const id = objectId.toLowerCase();
    for (const person of this.people.values()) if (person.id.toLowerCase() === id) return { ...person };
    return undefined;
  }

  async findByUpn(upn: string): Promise<DirectoryPerson | undefined> {
    this.calls.findByUpn += 1;
    this.checkAvailable();
    const person = this.people.get(upn.toLowerCase());
    return person ? { ...person } : undefined;
  }

  async statusOf(upns: readonly string[]): Promise<Map<string, PersonStatus>> {
    this.calls.statusOf += 1;
    this.statusRequests.push([...upns]);
    this.checkAvailable();
    const result = new Map<string, PersonStatus>();
    for (const requested of upns) {
      const upn = requested.toLowerCase();
      const person = this.people.get(upn);
      if (!person) {
        result.set(upn, { upn, found: false, accountEnabled: false, outOfOffice: false });
        continue;
      }
      const away = this.outOfOffice.has(upn);
      const status: PersonStatus = {
        upn,
        found: true,
        accountEnabled: person.accountEnabled,
        outOfOffice: away,
      };
      const until = this.outOfOffice.get(upn);
      if (away && until !== undefined) status.outOfOfficeUntil = until;
      result.set(upn, status);
    }
    return result;
  }

  async managerOf(upn: string): Promise<DirectoryPerson | undefined> {
    this.calls.managerOf += 1;
    this.checkAvailable();
    const managerUpn = this.managers.get(upn.toLowerCase());
    const manager = managerUpn ? this.people.get(managerUpn) : undefined;
    return manager ? { ...manager } : undefined;
  }

  private require(upn: string): DirectoryPerson {
    const person = this.people.get(upn.toLowerCase());
    if (!person) throw new Error(`FakeDirectory: nobody with UPN ${upn}; add them first`);
    return person;
  }

  private checkAvailable(): void {
    if (this.unavailable) throw new AnsvarError('DirectoryUnavailable', 'fake directory set unavailable');
  }
}
