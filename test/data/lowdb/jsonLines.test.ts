import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { lineBatches, type FileLine } from '../../../data/lowdb/jsonLines.js';
import { addMissingNewline, setTornTailAside } from '../../../data/lowdb/tornTail.js';
import { TempDirs } from '../fixtures/tempDirs.js';

const dirs = new TempDirs();

async function collect(source: Parameters<typeof lineBatches>[0], end?: number): Promise<FileLine[]> {
  const lines: FileLine[] = [];
  for await (const batch of lineBatches(source, end)) lines.push(...batch);
  return lines;
}

const shape = (lines: FileLine[]) =>
  lines.map(({ number, offset, bytes, terminated }) => ({
    number,
    offset,
    text: bytes.toString(),
    terminated,
  }));

describe('lineBatches (the JSON-lines reader of the audit log and the request archive)', () => {
  afterEach(() => dirs.removeAll());

  it('gives every line with its number and byte offset, and a last line without its newline as not terminated', async () => {
    const file = path.join(await dirs.make(), 'a.jsonl');
    await fsp.writeFile(file, '{"a":1}\n{"é":2}\n\n{"torn"');
    assert.deepEqual(shape(await collect(file)), [
      { number: 1, offset: 0, text: '{"a":1}', terminated: true },
      { number: 2, offset: 8, text: '{"é":2}', terminated: true },
      { number: 3, offset: 17, text: '', terminated: true },
      { number: 4, offset: 18, text: '{"torn"', terminated: false },
    ]);
  });

  it('stops at `end`, reads a missing file as empty, and carries lines across 1 MiB reads', async () => {
    const dir = await dirs.make();
    const file = path.join(dir, 'a.jsonl');
    const long = `{"x":"${'y'.repeat(1.5 * 1024 * 1024)}"}`;
    await fsp.writeFile(file, `{"a":1}\n${long}\n{"b":2}\n`);
    assert.deepEqual(shape(await collect(file, 8)), [
      { number: 1, offset: 0, text: '{"a":1}', terminated: true },
    ]);
    assert.deepEqual(await collect(file, 0), []);
    const all = await collect(file);
    assert.deepEqual(
      all.map((l) => [l.offset, l.bytes.length, l.terminated]),
      [
        [0, 7, true],
        [8, long.length, true],
        [9 + long.length, 7, true],
      ],
    );
    assert.deepEqual(await collect(path.join(dir, 'missing.jsonl')), []);
  });

  it('reads through an open handle and leaves it open', async () => {
    const file = path.join(await dirs.make(), 'a.jsonl');
    await fsp.writeFile(file, '{"a":1}\n');
    const handle = await fsp.open(file, 'a+');
    try {
      assert.equal((await collect(handle)).length, 1);
      await handle.write('{"b":2}\n', null, 'utf8');
      assert.equal((await collect(handle)).length, 2);
    } finally {
      await handle.close();
    }
  });
});

describe('torn-tail repair', () => {
  afterEach(() => dirs.removeAll());

  it('sets a torn tail aside, cuts it off, and adds a lost newline', async () => {
    const dir = await dirs.make();
    const file = path.join(dir, 'a.jsonl');
    await fsp.writeFile(file, '{"a":1}\n{"to');
    const handle = await fsp.open(file, 'a+');
    try {
      const aside = await setTornTailAside(handle, file, 8, Buffer.from('{"to'));
      assert.equal(await fsp.readFile(aside, 'utf8'), '{"to');
      assert.match(path.basename(aside), /^a\.jsonl\.torn-\d+$/);
      assert.equal(await fsp.readFile(file, 'utf8'), '{"a":1}\n');
      await handle.write('{"b":2}', null, 'utf8');
      await addMissingNewline(handle);
      assert.equal(await fsp.readFile(file, 'utf8'), '{"a":1}\n{"b":2}\n');
    } finally {
      await handle.close();
    }
  });
});
