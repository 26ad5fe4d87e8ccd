import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openAuditLog, readAuditFile, type OpenAuditLog } from '../../../data/lowdb/auditLogFile.js';
import { StorageHealth } from '../../../data/storageHealth.js';
import { openLowRegisterStore } from '../../../data/lowdb/lowRegisterStore.js';
import { openLowRequestStore, type LowRequestStore } from '../../../data/lowdb/lowRequestStore.js';
import type { RegisterStore } from '../../../data/registerStore.js';
import type { AuditEvent, WorkRequest } from '../../../data/requestModel.js';
import { isAnsvarError } from '../../../core/errors.js';
import { logger } from '../../../core/logger.js';
import { AuditFlusher } from '../../../services/requests/auditFlusher.js';
import { buildSystem } from '../../../fakes/registerBuilder.js';
import { FaultyIo } from '../fixtures/faultyIo.js';
import { buildAuditEvent, buildRequest } from '../fixtures/requestBuilder.js';
import { mountSmallDisk, type SmallDisk } from '../fixtures/smallDisk.js';
import { TempDirs } from '../fixtures/tempDirs.js';

/**
 * The disk fills up while requests are submitted and decided, register changes are made and audit events are
 * flushed; then space returns, the stores carry on without a restart, and after a restart nothing acknowledged is
 * missing, nothing partial is kept, and the audit chain verifies against the heads the stores recorded.
 *
 * On a real small file system (tmpfs, mounted by the test where it may), or, where mount is not possible, with
 * ENOSPC injected at the durable file layer's seam (the title says which). ANSVAR_FULL_DISK_RUNS sets how many
 * free-space levels run (default 4; `npm run faults` runs 20).
 */

const RUNS = Number(process.env.ANSVAR_FULL_DISK_RUNS ?? 4);
const DISK_BYTES = 4 * 1024 * 1024;
const dirs = new TempDirs();

/** 0, one page, a few pages, 64 KiB; then levels spread up to 256 KiB, some not page-aligned. */
function freeLevels(runs: number): number[] {
  const fixed = [0, 4096, 16 * 1024, 64 * 1024];
  const levels = fixed.slice(0, runs);
  let seed = 16;
  while (levels.length < runs) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    levels.push(seed % (256 * 1024));
  }
  return levels;
}

interface Acked {
  requests: Map<string, number>;
  events: Set<string>;
  revision: number;
  systems: Set<string>;
}

interface Stores {
  register: RegisterStore;
  requests: LowRequestStore;
  audit: OpenAuditLog;
  flushers: AuditFlusher[];
}

async function openStores(dataDir: string, io: FaultyIo, health: StorageHealth): Promise<Stores> {
  const options = { io, health };
  const register = await openLowRegisterStore(dataDir, options);
  const requests = await openLowRequestStore(dataDir, {
    ...options,
    archiveIntervalMs: 0,
    // Small, so snapshots (whole-file rewrites) also happen while the disk is full.
    journalMaxBytes: 24 * 1024,
  });
  const audit = await openAuditLog(dataDir, {
    ...options,
    expectHeads: [
      { store: 'register', head: await register.auditHead?.() },
      { store: 'request', head: await requests.auditHead() },
    ],
  });
  const quiet = logger.child({}, { level: 'silent' });
  const flushers = [
    new AuditFlusher({
      source: requests,
      name: 'requests',
      auditLog: audit,
      logger: quiet,
      pollIntervalMs: 0,
    }),
    new AuditFlusher({
      source: register,
      name: 'register',
      auditLog: audit,
      logger: quiet,
      pollIntervalMs: 0,
    }),
  ];
  return { register, requests, audit, flushers };
}

async function closeStores(stores: Stores): Promise<void> {
  for (const f of stores.flushers) await f.stop();
  await stores.audit.close();
  await stores.requests.close();
  await stores.register.close();
}

/** One submission, decision, register change or flush; acknowledged ones are recorded in `acked`. */
async function operation(
  stores: Stores,
  acked: Acked,
  n: number,
  known: WorkRequest[],
): Promise<'ok' | 'refused'> {
  const refusedAsNotSaved = (error: unknown) => {
    if (!isAnsvarError(error, 'NotSaved')) throw error;
    return 'refused' as const;
  };
  const kind = n % 5;
  if (kind === 0 || known.length === 0) {
    const event = buildAuditEvent({ type: 'submitted', reason: `submission ${n} `.repeat(20) });
    const request = buildRequest({ fields: { justification: `behöver ${n} `.repeat(40) } });
    event.requestId = request.id;
    try {
      await stores.requests.create(request, { audit: [event] });
    } catch (error) {
      return refusedAsNotSaved(error);
    }
    acked.requests.set(request.id, 1);
    acked.events.add(event.id);
    known.push(request);
    return 'ok';
  }
  if (kind === 1 || kind === 2) {
    const request = known[n % known.length]!;
    const version = acked.requests.get(request.id)!;
    const event = buildAuditEvent({
      type: 'decided',
      requestId: request.id,
      reason: `beslut ${n} `.repeat(20),
    });
    try {
      await stores.requests.update(
        { ...request, version, fields: { ...request.fields, round: String(n) } },
        version,
        {
          audit: [event],
        },
      );
    } catch (error) {
      return refusedAsNotSaved(error);
    }
    acked.requests.set(request.id, version + 1);
    acked.events.add(event.id);
    return 'ok';
  }
  if (kind === 3) {
    const system = buildSystem({ id: `testkommun/system-${n}`, name: `System ${n}` });
    const event = buildAuditEvent({ type: 'register_changed', systemId: system.id, requestId: undefined });
    try {
      acked.revision = await stores.register.apply({ systems: [system] }, acked.revision, { audit: [event] });
    } catch (error) {
      return refusedAsNotSaved(error);
    }
    acked.systems.add(system.id);
    acked.events.add(event.id);
    return 'ok';
  }
  try {
    for (const flusher of stores.flushers) await flusher.flushNow();
  } catch (error) {
    return refusedAsNotSaved(error);
  }
  return 'ok';
}

