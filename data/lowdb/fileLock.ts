import { createHash, randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { AnsvarError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';

/**
 * One writer per data file, across processes and within one process.
 *
 * Why a pid lock file: an OS lock (flock/fcntl) would be released by the kernel when its holder dies, but Node has
 * no flock without a native addon. A lock file naming the holder's pid gives the same crash behaviour: a lock whose
 * process is gone (SIGKILL, power loss) is stale and the next start takes it over.
 *
 * The holder also refreshes the lock file's modification time every `refreshMs` (default 5 s) while it holds it, so
 * a lock goes stale `staleMs` (default 30 s) after its holder stopped, on any host: a container restarted under a
 * new host name, or another machine sharing the volume, takes over a crashed owner's lock by itself. Before that,
 * a lock from another host cannot be checked and is refused (the message says when it lapses). On this host a dead
 * pid is stale at once; a live pid keeps the lock (also one reused by an unrelated process, until the lock lapses).
 *
 * Creating a lock is exclusive and never leaves a half-written lock: the owner record is written and fsynced to a
 * private temp file, then hard-linked to the lock name (link fails if the name exists, like O_EXCL). Where the file
 * system has no hard links, it falls back to O_CREAT|O_EXCL.
 *
 * Taking over a stale lock is race-free: deleting the stale lock requires first creating a claim file named after
 * the exact stale record (`<lock>.break-<hash>`), exclusively, then re-reading the lock under the claim. Only the
 * claim holder may delete that record, and a record once deleted never comes back, so two processes can never both
 * delete, and neither can delete the other's fresh lock. A claim left by a process that crashed mid-takeover is
 * itself stale and broken the same way.
 */
export interface FileLock {
  /** The lock file (`<file>.lock`). */
  readonly lockPath: string;
  readonly owner: LockOwner;
  /** Removes the lock if it is still this holder's. Idempotent. */
  release(): Promise<void>;
}

export interface LockOwner {
  pid: number;
  hostname: string;
  /** ISO 8601 date-time the lock was taken. */
  startedAt: string;
  /** Random per acquisition, so two records are never equal and release only removes its own lock. */
  token: string;
}

/** Lock path → token of every lock this process holds or is acquiring. */
const heldInThisProcess = new Map<string, string>();
export const LOCK_REFRESH_MS = 5_000;
export const LOCK_STALE_MS = 30_000;

export interface FileLockOptions {
  /** How often the holder refreshes the lock; default LOCK_REFRESH_MS. */
  refreshMs?: number;
  /** A lock not refreshed for this long is stale on any host; default LOCK_STALE_MS. */
  staleMs?: number;
}
const MAX_DEPTH = 3;
const MAX_ATTEMPTS = 5;

/** Takes the lock of `filePath` (the lock file is `<filePath>.lock`), or throws AnsvarError('StoreLocked'). */
export async function acquireFileLock(filePath: string, options: FileLockOptions = {}): Promise<FileLock> {
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const lockPath = `${await canonical(filePath)}.lock`;
  if (heldInThisProcess.has(lockPath)) {
    throw new AnsvarError(
      'StoreLocked',
      `${filePath} is already open in this process (lock ${lockPath}); open each data file once and share the store.`,
    );
  }
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  heldInThisProcess.set(lockPath, owner.token);
  const ownerText = `${JSON.stringify(owner)}\n`;
  try {
    await createHolding(lockPath, ownerText, 0, staleMs);
  } catch (error) {
    heldInThisProcess.delete(lockPath);
    throw error;
  }
  await removeDebris(lockPath);

  let released = false;
  const refresh = setInterval(() => {
    void refreshLock(lockPath, ownerText).then((ours) => {
      if (!ours && !released) {
        clearInterval(refresh);
        logger.error(
          { lockPath },
          'lock file is no longer ours (taken over after it lapsed?); stopped refreshing it',
        );
      }
    });
  }, options.refreshMs ?? LOCK_REFRESH_MS);
  refresh.unref();
  return {
    lockPath,
    owner,
    async release() {
      if (released) return;
      released = true;
      clearInterval(refresh);
      try {
        const current = await readIfExists(lockPath);
        if (current === ownerText) await unlinkIfExists(lockPath);
        else logger.warn({ lockPath }, 'lock file was no longer ours at release; left it in place');
      } finally {
        heldInThisProcess.delete(lockPath);
      }
    },
  };
}

/** Touches the lock if it is still ours; false when it is not (or is gone). Errors are logged, not thrown. */
async function refreshLock(lockPath: string, ownerText: string): Promise<boolean> {
  try {
    if ((await readIfExists(lockPath)) !== ownerText) return false;
    const now = new Date();
    await fsp.utimes(lockPath, now, now);
    return true;
  } catch (error) {
    logger.warn({ err: error, lockPath }, 'could not refresh the lock file');
    return true;
  }
}

/** Milliseconds since `file` was last modified (refreshed); Infinity when it is gone. */
async function ageOf(file: string): Promise<number> {
  try {
    return Date.now() - (await fsp.stat(file)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Infinity;
    throw error;
  }
}

/** Creates `target` holding `ownerText`, taking over a stale holder; throws StoreLocked for a live one. */
async function createHolding(
  target: string,
  ownerText: string,
  depth: number,
  staleMs: number,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await createExclusive(target, ownerText)) return;
    const holderText = await readIfExists(target);
    if (holderText === null) continue;
    const holder = parseOwner(holderText);
    if (!holder) {
      throw new AnsvarError(
        'StoreLocked',
        `Lock file ${target} exists but cannot be read as a lock record. If no Ansvar process is running, delete it and start again.`,
      );
    }
    if (!isStale(holder, await ageOf(target), staleMs)) throw lockedBy(target, holder, depth, staleMs);
    if (depth >= MAX_DEPTH) {
      throw new AnsvarError(
        'StoreLocked',
        `Gave up taking over the stale lock ${target}; delete it and start again.`,
      );
    }
    await breakStale(target, holderText, ownerText, depth, staleMs);
  }
  throw new AnsvarError(
    'StoreLocked',
    `Could not take ${target}: it kept changing while other processes competed for it. Only one Ansvar process may own a data directory.`,
  );
}

async function breakStale(
  target: string,
  staleText: string,
  ownerText: string,
  depth: number,
  staleMs: number,
): Promise<void> {
  const claim = `${target}.break-${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
  await createHolding(claim, ownerText, depth + 1, staleMs);
  try {
    // Under the claim: still the same record, and still stale (its holder may have refreshed it meanwhile).
    const holder = parseOwner(staleText);
    if (
      (await readIfExists(target)) === staleText &&
      holder &&
      isStale(holder, await ageOf(target), staleMs)
    ) {
      await unlinkIfExists(target);
      logger.warn({ lockPath: target, staleOwner: parseOwner(staleText) }, 'took over a stale lock');
    }
  } finally {
    await unlinkIfExists(claim);
  }
}

function lockedBy(target: string, holder: LockOwner, depth: number, staleMs: number): AnsvarError {
  const who = `process ${holder.pid} on host ${holder.hostname}, since ${holder.startedAt}`;
  if (depth > 0) {
    return new AnsvarError(
      'StoreLocked',
      `Another process (${who}) is taking over the stale lock at the same time (${target}). Only one Ansvar process may own a data directory.`,
      holder,
    );
  }
  const advice =
    holder.hostname === hostname()
      ? 'Stop that process first, or point this one at another data directory.'
      : `It cannot be checked from this host; if that process has stopped, its lock lapses ${Math.round(staleMs / 1000)} s after its last refresh and is then taken over by itself.`;
  return new AnsvarError(
    'StoreLocked',
    `${target} is held by ${who}. Only one Ansvar process may own a data directory. ${advice}`,
    holder,
  );
}

function isStale(holder: LockOwner, ageMs: number, staleMs: number): boolean {
  if (ageMs > staleMs) return true;
  if (holder.hostname !== hostname()) return false;
  // Our own pid in a record this process did not write: a previous run of a container whose main process always
  // has the same pid.
  if (holder.pid === process.pid) return ![...heldInThisProcess.values()].includes(holder.token);
  return !isAlive(holder.pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The absolute path with the directory's symlinks resolved, so two spellings of one file share one lock. */
async function canonical(filePath: string): Promise<string> {
  const absolute = path.resolve(filePath);
  try {
    return path.join(await fsp.realpath(path.dirname(absolute)), path.basename(absolute));
  } catch {
    return absolute;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (
      Number.isInteger(value.pid) &&
      (value.pid as number) > 0 &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string'
    ) {
      return value as LockOwner;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** True if `target` was created with `text`; false if it already existed. Never leaves `target` half-written. */
async function createExclusive(target: string, text: string): Promise<boolean> {
  const temp = `${target}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  await writeSynced(temp, text, 'wx');
  try {
    await fsp.link(temp, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code && LINK_UNSUPPORTED.has(code)) return createWithExcl(target, text);
    throw error;
  } finally {
    await unlinkIfExists(temp);
  }
}

async function createWithExcl(target: string, text: string): Promise<boolean> {
  try {
    await writeSynced(target, text, 'wx');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function writeSynced(file: string, text: string, flags: string): Promise<void> {
  const handle = await fsp.open(file, flags, 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes temp and claim files that processes which no longer run left next to the lock. */
async function removeDebris(lockPath: string): Promise<void> {
  const dir = path.dirname(lockPath);
  const prefix = `${path.basename(lockPath)}.`;
  try {
    for (const name of await fsp.readdir(dir)) {
      if (!name.startsWith(prefix)) continue;
      const full = path.join(dir, name);
      const tempPid = /\.tmp-(\d+)-[0-9a-f]+$/.exec(name)?.[1];
      if (tempPid !== undefined) {
        if (Number(tempPid) !== process.pid && !isAlive(Number(tempPid))) await unlinkIfExists(full);
      } else if (/\.break-[0-9a-f]+$/.test(name)) {
        const text = await readIfExists(full);
        const holder = text === null ? undefined : parseOwner(text);
        if (
          holder &&
          isStale(holder, await ageOf(full), LOCK_STALE_MS) &&
          (await readIfExists(full)) === text
        )
          await unlinkIfExists(full);
      }
    }
  } catch (error) {
    logger.warn({ err: error, lockPath }, 'could not clean up old lock files');
  }
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function unlinkIfExists(file: string): Promise<void> {
  try {
    await fsp.unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
