import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { acquireFileLock } from '../../../data/lowdb/fileLock.js';
import { openLowReviewStore } from '../../../data/lowdb/lowReviewStore.js';
import { archiveSampleStores } from '../../../data/lowdb/sampleArchive.js';
import { isAnsvarError } from '../../../core/errors.js';
import { TempDirs } from '../fixtures/tempDirs.js';

const dirs = new TempDirs();

describe('archiveSampleStores (what trying the sample left, set aside for --replace-sample)', () => {
  afterEach(() => dirs.removeAll());

  it('moves every store but the register, access reviews included, and leaves the register in place', async () => {
    const dataDir = await dirs.make();
    const names = [
      'register.json',
      'requests.json',
      'requests.journal',
      'timers.json',
      'conversations.json',
      'reviews.json',
      'audit.jsonl',
    ];
    for (const name of names) await fsp.writeFile(path.join(dataDir, name), '{}\n');

    const archive = await archiveSampleStores(dataDir, new Date('2026-12-07T10:00:00Z'));

    assert.ok(archive, 'the sample left stores, so they are set aside');
    assert.deepEqual(archive.files, names.filter((n) => n !== 'register.json').sort());
    assert.deepEqual((await fsp.readdir(archive.dir)).sort(), archive.files);
    const left = (await fsp.readdir(dataDir)).filter((n) => !n.startsWith('sample-'));
    assert.deepEqual(left, ['register.json'], `only the register stays: ${left.join(', ')}`);
  });

  it('refuses while a running Ansvar holds the review store, and moves nothing', async () => {
    const dataDir = await dirs.make();
    await fsp.writeFile(path.join(dataDir, 'requests.json'), '{}\n');
    const reviews = await openLowReviewStore(dataDir);
    try {
      await assert.rejects(archiveSampleStores(dataDir, new Date()), (error: unknown) =>
        isAnsvarError(error, 'StoreLocked'),
      );
      assert.deepEqual(
        (await fsp.readdir(dataDir)).filter((n) => n.startsWith('sample-')),
        [],
      );
      assert.ok((await fsp.readdir(dataDir)).includes('requests.json'), 'nothing was moved');
    } finally {
      await reviews.close();
    }
    // Released, the same call succeeds.
    const lock = await acquireFileLock(path.join(dataDir, 'reviews.json'));
    await lock.release();
    assert.ok(await archiveSampleStores(dataDir, new Date()), 'released, the stores are set aside');
  });
});
