import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../../bot/app.js';
import { makeTempDir } from './fixtures/files.js';

const run = promisify(execFile);

/**
 * exceljs takes most of a second to import, so the bot must start without it: it is loaded only when a workbook
 * is read or written. Checked in a fresh process, because this test process has long since loaded it.
 */
async function exceljsLoadedAfter(script: string): Promise<boolean> {
  const probe = `
    import { createRequire } from 'node:module';
    ${script}
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/exceljs/'));
    process.stdout.write(JSON.stringify({ loaded }));
  `;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], {
    cwd: projectRoot(),
  });
  return (JSON.parse(stdout) as { loaded: boolean }).loaded;
}

describe('loading exceljs', () => {
  it('starts the app, importer and exporter without loading exceljs', async () => {
    const loaded = await exceljsLoadedAfter(`
      await import('./bot/app.ts');
      await import('./services/register/importer.ts');
      await import('./services/register/exporter.ts');
    `);
    assert.equal(loaded, false);
  });

  // The control: the probe does see exceljs once it is loaded, so the test above can fail.
  it('loads exceljs when a workbook is read', async () => {
    const { dir, cleanup } = await makeTempDir();
    try {
      const file = path.join(dir, 'register.xlsx');
      await writeFile(file, 'not a workbook');
      const loaded = await exceljsLoadedAfter(`
        const { readRegisterFile } = await import('./services/register/readFiles.ts');
        const result = await readRegisterFile(${JSON.stringify(file)});
        if (result.problems.length !== 1) throw new Error('the workbook was not read');
      `);
      assert.equal(loaded, true);
    } finally {
      await cleanup();
    }
  });
});
