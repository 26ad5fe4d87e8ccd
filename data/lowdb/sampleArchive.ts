import fs from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock, type FileLock } from './fileLock.js';

/**
 * What trying the fictional sample register left in an embedded data directory besides the register: requests and
 * their journal and archive (with the inventory), timers, conversation references, access reviews (with imported
 * access lists) and the audit log. When the sample is replaced by an organisation's own register (`npm run import --
 * --replace-sample`), they are moved together into `sample-<time>/` inside the data directory, kept (the audit log's
 * chain still verifies there) but no longer read; the register store then starts a new audit chain whose first record
 * is the replacement.
 */

/** The stores' main files; their locks are held while moving, so a running Ansvar makes the move fail cleanly. */
const STORE_FILES = [
  'requests.json',
  'timers.json',
  'conversations.json',
  'reviews.json',
  'audit.jsonl',
] as const;

/** Files of those stores: snapshots, journals, backups, torn lines, the request archive; never a lock file. */
const STORE_FILE = /^(requests|timers|conversations|reviews|audit)[.-]/;

export interface SampleArchive {
  /** The folder the files were moved to. */
  dir: string;
  /** The names moved, sorted. */
  files: string[];
}

/**
 * Moves the sample's store files (all but the register) out of `dataDir` into `dataDir/sample-<at>/`; undefined when
 * there is none. Throws AnsvarError('StoreLocked') while another process holds any of those stores (nothing moved).
 * Each move is a rename within the directory; the folder and the directory are synced after them.
 */
export async function archiveSampleStores(dataDir: string, at: Date): Promise<SampleArchive | undefined> {
  const locks: FileLock[] = [];
  try {
    for (const name of STORE_FILES) locks.push(await acquireFileLock(path.join(dataDir, name)));
    const files = (await fs.readdir(dataDir))
      .filter((name) => STORE_FILE.test(name) && !name.includes('.lock'))
      .sort();
    if (files.length === 0) return undefined;
    const dir = path.join(dataDir, `sample-${at.toISOString().replace(/[:.]/g, '-')}`);
    await fs.mkdir(dir);
    for (const name of files) await fs.rename(path.join(dataDir, name), path.join(dir, name));
    await syncDirectory(dir);
    await syncDirectory(dataDir);
    return { dir, files };
  } finally {
    for (const lock of locks.reverse()) await lock.release();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
