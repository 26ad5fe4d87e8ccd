import { createReadStream } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { AnsvarError } from '../../core/errors.js';
import { chainHash, GENESIS_HASH } from '../auditRecords.js';
import { openAuditLog } from '../lowdb/auditLogFile.js';
import { DurableJsonFile } from '../lowdb/durableJsonFile.js';
import {
  CONVERSATIONS_FILE_FORMAT,
  CONVERSATIONS_FILE_FORMAT_VERSION,
  openLowConversationReferenceStore,
} from '../lowdb/lowConversationReferenceStore.js';
import { openLowRegisterStore } from '../lowdb/lowRegisterStore.js';
import { openLowRequestStore } from '../lowdb/lowRequestStore.js';
import { openLowTimerStore } from '../lowdb/lowTimerStore.js';
import type { CardCopy, WorkRequest } from '../requestModel.js';
import { upgradeStoredRequest, type StoredRequest } from '../requestUpgrade.js';
import type { AccessList, ReviewCampaign } from '../reviewModel.js';
import {
  openLowReviewStore,
  REVIEWS_FILE_FORMAT,
  REVIEWS_FILE_FORMAT_VERSION,
} from '../lowdb/lowReviewStore.js';
import { insertPendingAudit } from './pgRegisterStore.js';
import { ANSVAR_TABLES } from './database.js';
import { PgReviewStore } from './pgReviewStore.js';

export interface CopyReport {
  registerRevision: number;
  organisations: number;
  units: number;
  people: number;
  systems: number;
  roleAssignments: number;
  requests: number;
  outbox: number;
  cardCopies: number;
  inventory: number;
  pendingAudit: number;
  auditRecords: number;
  conversations: number;
  /** Scheduled timers (reminders, escalations, expiries, renewals, owner checks), with their claims and attempts. */
  timers: number;
  /** Access-review campaigns (open and closed) and imported access lists (`reviews.json`). */
  reviewCampaigns: number;
  accessLists: number;
}

/**
 * Moves a lowdb data directory into an empty, migrated PostgreSQL database in ONE transaction: the register (same
 * revision), requests (hot and archived) with their outbox, card copies and pending audit events, the inventory,
 * the audit log (re-chained with the same hashing, so every record keeps its hash), conversation references, the
 * scheduled timers (with their due times, attempts and claims) and the access reviews (campaigns with their
 * versions and decisions, imported access lists).
 * Before committing it counts every table and verifies the audit chain inside the transaction; any difference
 * rolls everything back. The data directory is opened with its locks (Ansvar must be stopped) and not changed
 * (opening repairs what a crash left, as a start of Ansvar would).
 */
