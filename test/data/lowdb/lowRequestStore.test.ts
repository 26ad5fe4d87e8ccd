import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import { DurableJsonFile } from '../../../data/lowdb/durableJsonFile.js';
import { Journal } from '../../../data/lowdb/journal.js';
import {
  openLowRequestStore,
  type LowRequestStore,
  type LowRequestStoreOptions,
} from '../../../data/lowdb/lowRequestStore.js';
import { REQUESTS_FILE_FORMAT, REQUESTS_FILE_FORMAT_VERSION } from '../../../data/lowdb/requestsFile.js';
import { isAnsvarError } from '../../../core/errors.js';
import {
  buildAuditEvent,
  buildCardCopy,
  buildOutboxItem,
  buildRequest,
  buildStage,
} from '../fixtures/requestBuilder.js';
import { FaultyIo } from '../fixtures/faultyIo.js';
import { TempDirs } from '../fixtures/tempDirs.js';
import { buildInventoryItem } from '../fixtures/requestBuilder.js';
import { describeRequestStoreContract } from '../requestStoreContract.js';

const dirs = new TempDirs();
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const writerScript = path.join(here, '..', 'fixtures', 'requestWriterProcess.ts');

describe('LowRequestStore on real files', () => {
  after(async () => {
    await dirs.removeAll();
  });

  describeRequestStoreContract('LowRequestStore', async () => openLowRequestStore(await dirs.make()));
});

