import assert from 'node:assert/strict';
import path from 'node:path';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import {
  BASE_PEOPLE,
  makeTempDir,
  system,
  SYSTEMS_HEADER,
  writeCsv,
} from '../services/register/fixtures/files.js';
import { runScript } from './runScript.js';

async function revisionOf(dataDir: string): Promise<number> {
  const store = await openLowRegisterStore(dataDir);
  try {
    return await store.revision();
  } finally {
    await store.close();
  }
}

describe('npm run import', () => {
  let dir: string;
  let dataDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    dataDir = path.join(dir, 'data');
  });
  afterEach(() => cleanup());

  it('exits 2 with the usage when no file is given', async () => {
    const result = await runScript('import', [], dataDir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: npm run import -- FILE\.\.\. \[--dry-run\]/);
  });

  it('exits 1 listing FILE:ROW: reason for every problem, and writes nothing', async () => {
    const people = await writeCsv(dir, 'people.csv', BASE_PEOPLE);
    const systems = await writeCsv(dir, 'systems.csv', [
      SYSTEMS_HEADER,
      system('Procapita', { owner: 'ghost@tanum.se' }),
      system('Lifecare', { deputies: 'anna@@tanum.se' }),
    ]);
    const result = await runScript('import', [people, systems], dataDir);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr
        .split('\n')
        .filter((l) => l.startsWith(systems))
        .join('\n'),
      [
        `${systems}:2: owner: unknown person ghost@tanum.se (in no people table and not in the register)`,
        `${systems}:3: deputies: "anna@@tanum.se" is not a valid e-mail address`,
      ].join('\n'),
    );
    assert.equal(await revisionOf(dataDir), 0);
  });

  it('prints the plan in a dry run and writes nothing, then imports, then finds nothing to change', async () => {
    const files = [
      await writeCsv(dir, 'people.csv', BASE_PEOPLE),
      await writeCsv(dir, 'systems.csv', [SYSTEMS_HEADER, system('Procapita', { deputies: '' })]),
    ];
    const dry = await runScript('import', [...files, '--dry-run'], dataDir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run: nothing was written/);
    assert.match(dry.stdout, /systems\s+1\s+0\s+0\s+0/);
    assert.match(dry.stdout, /gap: Procapita \(Tanums kommun\) has no deputy/);
    assert.equal(await revisionOf(dataDir), 0);

    const real = await runScript('import', files, dataDir);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /revision 1/);
    assert.equal(await revisionOf(dataDir), 1);

    const again = await runScript('import', files, dataDir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /No changes/);
    assert.equal(await revisionOf(dataDir), 1);
  });
});
