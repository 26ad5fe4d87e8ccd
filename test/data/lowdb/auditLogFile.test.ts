import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openAuditLog, type OpenAuditLog } from '../../../data/lowdb/auditLogFile.js';
import { openLowRequestStore } from '../../../data/lowdb/lowRequestStore.js';
import type { AuditEvent } from '../../../data/requestModel.js';
import type { RequestStore } from '../../../data/requestStore.js';
import { isAnsvarError } from '../../../core/errors.js';
import { buildAuditEvent, buildRequest } from '../fixtures/requestBuilder.js';
import { FaultyIo } from '../fixtures/faultyIo.js';
import { TempDirs } from '../fixtures/tempDirs.js';

const dirs = new TempDirs();

async function all(events: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const out: AuditEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('openAuditLog', () => {
  const open: Array<{ close: () => Promise<void> }> = [];
  let dataDir: string;
  let file: string;

  beforeEach(async () => {
    dataDir = await dirs.make();
    file = path.join(dataDir, 'audit.jsonl');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dirs.removeAll();
  });

  async function openLog(options: Parameters<typeof openAuditLog>[1] = {}): Promise<OpenAuditLog> {
    const log = await openAuditLog(dataDir, options);
    open.push(log);
    return log;
  }

  async function reopen(log: OpenAuditLog): Promise<OpenAuditLog> {
    await log.close();
    return openLog();
  }

  async function lines(): Promise<string[]> {
    return (await fsp.readFile(file, 'utf8')).split('\n').filter((l) => l.length > 0);
  }

  const events = (n: number) =>
    Array.from({ length: n }, (_, i) =>
      buildAuditEvent({ at: `2025-03-0${(i % 9) + 1}T09:00:00.000Z`, reason: `r${i}` }),
    );

  it('reads back appended events in order, across reopen', async () => {
    const log = await openLog();
    const written = events(3);
    await log.append(written.slice(0, 2));
    await log.append(written.slice(2));
    const again = await reopen(log);
    assert.deepEqual(await all(again.read()), written);
  });

  it('filters by system, by person (actor or on behalf of), by request and by time', async () => {
    const log = await openLog();
    const a = buildAuditEvent({
      systemId: 'sys-a',
      actor: 'chef@kommun.se',
      onBehalfOf: 'anna@kommun.se',
      at: '2025-01-01T00:00:00Z',
    });
    const b = buildAuditEvent({
      systemId: 'sys-b',
      actor: 'system',
      requestId: 'r-9',
      at: '2025-02-01T00:00:00Z',
    });
    const c = buildAuditEvent({ systemId: 'sys-a', actor: 'Anna@kommun.se', at: '2025-03-01T00:00:00Z' });
    await log.append([a, b, c]);
    assert.deepEqual(await all(log.read({ systemId: 'sys-a' })), [a, c]);
    assert.deepEqual(await all(log.read({ personId: 'anna@kommun.se' })), [a, c]);
    assert.deepEqual(await all(log.read({ requestId: 'r-9' })), [b]);
    assert.deepEqual(await all(log.read({ since: '2025-02-01' })), [b, c]);
    assert.deepEqual(await all(log.read({ systemId: 'sys-a', since: '2025-02-01' })), [c]);
  });

  it('skips events whose id the log already holds: in one call, in earlier calls and after reopen', async () => {
    const log = await openLog();
    const [a, b, c] = events(3) as [AuditEvent, AuditEvent, AuditEvent];
    await log.append([a, { ...a, reason: 'changed' }]);
    await log.append([a, b]);
    const again = await reopen(log);
    await again.append([b, c]);
    assert.deepEqual(await all(again.read()), [a, b, c]);
    assert.equal((await lines()).length, 3);
  });

  it('writes every event of concurrent appends, each once, as one valid chain', async () => {
    const log = await openLog();
    const written = events(40);
    await Promise.all(written.map((e) => log.append([e])));
    const again = await reopen(log);
    assert.deepEqual(new Set((await all(again.read())).map((e) => e.id)), new Set(written.map((e) => e.id)));
    assert.equal(again.size, 40);
  });

  it('refuses an invalid event and writes nothing of its call', async () => {
    const log = await openLog();
    const good = buildAuditEvent();
    await assert.rejects(
      log.append([good, { ...buildAuditEvent(), type: 'deleted' as AuditEvent['type'] }]),
      (e) => isAnsvarError(e, 'InvalidInput'),
    );
    assert.deepEqual(await all(log.read()), []);
  });

  it('refuses to open a log whose record was changed, naming the line', async () => {
    const log = await openLog();
    await log.append(events(3));
    await log.close();
    const text = await lines();
    text[1] = text[1]!.replace(/"reason":"r1"/, '"reason":"r1 (edited)"');
    await fsp.writeFile(file, `${text.join('\n')}\n`);
    await assert.rejects(
      openAuditLog(dataDir),
      (e) => isAnsvarError(e, 'StoreCorrupt') && /line 2\b/.test(e.message),
    );
  });

  it('refuses to open a log with a line removed in the middle, naming the line after the gap', async () => {
    const log = await openLog();
    await log.append(events(4));
    await log.close();
    const text = await lines();
    text.splice(1, 1);
    await fsp.writeFile(file, `${text.join('\n')}\n`);
    await assert.rejects(
      openAuditLog(dataDir),
      (e) => isAnsvarError(e, 'StoreCorrupt') && /line 2\b/.test(e.message) && /removed/.test(e.message),
    );
  });

  it('refuses to open a log with an incomplete line before the last one', async () => {
    const log = await openLog();
    await log.append(events(3));
    await log.close();
    const text = await lines();
    text[1] = text[1]!.slice(0, 20);
    await fsp.writeFile(file, `${text.join('\n')}\n`);
    await assert.rejects(
      openAuditLog(dataDir),
      (e) => isAnsvarError(e, 'StoreCorrupt') && /line 2\b/.test(e.message),
    );
  });

  it('cuts off a torn last line, keeps it aside, and keeps every complete record', async () => {
    const log = await openLog();
    const written = events(2);
    await log.append(written);
    await log.close();
    const torn = JSON.stringify(buildAuditEvent()).slice(0, 40);
    await fsp.appendFile(file, torn);
    const again = await openLog();
    assert.deepEqual(await all(again.read()), written);
    const aside = (await fsp.readdir(dataDir)).filter((n) => n.startsWith('audit.jsonl.torn-'));
    assert.equal(aside.length, 1);
    assert.equal(await fsp.readFile(path.join(dataDir, aside[0]!), 'utf8'), torn);
    const next = buildAuditEvent();
    await again.append([next]);
    const third = await reopen(again);
    assert.deepEqual(await all(third.read()), [...written, next]);
  });

  it('keeps a complete last record that lost only its newline', async () => {
    const log = await openLog();
    const written = events(2);
    await log.append(written);
    await log.close();
    await fsp.truncate(file, (await fsp.stat(file)).size - 1);
    const again = await openLog();
    const next = buildAuditEvent();
    await again.append([next]);
    const third = await reopen(again);
    assert.deepEqual(await all(third.read()), [...written, next]);
  });

  describe('write faults', () => {
    const refusedAsNotSaved = (e: unknown) => isAnsvarError(e, 'NotSaved');

    it('completes a short write with the rest of the batch', async () => {
      const io = new FaultyIo().inject({ op: 'write', bytes: 7 }, { op: 'write', bytes: 100 });
      const log = await openLog({ io });
      const written = events(3);
      await log.append(written);
      assert.equal(io.fired.length, 2, 'the short writes were not injected');
      const again = await reopen(log);
      assert.deepEqual(await all(again.read()), written);
    });

    for (const code of ['ENOSPC', 'EIO', 'EDQUOT']) {
      it(`keeps no part of an append that fails with ${code} mid-write, and the next append chains on`, async () => {
        const io = new FaultyIo();
        const log = await openLog({ io });
        const [first, lost, next] = events(3);
        await log.append([first!]);
        const size = (await fsp.stat(file)).size;
        io.inject({ op: 'write', bytes: 30, code });
        await assert.rejects(log.append([lost!]), refusedAsNotSaved);
        const bytes = await fsp.readFile(file);
        assert.equal(bytes.length, size, 'part of the failed record is still in the file');
        assert.equal(bytes.includes(0), false, 'the file was padded with NUL bytes');
        await log.append([next!]);
        const again = await reopen(log);
        assert.deepEqual(await all(again.read()), [first, next]);
      });
    }

    it('never extends the file with zeros when a short write is followed by a failure', async () => {
      // The old defect: a short write counted as complete, then the roll-back of a later failure extended the file.
      const io = new FaultyIo().inject({ op: 'write', bytes: 12 }, { op: 'write', code: 'ENOSPC' });
      const log = await openLog({ io });
      await assert.rejects(log.append(events(2)), refusedAsNotSaved);
      assert.equal((await fsp.stat(file)).size, 0, 'a failed first append left bytes behind');
      const again = await reopen(log);
      assert.equal(again.size, 0, 'a record was kept from a failed append');
    });

    it('retries a cut that failed before appending again', async () => {
      const io = new FaultyIo().inject(
        { op: 'write', bytes: 25, code: 'EIO' },
        { op: 'truncate', code: 'EIO' },
      );
      const log = await openLog({ io });
      await assert.rejects(log.append(events(1)), refusedAsNotSaved);
      assert.ok((await fsp.stat(file)).size > 0, 'the partial write did not reach the file');
      const [kept] = events(1);
      await log.append([kept!]);
      const again = await reopen(log);
      assert.deepEqual(await all(again.read()), [kept]);
    });
  });

  describe('chain head kept by the stores', () => {
    async function withRecords(n: number) {
      const log = await openLog();
      const head = await log.append(events(n));
      await log.close();
      open.splice(open.indexOf(log), 1);
      return head!;
    }

    it('opens when the log holds the recorded head, or more', async () => {
      const head = await withRecords(3);
      const log = await openLog({ expectHeads: [{ store: 'request', head }] });
      await log.append(events(2));
      const again = await reopen(log);
      assert.equal(again.size, 5);
      await again.close();
      open.splice(open.indexOf(again), 1);
      const checked = await openLog({ expectHeads: [{ store: 'request', head }] });
      assert.equal(checked.size, 5, 'a longer log was refused');
    });

    it('refuses a deleted audit log, and does not create an empty one', async () => {
      const head = await withRecords(2);
      await fsp.rm(file);
      await assert.rejects(
        openLog({ expectHeads: [{ store: 'request', head }] }),
        (e: unknown) => isAnsvarError(e, 'StoreCorrupt') && /is missing or empty/.test((e as Error).message),
      );
      await assert.rejects(fsp.stat(file), /ENOENT/, 'an empty audit log was created');
    });

    it('refuses an audit log shorter than the recorded head', async () => {
      const head = await withRecords(3);
      const text = await fsp.readFile(file, 'utf8');
      await fsp.writeFile(file, text.split('\n').slice(0, 2).join('\n') + '\n');
      await assert.rejects(
        openLog({ expectHeads: [{ store: 'register', head }] }),
        (e: unknown) =>
          isAnsvarError(e, 'StoreCorrupt') &&
          /holds 2 records, fewer than the 3/.test((e as Error).message) &&
          /backup/.test((e as Error).message),
      );
    });

    it('refuses a different audit log of the same length', async () => {
      const head = await withRecords(2);
      await fsp.rm(file);
      await withRecords(2);
      await assert.rejects(
        openLog({ expectHeads: [{ store: 'request', head }] }),
        (e: unknown) => isAnsvarError(e, 'StoreCorrupt') && /differs at record 2/.test((e as Error).message),
      );
    });
  });

  it('lets only one process or store own the log', async () => {
    await openLog();
    await assert.rejects(openAuditLog(dataDir), (e) => isAnsvarError(e, 'StoreLocked'));
  });
});

describe('flushing pending audit events from the request store to the audit log', () => {
  const open: Array<{ close: () => Promise<void> }> = [];

  after(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await dirs.removeAll();
  });

  async function flush(store: RequestStore, log: OpenAuditLog, crashBeforeMarking: boolean): Promise<void> {
    const pending = await store.pendingAudit();
    await log.append(pending);
    if (!crashBeforeMarking) await store.auditFlushed(pending.map((e) => e.id));
  }

  it('leaves no duplicate and no gap when the process stops between append and auditFlushed', async () => {
    const dataDir = await dirs.make();
    let store = await openLowRequestStore(dataDir);
    let log = await openAuditLog(dataDir);
    const request = buildRequest();
    const first = [
      buildAuditEvent({ type: 'submitted' }),
      buildAuditEvent({ type: 'routed', actor: 'system' }),
    ];
    await store.create(request, { audit: first });
    await flush(store, log, true);
    // The state on disk is what a crash right after the append leaves: events in the log and still pending.
    await store.close();
    await log.close();

    store = await openLowRequestStore(dataDir);
    log = await openAuditLog(dataDir);
    open.push(store, log);
    assert.deepEqual(
      (await store.pendingAudit()).map((e) => e.id),
      first.map((e) => e.id),
    );
    const later = buildAuditEvent({ type: 'decided', actor: 'chef@kommun.se' });
    await store.update(request, request.version, { audit: [later] });
    await flush(store, log, false);
    assert.deepEqual(await store.pendingAudit(), []);
    assert.deepEqual(
      (await all(log.read())).map((e) => e.id),
      [...first, later].map((e) => e.id),
    );
  });
});
