import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openAuditLog, type OpenAuditLog } from '../../../data/lowdb/auditLogFile.js';
import { openLowRegisterStore } from '../../../data/lowdb/lowRegisterStore.js';
import { openLowRequestStore } from '../../../data/lowdb/lowRequestStore.js';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { MemoryRequestStore } from '../../../data/memory/memoryRequestStore.js';
import type { RegisterStore } from '../../../data/registerStore.js';
import type { AuditEvent } from '../../../data/requestModel.js';
import type { AuditLog } from '../../../data/auditLog.js';
import type { RequestStore } from '../../../data/requestStore.js';
import { logger } from '../../../core/logger.js';
import {
  AuditFlusher,
  mayAddAudit,
  registerWithChangeNotice,
  withChangeNotice,
  type AuditSource,
} from '../../../services/requests/auditFlusher.js';
import { RequestEngine } from '../../../services/requests/engine.js';
import { TempDirs } from '../../data/fixtures/tempDirs.js';
import {
  buildAuditEvent,
  buildCardCopy,
  buildOutboxItem,
  buildRequest,
} from '../../data/fixtures/requestBuilder.js';
import { buildSystem } from '../../../fakes/registerBuilder.js';
import { FakeDirectory } from '../../../fakes/fakeDirectory.js';
import { accessRequest, accessScenario, NOW, P, scenarioPolicies, shippedKinds } from './requestFixtures.js';

/**
 * The audit flusher between the request engine (events pending in the store, written with each change) and the real
 * audit log file: every event reaches the log exactly once, also across a crash between append and auditFlushed.
 */

const dirs = new TempDirs();

function engineOn(requests: RequestStore): RequestEngine {
  const register = accessScenario();
  const kinds = shippedKinds();
  let seq = 0;
  return new RequestEngine({
    requests,
    store: new MemoryRegisterStore(register),
    directory: FakeDirectory.fromPeople(register.people),
    now: () => NOW,
    newId: () => `id-${process.pid}-${Date.now()}-${(seq += 1)}`,
    kinds,
    policies: scenarioPolicies(kinds),
  });
}

/** Ida asks for Procapita; her manager Karl approves, then the administrator Erik: about ten events in all. */
async function fullFlow(engine: RequestEngine): Promise<void> {
  const { request } = await engine.submit(accessRequest());
  const first = await engine.decide({
    requestId: request.id,
    version: request.version,
    actorId: P.karlStrom.id,
    outcome: 'approved',
  });
  assert.ok(first.changed, 'first.changed');
  const second = await engine.decide({
    requestId: request.id,
    version: first.request.version,
    actorId: first.request.stages[1]!.approverIds[0]!,
    outcome: 'approved',
  });
  assert.ok(second.changed, 'second.changed');
}

async function logged(log: AuditLog): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const event of log.read()) out.push(event);
  return out;
}

