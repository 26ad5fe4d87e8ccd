import { z } from 'zod';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import type { FileIo } from './fileIo.js';
import type { StorageHealth } from '../storageHealth.js';
import { DurableJsonFile } from './durableJsonFile.js';
import type { FileLock } from './fileLock.js';
import { openOwnedJsonFile } from './ownedJsonFile.js';
import { GroupCommit } from './groupCommit.js';
import { checkPersonKey, type ConversationReferenceStore } from '../conversationReferenceStore.js';

export const CONVERSATIONS_FILE_FORMAT = 'ansvar-conversations';
export const CONVERSATIONS_FILE_FORMAT_VERSION = 1;

type References = Record<string, Record<string, unknown>>;

const fileShape = z.record(z.string(), z.looseObject({}));

function parseReferences(data: unknown): References {
  const result = fileShape.safeParse(data);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return data as References;
}

export interface LowConversationReferenceStore extends ConversationReferenceStore {
  close(): Promise<void>;
}

/**
 * Opens `<dataDir>/conversations.json` (person key, i.e. aadObjectId → serialised conversation reference), owning it
 * until close(). `set` resolves once the reference is durable; sets that arrive while a write is under way (many
 * users installing at once) are written together with one durable write. Memory changes only after the write.
 */
export async function openLowConversationReferenceStore(
  dataDir: string,
  options: { fileName?: string; io?: FileIo; health?: StorageHealth } = {},
): Promise<LowConversationReferenceStore> {
  return openOwnedJsonFile<References, LowConversationReferenceStore>(
    dataDir,
    options.fileName ?? 'conversations.json',
    {
      format: CONVERSATIONS_FILE_FORMAT,
      formatVersion: CONVERSATIONS_FILE_FORMAT_VERSION,
      parse: parseReferences,
      io: options.io,
      health: options.health,
    },
    {},
    (file, lock, data) => new LowStore(file, lock, new Map(Object.entries(data))),
  );
}

class LowStore implements LowConversationReferenceStore {
  private readonly commits: GroupCommit<Map<string, Record<string, unknown>>>;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly file: DurableJsonFile<References>,
    private readonly lock: FileLock,
    private references: Map<string, Record<string, unknown>>,
  ) {
    this.commits = new GroupCommit({
      begin: () => new Map(this.references),
      changed: () => true,
      persist: async (draft) => {
        try {
          await this.file.write(Object.fromEntries(draft));
        } catch (error) {
          logger.error({ err: error, file: this.file.path }, 'conversation reference write failed');
          throw error;
        }
      },
      commit: (draft) => {
        this.references = draft;
      },
    });
  }

  async get(personKey: string): Promise<Record<string, unknown> | undefined> {
    this.assertOpen();
    const reference = this.references.get(personKey);
    return reference && structuredClone(reference);
  }

  async set(personKey: string, reference: Record<string, unknown>): Promise<void> {
    this.assertOpen();
    checkPersonKey(personKey);
    const copy = structuredClone(reference);
    await this.commits.submit((draft) => {
      draft.set(personKey, copy);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.commits.drain().then(() => this.lock.release());
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) {
      throw new AnsvarError('StoreLocked', `the conversation store for ${this.file.path} is closed`);
    }
  }
}
