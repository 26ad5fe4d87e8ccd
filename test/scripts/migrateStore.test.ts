import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openAuditLog } from '../../data/lowdb/auditLogFile.js';
import { openLowConversationReferenceStore } from '../../data/lowdb/lowConversationReferenceStore.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import { openLowRequestStore } from '../../data/lowdb/lowRequestStore.js';
import { openLowTimerStore } from '../../data/lowdb/lowTimerStore.js';
import { PgTimerStore } from '../../data/postgres/pgTimerStore.js';
import { PgAuditLog } from '../../data/postgres/pgAuditLog.js';
import { PgConversationReferenceStore } from '../../data/postgres/pgConversationReferenceStore.js';
import { openPgRegisterStore } from '../../data/postgres/pgRegisterStore.js';
import { PgRequestStore } from '../../data/postgres/pgRequestStore.js';
import { PgReviewStore } from '../../data/postgres/pgReviewStore.js';
import type { AccessList, ReviewCampaign } from '../../data/reviewModel.js';
import { openLowReviewStore } from '../../data/lowdb/lowReviewStore.js';
import type { AuditEvent } from '../../data/requestModel.js';
import { buildOrganisation, buildPerson, buildSystem } from '../../fakes/registerBuilder.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/postgres.js';
import {
  buildAuditEvent,
  buildCardCopy,
  buildInventoryItem,
  buildOutboxItem,
  buildRequest,
} from '../data/fixtures/requestBuilder.js';
import { TempDirs } from '../data/fixtures/tempDirs.js';
import { runScriptWith, type ScriptResult } from './runScript.js';

function migrateStore(args: string[], databaseUrl: string): Promise<ScriptResult> {
  return runScriptWith('migrateStore', args, { DATABASE_URL: databaseUrl }, 60_000);
}

async function readAll(log: { read(): AsyncIterable<AuditEvent> }): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const event of log.read()) events.push(event);
  return events;
}

