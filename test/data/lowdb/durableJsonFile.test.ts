import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import sinon from 'sinon';
import { nodeFileIo, type FileIo } from '../../../data/lowdb/fileIo.js';
import { DurableJsonFile } from '../../../data/lowdb/durableJsonFile.js';
import { isAnsvarError } from '../../../core/errors.js';
import { TempDirs } from '../fixtures/tempDirs.js';

interface Doc {
  items: string[];
}

function parseDoc(data: unknown): Doc {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as Doc).items))
    throw new Error('items missing');
  return data as Doc;
}

const docOptions = { format: 'test-doc', formatVersion: 1, parse: parseDoc };

function docFile(filePath: string): DurableJsonFile<Doc> {
  return new DurableJsonFile<Doc>(filePath, docOptions);
}

/** The FileHandle class is not exported by node:fs; its prototype is reached through an open handle. */
async function fileHandlePrototype(existing: string): Promise<object> {
  const handle = await fsp.open(existing, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as object;
}

describe('DurableJsonFile', () => {
  const dirs = new TempDirs();
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = await dirs.make();
    file = path.join(dir, 'doc.json');
  });

  afterEach(async () => {
    sinon.restore();
    await dirs.removeAll();
  });

  it('reads null when the file does not exist yet', async () => {
    assert.equal(await docFile(file).read(), null);
  });

  it('reads back what it wrote, wrapped in a format header with a sha256 of the data', async () => {
    await docFile(file).write({ items: ['ägare', 'fagsystemeigar'] });
    assert.deepEqual(await docFile(file).read(), { items: ['ägare', 'fagsystemeigar'] });
    const onDisk = JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
    assert.equal(onDisk.format, 'test-doc');
    assert.equal(onDisk.formatVersion, 1);
    assert.match(String(onDisk.sha256), /^[0-9a-f]{64}$/);
    assert.deepEqual(onDisk.data, { items: ['ägare', 'fagsystemeigar'] });
  });

  it('reads a file larger than its read chunks with multi-byte characters across every chunk boundary', async () => {
    // 'å' is two bytes in UTF-8; an odd-length prefix puts one of them across each 64 KiB boundary.
    const items = Array.from({ length: 40_000 }, (_, i) => `${i % 2 === 0 ? 'x' : ''}åäö-${i}`);
    await docFile(file).write({ items });
    assert.ok((await fsp.stat(file)).size > 4 * 64 * 1024, 'the file spans several read chunks');
    assert.deepEqual(await docFile(file).read(), { items });
  });

  it('reads a file whose data was reformatted by hand but is unchanged (checksum of the data, not of its layout)', async () => {
    await docFile(file).write({ items: ['ägare', 'fagsystemeigar'] });
    const onDisk = JSON.parse(await fsp.readFile(file, 'utf8')) as Record<string, unknown>;
    await fsp.writeFile(file, JSON.stringify({ data: onDisk.data, ...onDisk }, null, 2));
    assert.deepEqual(await docFile(file).read(), { items: ['ägare', 'fagsystemeigar'] });
  });

  it('keeps the previous version as <file>.bak from the second write on', async () => {
    const doc = docFile(file);
    await doc.write({ items: ['one'] });
    await assert.rejects(fsp.access(`${file}.bak`));
    await doc.write({ items: ['two'] });
    assert.deepEqual(await docFile(`${file}.bak`).read(), { items: ['one'] });
    await doc.write({ items: ['three'] });
    assert.deepEqual(await docFile(`${file}.bak`).read(), { items: ['two'] });
    assert.deepEqual(await doc.read(), { items: ['three'] });
  });

  it('fsyncs the temp file before renaming it over the file, and fsyncs the directory after', async () => {
    await docFile(file).write({ items: ['first'] });
    const prototype = await fileHandlePrototype(dir);
    const open = sinon.spy(fsp, 'open');
    const rename = sinon.spy(fsp, 'rename');
    const sync = sinon.spy(prototype as { sync: () => Promise<void> }, 'sync');

    await docFile(file).write({ items: ['second'] });

    const renameOver = rename.getCalls().find((call) => call.args[1] === file);
    assert.ok(renameOver, 'the temp file is renamed over the file');
    const tempPath = String(renameOver.args[0]);
    assert.equal(path.dirname(tempPath), dir);
    const handleOf = async (target: string) => {
      const call = open.getCalls().find((c) => c.args[0] === target);
      assert.ok(call, `${target} was opened`);
      return call.returnValue;
    };
    const tempHandle = await handleOf(tempPath);
    const dirHandle = await handleOf(dir);
    const tempSync = sync.getCalls().find((call) => call.thisValue === tempHandle);
    const dirSync = sync.getCalls().find((call) => call.thisValue === dirHandle);
    assert.ok(tempSync, 'the temp file is fsynced');
    assert.ok(dirSync, 'the directory is fsynced');
    assert.ok(tempSync.calledBefore(renameOver), 'temp file fsync comes before the rename');
    assert.ok(renameOver.calledBefore(dirSync), 'directory fsync comes after the rename');
  });

  it('runs concurrent writes one at a time, so the last call is what stays on disk', async () => {
    let active = 0;
    let maxActive = 0;
    const io: FileIo = {
      ...nodeFileIo,
      async write(name, handle, buffer, offset, length) {
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setImmediate(resolve));
        try {
          return await nodeFileIo.write(name, handle, buffer, offset, length);
        } finally {
          active -= 1;
        }
      },
    };

    const doc = new DurableJsonFile<Doc>(file, { ...docOptions, io });
    await Promise.all(Array.from({ length: 12 }, (_, n) => doc.write({ items: [`write ${n}`] })));

    assert.equal(maxActive, 1);
    assert.deepEqual(await doc.read(), { items: ['write 11'] });
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['doc.json', 'doc.json.bak']);
  });

  it('serialises the data when write is called, so later mutations do not reach the queued write', async () => {
    const doc = docFile(file);
    const data = { items: ['as called'] };
    const writing = doc.write(data);
    data.items.push('mutated later');
    await writing;
    assert.deepEqual(await doc.read(), { items: ['as called'] });
  });

  it('keeps writing after a failed write', async () => {
    const doc = docFile(file);
    await doc.write({ items: ['good'] });
    const prototype = await fileHandlePrototype(file);
    const sync = sinon.stub(prototype as { sync: () => Promise<void> }, 'sync').callThrough();
    sync.onFirstCall().rejects(new Error('EIO'));
    await assert.rejects(doc.write({ items: ['lost'] }), /EIO/);
    assert.deepEqual(await fsp.readdir(dir), ['doc.json'], 'no temp file is left behind');
    assert.deepEqual(await doc.read(), { items: ['good'] });
    await doc.write({ items: ['next'] });
    assert.deepEqual(await doc.read(), { items: ['next'] });
  });

  it('removes temp files left by an interrupted write when it reads', async () => {
    const doc = docFile(file);
    await doc.write({ items: ['kept'] });
    await fsp.writeFile(path.join(dir, 'doc.json.tmp-99999-abcdef'), '{"format":"test-doc","da');
    await fsp.writeFile(path.join(dir, 'other.json.tmp-99999-abcdef'), 'not ours');
    assert.deepEqual(await doc.read(), { items: ['kept'] });
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['doc.json', 'other.json.tmp-99999-abcdef']);
  });

  it('refuses to start empty when the file is missing but its backup exists', async () => {
    const doc = docFile(file);
    await doc.write({ items: ['one'] });
    await doc.write({ items: ['two'] });
    await fsp.rm(file);
    await assert.rejects(doc.read(), (error: unknown) => {
      assert.ok(isAnsvarError(error, 'StoreCorrupt'), "isAnsvarError(error, 'StoreCorrupt')");
      assert.match(error.message, /is missing but its backup/);
      assert.ok(error.message.includes(file), 'error.message.includes(file)');
      assert.ok(error.message.includes(`${file}.bak`), 'error.message.includes(`${file}.bak`)');
      return true;
    });
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['doc.json.bak']);
  });

  describe('refuses a damaged file with StoreCorrupt and leaves it byte for byte unchanged', () => {
    const envelope = (fields: Record<string, unknown>) => JSON.stringify(fields);
    const cases: Array<{ name: string; mangle: (good: string) => string; says: RegExp }> = [
      {
        name: 'a truncated file',
        mangle: (good) => good.slice(0, Math.floor(good.length / 2)),
        says: /not complete JSON/,
      },
      { name: 'an empty file', mangle: () => '', says: /is empty/ },
      { name: 'text that is not JSON', mangle: () => 'hello, register', says: /not complete JSON/ },
      { name: 'JSON without a format header', mangle: () => '[1, 2, 3]', says: /not an Ansvar data file/ },
      {
        name: 'data changed by hand (checksum mismatch)',
        mangle: (good) => good.replace('"alpha"', '"alphb"'),
        says: /does not match its checksum/,
      },
      {
        name: 'a missing checksum',
        mangle: (good) => envelope({ ...JSON.parse(good), sha256: undefined }),
        says: /does not match its checksum/,
      },
      {
        name: 'another format',
        mangle: (good) => envelope({ ...JSON.parse(good), format: 'something-else' }),
        says: /has format "something-else", expected "test-doc"/,
      },
      {
        name: 'another format version',
        mangle: (good) => envelope({ ...JSON.parse(good), formatVersion: 2 }),
        says: /format version 2; this version of Ansvar reads only version 1/,
      },
    ];

    for (const { name, mangle, says } of cases) {
      it(`refuses ${name}`, async () => {
        const doc = docFile(file);
        await doc.write({ items: ['alpha'] });
        await doc.write({ items: ['alpha', 'beta'] });
        const mangled = Buffer.from(mangle(await fsp.readFile(file, 'utf8')), 'utf8');
        await fsp.writeFile(file, mangled);

        await assert.rejects(docFile(file).read(), (error: unknown) => {
          assert.ok(isAnsvarError(error, 'StoreCorrupt'), String(error));
          assert.match(error.message, says);
          assert.ok(error.message.includes(file), 'names the file');
          assert.ok(error.message.includes(`copying ${file}.bak over it`), 'says how to recover');
          return true;
        });
        assert.deepEqual(await fsp.readFile(file), mangled);
      });
    }

    it('refuses data whose checksum matches but whose shape is wrong, and suggests a backup when there is none', async () => {
      await new DurableJsonFile(file, { format: 'test-doc', formatVersion: 1, parse: (d) => d }).write({
        items: 'no',
      });
      const before = await fsp.readFile(file);
      await assert.rejects(docFile(file).read(), (error: unknown) => {
        assert.ok(isAnsvarError(error, 'StoreCorrupt'), "isAnsvarError(error, 'StoreCorrupt')");
        assert.match(error.message, /unexpected content: items missing/);
        assert.match(error.message, /restore it from a backup/);
        return true;
      });
      assert.deepEqual(await fsp.readFile(file), before);
    });
  });
});
