import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AnsvarError } from '../../core/errors.js';
import type { AuditHead } from '../auditLog.js';
import type { RequestState } from '../requestDrafts.js';
import type { AuditEvent, CardCopy, InventoryItem, OutboxItem } from '../requestModel.js';
import { upgradeStoredRequest, type StoredRequest } from '../requestUpgrade.js';
import { readJournalEntries } from './journal.js';

/*
 * The request store's hot files: the snapshot `requests.json` (its format, checked shape and versions) and the
 * journal entries that apply to it, and how either turns into the store's RequestState and back. The store
 * (lowRequestStore.ts) decides when to write which.
 */

export const REQUESTS_FILE_FORMAT = 'ansvar-requests';
/** 2: the snapshot names its generation and has a journal; 1 (still read): a snapshot alone, maybe no inventory. */
export const REQUESTS_FILE_FORMAT_VERSION = 2;

export interface RequestsFileNames {
  /** Hot file inside the data directory; default `requests.json`. */
  fileName?: string;
  /** Journal of the hot file inside the data directory; default `<fileName without .json>.journal`. */
  journalFileName?: string;
}

export function requestsFilePaths(
  dataDir: string,
  names: RequestsFileNames,
): { filePath: string; journalPath: string } {
  const filePath = path.join(dataDir, names.fileName ?? 'requests.json');
  const journalPath = path.join(
    dataDir,
    names.journalFileName ?? `${path.basename(filePath).replace(/\.json$/, '')}.journal`,
  );
  return { filePath, journalPath };
}

/**
 * What `requests.json` holds: the hot set of requests (open ones and those closed recently), and the whole
 * inventory, which is small and changes rarely, so it stays in the durable file instead of moving to the archive.
 * Requests may be in an older shape (see requestUpgrade.ts); files written before inventory existed lack it.
 * `generation` counts snapshots: the journal's entries apply to the snapshot of the journal's generation.
 */
export interface RequestsFile {
  generation: number;
  requests: StoredRequest[];
  outbox: OutboxItem[];
  cardCopies: CardCopy[];
  pendingAudit: AuditEvent[];
  inventory: InventoryItem[];
  /** The audit log's chain head after this store's last flush (files written before it existed lack it). */
  auditHead?: AuditHead;
}

/** The envelope's checksum already proves Ansvar wrote the file; this only guards the top-level shape. */
const requestShape = z.looseObject({ id: z.string(), version: z.number().int(), status: z.string() });
const idShape = z.looseObject({ id: z.string() });
const cardCopyShape = z.looseObject({ requestId: z.string() });
const inventoryShape = z.looseObject({ id: z.string(), version: z.number().int() });
const auditHeadShape = z.strictObject({ count: z.number().int().nonnegative(), hash: z.string() });
const fileShape = z.object({
  auditHead: auditHeadShape.optional(),
  generation: z.number().int().nonnegative(),
  requests: z.array(requestShape),
  outbox: z.array(idShape),
  cardCopies: z.array(cardCopyShape),
  pendingAudit: z.array(idShape),
  inventory: z.array(inventoryShape),
});
/** Version 1: no generation (no journal existed), and files written before inventory existed lack it. */
const fileShapeV1 = fileShape
  .omit({ generation: true, auditHead: true })
  .extend({ inventory: fileShape.shape.inventory.optional() });

export function parseFile(data: unknown, formatVersion: number): RequestsFile {
  if (formatVersion === 1) {
    const result = fileShapeV1.safeParse(data);
    if (!result.success) throw new Error(z.prettifyError(result.error));
    const file = data as Omit<RequestsFile, 'inventory' | 'generation'> & { inventory?: InventoryItem[] };
    return { ...file, generation: 0, inventory: file.inventory ?? [] };
  }
  const result = fileShape.safeParse(data);
  if (!result.success) throw new Error(z.prettifyError(result.error));
  return data as RequestsFile;
}

export function emptyFile(): RequestsFile {
  return { generation: 0, requests: [], outbox: [], cardCopies: [], pendingAudit: [], inventory: [] };
}

const COLLECTIONS = ['requests', 'outbox', 'cardCopies', 'pendingAudit', 'inventory'] as const;
type Collection = (typeof COLLECTIONS)[number];
export type MutableState = { -readonly [K in Collection]: Map<string, unknown> };

/**
 * One journal entry: what one group of changes did to each of the state's maps (values set, keys removed), by key.
 * Card copies are keyed by request id, with all of that request's copies as the value.
 */
const part = <T extends z.ZodType>(value: T) =>
  z.strictObject({
    set: z.array(z.tuple([z.string(), value])).optional(),
    del: z.array(z.string()).optional(),
  });
