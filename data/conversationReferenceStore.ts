import { AnsvarError } from '../core/errors.js';

/**
 * Where to reach a person proactively: the serialised Bot Framework conversation reference (opaque here), by person
 * key (aadObjectId). Values go in and out as copies; `set` refuses an empty key (InvalidInput) and is durable when
 * its promise resolves.
 */
export interface ConversationReferenceStore {
  get(personKey: string): Promise<Record<string, unknown> | undefined>;
  set(personKey: string, reference: Record<string, unknown>): Promise<void>;
}

/** The check every implementation makes before `set`. */
export function checkPersonKey(personKey: string): void {
  if (typeof personKey !== 'string' || personKey.length === 0) {
    throw new AnsvarError('InvalidInput', 'a conversation reference needs a non-empty person key');
  }
}
