/**
 * What Ansvar needs to know about people from the organisation's directory (Entra ID via Microsoft Graph, or the
 * register itself in local mode). Implementations cache; callers never talk to Graph directly.
 */
export interface DirectoryPerson {
  /** Entra object id (local directory: the register's aadObjectId, or the e-mail when none is known). */
  id: string;
  /** User principal name, lower-cased. */
  upn: string;
  displayName: string;
  jobTitle?: string;
  department?: string;
  mail?: string;
  accountEnabled: boolean;
}

export interface PersonStatus {
  upn: string;
  /** False when the directory has no such user (deleted, or never existed). */
  found: boolean;
  accountEnabled: boolean;
  /** Automatic replies (out of office) are on now. */
  outOfOffice: boolean;
  /** ISO date-time when scheduled automatic replies end, if known. */
  outOfOfficeUntil?: string;
}

export interface Directory {
  readonly kind: 'local' | 'graph';
  findById(objectId: string): Promise<DirectoryPerson | undefined>;
  findByUpn(upn: string): Promise<DirectoryPerson | undefined>;
  /**
   * Status of many people at once, in as few directory calls as possible (Graph: `$batch` of at most 20).
   * Every requested UPN is in the result; unknown ones have `found: false`. Throws
   * AnsvarError('DirectoryUnavailable') only when the directory cannot be reached at all.
   */
  statusOf(upns: readonly string[]): Promise<Map<string, PersonStatus>>;
  /** The person's manager, if the directory knows one. */
  managerOf(upn: string): Promise<DirectoryPerson | undefined>;
}