/** Ids in the raw file, counting duplicates (the log's own reader would show them too; this does not trust it). */
async function idsInFile(dataDir: string): Promise<string[]> {
  const text = await fsp.readFile(path.join(dataDir, 'audit.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => (JSON.parse(line) as AuditEvent).id);
}

async function until(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A log whose appends wait until `release()` (or fail, with `fail`). */
function gatedLog(inner: AuditLog) {
  let open: () => void = () => undefined;
  let gate = new Promise<void>((resolve) => (open = resolve));
  let failures = 0;
  const log: Pick<AuditLog, 'append'> & { appends: number } = {
    appends: 0,
    async append(events) {
      log.appends += 1;
      if (failures > 0) {
        failures -= 1;
        throw new Error('disk full');
      }
      await gate;
      await inner.append(events);
    },
  };
  return {
    log,
    release: () => open(),
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
    failNext: (n: number) => (failures = n),
  };
}

describe('AuditFlusher', () => {
  const closing: Array<{ close(): Promise<void> } | AuditFlusher> = [];
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await dirs.make();
  });
  afterEach(async () => {
    for (const item of closing.splice(0).reverse()) {
      await ('stop' in item ? item.stop() : item.close());
    }
    await dirs.removeAll();
  });

  async function openLog(): Promise<OpenAuditLog> {
    const log = await openAuditLog(dataDir);
    closing.push(log);
    return log;
  }

  function flusher(
    source: AuditSource,
    auditLog: Pick<AuditLog, 'append'>,
    options: { pollIntervalMs?: number; coalesceMs?: number; retryDelayMs?: number } = {},
  ): AuditFlusher {
    const f = new AuditFlusher({ source, auditLog, logger, pollIntervalMs: 0, ...options });
    closing.push(f);
    return f;
  }

  it('moves every event the engine wrote into the audit log exactly once and leaves none pending', async () => {
    const requests = new MemoryRequestStore();
    const log = await openLog();
    const f = flusher(requests, log);
    await fullFlow(engineOn(requests));
    const written = (await requests.pendingAudit()).map((e) => e.id);
    assert.ok(written.length >= 5, `the flow wrote ${written.length} events`);
    f.start();
    await until(async () => (await requests.pendingAudit()).length === 0);
    await f.flushNow();
    await f.flushNow();

    assert.deepEqual(
      (await logged(log)).map((e) => e.id),
      written,
    );
    assert.deepEqual(await idsInFile(dataDir), written);
    assert.equal(f.flushed, written.length);
    assert.ok(
      (await logged(log)).some((e) => e.type === 'decided' && e.actor === P.karlStrom.id),
      "(await logged(log)).some((e) => e.type === 'decided' && e.actor === P.karlStr...",
    );
  });

  it('flushes soon after a store change, without the poll, when the store notifies it', async () => {
    const requests = new MemoryRequestStore();
    const log = await openLog();
    const f = flusher(requests, log, { pollIntervalMs: 0, coalesceMs: 5 });
    const engine = engineOn(withChangeNotice(requests, () => f.wake()));
    f.start();
    await f.flushNow();
    const { request } = await engine.submit(accessRequest());

    await until(async () => (await requests.pendingAudit()).length === 0, 2000);
    const ids = (await logged(log)).map((e) => e.requestId);
    assert.ok(
      ids.length > 0 && ids.every((id) => id === request.id),
      'ids.length > 0 && ids.every((id) => id === request.id)',
    );
  });

  it('does not hold up a decision while the audit log is slow, and flushes once the log answers', async () => {
    const requests = new MemoryRequestStore();
    const inner = await openLog();
    const gated = gatedLog(inner);
    const f = flusher(requests, gated.log, { coalesceMs: 1 });
    const engine = engineOn(withChangeNotice(requests, () => f.wake()));
    f.start();

    const { request } = await engine.submit(accessRequest());
    await until(async () => gated.log.appends > 0);
    const started = Date.now();
    const decided = await engine.decide({
      requestId: request.id,
      version: request.version,
      actorId: P.karlStrom.id,
      outcome: 'approved',
    });
    assert.ok(decided.changed, 'decided.changed');
    assert.ok(Date.now() - started < 500, 'the decision did not wait for the audit log');
    assert.ok((await requests.pendingAudit()).length > 0, 'nothing was flushed while the log hung');

    gated.release();
    await until(async () => (await requests.pendingAudit()).length === 0);
    const types = (await logged(inner)).map((e) => e.type);
    assert.equal(types.filter((t) => t === 'decided').length, 1);
    assert.equal(types.filter((t) => t === 'submitted').length, 1);
  });

  it('keeps events pending after a failed append and flushes them on a retry', async () => {
    const requests = new MemoryRequestStore();
    const inner = await openLog();
    const gated = gatedLog(inner);
    gated.release();
    gated.failNext(2);
    const f = flusher(requests, gated.log, { retryDelayMs: 10 });
    await engineOn(requests).submit(accessRequest());
    const pending = (await requests.pendingAudit()).map((e) => e.id);
    f.start();

    await until(async () => (await requests.pendingAudit()).length === 0);
    assert.ok(gated.log.appends >= 3, 'two failed appends, then one that went through');
    assert.deepEqual(await idsInFile(dataDir), pending);
  });

  it('makes a final flush on stop of what no wake or poll has picked up', async () => {
    const requests = new MemoryRequestStore();
    const log = await openLog();
    const f = flusher(requests, log, { pollIntervalMs: 0 });
    f.start();
    await f.flushNow();
    await fullFlow(engineOn(requests));
    const pending = (await requests.pendingAudit()).map((e) => e.id);
    assert.ok(pending.length > 0, 'pending.length > 0');

    await f.stop();
    assert.deepEqual(await requests.pendingAudit(), []);
    assert.deepEqual(await idsInFile(dataDir), pending);
  });

  it('writes each event once across a crash between the append and auditFlushed, flushing the rest at the next start', async () => {
    const before = await openLowRequestStore(dataDir, { archiveIntervalMs: 0 });
    const log = await openAuditLog(dataDir);
    await fullFlow(engineOn(before));
    const written = (await before.pendingAudit()).map((e) => e.id);

    // The process "dies" after the log holds the events and before the store drops them.
    const crashing: AuditSource = {
      pendingAudit: (limit) => before.pendingAudit(limit),
      auditFlushed: async () => {
        throw new Error('killed');
      },
    };
    await assert.rejects(new AuditFlusher({ source: crashing, auditLog: log, logger }).flushNow(), /killed/);
    assert.deepEqual(await idsInFile(dataDir), written);
    // More work after the last flush, also never flushed before the crash.
    const { request: later } = await engineOn(before).submit(accessRequest({ requesterId: P.karlStrom.id }));
    const laterIds = (await before.pendingAudit()).map((e) => e.id).filter((id) => !written.includes(id));
    assert.ok(laterIds.length > 0, 'laterIds.length > 0');
    await before.close();
    await log.close();

    const requests = await openLowRequestStore(dataDir, { archiveIntervalMs: 0 });
    closing.push(requests);
    const reopened = await openLog();
    assert.equal((await requests.pendingAudit()).length, written.length + laterIds.length);
    const f = flusher(requests, reopened);
    f.start();
    await until(async () => (await requests.pendingAudit()).length === 0);

    const ids = await idsInFile(dataDir);
    assert.deepEqual(ids, [...written, ...laterIds]);
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    assert.ok(
      (await logged(reopened)).some((e) => e.requestId === later.id && e.type === 'submitted'),
      "(await logged(reopened)).some((e) => e.requestId === later.id && e.type === '...",
    );
  });

  it('calls the change listener after a successful write only, and a throwing listener does not fail the write', async () => {
    const requests = new MemoryRequestStore();
    const changes: string[] = [];
    const noticed = withChangeNotice(requests, (change) => {
      changes.push(change);
      throw new Error('listener bug');
    });
    const engine = engineOn(noticed);
    const { request } = await engine.submit(accessRequest());
    await assert.rejects(noticed.update({ ...request, status: 'done' }, request.version + 5));
    assert.deepEqual(changes, ['create']);
  });

  it('is woken only by the changes that can add audit events, not by the outbox’s bookkeeping', async () => {
    const requests = new MemoryRequestStore();
    const seen: { change: string; added: number; wakes: boolean }[] = [];
    let pending = 0;
    const noticed = withChangeNotice(requests, (change) => {
      seen.push({ change, added: Number.NaN, wakes: mayAddAudit(change) });
    });
    const count = async () => (await requests.pendingAudit()).length;
    const step = async (write: () => Promise<unknown>) => {
      await write();
      const after = await count();
      seen[seen.length - 1]!.added = after - pending;
      pending = after;
    };
    const request = buildRequest();
    const item = buildOutboxItem({ requestId: request.id });
    await step(() =>
      noticed.create(request, { outbox: [item], audit: [buildAuditEvent({ id: 'created' })] }),
    );
    await step(() => noticed.markAttempt(item.id, 'timeout'));
    await step(() => noticed.addCardCopy(buildCardCopy({ requestId: request.id })));
    await step(() => noticed.markDelivered(item.id, new Date().toISOString()));
    await step(() => noticed.recordAudit([buildAuditEvent({ id: 'recorded' })]));
    for (const { change, added, wakes } of seen) {
      if (added > 0) assert.ok(wakes, `${change} added audit events and must wake the flusher`);
    }
    assert.deepEqual(
      seen.filter((s) => !s.wakes).map((s) => s.change),
      ['markAttempt', 'addCardCopy', 'markDelivered'],
      'the bookkeeping does not wake it',
    );
  });

  describe('with the register store as its source', () => {
    /** One register change with its audit events, as the register care service writes them. */
    async function change(store: RegisterStore, n: number): Promise<string[]> {
      const ids = [`reg-${n}-a`, `reg-${n}-b`];
      await store.apply(
        { systems: [buildSystem({ id: `testkommun/s${n}`, name: `S${n}` })] },
        await store.revision(),
        {
          audit: ids.map((id) => registerEvent(id, n)),
        },
      );
      return ids;
    }

    it('moves the events written with each register change into the audit log exactly once', async () => {
      const store = new MemoryRegisterStore();
      const log = await openLog();
      const f = flusher(store, log, { coalesceMs: 1 });
      const noticed = registerWithChangeNotice(store, () => f.wake());
      f.start();
      const written = [...(await change(noticed, 1)), ...(await change(noticed, 2))];

      await until(async () => (await store.pendingAudit()).length === 0);
      await f.flushNow();
      assert.deepEqual(await idsInFile(dataDir), written);
      const first = (await logged(log))[0]!;
      assert.equal(first.type, 'register_changed');
      assert.deepEqual(first.details, { entity: 'system', id: 'testkommun/s1', field: 'name', after: 'S1' });
      assert.equal(await store.revision(), 2, 'dropping flushed events does not change the revision');
    });

    it('writes each register event once across a crash between the append and auditFlushed', async () => {
      const before = await openLowRegisterStore(dataDir);
      const log = await openAuditLog(dataDir);
      const written = await change(before, 1);
      const crashing: AuditSource = {
        pendingAudit: (limit) => before.pendingAudit(limit),
        auditFlushed: async () => {
          throw new Error('killed');
        },
      };
      await assert.rejects(
        new AuditFlusher({ source: crashing, name: 'register', auditLog: log, logger }).flushNow(),
        /killed/,
      );
      const later = await change(before, 2);
      await before.close();
      await log.close();

      const store = await openLowRegisterStore(dataDir);
      closing.push(store);
      const reopened = await openLog();
      assert.deepEqual(
        (await store.pendingAudit()).map((e) => e.id),
        [...written, ...later],
        'the pending events survived the restart in the register file',
      );
      const f = flusher(store, reopened);
      f.start();
      await until(async () => (await store.pendingAudit()).length === 0);

      const ids = await idsInFile(dataDir);
      assert.deepEqual(ids, [...written, ...later]);
      assert.equal(new Set(ids).size, ids.length, 'no event twice');
      await f.stop();
      await store.close();
      const again = await openLowRegisterStore(dataDir);
      closing.push(again);
      assert.deepEqual(await again.pendingAudit(), [], 'auditFlushed was durable');
    });
  });
});

function registerEvent(id: string, n: number): AuditEvent {
  return {
    id,
    at: NOW.toISOString(),
    type: 'register_changed',
    actor: 'lisa.strand@tanum.example',
    organisationId: 'testkommun',
    systemId: `testkommun/s${n}`,
    details: { entity: 'system', id: `testkommun/s${n}`, field: 'name', after: `S${n}` },
  };
}
