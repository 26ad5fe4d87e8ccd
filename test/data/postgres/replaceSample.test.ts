import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { chainHash, GENESIS_HASH } from '../../../data/auditRecords.js';
import { createPool } from '../../../data/postgres/database.js';
import { PgAuditLog } from '../../../data/postgres/pgAuditLog.js';
import { PgConversationReferenceStore } from '../../../data/postgres/pgConversationReferenceStore.js';
import { openPgRegisterStore } from '../../../data/postgres/pgRegisterStore.js';
import { PgRequestStore } from '../../../data/postgres/pgRequestStore.js';
import { PgReviewStore } from '../../../data/postgres/pgReviewStore.js';
import { PgTimerStore } from '../../../data/postgres/pgTimerStore.js';
import type { AuditEvent } from '../../../data/requestModel.js';
import { loadSampleRegister } from '../../../services/register/importer.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/postgres.js';
import {
  buildAuditEvent,
  buildCardCopy,
  buildInventoryItem,
  buildOutboxItem,
  buildRequest,
} from '../fixtures/requestBuilder.js';
import { TempDirs } from '../fixtures/tempDirs.js';

const root = path.resolve(import.meta.dirname, '../../..');

function runImport(
  args: string[],
  databaseUrl: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', 'import.ts'), ...args],
      {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: databaseUrl },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function count(db: TestDatabase, table: string): Promise<number> {
  return Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
}

async function readAll(log: PgAuditLog): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of log.read()) events.push(event);
  return events;
}

