import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
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

  it('exports while the bot holds the register (no lock taken) into a folder that does not exist yet', async () => {
    const data = path.join(dir, 'data');
    assert.equal((await runScript('import', ['data/sample'], data)).code, 0);
    const running = await openLowRegisterStore(data);
    try {
      const file = path.join(dir, 'new', 'folder', 'register.xlsx');
      const exported = await runScript('export', [file], data);
      assert.equal(exported.code, 0, exported.stderr);
      assert.ok(existsSync(file), 'the folder was created and the file written');

      const dry = await runScript('import', ['--dry-run', '--json', file], data);
      assert.equal(dry.code, 0, dry.stderr);
      const report = JSON.parse(dry.stdout) as { dryRun: boolean; changes: { systems: unknown[] } };
      assert.equal(report.dryRun, true);
      assert.deepEqual(report.changes.systems, [], 'an export imports as no change');
    } finally {
      await running.close();
    }
  });
});
