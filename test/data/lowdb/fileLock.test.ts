import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { acquireFileLock, type FileLock } from '../../../data/lowdb/fileLock.js';
import { isAnsvarError } from '../../../core/errors.js';
import { deadPid, startWriter, type Writer } from '../fixtures/childProcess.js';
import { TempDirs } from '../fixtures/tempDirs.js';

function lockRecord(overrides: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ pid: process.pid, hostname: hostname(), startedAt: '2024-05-01T08:00:00.000Z', token: 'old', ...overrides })}\n`;
}

function isLocked(matches: RegExp) {
  return (error: unknown) => {
    assert.ok(isAnsvarError(error, 'StoreLocked'), String(error));
    assert.match(error.message, matches);
    return true;
  };
}

describe('acquireFileLock', () => {
  const dirs = new TempDirs();
  const locks: FileLock[] = [];
  const writers: Writer[] = [];
  let file: string;
  let lockPath: string;

  beforeEach(async () => {
    file = path.join(await dirs.make(), 'register.json');
    lockPath = `${file}.lock`;
  });

  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.kill()));
    await Promise.all(locks.splice(0).map((l) => l.release()));
    await dirs.removeAll();
  });

  async function acquire(target = file): Promise<FileLock> {
    const lock = await acquireFileLock(target);
    locks.push(lock);
    return lock;
  }

  it('writes the holder pid, hostname and start time to <file>.lock', async () => {
    const lock = await acquire();
    const record = JSON.parse(await fsp.readFile(lockPath, 'utf8')) as Record<string, unknown>;
    assert.equal(record.pid, process.pid);
    assert.equal(record.hostname, hostname());
    assert.equal(record.startedAt, lock.owner.startedAt);
    assert.ok(
      !Number.isNaN(Date.parse(String(record.startedAt))),
      '!Number.isNaN(Date.parse(String(record.startedAt)))',
    );
    assert.deepEqual(await fsp.readdir(path.dirname(file)), ['register.json.lock']);
  });

  it('refuses a second acquire of the same file in the same process', async () => {
    await acquire();
    await assert.rejects(acquireFileLock(file), isLocked(/already open in this process/));
    await assert.rejects(
      acquireFileLock(path.join(path.dirname(file), '.', 'register.json')),
      isLocked(/already open/),
    );
  });

  it('refuses a second acquire in the same process through a symlinked directory', async () => {
    await acquire();
    const link = path.join(await dirs.make(), 'link');
    await fsp.symlink(path.dirname(file), link);
    await assert.rejects(
      acquireFileLock(path.join(link, 'register.json')),
      isLocked(/already open in this process/),
    );
    assert.equal(
      (JSON.parse(await fsp.readFile(lockPath, 'utf8')) as { token: string }).token,
      locks[0]!.owner.token,
    );
  });

  it('refuses one of two concurrent acquires in the same process', async () => {
    const outcomes = await Promise.allSettled([acquireFileLock(file), acquireFileLock(file)]);
    for (const o of outcomes) if (o.status === 'fulfilled') locks.push(o.value);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
  });

  it('removes the lock on release, can release twice, and can be taken again afterwards', async () => {
    const lock = await acquireFileLock(file);
    await lock.release();
    await lock.release();
    await assert.rejects(fsp.access(lockPath));
    await acquire();
    await fsp.access(lockPath);
  });

  it('leaves a lock that is no longer its own in place on release', async () => {
    const lock = await acquireFileLock(file);
    const foreign = lockRecord({ pid: process.ppid, token: 'foreign' });
    await fsp.writeFile(lockPath, foreign);
    await lock.release();
    assert.equal(await fsp.readFile(lockPath, 'utf8'), foreign);
  });

  it('refuses a lock held by a live process on this host, naming the process and since when', async () => {
    await fsp.writeFile(lockPath, lockRecord({ pid: process.ppid }));
    await assert.rejects(
      acquireFileLock(file),
      isLocked(
        new RegExp(
          `held by process ${process.ppid} on host .*since 2024-05-01T08:00:00.000Z.*Only one Ansvar process may own a data directory`,
        ),
      ),
    );
    assert.equal(await fsp.readFile(lockPath, 'utf8'), lockRecord({ pid: process.ppid }));
  });

  it('refuses a lock held on another host, which it cannot check', async () => {
    const dead = await deadPid();
    await fsp.writeFile(lockPath, lockRecord({ pid: dead, hostname: 'other-host.example' }));
    await assert.rejects(
      acquireFileLock(file),
      isLocked(/other-host\.example.*cannot be checked from this host/),
    );
  });

  it('takes over a lock from another host once its holder stopped refreshing it (a restart under a new host name)', async () => {
    // The container that held the lock was killed; its replacement starts with another host name and maybe pid 1.
    await fsp.writeFile(
      lockPath,
      lockRecord({ pid: 1, hostname: 'ansvar-7d9f6-old', token: 'old-container' }),
    );
    const lapsed = new Date(Date.now() - 60_000);
    await fsp.utimes(lockPath, lapsed, lapsed);
    const lock = await acquire();
    const record = JSON.parse(await fsp.readFile(lockPath, 'utf8')) as { token: string; hostname: string };
    assert.equal(record.token, lock.owner.token);
    assert.equal(record.hostname, hostname());
  });

  it('keeps a lock it holds fresh, so it never lapses while its holder runs', async () => {
    const lock = await acquireFileLock(file, { refreshMs: 50 });
    locks.push(lock);
    const old = new Date(Date.now() - 60_000);
    await fsp.utimes(lockPath, old, old);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const age = Date.now() - (await fsp.stat(lockPath)).mtimeMs;
    assert.ok(age < 5_000, `refreshed ${age} ms ago`);
  });

  it('refuses an unreadable lock file instead of taking it over', async () => {
    await fsp.writeFile(lockPath, 'garbage');
    await assert.rejects(acquireFileLock(file), isLocked(/cannot be read as a lock record.*delete it/));
    assert.equal(await fsp.readFile(lockPath, 'utf8'), 'garbage');
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    await fsp.writeFile(lockPath, lockRecord({ pid: await deadPid() }));
    const lock = await acquire();
    const record = JSON.parse(await fsp.readFile(lockPath, 'utf8')) as Record<string, unknown>;
    assert.equal(record.pid, process.pid);
    assert.equal(record.token, lock.owner.token);
  });

  it('takes over a lock with its own pid that it did not write (a restarted container)', async () => {
    await fsp.writeFile(lockPath, lockRecord({ pid: process.pid, token: 'previous-run' }));
    const lock = await acquire();
    assert.equal(
      (JSON.parse(await fsp.readFile(lockPath, 'utf8')) as { token: string }).token,
      lock.owner.token,
    );
  });

  it('is not blocked by a takeover that crashed halfway, and cleans up what it left', async () => {
    const dead = await deadPid();
    const stale = lockRecord({ pid: dead });
    await fsp.writeFile(lockPath, stale);
    const claim = `${lockPath}.break-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    await fsp.writeFile(claim, lockRecord({ pid: dead, token: 'crashed-breaker' }));
    await fsp.writeFile(`${lockPath}.tmp-${dead}-abc123`, lockRecord({ pid: dead }));

    await acquire();

    assert.deepEqual(await fsp.readdir(path.dirname(file)), ['register.json.lock']);
  });

  it('lets exactly one of several processes racing for a stale lock win', async () => {
    await fsp.writeFile(lockPath, lockRecord({ pid: await deadPid() }));
    const contenders = Array.from({ length: 4 }, () => startWriter('lock', file));
    writers.push(...contenders);
    await Promise.all(contenders.map((w) => w.waitForLine((line) => line === 'loaded')));
    for (const w of contenders) w.child.stdin!.write('go\n');

    const outcomes = await Promise.all(
      contenders.map((w) =>
        Promise.race([
          w.waitForLine((line) => line === 'won').then(() => 'won' as const),
          w.closed.then(({ code }) =>
            code === 3 ? ('locked' as const) : (`exit ${code}: ${w.stderr()}` as const),
          ),
        ]),
      ),
    );

    assert.deepEqual(
      [...outcomes].sort(),
      ['locked', 'locked', 'locked', 'won'],
      `outcomes: ${outcomes.join(' | ')}`,
    );
    const winner = contenders[outcomes.indexOf('won')]!;
    assert.equal((JSON.parse(await fsp.readFile(lockPath, 'utf8')) as { pid: number }).pid, winner.pid);
    for (const w of contenders.filter((_, i) => outcomes[i] === 'locked')) {
      assert.match(w.stderr(), /Only one Ansvar process may own a data directory/);
    }
  });
});