async function filesIn(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).map((name) => path.join(dir, name));
}

describe('a full disk during submissions, decisions and audit appends', function () {
  this.timeout(60_000 + RUNS * 15_000);
  let disk: SmallDisk | undefined;
  let fallbackReason: string | undefined;

  before(async () => {
    const mounted = process.env.ANSVAR_FULL_DISK_NO_MOUNT
      ? { reason: 'ANSVAR_FULL_DISK_NO_MOUNT is set' }
      : await mountSmallDisk(DISK_BYTES);
    if ('reason' in mounted) {
      fallbackReason = mounted.reason;
      process.stdout.write(
        `      full-disk test: ${mounted.reason}; using injected ENOSPC at the FileIo seam\n`,
      );
    } else {
      disk = mounted;
      process.stdout.write(
        `      full-disk test: on a ${DISK_BYTES / 1024 / 1024} MiB tmpfs at ${mounted.dir}\n`,
      );
    }
  });

  /** Stores a failed run left open, closed so the file system can be unmounted. */
  let opened: Stores | undefined;
  afterEach(async () => {
    if (opened) await closeStores(opened).catch(() => undefined);
    opened = undefined;
  });

  after(async () => {
    await disk?.unmount();
    await dirs.removeAll();
  });

  for (const [run, free] of freeLevels(RUNS).entries()) {
    it(`loses nothing acknowledged and keeps nothing partial with ${free} bytes free (run ${run + 1}; a tmpfs, or injected ENOSPC where none can be mounted)`, async () => {
      const dataDir = disk ? path.join(disk.dir, `run-${run}`) : await dirs.make();
      await fsp.mkdir(dataDir, { recursive: true });
      const io = new FaultyIo();
      const health = new StorageHealth();
      const acked: Acked = { requests: new Map(), events: new Set(), revision: 0, systems: new Set() };
      const known: WorkRequest[] = [];
      let stores = await openStores(dataDir, io, health);
      opened = stores;
      let n = 0;
      for (; n < 10; n += 1)
        assert.equal(
          await operation(stores, acked, n, known),
          'ok',
          'a write failed before the disk was full',
        );

      if (disk) await disk.fill(free);
      else io.diskFull(free);
      let refused = 0;
      // Until the disk has refused a good number of writes, then a few rounds more on the full disk.
      for (let round = 0, full = 0; round < 200 && full < 6; round += 1) {
        const results = await Promise.all(
          Array.from({ length: 5 }, () => operation(stores, acked, n++, known)),
        );
        refused += results.filter((r) => r === 'refused').length;
        if (refused >= 5) full += 1;
      }
      assert.ok(
        refused > 0,
        `the disk never filled up (${free} bytes free, fallback: ${fallbackReason ?? 'none'})`,
      );
      assert.ok(health.problem !== undefined, 'the storage health did not notice the full disk');
      assert.equal(health.problem.reason, 'ENOSPC');

      if (disk) await disk.free();
      else io.diskFreed();
      // Space is back: the same stores carry on, no restart.
      for (let i = 0; i < 10; i += 1) {
        assert.equal(await operation(stores, acked, n++, known), 'ok', 'a write failed after space returned');
      }
      for (const flusher of stores.flushers) await flusher.flushNow();
      await closeStores(stores);

      for (const file of await filesIn(dataDir)) {
        assert.ok(!path.basename(file).includes('.torn-'), `a torn record was cut off at restart: ${file}`);
        if (path.basename(file).endsWith('.lock')) continue;
        const bytes = await fsp.readFile(file);
        assert.equal(bytes.includes(0), false, `${file} holds NUL bytes`);
      }

      // Restart: every file opens as it is (no manual repair), the audit log matches the stores' heads.
      opened = undefined;
      stores = await openStores(dataDir, new FaultyIo(), new StorageHealth());
      opened = stores;
      try {
        for (const flusher of stores.flushers) await flusher.flushNow();
        for (const [id, version] of acked.requests) {
          assert.equal(
            (await stores.requests.get(id))?.version,
            version,
            `request ${id} lost an acknowledged change`,
          );
        }
        assert.equal(
          await stores.register.revision(),
          acked.revision,
          'the register lost an acknowledged change',
        );
        const systems = new Set((await stores.register.snapshot()).systems.map((s) => s.id));
        for (const id of acked.systems)
          assert.ok(systems.has(id), `system ${id} was acknowledged but is missing`);
        const logged: AuditEvent[] = [];
        for await (const event of readAuditFile(path.join(dataDir, 'audit.jsonl'))) logged.push(event);
        const ids = logged.map((e) => e.id);
        assert.equal(new Set(ids).size, ids.length, 'the audit log holds an event twice');
        const missing = [...acked.events].filter((id) => !ids.includes(id));
        assert.deepEqual(missing, [], 'acknowledged audit events are missing from the audit log');
        process.stdout.write(
          `      ${free} bytes free: ${refused} writes refused, ${acked.events.size} acknowledged events all in the ` +
            `audit log (${ids.length} records), ${acked.requests.size} requests intact, 0 files repaired\n`,
        );
      } finally {
        opened = undefined;
        await closeStores(stores);
      }
      if (disk) await fsp.rm(dataDir, { recursive: true, force: true });
    });
  }
});
