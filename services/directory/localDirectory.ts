import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Person } from '../../data/model.js';
import type { RegisterStore } from '../../data/registerStore.js';
import { AnsvarError } from '../../core/errors.js';
import type { Directory, DirectoryPerson, PersonStatus } from './directory.js';

/**
 * The directory when the bot runs without Azure: people are the register's people. An optional status file (a
 * demo aid, `data/sample/directory-status.json`) marks some of them disabled, gone (no longer in the directory) or
 * out of office until a date:
 *
 *   { "disabled": ["a@x"], "gone": ["b@x"], "outOfOffice": [{ "email": "c@x", "until": "2030-01-01T00:00:00Z" }] }
 *
 * Every key is optional; a missing file means everyone is available. The file is read once, at construction, so a
 * bad file stops start-up with a message naming it.
 */
const statusFileSchema = z.strictObject({
  disabled: z.array(z.string().trim().min(1)).default([]),
  gone: z.array(z.string().trim().min(1)).default([]),
  outOfOffice: z
    .array(
      z.strictObject({
        email: z.string().trim().min(1),
        /** Absent: out of office with no known end. */
        until: z.iso.datetime({ offset: true }).optional(),
      }),
    )
    .default([]),
});
export type LocalStatusFile = z.input<typeof statusFileSchema>;

interface LocalStatus {
  disabled: Set<string>;
  gone: Set<string>;
  outOfOfficeUntil: Map<string, string | undefined>;
}

interface PeopleIndex {
  revision: number;
  byEmail: Map<string, Person>;
  byObjectId: Map<string, Person>;
}

export interface LocalDirectoryOptions {
  now?: () => Date;
  /** Path of the status file; absent or missing on disk = everyone available. */
  statusFile?: string;
}

export class LocalDirectory implements Directory {
  readonly kind = 'local' as const;
  private readonly now: () => Date;
  private readonly status: LocalStatus;
  private index?: PeopleIndex;
  private indexing?: Promise<PeopleIndex>;

  constructor(
    private readonly store: RegisterStore,
    options: LocalDirectoryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.status = options.statusFile === undefined ? emptyStatus() : readStatusFile(options.statusFile);
  }

  async findById(objectId: string): Promise<DirectoryPerson | undefined> {
    const index = await this.people();
    const person = index.byObjectId.get(objectId.trim().toLowerCase());
    return person === undefined ? undefined : this.present(person);
  }

  async findByUpn(upn: string): Promise<DirectoryPerson | undefined> {
    const index = await this.people();
    const person = index.byEmail.get(normaliseEmail(upn));
    return person === undefined ? undefined : this.present(person);
  }

  async statusOf(upns: readonly string[]): Promise<Map<string, PersonStatus>> {
    const index = await this.people();
    const at = this.now().toISOString();
    const result = new Map<string, PersonStatus>();
    for (const requested of upns) {
      const upn = normaliseEmail(requested);
      const person = index.byEmail.get(upn);
      if (person === undefined || this.status.gone.has(upn)) {
        result.set(requested, { upn, found: false, accountEnabled: false, outOfOffice: false });
        continue;
      }
      const status: PersonStatus = {
        upn,
        found: true,
        accountEnabled: !this.status.disabled.has(upn),
        outOfOffice: false,
      };
      if (this.status.outOfOfficeUntil.has(upn)) {
        const until = this.status.outOfOfficeUntil.get(upn);
        if (until === undefined || at < until) {
          status.outOfOffice = true;
          if (until !== undefined) status.outOfOfficeUntil = until;
        }
      }
      result.set(requested, status);
    }
    return result;
  }

  async managerOf(upn: string): Promise<DirectoryPerson | undefined> {
    const index = await this.people();
    const managerId = index.byEmail.get(normaliseEmail(upn))?.managerId;
    if (managerId === undefined) return undefined;
    const manager = index.byEmail.get(normaliseEmail(managerId));
    return manager === undefined ? undefined : this.present(manager);
  }

  /** Gone people are not in the directory at all. */
  private present(person: Person): DirectoryPerson | undefined {
    const upn = normaliseEmail(person.email);
    if (this.status.gone.has(upn)) return undefined;
    const result: DirectoryPerson = {
      id: person.aadObjectId ?? upn,
      upn,
      displayName: person.name,
      mail: person.email,
      accountEnabled: !this.status.disabled.has(upn),
    };
    if (person.title !== undefined) result.jobTitle = person.title;
    if (person.department !== undefined) result.department = person.department;
    return result;
  }

  /** The register's people, indexed once per store revision: the hot path costs one `revision()` call. */
  private async people(): Promise<PeopleIndex> {
    const revision = await this.store.revision();
    if (this.index !== undefined && this.index.revision === revision) return this.index;
    if (this.indexing === undefined) {
      this.indexing = this.buildIndex().finally(() => {
        this.indexing = undefined;
      });
    }
    const built = await this.indexing;
    if (this.index === undefined || built.revision >= this.index.revision) this.index = built;
    return built;
  }

  private async buildIndex(): Promise<PeopleIndex> {
    const snapshot = await this.store.frozen();
    const byEmail = new Map<string, Person>();
    const byObjectId = new Map<string, Person>();
    for (const person of snapshot.people) {
      const email = normaliseEmail(person.email);
      byEmail.set(email, person);
      byObjectId.set(person.aadObjectId?.trim().toLowerCase() ?? email, person);
    }
    return { revision: snapshot.revision, byEmail, byObjectId };
  }
}

function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

function emptyStatus(): LocalStatus {
  return { disabled: new Set(), gone: new Set(), outOfOfficeUntil: new Map() };
}

function readStatusFile(file: string): LocalStatus {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyStatus();
    throw new AnsvarError('InvalidConfig', `Directory status file ${file} cannot be read`, undefined, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AnsvarError(
      'InvalidConfig',
      `Directory status file ${file} is not valid JSON: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  }
  const parsed = statusFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new AnsvarError(
      'InvalidConfig',
      `Directory status file ${file} is invalid:\n  ${problems.join('\n  ')}`,
      problems,
    );
  }
  return {
    disabled: new Set(parsed.data.disabled.map(normaliseEmail)),
    gone: new Set(parsed.data.gone.map(normaliseEmail)),
    outOfOfficeUntil: new Map(
      parsed.data.outOfOffice.map((entry) => [
        normaliseEmail(entry.email),
        entry.until === undefined ? undefined : new Date(entry.until).toISOString(),
      ]),
    ),
  };
}
