import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import sinon from 'sinon';
import { DurableJsonFile } from '../../../data/lowdb/durableJsonFile.js';
import {
  openLowRegisterStore,
  REGISTER_FILE_FORMAT,
  REGISTER_FILE_FORMAT_VERSION,
  shareEqualStrings,
} from '../../../data/lowdb/lowRegisterStore.js';
import type { RegisterSnapshot } from '../../../data/model.js';
import type { RegisterStore } from '../../../data/registerStore.js';
import { isAnsvarError } from '../../../core/errors.js';
import { buildPerson, buildSystem } from '../../../fakes/registerBuilder.js';
import { startWriter, type Writer } from '../fixtures/childProcess.js';
import { TempDirs } from '../fixtures/tempDirs.js';
import { describeRegisterStoreContract } from '../registerStoreContract.js';

const dirs = new TempDirs();

describe('LowRegisterStore on real files', () => {
  after(async () => {
    await dirs.removeAll();
  });

  describeRegisterStoreContract('LowRegisterStore', async () => openLowRegisterStore(await dirs.make()));
});

async function readEnvelope(file: string): Promise<{ format: string; data: RegisterSnapshot }> {
  return JSON.parse(await fsp.readFile(file, 'utf8')) as { format: string; data: RegisterSnapshot };
}

