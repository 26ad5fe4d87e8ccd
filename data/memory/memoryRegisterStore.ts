import { AnsvarError } from '../../core/errors.js';
import {
  deepFreeze,
  type DeepReadonly,
  type Register,
  type RegisterChanges,
  type RegisterSnapshot,
} from '../model.js';
import { firstValues } from '../requestQueries.js';
import type { RegisterEffects, RegisterStore } from '../registerStore.js';
import type { AuditEvent } from '../requestModel.js';
import { applyChanges, withoutFlushed, withPendingAudit } from '../registerChanges.js';

/** The reference implementation of the RegisterStore contract, in memory. Used by tests and --dry-run. */
export class MemoryRegisterStore implements RegisterStore {
  private data: RegisterSnapshot;
  private pending: ReadonlyMap<string, AuditEvent> = new Map();

  constructor(initial?: Partial<Register>) {
    this.data = deepFreeze({
      revision: 0,
      organisations: [],
      units: [],
      people: [],
      systems: [],
      roleAssignments: [],
      ...structuredClone(initial ?? {}),
    });
  }

  async revision(): Promise<number> {
    return this.data.revision;
  }

  async snapshot(): Promise<RegisterSnapshot> {
    return structuredClone(this.data);
  }

  async frozen(): Promise<DeepReadonly<RegisterSnapshot>> {
    return this.data;
  }

  async apply(
    changes: RegisterChanges,
    expectedRevision: number,
    effects?: RegisterEffects,
  ): Promise<number> {
    if (expectedRevision !== this.data.revision) {
      throw new AnsvarError(
        'RevisionConflict',
        `expected revision ${expectedRevision}, store is at ${this.data.revision}`,
      );
    }
    const pending = withPendingAudit(this.pending, effects);
    this.data = deepFreeze(applyChanges(this.data, changes, effects?.remove));
    this.pending = pending;
    return this.data.revision;
  }

  async pendingAudit(limit?: number): Promise<AuditEvent[]> {
    return firstValues(this.pending, limit);
  }

  async auditFlushed(eventIds: string[]): Promise<void> {
    this.pending = withoutFlushed(this.pending, eventIds) ?? this.pending;
  }

  async close(): Promise<void> {}
}
