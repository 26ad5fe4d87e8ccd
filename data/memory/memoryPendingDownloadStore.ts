import type { PendingDownloadRecord, PendingDownloadStore } from '../pendingDownloadStore.js';

/** One process owns the store (lowdb, tests): the downloads in memory, at most `limit`. */
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