describe('openLowRegisterStore', () => {
  const stores: RegisterStore[] = [];
  const writers: Writer[] = [];
  let dataDir: string;
  let file: string;

  beforeEach(async () => {
    dataDir = await dirs.make();
    file = path.join(dataDir, 'register.json');
  });

  afterEach(async () => {
    sinon.restore();
    await Promise.all(writers.splice(0).map((w) => w.kill()));
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await dirs.removeAll();
  });

  async function open(dir = dataDir, options?: { fileName?: string }): Promise<RegisterStore> {
    const store = await openLowRegisterStore(dir, options);
    stores.push(store);
    return store;
  }

  describe('persistence', () => {
    it('keeps the data across close and reopen', async () => {
      const store = await open();
      await store.apply({ systems: [buildSystem()], people: [buildPerson()] }, 0);
      await store.apply({ systems: [buildSystem({ id: 'testkommun/visma', name: 'Visma' })] }, 1);
      const before = await store.snapshot();
      await store.close();

      const reopened = await open();
      assert.deepEqual(await reopened.snapshot(), before);
      assert.equal(await reopened.revision(), 2);
    });

    it('keeps the audit chain head of its last flush across reopen, and only a newer one replaces it', async () => {
      const store = await open();
      const head = { count: 4, hash: 'd'.repeat(64) };
      await store.auditFlushed([], head);
      await store.auditFlushed([], { count: 2, hash: 'e'.repeat(64) });
      await store.close();
      const reopened = await open();
      assert.deepEqual(await reopened.auditHead?.(), head);
    });

    it('keeps pending audit events in the register file, written with the change and dropped when flushed', async () => {
      const store = await open();
      const event = {
        id: 'e1',
        at: '2026-06-01T10:00:00.000Z',
        type: 'register_changed' as const,
        actor: 'lisa.strand@testkommun.se',
      };
      await store.apply({ systems: [buildSystem()] }, 0, { audit: [event] });
      const onDisk = (await readEnvelope(file)) as { data: { pendingAudit?: unknown[]; revision: number } };
      assert.deepEqual(onDisk.data.pendingAudit, [event]);
      assert.equal(onDisk.data.revision, 1);
      await store.close();

      const reopened = await open();
      assert.deepEqual(await reopened.pendingAudit(), [event]);
      assert.deepEqual(Object.keys(await reopened.snapshot()).sort(), [
        'organisations',
        'people',
        'revision',
        'roleAssignments',
        'systems',
        'units',
      ]);
      await reopened.auditFlushed(['e1']);
      assert.deepEqual(
        ((await readEnvelope(file)) as { data: { pendingAudit?: unknown[] } }).data.pendingAudit,
        [],
      );
    });

    it('reads a register file written before register changes were audited', async () => {
      const older = new DurableJsonFile<unknown>(file, {
        format: REGISTER_FILE_FORMAT,
        formatVersion: REGISTER_FILE_FORMAT_VERSION,
        parse: (data) => data,
      });
      await older.write({
        revision: 4,
        organisations: [],
        units: [],
        people: [],
        systems: [buildSystem()],
        roleAssignments: [],
      });
      const store = await open();
      assert.equal(await store.revision(), 4);
      assert.deepEqual(await store.pendingAudit(), []);
    });

    it('serves reads from memory without touching the disk', async () => {
      const store = await open();
      await store.apply({ systems: [buildSystem()] }, 0);
      const diskCalls = [sinon.spy(fsp, 'readFile'), sinon.spy(fsp, 'open'), sinon.spy(fsp, 'stat')];
      assert.equal(await store.revision(), 1);
      assert.equal((await store.snapshot()).systems.length, 1);
      assert.deepEqual(
        diskCalls.map((spy) => spy.callCount),
        [0, 0, 0],
      );
    });

    it('has the change in the file on disk when apply resolves', async () => {
      const store = await open();
      await store.apply({ systems: [buildSystem({ name: 'Procapita' })] }, 0);
      const onDisk = await readEnvelope(file);
      assert.equal(onDisk.format, REGISTER_FILE_FORMAT);
      assert.equal(onDisk.data.revision, 1);
      assert.deepEqual(
        onDisk.data.systems.map((s) => s.name),
        ['Procapita'],
      );
    });

    it('keeps the previous revision as register.json.bak from the second apply on', async () => {
      const store = await open();
      await store.apply({ systems: [buildSystem()] }, 0);
      await store.apply({ people: [buildPerson()] }, 1);
      assert.equal((await readEnvelope(`${file}.bak`)).data.revision, 1);
      assert.equal((await readEnvelope(file)).data.revision, 2);
    });

    it('creates the data directory and uses the file name it is given', async () => {
      const nested = path.join(dataDir, 'a', 'b');
      const store = await open(nested, { fileName: 'other.json' });
      await store.apply({ systems: [buildSystem()] }, 0);
      assert.equal((await readEnvelope(path.join(nested, 'other.json'))).data.revision, 1);
    });

    it('stays at the old revision, in memory and on disk, when the write fails', async () => {
      const store = await open();
      await store.apply({ systems: [buildSystem({ id: 'kept' })] }, 0);
      const handle = await fsp.open(dataDir, 'r');
      await handle.close();
      const sync = sinon
        .stub(Object.getPrototypeOf(handle) as { sync: () => Promise<void> }, 'sync')
        .callThrough();
      sync.onFirstCall().rejects(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));

      await assert.rejects(store.apply({ systems: [buildSystem({ id: 'lost' })] }, 1), /no space left/);

      assert.equal(await store.revision(), 1);
      assert.deepEqual(
        (await store.snapshot()).systems.map((s) => s.id),
        ['kept'],
      );
      assert.equal((await readEnvelope(file)).data.revision, 1);
      assert.equal(await store.apply({ systems: [buildSystem({ id: 'next' })] }, 1), 2);
    });

    it('waits for pending writes on close', async () => {
      const store = await open();
      const applying = store.apply({ systems: [buildSystem()] }, 0);
      await store.close();
      assert.equal(await applying, 1);
      assert.equal((await readEnvelope(file)).data.revision, 1);
    });

    it('refuses reads and writes after close, and can be closed twice', async () => {
      const store = await open();
      await store.close();
      await store.close();
      await assert.rejects(store.apply({}, 0), (error: unknown) => isAnsvarError(error, 'StoreLocked'));
      await assert.rejects(store.snapshot(), (error: unknown) => isAnsvarError(error, 'StoreLocked'));
    });
  });

  describe('damaged files', () => {
    it('refuses a damaged register with StoreCorrupt, leaves it unchanged and releases the lock', async () => {
      const store = await open();
      await store.apply({ systems: [buildSystem()] }, 0);
      await store.close();
      const truncated = (await fsp.readFile(file)).subarray(0, 40);
      await fsp.writeFile(file, truncated);

      await assert.rejects(openLowRegisterStore(dataDir), (error: unknown) => {
        assert.ok(isAnsvarError(error, 'StoreCorrupt'), "isAnsvarError(error, 'StoreCorrupt')");
        assert.ok(error.message.includes(file), 'error.message.includes(file)');
        assert.match(
          error.message,
          /not complete JSON.*remove the data directory to start with an empty register/,
        );
        return true;
      });
      assert.deepEqual(await fsp.readFile(file), truncated);
      await assert.rejects(fsp.access(`${file}.lock`));
    });

    it('refuses a file whose entities lack a string id, naming the problem', async () => {
      const wrongShape = new DurableJsonFile<unknown>(file, {
        format: REGISTER_FILE_FORMAT,
        formatVersion: REGISTER_FILE_FORMAT_VERSION,
        parse: (data) => data,
      });
      await wrongShape.write({
        revision: 1,
        organisations: [],
        units: [],
        people: [{ id: 7 }],
        systems: [],
        roleAssignments: [],
      });
      await assert.rejects(openLowRegisterStore(dataDir), (error: unknown) => {
        assert.ok(isAnsvarError(error, 'StoreCorrupt'), "isAnsvarError(error, 'StoreCorrupt')");
        assert.match(error.message, /unexpected content.*people/s);
        return true;
      });
    });

    it('refuses a file with a valid checksum whose content is not a register', async () => {
      const wrongShape = new DurableJsonFile<unknown>(file, {
        format: REGISTER_FILE_FORMAT,
        formatVersion: REGISTER_FILE_FORMAT_VERSION,
        parse: (data) => data,
      });
      await wrongShape.write({ revision: 'three', systems: {} });
      await assert.rejects(openLowRegisterStore(dataDir), (error: unknown) => {
        assert.ok(isAnsvarError(error, 'StoreCorrupt'), "isAnsvarError(error, 'StoreCorrupt')");
        assert.match(error.message, /unexpected content.*revision/s);
        return true;
      });
    });
  });

  describe('shareEqualStrings', () => {
    it('leaves every value as it was, in place (strings shared, numbers, booleans, nesting untouched)', () => {
      const data = {
        revision: 3,
        systems: [
          { id: 's1', organisationId: 'org-a', aliases: ['P360', 'p360'], processesPersonalData: true },
          { id: 's2', organisationId: 'org-a', aliases: ['P360'], lifecycle: null, size: 0 },
        ],
        roleAssignments: [{ id: 'ra-1', organisationId: 'org-a', validFrom: '2024-01-01T00:00:00.000Z' }],
      };
      const before = structuredClone(data);
      assert.equal(shareEqualStrings(data), data);
      assert.deepEqual(data, before);
    });
  });

  describe('one writer per data directory', () => {
    it('refuses a second open in the same process', async () => {
      await open();
      await assert.rejects(openLowRegisterStore(dataDir), (error: unknown) =>
        isAnsvarError(error, 'StoreLocked'),
      );
    });

    it('opens again once the first store is closed', async () => {
      const first = await openLowRegisterStore(dataDir);
      await first.apply({ systems: [buildSystem()] }, 0);
      await first.close();
      assert.equal(await (await open()).revision(), 1);
    });

    it('makes a second process fail with exit code 3 and a message naming the holder', async () => {
      await open();
      const second = startWriter('hold', dataDir);
      writers.push(second);
      const { code } = await second.closed;
      assert.equal(code, 3);
      assert.match(second.stderr(), new RegExp(`held by process ${process.pid} on host`));
      assert.match(second.stderr(), /Only one Ansvar process may own a data directory/);
    });

    it('refuses to open while another process holds the store', async () => {
      const holder = startWriter('hold', dataDir);
      writers.push(holder);
      await holder.waitForLine((line) => line === 'ready');
      await assert.rejects(openLowRegisterStore(dataDir), (error: unknown) => {
        assert.ok(isAnsvarError(error, 'StoreLocked'), "isAnsvarError(error, 'StoreLocked')");
        assert.match(error.message, new RegExp(`held by process ${holder.pid}`));
        return true;
      });
    });

    it('opens after the process that held the store was killed with SIGKILL', async () => {
      const holder = startWriter('hold', dataDir);
      writers.push(holder);
      await holder.waitForLine((line) => line === 'ready');
      await holder.kill();
      const store = await open();
      assert.equal(await store.revision(), 0);
    });
  });

  describe('crash safety', () => {
    it('loads after SIGKILL at random moments of a write burst, with every acknowledged write present', async function () {
      // Ten rounds each start a tsx child process: seconds apiece on a loaded 2-core machine.
      this.timeout(90_000);
      const acknowledged = new Map<string, number>();
      let lastAcknowledged = 0;
      const rounds = 10;
      // Writers start ahead (they wait for `go`), so process start-up overlaps the previous rounds.
      const startNext = () => {
        const writer = startWriter('burst', dataDir);
        writers.push(writer);
        return writer;
      };
      const ready = [startNext(), startNext(), startNext()];
      for (let round = 1; round <= rounds; round++) {
        const writer = ready.shift()!;
        if (round + ready.length < rounds) ready.push(startNext());
        await writer.waitForLine((line) => line === 'loaded');
        writer.child.stdin!.write('go\n');
        const acksBeforeKill = randomInt(1, 8);
        await writer.waitForLine(
          () => writer.lines.filter((l) => l.startsWith('ack ')).length >= acksBeforeKill,
        );
        await new Promise((resolve) => setTimeout(resolve, randomInt(0, 6)));
        await writer.kill();

        for (const line of writer.lines.filter((l) => l.startsWith('ack '))) {
          const [, revision, marker] = line.split(' ');
          acknowledged.set(marker!, Number(revision));
          lastAcknowledged = Math.max(lastAcknowledged, Number(revision));
        }

        const store = await openLowRegisterStore(dataDir);
        try {
          const snapshot = await store.snapshot();
          assert.ok(
            snapshot.revision >= lastAcknowledged,
            `round ${round}: revision ${snapshot.revision} < acknowledged ${lastAcknowledged}`,
          );
          const present = new Set(snapshot.systems.map((s) => s.id));
          const missing = [...acknowledged.keys()].filter((marker) => !present.has(marker));
          assert.deepEqual(missing, [], `round ${round}: acknowledged writes missing`);
          assert.deepEqual(
            (await fsp.readdir(dataDir)).filter((name) => name.includes('.tmp-')),
            [],
            `round ${round}: temp files left`,
          );
        } finally {
          await store.close();
        }
      }
      assert.ok(acknowledged.size >= 10, 'acknowledged.size >= 10');
    });
  });
});