export async function copyLowdbIntoPostgres(dataDir: string, pool: pg.Pool): Promise<CopyReport> {
  const register = await openLowRegisterStore(dataDir);
  const requests = await openLowRequestStore(dataDir, {
    archiveIntervalMs: 0,
    archiveAfterMs: Number.MAX_SAFE_INTEGER,
  });
  const audit = await openAuditLog(dataDir).catch(async (error: unknown) => {
    await requests.close();
    await register.close();
    throw error;
  });
  const conversationLock = await openLowConversationReferenceStore(dataDir).catch(async (error: unknown) => {
    await audit.close();
    await requests.close();
    await register.close();
    throw error;
  });
  const timerStore = await openLowTimerStore(dataDir).catch(async (error: unknown) => {
    await conversationLock.close();
    await audit.close();
    await requests.close();
    await register.close();
    throw error;
  });
  const reviewLock = await openLowReviewStore(dataDir).catch(async (error: unknown) => {
    await timerStore.close();
    await conversationLock.close();
    await audit.close();
    await requests.close();
    await register.close();
    throw error;
  });
  try {
    const timers = await timerStore.all!();
    const reviews = await readReviews(dataDir);
    const snapshot = await register.snapshot();
    const registerPending = await register.pendingAudit();
    const hot = await requests.list({});
    const archived = await readArchive(path.join(dataDir, 'requests-archive.jsonl'));
    const hotIds = new Set(hot.map((r) => r.id));
    const allRequests = [...hot, ...archived.requests.filter((r) => !hotIds.has(r.id))];
    const copies: CardCopy[] = [];
    for (const request of hot) copies.push(...(await requests.cardCopies(request.id)));
    copies.push(...archived.copies.filter((c) => !hotIds.has(c.requestId)));
    const outbox = await requests.pendingOutbox();
    const pendingAudit = await requests.pendingAudit();
    const inventory = await requests.inventory({});
    const conversations = await readConversations(dataDir);

    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const meta = await client.query<{ revision: string }>('SELECT revision FROM register_meta');
      const busy = await client.query<{ n: string }>(
        `SELECT (${ANSVAR_TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')})::text AS n`,
      );
      if (Number(meta.rows[0]?.revision ?? 0) !== 0 || busy.rows[0]?.n !== '0') {
        throw new AnsvarError(
          'InvalidInput',
          'The PostgreSQL database already holds Ansvar data; migrate-store only fills an empty database.',
        );
      }
      await client.query('UPDATE register_meta SET revision = $1', [snapshot.revision]);
      for (const kind of ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const) {
        if (snapshot[kind].length === 0) continue;
        await client.query(
          `INSERT INTO register_entities (kind, id, revision, doc)
           SELECT $1, e.doc->>'id', $2, e.doc FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(doc, ord)
           ORDER BY e.ord`,
          [kind, snapshot.revision, JSON.stringify(snapshot[kind])],
        );
      }
      if (registerPending.length > 0)
        await insertPendingAudit(client, 'register_pending_audit', registerPending);
      for (const request of allRequests) {
        await client.query(
          'INSERT INTO requests (id, organisation_id, status, version, doc) VALUES ($1, $2, $3, $4, $5::jsonb)',
          [request.id, request.organisationId, request.status, request.version, JSON.stringify(request)],
        );
      }
      for (const item of outbox) {
        await client.query(
          'INSERT INTO outbox (id, request_id, item, attempts, last_error) VALUES ($1, $2, $3::jsonb, $4, $5)',
          [item.id, item.requestId, JSON.stringify(item), item.attempts, item.lastError ?? null],
        );
      }
      for (const copy of copies) {
        await client.query(
          `INSERT INTO card_copies (request_id, conversation_id, activity_id, recipient_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [copy.requestId, copy.conversationId, copy.activityId, copy.recipientId],
        );
      }
      if (pendingAudit.length > 0) await insertPendingAudit(client, 'request_pending_audit', pendingAudit);
      for (const item of inventory) {
        await client.query(
          'INSERT INTO inventory (id, organisation_id, version, doc) VALUES ($1, $2, $3, $4::jsonb)',
          [item.id, item.organisationId, item.version, JSON.stringify(item)],
        );
      }
      let seq = 0;
      let hash = GENESIS_HASH;
      for await (const event of audit.read()) {
        const json = JSON.stringify(event);
        const prev = hash;
        hash = chainHash(prev, json);
        await client.query(
          'INSERT INTO audit_log (seq, id, event_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)',
          [++seq, event.id, json, prev, hash],
        );
      }
      for (const [key, reference] of conversations) {
        await client.query(
          'INSERT INTO conversation_references (person_key, reference) VALUES ($1, $2::jsonb)',
          [key, JSON.stringify(reference)],
        );
      }

      if (timers.length > 0) {
        await client.query(
          `INSERT INTO timers (id, kind, grp, due_at, payload, attempts, claimed_by, claimed_until)
           SELECT id, kind, grp, due_at, payload, attempts, claimed_by, claimed_until FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::jsonb[], $6::int[],
             $7::text[], $8::timestamptz[]) WITH ORDINALITY AS t(id, kind, grp, due_at, payload, attempts,
             claimed_by, claimed_until, ord)
           ORDER BY ord`,
          [
            timers.map((t) => t.id),
            timers.map((t) => t.kind),
            timers.map((t) => t.group),
            timers.map((t) => t.dueAt),
            timers.map((t) => JSON.stringify(t.payload)),
            timers.map((t) => t.attempts),
            timers.map((t) => t.claimedBy ?? null),
            timers.map((t) => t.claimedUntil ?? null),
          ],
        );
      }

      // Through the store itself: the same columns, and its rule of one running campaign per system.
      const reviewStore = new PgReviewStore(client);
      for (const campaign of reviews.campaigns) await reviewStore.create(campaign);
      for (const list of reviews.accessLists) await reviewStore.putAccessList(list);

      const report: CopyReport = {
        registerRevision: snapshot.revision,
        organisations: snapshot.organisations.length,
        units: snapshot.units.length,
        people: snapshot.people.length,
        systems: snapshot.systems.length,
        roleAssignments: snapshot.roleAssignments.length,
        requests: allRequests.length,
        outbox: outbox.length,
        cardCopies: new Set(copies.map((c) => `${c.requestId}\n${c.conversationId}\n${c.activityId}`)).size,
        inventory: inventory.length,
        pendingAudit: pendingAudit.length + registerPending.length,
        auditRecords: seq,
        conversations: conversations.size,
        timers: timers.length,
        reviewCampaigns: reviews.campaigns.length,
        accessLists: reviews.accessLists.length,
      };
      await verify(client, report, hash);
      await client.query('COMMIT');
      return report;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  } finally {
    await reviewLock.close();
    await timerStore.close();
    await conversationLock.close();
    await audit.close();
    await requests.close();
    await register.close();
  }
}

/** Counts every table and walks the audit chain inside the transaction; throws on any difference. */
async function verify(client: pg.PoolClient, expected: CopyReport, lastHash: string): Promise<void> {
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);
  const found: Partial<Record<keyof CopyReport, number>> = {
    registerRevision: await count('SELECT revision AS n FROM register_meta'),
    requests: await count('SELECT count(*) AS n FROM requests'),
    outbox: await count('SELECT count(*) AS n FROM outbox'),
    cardCopies: await count('SELECT count(*) AS n FROM card_copies'),
    inventory: await count('SELECT count(*) AS n FROM inventory'),
    pendingAudit: await count(
      'SELECT (SELECT count(*) FROM request_pending_audit) + (SELECT count(*) FROM register_pending_audit) AS n',
    ),
    auditRecords: await count('SELECT count(*) AS n FROM audit_log'),
    conversations: await count('SELECT count(*) AS n FROM conversation_references'),
    timers: await count('SELECT count(*) AS n FROM timers'),
    reviewCampaigns: await count('SELECT count(*) AS n FROM review_campaigns'),
    accessLists: await count('SELECT count(*) AS n FROM access_lists'),
  };
  for (const kind of ['organisations', 'units', 'people', 'systems', 'roleAssignments'] as const) {
    found[kind] = await count('SELECT count(*) AS n FROM register_entities WHERE kind = $1', [kind]);
  }
  const differences = Object.entries(found).filter(([key, n]) => expected[key as keyof CopyReport] !== n);
  if (differences.length > 0) {
    throw new AnsvarError(
      'StoreCorrupt',
      `Copy verification failed, nothing was written: ${differences
        .map(
          ([key, n]) =>
            `${key} ${n} in PostgreSQL, ${expected[key as keyof CopyReport]} in the data directory`,
        )
        .join('; ')}`,
    );
  }
  let prev = GENESIS_HASH;
  const { rows } = await client.query<{ seq: string; event_json: string; prev_hash: string; hash: string }>(
    'SELECT seq, event_json, prev_hash, hash FROM audit_log ORDER BY seq',
  );
  for (const row of rows) {
    if (row.prev_hash !== prev || row.hash !== chainHash(prev, row.event_json)) {
      throw new AnsvarError(
        'StoreCorrupt',
        `Copy verification failed at audit record ${row.seq}; nothing was written`,
      );
    }
    prev = row.hash;
  }
  if (prev !== lastHash)
    throw new AnsvarError('StoreCorrupt', 'Copy verification failed: the audit chain ends elsewhere');
}

async function readArchive(file: string): Promise<{ requests: WorkRequest[]; copies: CardCopy[] }> {
  const requests = new Map<string, WorkRequest>();
  const copies = new Map<string, CardCopy[]>();
  try {
    await fsp.access(file);
  } catch {
    return { requests: [], copies: [] };
  }
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let record: { request: StoredRequest; cardCopies?: CardCopy[] };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      // A torn last line of an archive step that crashed: its requests are still in the hot file.
      continue;
    }
    // A request archived again after a crash: the last line holds it.
    const request = upgradeStoredRequest(record.request);
    requests.set(request.id, request);
    copies.set(request.id, record.cardCopies ?? []);
  }
  return { requests: [...requests.values()], copies: [...copies.values()].flat() };
}

async function readConversations(dataDir: string): Promise<Map<string, Record<string, unknown>>> {
  const file = new DurableJsonFile<Record<string, Record<string, unknown>>>(
    path.join(dataDir, 'conversations.json'),
    {
      format: CONVERSATIONS_FILE_FORMAT,
      formatVersion: CONVERSATIONS_FILE_FORMAT_VERSION,
      parse: (data) => data as Record<string, Record<string, unknown>>,
    },
  );
  return new Map(Object.entries((await file.read()) ?? {}));
}

/** `reviews.json` as it is on disk (its lock is held by the caller): every campaign and every imported access list. */
async function readReviews(
  dataDir: string,
): Promise<{ campaigns: ReviewCampaign[]; accessLists: AccessList[] }> {
  const file = new DurableJsonFile<{
    campaigns: Record<string, ReviewCampaign>;
    accessLists: Record<string, AccessList>;
  }>(path.join(dataDir, 'reviews.json'), {
    format: REVIEWS_FILE_FORMAT,
    formatVersion: REVIEWS_FILE_FORMAT_VERSION,
    parse: (data) =>
      data as { campaigns: Record<string, ReviewCampaign>; accessLists: Record<string, AccessList> },
  });
  const data = await file.read();
  return {
    campaigns: Object.values(data?.campaigns ?? {}),
    accessLists: Object.values(data?.accessLists ?? {}),
  };
}
