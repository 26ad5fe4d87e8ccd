import type { AuditEvent } from '../requestModel.js';
import type { AuditLog } from '../auditLog.js';
import { matchesAuditFilter } from '../auditRecords.js';

/** The AuditLog contract in memory (tests, dry runs): append-only, ids kept once, filters as the file log. */
export class MemoryAuditLog implements AuditLog {
  private readonly events: AuditEvent[] = [];
  private readonly ids = new Set<string>();

  async append(events: AuditEvent[]): Promise<void> {
    for (const event of events) {
      if (this.ids.has(event.id)) continue;
      this.ids.add(event.id);
      this.events.push(structuredClone(event));
    }
  }

  async *read(filter?: Parameters<AuditLog['read']>[0]): AsyncIterable<AuditEvent> {
    const since = filter?.since === undefined ? undefined : Date.parse(filter.since);
    for (const event of [...this.events]) {
      if (matchesAuditFilter(event, filter, since)) yield structuredClone(event);
    }
  }

  async close(): Promise<void> {}
}