describe('openLowRequestStore', () => {
  const stores: LowRequestStore[] = [];
  let dataDir: string;
  let now: Date;

  beforeEach(async () => {
    dataDir = await dirs.make();
    now = new Date('2025-06-01T12:00:00.000Z');
  });

  afterEach(async () => {
    sinon.restore();
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await dirs.removeAll();
  });

  async function open(options: LowRequestStoreOptions = {}): Promise<LowRequestStore> {
    const store = await openLowRequestStore(dataDir, { now: () => now, archiveIntervalMs: 0, ...options });
    stores.push(store);
    await store.archiveReady();
    return store;
  }

  /** Every write of the store's files fails from now on (journal appends and snapshots alike). */
  function failWrites(error: Error): void {
    sinon.stub(DurableJsonFile.prototype, 'write').rejects(error);
    sinon.stub(Journal.prototype, 'append').rejects(error);
  }

  /** Bytes of the hot state on disk: the snapshot and its journal. */
  async function hotBytes(): Promise<number> {
    const sizes = await Promise.all(
      ['requests.json', 'requests.journal'].map(async (name) => {
        try {
          return (await fsp.stat(path.join(dataDir, name))).size;
        } catch {
          return 0;
        }
      }),
    );
    return sizes[0]! + sizes[1]!;
  }

  async function reopen(store: LowRequestStore, options?: LowRequestStoreOptions): Promise<LowRequestStore> {
    await store.close();
    stores.splice(stores.indexOf(store), 1);
    return open(options);
  }

  it('keeps requests, outbox items, pending audit events and card copies across close and reopen', async () => {
    const store = await open();
    const request = buildRequest();
    const outbox = buildOutboxItem({ requestId: request.id });
    const audit = buildAuditEvent({ requestId: request.id });
    const copy = buildCardCopy({ requestId: request.id });
    await store.create(request, { outbox: [outbox], audit: [audit] });
    const unreachable = [
      { personId: 'chef@kommun.se', reason: 'noConversation' as const, at: request.createdAt },
    ];
    const written = await store.update({ ...request, urgent: true, unreachable }, request.version);
    await store.addCardCopy(copy);
    const again = await reopen(store);
    assert.deepEqual(await again.get(request.id), written);
    assert.deepEqual((await again.get(request.id))?.unreachable, unreachable);
    assert.deepEqual(await again.pendingOutbox(), [outbox]);
    assert.deepEqual(await again.pendingAudit(), [audit]);
    assert.deepEqual(await again.cardCopies(request.id), [copy]);
  });

  it('keeps the old state in memory and on disk when the write fails', async () => {
    const store = await open();
    const request = buildRequest();
    await store.create(request);
    failWrites(new Error('ENOSPC: no space left on device'));
    await assert.rejects(
      store.update({ ...request, status: 'cancelled' }, request.version, { outbox: [buildOutboxItem()] }),
      /ENOSPC/,
    );
    assert.equal((await store.get(request.id))?.version, request.version);
    assert.deepEqual(await store.pendingOutbox(), []);
    sinon.restore();
    const again = await reopen(store);
    assert.equal((await again.get(request.id))?.status, 'open');
  });

  it('keeps the inventory across close and reopen, and in the hot file when the delivering request is archived', async () => {
    const store = await open();
    const request = buildRequest({ status: 'done', updatedAt: '2025-05-01T00:00:00.000Z' });
    const items = [
      buildInventoryItem({ requestId: request.id }),
      buildInventoryItem({ requestId: request.id, assetTag: 'INV-1002' }),
    ];
    await store.create(request, { inventory: items });
    const discarded = await store.updateInventoryItem({ ...items[1]!, status: 'discarded' }, 1, {
      audit: [buildAuditEvent({ type: 'inventory_discarded' })],
    });
    assert.equal(await store.archiveNow(), 1);
    assert.deepEqual(await store.list({}), []);
    const archive = await fsp.readFile(path.join(dataDir, 'requests-archive.jsonl'), 'utf8');
    assert.ok(archive.includes(request.id), 'the request was not archived');
    assert.ok(!archive.includes(items[0]!.id), 'an inventory item was written to the archive');
    const again = await reopen(store);
    assert.deepEqual(await again.inventory({}), [items[0], discarded]);
    assert.deepEqual(await again.getInventoryItem(items[0]!.id), items[0]);
  });

  it('keeps the old inventory in memory and on disk when an item change cannot be written', async () => {
    const store = await open();
    const item = buildInventoryItem();
    await store.create(buildRequest(), { inventory: [item] });
    failWrites(new Error('ENOSPC: no space left on device'));
    await assert.rejects(store.updateInventoryItem({ ...item, status: 'discarded' }, 1), /ENOSPC/);
    await assert.rejects(store.create(buildRequest(), { inventory: [buildInventoryItem()] }), /ENOSPC/);
    assert.deepEqual(await store.inventory({}), [item]);
    sinon.restore();
    const again = await reopen(store);
    assert.deepEqual(await again.inventory({}), [item]);
  });

  describe('requests stored before steps had types', () => {
    const approved = { outcome: 'approved' as const, by: 'chef@kommun.se', at: '2025-03-01T10:00:00.000Z' };
    const legacy = (task: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
      ...buildRequest({
        currentStage: 1,
        stages: [buildStage({ name: 'manager', approverIds: ['chef@kommun.se'], decision: approved })],
        ...overrides,
      }),
      task,
    });

    it("reads an older hot file (a task, no inventory) as today's model and writes it back that way", async () => {
      const open_ = legacy({ assigneeIds: ['admin@kommun.se', 'deputy@kommun.se'] });
      const done = legacy(
        {
          assigneeIds: ['admin@kommun.se'],
          outcome: 'done',
          by: 'admin@kommun.se',
          at: '2025-03-02T10:00:00.000Z',
        },
        { status: 'done' },
      );
      const file = new DurableJsonFile<unknown>(path.join(dataDir, 'requests.json'), {
        format: REQUESTS_FILE_FORMAT,
        formatVersion: 1,
        parse: (data) => data,
      });
      await file.write({ requests: [open_, done], outbox: [], cardCopies: [], pendingAudit: [] });

      const store = await open();
      const stored = await store.get(open_.id);
      assert.ok(stored, 'the older request is read');
      assert.equal('task' in stored, false);
      assert.equal(stored.currentStage, 1);
      assert.deepEqual(stored.stages[1], {
        name: 'carry_out',
        type: 'work',
        role: 'system_administrator',
        approverIds: ['admin@kommun.se', 'deputy@kommun.se'],
        skipped: [],
      });
      assert.deepEqual(
        (await store.list({ awaitingPersonId: 'deputy@kommun.se' })).map((r) => r.id),
        [open_.id],
      );
      assert.equal((await store.get(done.id))?.currentStage, 2);
      assert.deepEqual(await store.inventory({}), []);
      const item = buildInventoryItem();
      await store.update(stored, stored.version, { inventory: [item] });
      const again = await reopen(store);
      const raw = await fsp.readFile(path.join(dataDir, 'requests.json'), 'utf8');
      assert.ok(!raw.includes('"task"'), 'the hot file still holds a task');
      assert.equal(
        (JSON.parse(raw) as { formatVersion: number }).formatVersion,
        REQUESTS_FILE_FORMAT_VERSION,
        'the older snapshot was not rewritten in the current format',
      );
      assert.deepEqual(await again.inventory({}), [item]);
      assert.equal((await again.get(open_.id))?.stages[1]?.type, 'work');
    });

    it("reads an older archived request as today's model", async () => {
      const request = legacy(
        {
          assigneeIds: ['admin@kommun.se'],
          outcome: 'failed',
          by: 'admin@kommun.se',
          at: '2025-03-02T10:00:00.000Z',
          note: 'the licence is used up',
        },
        { status: 'failed' },
      );
      const record = { id: request.id, archivedAt: '2025-04-01T00:00:00.000Z', request, cardCopies: [] };
      await fsp.writeFile(path.join(dataDir, 'requests-archive.jsonl'), `${JSON.stringify(record)}\n`);
      const store = await open();
      const stored = await store.get(request.id);
      assert.equal(stored && 'task' in stored, false);
      assert.equal(stored?.currentStage, 1);
      assert.deepEqual(stored?.stages[1]?.decision, {
        outcome: 'failed',
        by: 'admin@kommun.se',
        at: '2025-03-02T10:00:00.000Z',
        reason: 'the licence is used up',
      });
    });
  });

  it('lets only one process or store own the files', async () => {
    await open();
    await assert.rejects(openLowRequestStore(dataDir), (e) => isAnsvarError(e, 'StoreLocked'));
  });

  describe('archive', () => {
    const old = '2025-05-01T00:00:00.000Z';
    const recent = '2025-05-30T00:00:00.000Z';

    it('moves requests closed longer than the configured time to the archive, where get still finds them', async () => {
      const store = await open();
      const closedOld = buildRequest({ status: 'done', updatedAt: old });
      const closedRecent = buildRequest({ status: 'rejected', updatedAt: recent });
      const openOld = buildRequest({ status: 'open', updatedAt: old });
      const copy = buildCardCopy({ requestId: closedOld.id });
      const filler = Array.from({ length: 50 }, () => buildRequest({ status: 'cancelled', updatedAt: old }));
      for (const r of [closedOld, closedRecent, openOld, ...filler]) await store.create(r);
      await store.addCardCopy(copy);
      const hotBefore = await hotBytes();

      assert.equal(await store.archiveNow(), 51);
      const hotAfter = await hotBytes();
      assert.ok(hotAfter < hotBefore / 5, `hot file ${hotBefore} → ${hotAfter} bytes`);
      assert.deepEqual(await store.get(closedOld.id), closedOld);
      assert.deepEqual(await store.cardCopies(closedOld.id), [copy]);
      assert.deepEqual(
        new Set((await store.list({})).map((r) => r.id)),
        new Set([closedRecent.id, openOld.id]),
      );

      const again = await reopen(store);
      assert.deepEqual(await again.get(closedOld.id), closedOld);
      assert.deepEqual(await again.get(filler[49]!.id), filler[49]);
      assert.deepEqual(await again.get(closedRecent.id), closedRecent);
      const archiveLines = (await fsp.readFile(path.join(dataDir, 'requests-archive.jsonl'), 'utf8'))
        .trim()
        .split('\n');
      assert.equal(archiveLines.length, 51);
    });

    it('archives at open with a configurable age, and refuses to change or re-create an archived request', async () => {
      const store = await open();
      const request = buildRequest({ status: 'done', updatedAt: recent });
      await store.create(request);
      const again = await reopen(store, { archiveAfterMs: 60 * 60 * 1000 });
      await again.close();
      stores.splice(stores.indexOf(again), 1);
      const third = await open();
      assert.deepEqual(await third.list({}), []);
      assert.deepEqual(await third.get(request.id), request);
      await assert.rejects(third.update(request, request.version), (e) =>
        isAnsvarError(e, 'RevisionConflict'),
      );
      await assert.rejects(third.create(request), (e) => isAnsvarError(e, 'RevisionConflict'));
    });

    it('does not write a request to the archive twice when the hot write failed after the archive append', async () => {
      const store = await open();
      const request = buildRequest({ status: 'done', updatedAt: old });
      await store.create(request);
      const write = sinon.stub(DurableJsonFile.prototype, 'write').rejects(new Error('EIO'));
      await assert.rejects(store.archiveNow(), /EIO/);
      write.restore();
      assert.equal((await store.list({})).length, 1);
      assert.equal(await store.archiveNow(), 1);
      const again = await reopen(store);
      assert.equal(await again.archiveNow(), 0);
      const archive = (await fsp.readFile(path.join(dataDir, 'requests-archive.jsonl'), 'utf8'))
        .trim()
        .split('\n');
      assert.equal(archive.length, 1);
      assert.deepEqual(await again.get(request.id), request);
    });

    it('cuts off a torn last archive line, keeps it aside, and still serves the request from the hot file', async () => {
      const store = await open();
      const archived = buildRequest({ status: 'done', updatedAt: old });
      await store.create(archived);
      await store.archiveNow();
      const request = buildRequest({ status: 'done', updatedAt: recent });
      await store.create(request);
      await store.close();
      stores.splice(stores.indexOf(store), 1);
      const archivePath = path.join(dataDir, 'requests-archive.jsonl');
      const torn = JSON.stringify({ id: request.id, request }).slice(0, 60);
      await fsp.appendFile(archivePath, torn);

      const again = await open();
      assert.deepEqual(await again.get(request.id), request);
      assert.deepEqual(await again.get(archived.id), archived);
      const aside = (await fsp.readdir(dataDir)).filter((n) => n.startsWith('requests-archive.jsonl.torn-'));
      assert.equal(aside.length, 1);
      now = new Date('2025-07-01T00:00:00.000Z');
      assert.equal(await again.archiveNow(), 1);
      const third = await reopen(again);
      assert.deepEqual(await third.get(request.id), request);
    });
  });

  for (const [when, journalMax] of [
    ['while it appends to the journal', ''],
    ['while it also writes snapshots (a small journal)', '4096'],
  ] as const) {
    it(`has every acknowledged update and its outbox item after the writing process is killed ${when}`, async function () {
      const args = ['--import', 'tsx', writerScript, dataDir, ...(journalMax ? [journalMax] : [])];
      const child = spawn(process.execPath, args, {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const closed = once(child, 'close');
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const acks: Array<{ version: number; outboxId: string }> = [];
      let requestId = '';
      const lines = createInterface({ input: child.stdout });
      await new Promise<void>((resolve, reject) => {
        lines.on('line', (line) => {
          const [word, a, b] = line.split(' ');
          if (word === 'created') requestId = a!;
          if (word === 'ack') acks.push({ version: Number(a), outboxId: b! });
          if (acks.length === 60) {
            child.kill('SIGKILL');
            resolve();
          }
        });
        void closed.then(() => reject(new Error(`writer ended early: ${stderr}`)));
      });
      await closed;

      const store = await open();
      const stored = await store.get(requestId);
      assert.ok(stored, 'the request survived');
      const lastAck = Math.max(...acks.map((a) => a.version));
      assert.ok(stored.version >= lastAck, `stored version ${stored.version} < acknowledged ${lastAck}`);
      const pending = new Set((await store.pendingOutbox()).map((o) => o.id));
      for (const ack of acks)
        assert.ok(pending.has(ack.outboxId), `outbox item of version ${ack.version} is missing`);
      assert.equal(pending.size, stored.version - 1, 'exactly one outbox item per written version');
      assert.equal((await store.pendingAudit()).length, stored.version - 1);
    });
  }

  describe('audit chain head', () => {
    async function journalEntries(): Promise<number> {
      const text = await fsp.readFile(path.join(dataDir, 'requests.journal'), 'utf8');
      return text.split('\n').filter((l) => l.length > 0).length - 1;
    }

    it('keeps the head of its last flush across reopen, from the journal and from a snapshot', async () => {
      const store = await open();
      const request = buildRequest();
      const event = buildAuditEvent({ requestId: request.id });
      await store.create(request, { audit: [event] });
      assert.equal(await store.auditHead(), undefined, 'a new store has a head');
      const head = { count: 7, hash: 'a'.repeat(64) };
      await store.auditFlushed([event.id], head);
      assert.deepEqual(await store.auditHead(), head);
      await store.close();
      const reopened = await open();
      assert.deepEqual(await reopened.auditHead(), head, 'the head was not replayed from the journal');
      // Open wrote the replayed entries into a new snapshot and emptied the journal.
      assert.equal(await journalEntries(), 0, 'the journal was not emptied at open');
      await reopened.close();
      const again = await open();
      assert.deepEqual(await again.auditHead(), head, 'the head was not kept in the snapshot');
      assert.deepEqual(await again.pendingAudit(), []);
    });

    it('keeps the old head when the flush could not be written', async () => {
      const io = new FaultyIo();
      const store = await open({ io });
      const request = buildRequest();
      const [first, second] = [
        buildAuditEvent({ requestId: request.id }),
        buildAuditEvent({ requestId: request.id }),
      ];
      await store.create(request, { audit: [first!, second!] });
      const head = { count: 1, hash: 'b'.repeat(64) };
      await store.auditFlushed([first!.id], head);
      io.inject({ op: 'write', bytes: 10, code: 'ENOSPC' });
      await assert.rejects(
        store.auditFlushed([second!.id], { count: 2, hash: 'c'.repeat(64) }),
        (e: unknown) => isAnsvarError(e, 'NotSaved'),
      );
      assert.deepEqual(await store.auditHead(), head);
      await store.close();
      const reopened = await open();
      assert.deepEqual(await reopened.auditHead(), head);
      assert.deepEqual(
        (await reopened.pendingAudit()).map((e) => e.id),
        [second!.id],
        'the event of the failed flush is no longer pending',
      );
    });
  });

  describe('journal', () => {
    const snapshotPath = () => path.join(dataDir, 'requests.json');
    const journalPath = () => path.join(dataDir, 'requests.journal');
    const readIfThere = async (file: string) => fsp.readFile(file).catch(() => undefined);
    async function snapshotHeader(): Promise<{ formatVersion: number; generation: number }> {
      const raw = JSON.parse(await fsp.readFile(snapshotPath(), 'utf8')) as {
        formatVersion: number;
        data: { generation: number };
      };
      return { formatVersion: raw.formatVersion, generation: raw.data.generation };
    }

    it('appends each change to the journal instead of rewriting the snapshot, and replays it at open', async () => {
      const store = await open();
      const request = buildRequest();
      await store.create(request, { outbox: [buildOutboxItem({ requestId: request.id })] });
      const snapshotBefore = await readIfThere(snapshotPath());
      const journalBefore = (await fsp.stat(journalPath())).size;
      let current = request;
      for (let i = 0; i < 30; i += 1) {
        current = await store.update(
          { ...current, fields: { ...current.fields, round: i } },
          current.version,
          {
            audit: [buildAuditEvent({ requestId: request.id })],
          },
        );
      }
      const [item] = await store.pendingOutbox();
      await store.markDelivered(item!.id, '2025-06-01T12:00:00.000Z');
      await store.auditFlushed((await store.pendingAudit(5)).map((e) => e.id));
      const inventory = buildInventoryItem({ requestId: request.id });
      current = await store.update(current, current.version, { inventory: [inventory] });

      assert.deepEqual(await readIfThere(snapshotPath()), snapshotBefore, 'the snapshot was rewritten');
      const grown = (await fsp.stat(journalPath())).size - journalBefore;
      const perChange = JSON.stringify(current).length + JSON.stringify(buildAuditEvent()).length + 200;
      assert.ok(grown < 33 * perChange, `the journal grew by ${grown} bytes for 33 changes`);

      const again = await reopen(store);
      assert.deepEqual(await again.get(request.id), current);
      assert.deepEqual(await again.pendingOutbox(), []);
      assert.equal((await again.pendingAudit()).length, 25);
      assert.deepEqual(await again.inventory({}), [inventory]);
      assert.deepEqual(await snapshotHeader(), {
        formatVersion: REQUESTS_FILE_FORMAT_VERSION,
        generation: 1,
      });
      assert.ok((await fsp.stat(journalPath())).size < 300, 'the replayed journal was not emptied at open');
      const third = await reopen(again);
      assert.deepEqual(await third.get(request.id), current);
    });

    it('writes a new snapshot and starts the journal again once the journal is full', async () => {
      const store = await open({ journalMaxBytes: 8_000 });
      const request = buildRequest();
      await store.create(request);
      let current = request;
      let largest = 0;
      for (let i = 0; i < 60; i += 1) {
        current = await store.update(
          { ...current, fields: { ...current.fields, round: i } },
          current.version,
        );
        largest = Math.max(largest, (await fsp.stat(journalPath())).size);
      }
      assert.ok(largest < 8_000 + 2 * JSON.stringify(current).length, `the journal reached ${largest} bytes`);
      assert.ok((await snapshotHeader()).generation >= 2, 'no new snapshot was written');
      const again = await reopen(store, { journalMaxBytes: 8_000 });
      assert.deepEqual(await again.get(request.id), current);
    });

    it('keeps every change when the journal cannot be started again after a snapshot', async () => {
      const store = await open({ journalMaxBytes: 2_000 });
      const request = buildRequest();
      await store.create(request);
      let current = request;
      const restart = sinon.stub(Journal.prototype, 'restart').rejects(new Error('EIO: i/o error'));
      for (let i = 0; i < 10; i += 1) {
        current = await store.update(
          { ...current, fields: { ...current.fields, round: i } },
          current.version,
        );
      }
      assert.ok(restart.called, 'the journal was never restarted');
      restart.restore();
      for (let i = 10; i < 20; i += 1) {
        current = await store.update(
          { ...current, fields: { ...current.fields, round: i } },
          current.version,
        );
      }
      const again = await reopen(store);
      assert.deepEqual(await again.get(request.id), current);
    });

    it('refuses to start when the snapshot was restored without its journal, and changes neither', async () => {
      let store = await open();
      for (let i = 0; i < 3; i += 1) {
        await store.create(buildRequest());
        store = await reopen(store);
      }
      await store.create(buildRequest());
      await store.close();
      stores.splice(stores.indexOf(store), 1);
      await fsp.copyFile(`${snapshotPath()}.bak`, snapshotPath());
      const snapshot = await fsp.readFile(snapshotPath());
      const journal = await fsp.readFile(journalPath());
      await assert.rejects(
        openLowRequestStore(dataDir),
        (e: unknown) => isAnsvarError(e, 'StoreCorrupt') && /same backup/.test((e as Error).message),
        'a snapshot older than its journal was accepted',
      );
      assert.deepEqual(await fsp.readFile(snapshotPath()), snapshot, 'the snapshot was changed');
      assert.deepEqual(await fsp.readFile(journalPath()), journal, 'the journal was changed');
    });
  });
});
