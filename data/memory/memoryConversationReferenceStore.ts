import { checkPersonKey, type ConversationReferenceStore } from '../conversationReferenceStore.js';

/** The ConversationReferenceStore contract in memory, for tests. Values go in and out as copies. */
export class MemoryConversationReferenceStore implements ConversationReferenceStore {
  private readonly references = new Map<string, Record<string, unknown>>();

  async get(personKey: string): Promise<Record<string, unknown> | undefined> {
    const reference = this.references.get(personKey);
    return reference && structuredClone(reference);
  }

  async set(personKey: string, reference: Record<string, unknown>): Promise<void> {
    checkPersonKey(personKey);
    this.references.set(personKey, structuredClone(reference));
  }
}
