/**
 * File-consent downloads waiting for the user's answer (bot/fileConsent.ts owns the rules). With several instances
 * the answer may reach another instance than the one that offered the file, so the PostgreSQL store keeps them in a
 * table; one process keeps them in memory. The entry itself is opaque here.
 */
export interface PendingDownloadRecord {
  id: string;
  /** Lower-cased `from.aadObjectId` of the asker. */
  aadObjectId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  entry: Record<string, unknown>;
}

export interface PendingDownloadStore {
  /**
   * Keeps `record`; first drops records created before `expiredBefore`, the person's oldest beyond `perPerson - 1`,
   * and (memory only) the oldest beyond `limit - 1`.
   */
  add(
    record: PendingDownloadRecord,
    rules: { perPerson: number; limit: number; expiredBefore: number },
  ): Promise<void>;
  get(id: string): Promise<PendingDownloadRecord | undefined>;
  /** Removes the record; true only for the one caller that removed it (a download is used once). */
  remove(id: string): Promise<boolean>;
}
