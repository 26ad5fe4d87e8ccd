/**
 * Where to reach a person proactively: the serialised Bot Framework conversation reference (opaque here), by person
 * key (aadObjectId). Values go in and out as copies; `set` refuses an empty key (InvalidInput) and is durable when
 * its promise resolves.
 */
export interface ConversationReferenceStore {
  get(personKey: string): Promise<Record<string, unknown> | undefined>;
  set(personKey: string, reference: Record<string, unknown>): Promise<void>;
}