const entryShape = z.strictObject({
  requests: part(requestShape).optional(),
  outbox: part(idShape).optional(),
  cardCopies: part(z.array(cardCopyShape)).optional(),
  pendingAudit: part(idShape).optional(),
  inventory: part(inventoryShape).optional(),
  auditHead: auditHeadShape.optional(),
});
export type JournalEntry = Partial<Record<Collection, { set?: Array<[string, unknown]>; del?: string[] }>> & {
  auditHead?: AuditHead;
};

export function toState(file: RequestsFile): MutableState {
  const cardCopies = new Map<string, CardCopy[]>();
  for (const copy of file.cardCopies) {
    const list = cardCopies.get(copy.requestId) ?? [];
    list.push(copy);
    cardCopies.set(copy.requestId, list);
  }
  return {
    requests: new Map(file.requests.map((r) => [r.id, upgradeStoredRequest(r)])),
    outbox: new Map(file.outbox.map((o) => [o.id, o])),
    cardCopies,
    pendingAudit: new Map(file.pendingAudit.map((e) => [e.id, e])),
    inventory: new Map(file.inventory.map((i) => [i.id, i])),
  };
}

/** The entry that turns `base` into `next`; undefined when nothing differs. Maps a draft did not touch are skipped. */
export function entryBetween(base: RequestState, next: RequestState): JournalEntry | undefined {
  const entry: JournalEntry = {};
  for (const name of COLLECTIONS) {
    const before = base[name] as ReadonlyMap<string, unknown>;
    const after = next[name] as ReadonlyMap<string, unknown>;
    if (before === after) continue;
    const set: Array<[string, unknown]> = [];
    const del: string[] = [];
    // Drafts copy a map on first change and never change a stored value in place: a new value is a new object.
    for (const [key, value] of after) if (before.get(key) !== value) set.push([key, value]);
    for (const key of before.keys()) if (!after.has(key)) del.push(key);
    if (set.length > 0 || del.length > 0) {
      entry[name] = { ...(set.length > 0 ? { set } : {}), ...(del.length > 0 ? { del } : {}) };
    }
  }
  return Object.keys(entry).length > 0 ? entry : undefined;
}

/** Applies one journal entry to `state`; returns the audit head it records, if any. */
export function applyEntry(
  state: MutableState,
  raw: unknown,
  journal: string,
  index: number,
): AuditHead | undefined {
  const result = entryShape.safeParse(raw);
  if (!result.success) {
    throw new AnsvarError(
      'StoreCorrupt',
      `Journal ${journal} has a valid checksum but unexpected content in entry ${index + 1}: ${z.prettifyError(result.error)}. ` +
        'Ansvar has not changed it; restore the data directory from a backup.',
      { path: journal },
    );
  }
  const entry = raw as JournalEntry;
  for (const name of COLLECTIONS) {
    const change = entry[name];
    if (!change) continue;
    for (const key of change.del ?? []) state[name].delete(key);
    for (const [key, value] of change.set ?? []) {
      state[name].set(key, name === 'requests' ? upgradeStoredRequest(value as StoredRequest) : value);
    }
  }
  return entry.auditHead;
}

export function toFile(
  state: RequestState,
  generation: number,
  auditHead: AuditHead | undefined,
): RequestsFile {
  return {
    ...(auditHead ? { auditHead } : {}),
    generation,
    requests: [...state.requests.values()],
    outbox: [...state.outbox.values()],
    cardCopies: [...state.cardCopies.values()].flat(),
    pendingAudit: [...state.pendingAudit.values()],
    inventory: [...state.inventory.values()],
  };
}

/**
 * The audit chain head the request store in `dataDir` recorded (snapshot, then journal), read without the lock
 * and without changing anything, for `npm run audit -- --check` beside a running Ansvar. Undefined when none was
 * recorded yet (or the store does not exist).
 */
export async function readRequestStoreAuditHead(
  dataDir: string,
  names: RequestsFileNames = {},
): Promise<AuditHead | undefined> {
  const { filePath, journalPath } = requestsFilePaths(dataDir, names);
  // No snapshot yet: the store has only its journal, of generation 0.
  let envelope: { formatVersion?: number; data?: { generation?: number; auditHead?: AuditHead } } = {
    formatVersion: REQUESTS_FILE_FORMAT_VERSION,
    data: { generation: 0 },
  };
  try {
    envelope = JSON.parse(await fsp.readFile(filePath, 'utf8')) as typeof envelope;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let head = envelope.data?.auditHead;
  if (envelope.formatVersion !== REQUESTS_FILE_FORMAT_VERSION) return head;
  const entries = await readJournalEntries(journalPath, {
    of: REQUESTS_FILE_FORMAT,
    generation: envelope.data?.generation ?? 0,
  });
  for (const entry of entries) head = (entry as JournalEntry).auditHead ?? head;
  return head;
}
