import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Journal } from '../../../data/lowdb/journal.js';
import { isAnsvarError } from '../../../core/errors.js';
import { FaultyIo } from '../fixtures/faultyIo.js';
import { TempDirs } from '../fixtures/tempDirs.js';

const dirs = new TempDirs();
const OF = 'test-snapshot';

describe('Journal', () => {
  let file: string;
  const open: Journal[] = [];

  let io: FaultyIo;

  beforeEach(async () => {
    file = path.join(await dirs.make(), 'test.journal');
    io = new FaultyIo();
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((j) => j.close().catch(() => undefined)));
    await dirs.removeAll();
  });

  async function openJournal(generation = 0): Promise<{ journal: Journal; entries: unknown[] }> {
    const opened = await Journal.open(file, { of: OF, generation, io });
    open.push(opened.journal);
    return opened;
  }

  async function close(journal: Journal): Promise<void> {
    open.splice(open.indexOf(journal), 1);
    await journal.close();
  }

  async function expectCorrupt(generation: number, says: RegExp): Promise<void> {
    const before = await fsp.readFile(file);
    await assert.rejects(
      Journal.open(file, { of: OF, generation }),
      (error: unknown) => isAnsvarError(error, 'StoreCorrupt') && says.test((error as Error).message),
      `expected StoreCorrupt saying ${says}`,
    );
    assert.deepEqual(await fsp.readFile(file), before, 'the journal was changed');
  }

  it('gives back every appended entry, in order, after reopening', async () => {
    const { journal, entries } = await openJournal();
    assert.deepEqual(entries, [], 'a new journal has entries');
    const header = journal.size;
    await journal.append({ n: 1, text: 'Ärende för Raindance' });
    await journal.append({ n: 2 });
    await journal.append([3, null]);
    assert.equal(journal.size, (await fsp.stat(file)).size, 'size is the file size');
    assert.ok(journal.size > header, 'appends grow the journal');
    await close(journal);
    const again = await openJournal();
    assert.deepEqual(again.entries, [{ n: 1, text: 'Ärende för Raindance' }, { n: 2 }, [3, null]]);
    assert.equal(again.journal.generation, 0);
  });

  it('cuts off a torn last entry, keeps it aside, and appends after the last whole one', async () => {
    const { journal } = await openJournal();
    await journal.append({ n: 1 });
    await close(journal);
    const whole = (await fsp.stat(file)).size;
    await fsp.appendFile(file, '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef {"n":');

    const again = await openJournal();
    assert.deepEqual(again.entries, [{ n: 1 }]);
    assert.equal((await fsp.stat(file)).size, whole, 'the torn tail is still in the journal');
    const aside = (await fsp.readdir(path.dirname(file))).filter((n) => n.startsWith('test.journal.torn-'));
    assert.equal(aside.length, 1, 'the torn tail was not kept aside');
    await again.journal.append({ n: 2 });
    await close(again.journal);
    assert.deepEqual((await openJournal()).entries, [{ n: 1 }, { n: 2 }]);
  });

  it('cuts off a last entry whose checksum does not match', async () => {
    const { journal } = await openJournal();
    await journal.append({ n: 1 });
    await journal.append({ n: 2 });
    await close(journal);
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace('{"n":2}', '{"n":3}'));
    assert.deepEqual((await openJournal()).entries, [{ n: 1 }]);
  });

  it('keeps a whole last entry whose newline was lost', async () => {
    const { journal } = await openJournal();
    await journal.append({ n: 1 });
    await journal.append({ n: 2 });
    await close(journal);
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.slice(0, -1));
    const again = await openJournal();
    assert.deepEqual(again.entries, [{ n: 1 }, { n: 2 }]);
    await again.journal.append({ n: 3 });
    await close(again.journal);
    assert.deepEqual((await openJournal()).entries, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('refuses a damaged entry followed by good ones, and changes nothing', async () => {
    const { journal } = await openJournal();
    for (const n of [1, 2, 3]) await journal.append({ n });
    await close(journal);
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace('{"n":2}', '{"n":9}'));
    await expectCorrupt(0, /damaged entry at byte \d+ followed by more entries/);
  });

  it('refuses a file that is not a journal of this snapshot', async () => {
    const { journal } = await openJournal();
    await close(journal);
    await assert.rejects(
      Journal.open(file, { of: 'another-snapshot', generation: 0 }),
      (error: unknown) => isAnsvarError(error, 'StoreCorrupt'),
      'a journal of another snapshot format was accepted',
    );
    await fsp.writeFile(file, 'hello\n');
    await expectCorrupt(0, /does not start with the header/);
  });

  it('starts empty again when the snapshot is newer than the journal (a crash between snapshot and restart)', async () => {
    const { journal } = await openJournal(3);
    await journal.append({ n: 1 });
    await close(journal);
    const again = await openJournal(4);
    assert.deepEqual(again.entries, [], 'entries of an older generation were replayed');
    assert.equal(again.journal.generation, 4);
    await again.journal.append({ n: 2 });
    await close(again.journal);
    assert.deepEqual((await openJournal(4)).entries, [{ n: 2 }]);
  });

  it('refuses a journal newer than the snapshot (a snapshot restored from an older copy)', async () => {
    const { journal } = await openJournal(5);
    await journal.append({ n: 1 });
    await close(journal);
    await expectCorrupt(4, /generation 5, but the snapshot is generation 4/);
  });

  it('restarts empty for the next generation, atomically', async () => {
    const { journal } = await openJournal(1);
    await journal.append({ n: 1 });
    await journal.restart(2);
    assert.equal(journal.generation, 2);
    await journal.append({ n: 2 });
    await close(journal);
    assert.deepEqual((await openJournal(2)).entries, [{ n: 2 }]);
    const names = await fsp.readdir(path.dirname(file));
    assert.deepEqual(names, ['test.journal'], 'a temp file was left behind');
  });

  it('cuts a failed append back, so the change it was told failed is never replayed', async () => {
    const { journal } = await openJournal();
    await journal.append({ n: 1 });
    const size = journal.size;
    io.inject({ op: 'sync', code: 'EIO' });
    await assert.rejects(journal.append({ n: 2 }), (e: unknown) => isAnsvarError(e, 'NotSaved'));
    assert.equal((await fsp.stat(file)).size, size, 'the failed entry is still in the file');
    assert.equal(journal.damaged, false, 'a journal cut back is not damaged');
    await journal.append({ n: 3 });
    await close(journal);
    assert.deepEqual((await openJournal()).entries, [{ n: 1 }, { n: 3 }]);
  });

  it('completes a short write with the rest of the line', async () => {
    const { journal } = await openJournal();
    io.inject({ op: 'write', bytes: 10 }, { op: 'write', bytes: 3 });
    await journal.append({ n: 1, text: 'kort skrivning' });
    assert.equal(io.fired.length, 2, 'the short writes were not injected');
    await close(journal);
    assert.deepEqual((await openJournal()).entries, [{ n: 1, text: 'kort skrivning' }]);
  });

  it('keeps nothing of an append the disk filled up during, and never grows the file on the cut', async () => {
    const { journal } = await openJournal();
    await journal.append({ n: 1 });
    const size = journal.size;
    io.inject({ op: 'write', bytes: 20, code: 'ENOSPC' });
    await assert.rejects(
      journal.append({ n: 2 }),
      (e: unknown) => isAnsvarError(e, 'NotSaved') && /ENOSPC/.test((e as Error).message),
    );
    const bytes = await fsp.readFile(file);
    assert.equal(bytes.length, size, 'part of the failed entry is still in the file');
    assert.equal(bytes.includes(0), false, 'the file was padded with NUL bytes');
    await close(journal);
    assert.deepEqual((await openJournal()).entries, [{ n: 1 }]);
  });

  it('retries the cut of a failed append before the next append, so no entry follows a partial one', async () => {
    const { journal } = await openJournal();
    const size = journal.size;
    io.inject({ op: 'write', bytes: 15, code: 'EIO' }, { op: 'truncate', code: 'EIO' });
    await assert.rejects(journal.append({ n: 1 }), (e: unknown) => isAnsvarError(e, 'NotSaved'));
    assert.equal(journal.damaged, true, 'the journal does not know it holds a partial entry');
    assert.ok((await fsp.stat(file)).size > size, 'the injected partial write did not reach the file');
    io.inject({ op: 'truncate', code: 'EIO' });
    await assert.rejects(journal.append({ n: 2 }), (e: unknown) => isAnsvarError(e, 'NotSaved'));
    assert.equal(journal.damaged, true, 'a failed cut cleared the damage');
    await journal.append({ n: 3 });
    assert.equal(journal.damaged, false, 'a successful cut did not clear the damage');
    await close(journal);
    assert.deepEqual((await openJournal()).entries, [{ n: 3 }]);
  });
});
