import { AnsvarError } from '../services/errors.js';
import {
  deepFreeze,
  type DeepReadonly,
  type Register,
  type RegisterChanges,
  type RegisterSnapshot,
} from './model.js';
import type { RegisterStore } from './registerStore.js';

/** The reference implementation of the RegisterStore contract, in memory. Used by tests and --dry-run. */
export class MemoryRegisterStore implements RegisterStore {
  private data: RegisterSnapshot;

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

  async apply(changes: RegisterChanges, expectedRevision: number): Promise<number> {
    if (expectedRevision !== this.data.revision) {
      throw new AnsvarError(
        'RevisionConflict',
        `expected revision ${expectedRevision}, store is at ${this.data.revision}`,
      );
    }
    this.data = deepFreeze(applyChanges(this.data, changes));
    return this.data.revision;
  }

  async close(): Promise<void> {}
}

/**
 * Pure: the register after `changes`, with the revision increased by one. Shared by every store. Entities and
 * tables that did not change are shared with `current` (never mutated), so frozen state stays valid.
 */
export function applyChanges(current: RegisterSnapshot, changes: RegisterChanges): RegisterSnapshot {
  const next: RegisterSnapshot = { ...current, revision: current.revision + 1 };
  for (const key of ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const) {
    const incoming = changes[key];
    if (!incoming || incoming.length === 0) continue;
    const byId = new Map<string, unknown>(current[key].map((e) => [e.id, e]));
    for (const entity of incoming) byId.set(entity.id, structuredClone(entity));
    (next as unknown as Record<string, unknown[]>)[key] = [...byId.values()];
  }
  return next;
}