describe('npm run migrate-store', function () {
  this.timeout(60_000);
  const dirs = new TempDirs();
  let db: TestDatabase;
  let dataDir: string;
  const request = buildRequest();
  const outbox = buildOutboxItem({ requestId: request.id });
  const copy = buildCardCopy({ requestId: request.id });
  const item = buildInventoryItem({ requestId: request.id });
  const pending = buildAuditEvent({ id: 'pending-1', requestId: request.id });
  const campaign = (id: string, systemId: string, startedAt: string): ReviewCampaign => ({
    id,
    organisationId: 'tanum-kommun',
    systemId,
    startedBy: 'system',
    startedAt,
    dueAt: '2030-03-01T08:00:00.000Z',
    yearly: true,
    status: 'open',
    reviewerIds: ['erik@tanum.se'],
    entries: [{ personId: 'lina@tanum.se', role: 'Handläggare', sources: ['ansvar', 'imported'] }],
    version: 0,
  });
  const openCampaign = campaign('review-open', 'procapita', '2030-01-01T08:00:00.000Z');
  const decidedCampaign = campaign('review-done', 'visma', '2029-01-01T08:00:00.000Z');
  const accessList: AccessList = {
    systemId: 'procapita',
    organisationId: 'tanum-kommun',
    importedAt: '2029-12-01T08:00:00.000Z',
    source: 'procapita-users.csv',
    rows: [{ personId: 'lina@tanum.se', role: 'Handläggare' }],
  };
  const logged = [1, 2, 3].map((n) => buildAuditEvent({ id: `logged-${n}`, requestId: request.id }));

  before(async () => {
    db = await createTestDatabase({ migrate: false });
    dataDir = await dirs.make();
    const register = await openLowRegisterStore(dataDir);
    await register.apply({ organisations: [buildOrganisation()], people: [buildPerson()] }, 0);
    await register.apply({ systems: [buildSystem()] }, 1);
    await register.close();
    const requests = await openLowRequestStore(dataDir);
    await requests.create(request, { outbox: [outbox], audit: [pending], inventory: [item] });
    await requests.addCardCopy(copy);
    await requests.close();
    const audit = await openAuditLog(dataDir);
    await audit.append(logged);
    await audit.close();
    const conversations = await openLowConversationReferenceStore(dataDir);
    await conversations.set('aad-1', { conversation: { id: 'a:1' } });
    await conversations.close();
    // Timers as a running Ansvar leaves them: planned, one claimed by the stopped process, one failed once; the
    // last change only in the journal (not yet in a snapshot).
    const timers = await openLowTimerStore(dataDir);
    await timers.replaceGroup(`request:${request.id}`, [
      timer(`request:${request.id}:0:remind`, '2030-01-02T08:00:00.000Z'),
      timer(`request:${request.id}:0:expire`, '2030-02-02T08:00:00.000Z'),
    ]);
    await timers.add([timer('owner-check:x', '2020-01-01T08:00:00.000Z', 'owner-check:x')]);
    const [claimed] = await timers.claimDue({
      now: new Date('2020-01-02T00:00:00Z'),
      owner: 'stopped',
      leaseMs: 60_000,
      limit: 1,
    });
    await timers.release(claimed!.id, 'stopped', new Date('2020-01-03T08:00:00.000Z'), true);
    await timers.add([timer('reminder:lina', '2020-01-01T09:00:00.000Z', 'reminder:lina')]);
    await timers.claimDue({
      now: new Date('2020-01-02T00:00:00Z'),
      owner: 'stopped',
      leaseMs: 60_000,
      limit: 1,
    });
    await timers.close();
    const reviews = await openLowReviewStore(dataDir);
    await reviews.create(openCampaign);
    await reviews.create(decidedCampaign);
    decided = await reviews.update(
      {
        ...decidedCampaign,
        status: 'done',
        decision: {
          by: 'erik@tanum.se',
          at: '2029-01-05T08:00:00.000Z',
          items: [{ personId: 'lina@tanum.se', role: 'Handläggare', outcome: 'keep' }],
        },
      },
      0,
    );
    await reviews.putAccessList(accessList);
    await reviews.close();
  });
  let decided: ReviewCampaign;
  function timer(id: string, dueAt: string, group = `request:${request.id}`) {
    return { id, kind: 'request.remind', group, dueAt, payload: { requestId: request.id } };
  }
  after(async () => {
    await db?.drop();
    await dirs.removeAll();
  });

  it('moves a data directory into an empty database, verified, with everything readable through the stores', async () => {
    const moved = await migrateStore(['--from', dataDir], db.url);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /verified/);
    assert.match(moved.stdout, /auditRecords: 3/);

    const register = await openPgRegisterStore(db.pool);
    const lowRegister = await openLowRegisterStore(dataDir);
    try {
      assert.deepEqual(await register.snapshot(), await lowRegister.snapshot());
    } finally {
      await register.close();
      await lowRegister.close();
    }
    const requests = new PgRequestStore(db.pool);
    assert.deepEqual(await requests.get(request.id), request);
    assert.deepEqual(await requests.pendingOutbox(), [outbox]);
    assert.deepEqual(await requests.cardCopies(request.id), [copy]);
    assert.deepEqual(await requests.inventory({}), [item]);
    assert.deepEqual(
      (await requests.pendingAudit()).map((e) => e.id),
      ['pending-1'],
    );
    assert.deepEqual(
      (await readAll(new PgAuditLog(db.pool))).map((e) => e.id),
      logged.map((e) => e.id),
    );
    assert.deepEqual(await new PgConversationReferenceStore(db.pool).get('aad-1'), {
      conversation: { id: 'a:1' },
    });
    assert.match(moved.stdout, /timers: 4/);
    const lowTimers = await openLowTimerStore(dataDir);
    try {
      const expected = await lowTimers.all!();
      assert.equal(expected.length, 4);
      assert.ok(
        expected.some((t) => t.attempts === 1) && expected.some((t) => t.claimedBy === 'stopped'),
        'the directory holds a failed and a claimed timer',
      );
      assert.deepEqual(
        await new PgTimerStore(db.pool).all(),
        expected,
        'every timer with its state, in order',
      );
    } finally {
      await lowTimers.close();
    }
    assert.match(moved.stdout, /reviewCampaigns: 2/);
    assert.match(moved.stdout, /accessLists: 1/);
    const reviews = new PgReviewStore(db.pool);
    assert.deepEqual(
      await reviews.list(),
      [openCampaign, decided],
      'both campaigns, the decided one at version 1',
    );
    assert.equal(decided.version, 1);
    assert.deepEqual(await reviews.accessList('procapita'), accessList);
    await assert.rejects(
      reviews.update({ ...decided, status: 'open' }, 0),
      /changed by someone else/,
      'the version moved with the campaign, so a stale decision still conflicts',
    );
  });

  it('refuses a database that already holds data and writes nothing', async () => {
    const before = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
    const again = await migrateStore(['--from', dataDir], db.url);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /already holds Ansvar data/);
    const after = await db.pool.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
    assert.equal(after.rows[0]?.n, before.rows[0]?.n);
  });

  it('writes nothing when the audit log in the directory is damaged', async () => {
    const empty = await createTestDatabase();
    const damaged = await dirs.make();
    await fsp.cp(dataDir, damaged, { recursive: true });
    const file = path.join(damaged, 'audit.jsonl');
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace('logged-2', 'logged-X'));
    try {
      const result = await migrateStore(['--from', damaged], empty.url);
      assert.equal(result.code, 3, result.stdout);
      assert.match(result.stderr, /nothing was written.*line 2/);
      const rows = await empty.pool.query<{ n: string }>(
        'SELECT (SELECT count(*) FROM requests) + (SELECT count(*) FROM register_entities) AS n',
      );
      assert.equal(rows.rows[0]?.n, '0');
    } finally {
      await empty.drop();
    }
  });
});
