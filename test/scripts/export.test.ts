import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openLowRegisterStore } from '../../data/lowRegisterStore.js';
import { comparable, makeTempDir } from '../services/register/fixtures/files.js';
import { runScript } from './runScript.js';

async function snapshotOf(dataDir: string) {
  const store = await openLowRegisterStore(dataDir);
  try {
    return await store.snapshot();
  } finally {
    await store.close();
  }
}

describe('npm run export', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('exits 2 for a file that is neither .xlsx nor .csv', async () => {
    const result = await runScript('export', [path.join(dir, 'register.json')], path.join(dir, 'data'));
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: npm run export/);
  });

  it('writes a workbook that imports into another data directory as the same register', async () => {
    const source = path.join(dir, 'source');
    const copy = path.join(dir, 'copy');
    const file = path.join(dir, 'register.xlsx');
    assert.equal((await runScript('import', ['data/sample'], source)).code, 0);

    const exported = await runScript('export', [file], source);
    assert.equal(exported.code, 0, exported.stderr);
    assert.ok(existsSync(file), 'existsSync(file)');
    assert.match(exported.stdout, /npm run import -- .*register\.xlsx/);

    const imported = await runScript('import', [file], copy);
    assert.equal(imported.code, 0, imported.stderr);
    const now = new Date();
    assert.deepEqual(comparable(await snapshotOf(copy), now), comparable(await snapshotOf(source), now));
  });
});
