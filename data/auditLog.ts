import type { AuditEvent } from './requestModel.js';

/**
 * Where the audit log's hash chain stood after a flush: how many records it held and the hash of the last one. The
 * stores keep the head of their last flush, so an audit log that is missing, shorter or different is noticed.
 */
export interface AuditHead {
  count: number;
  hash: string;
}

/**
 * The append-only audit log (its own file, apart from the hot store; in PostgreSQL its own table). Every
 * implementation keeps one hash chain over the events in the form of data/auditRecords.ts, so `npm run audit`
 * verifies either.
 */
export interface AuditLog {
  /**
   * Appends durably; an event whose id is already in the log is skipped (flushing is retried after a crash).
   * Resolves with the chain head after the append, where the log has one.
   */
  append(events: AuditEvent[]): Promise<AuditHead | void>;
  /** Events in order, filtered. */
  read(filter?: {
    systemId?: string;
    personId?: string;
    since?: string;
    requestId?: string;
  }): AsyncIterable<AuditEvent>;
  close(): Promise<void>;
}

export type AuditFilter = NonNullable<Parameters<AuditLog['read']>[0]>;
