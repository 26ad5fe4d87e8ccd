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

export class MemoryPendingDownloadStore implements PendingDownloadStore {
  private readonly records = new Map<string, PendingDownloadRecord>();

  async add(
    record: PendingDownloadRecord,
    rules: { perPerson: number; limit: number; expiredBefore: number },
  ): Promise<void> {
    for (const r of this.records.values()) if (r.createdAt < rules.expiredBefore) this.records.delete(r.id);
    const mine = [...this.records.values()].filter((r) => r.aadObjectId === record.aadObjectId);
    for (const old of mine.slice(0, Math.max(0, mine.length - rules.perPerson + 1)))
      this.records.delete(old.id);
    if (this.records.size >= rules.limit) {
      const oldest = this.records.keys().next();
      if (!oldest.done) this.records.delete(oldest.value);
    }
    this.records.set(record.id, structuredClone(record));
  }

  async get(id: string): Promise<PendingDownloadRecord | undefined> {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  async remove(id: string): Promise<boolean> {
    return this.records.delete(id);
  }
}