describe('npm run import -- --replace-sample on PostgreSQL', function () {
  this.timeout(120_000);
  const dirs = new TempDirs();
  let db: TestDatabase;
  let own: string;
  const request = buildRequest();
  const logged = [1, 2, 3].map((n) => buildAuditEvent({ id: `sample-${n}`, requestId: request.id }));

  before(async () => {
    db = await createTestDatabase();
    // Trying the sample on PostgreSQL: the sample register, a request with everything around it, audit records, a
    // conversation reference, a timer and an access review.
    const register = await openPgRegisterStore(db.pool);
    await loadSampleRegister(register, path.join(root, 'data', 'sample'));
    // A register change made while trying it, its audit event not yet flushed.
    await register.apply({}, (await register.snapshot()).revision, {
      audit: [buildAuditEvent({ id: 'register-pending-1', type: 'register_changed' })],
    });
    await register.close();
    const requests = new PgRequestStore(db.pool);
    await requests.create(request, {
      outbox: [buildOutboxItem({ requestId: request.id })],
      audit: [buildAuditEvent({ id: 'pending-1', requestId: request.id })],
      inventory: [buildInventoryItem({ requestId: request.id })],
    });
    await requests.addCardCopy(buildCardCopy({ requestId: request.id }));
    await new PgAuditLog(db.pool).append(logged);
    await new PgConversationReferenceStore(db.pool).set('aad-1', { conversation: { id: 'a:1' } });
    await new PgTimerStore(db.pool).add([
      {
        id: 'owner-check:x',
        kind: 'owner.check',
        group: 'owner-check:x',
        dueAt: '2030-01-01T08:00:00.000Z',
        payload: {},
      },
    ]);
    await new PgReviewStore(db.pool).create({
      id: 'review-1',
      organisationId: 'storsjo-kommun',
      systemId: 'public-360',
      startedBy: 'system',
      startedAt: '2030-01-01T08:00:00.000Z',
      dueAt: '2030-02-01T08:00:00.000Z',
      yearly: true,
      status: 'open',
      reviewerIds: [],
      entries: [],
      version: 0,
    });

    own = await dirs.make();
    await fsp.writeFile(path.join(own, 'organisations.csv'), 'organisation,language\nTuna kommun,sv\n');
    await fsp.writeFile(
      path.join(own, 'people.csv'),
      'email,name,organisation\nkarin.holm@tuna.se,Karin Holm,Tuna kommun\n',
    );
    await fsp.writeFile(
      path.join(own, 'systems.csv'),
      'organisation,system,owner\nTuna kommun,Raindance,karin.holm@tuna.se\n',
    );
  });
  after(async () => {
    await db?.drop();
    await dirs.removeAll();
  });

  it('refuses while an instance is connected to the database, and changes nothing', async () => {
    // A running Ansvar: its pool is named `ansvar` and its register store holds a LISTEN connection.
    const instancePool = createPool({ connectionString: db.url });
    const instance = await openPgRegisterStore(instancePool);
    try {
      const refused = await runImport(['--replace-sample', own], db.url);
      assert.equal(refused.code, 3, refused.stdout);
      assert.match(refused.stderr, /Ansvar is running on this database .*stop every instance/);
      assert.equal(await count(db, 'requests'), 1);
      assert.equal(await count(db, 'audit_log'), 3);
      const schemas = await db.pool.query("SELECT 1 FROM pg_namespace WHERE nspname LIKE 'sample\\_%'");
      assert.equal(schemas.rowCount, 0);
      assert.ok(
        (await instance.snapshot()).organisations.some((o) => o.sample),
        'the sample is still there',
      );
    } finally {
      await instance.close();
      await instancePool.end();
    }
  });

  it('moves what trying the sample left into a schema and starts a new audit chain with the replacement', async () => {
    const before = Object.fromEntries(
      await Promise.all(
        [
          'requests',
          'outbox',
          'card_copies',
          'request_pending_audit',
          'inventory',
          'audit_log',
          'timers',
        ].map(async (t) => [t, await count(db, t)] as const),
      ),
    );
    const registerPending = await count(db, 'register_pending_audit');
    assert.equal(registerPending, 1, 'a register audit event of the sample is pending');

    const imported = await runImport(['--replace-sample', own], db.url);
    assert.equal(imported.code, 0, imported.stderr);
    const schema = /schema (sample_[0-9a-z]+)/.exec(imported.stdout)?.[1];
    assert.ok(schema, `the report names the schema: ${imported.stdout}`);

    for (const table of [
      'requests',
      'outbox',
      'card_copies',
      'request_pending_audit',
      'inventory',
      'audit_log',
      'timers',
      'conversation_references',
      'review_campaigns',
    ]) {
      assert.equal(await count(db, table), 0, `${table} is empty`);
    }
    for (const [table, n] of Object.entries(before)) {
      assert.equal(await count(db, `${schema}.${table}`), n, `${schema}.${table} holds the sample's rows`);
    }
    assert.equal(await count(db, `${schema}.conversation_references`), 1);
    assert.equal(await count(db, `${schema}.review_campaigns`), 1);
    assert.equal(await count(db, `${schema}.register_pending_audit`), registerPending);

    // The set-aside audit log still verifies on its own.
    const archived = await db.pool.query<{ event_json: string; prev_hash: string; hash: string }>(
      `SELECT event_json, prev_hash, hash FROM ${schema}.audit_log ORDER BY seq`,
    );
    let prev = GENESIS_HASH;
    for (const row of archived.rows) {
      assert.equal(row.prev_hash, prev);
      assert.equal(row.hash, chainHash(prev, row.event_json));
      prev = row.hash;
    }
    assert.deepEqual(
      archived.rows.map((r) => (JSON.parse(r.event_json) as AuditEvent).id),
      logged.map((e) => e.id),
    );

    // The register holds the own register only; its one pending event, the replacement, begins the new chain.
    const register = await openPgRegisterStore(db.pool);
    try {
      const snapshot = await register.snapshot();
      assert.deepEqual(
        snapshot.organisations.map((o) => o.name),
        ['Tuna kommun'],
      );
      const pending = await register.pendingAudit();
      assert.deepEqual(
        pending.map((e) => e.type),
        ['register_sample_replaced'],
      );
      assert.equal(pending[0]!.details?.archivedTo, `schema ${schema}`);
      const log = new PgAuditLog(db.pool);
      await log.append(pending);
      assert.deepEqual(
        (await readAll(log)).map((e) => e.type),
        ['register_sample_replaced'],
      );
      const first = await db.pool.query<{ seq: string; prev_hash: string }>(
        'SELECT seq, prev_hash FROM audit_log',
      );
      assert.deepEqual(first.rows, [{ seq: '1', prev_hash: GENESIS_HASH }]);
    } finally {
      await register.close();
    }
  });
});
