import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { importRegisterFiles } from '../../services/register/importer.js';
import { openLowRegisterStore } from '../../data/lowdb/lowRegisterStore.js';
import { runScriptWith } from './runScript.js';

/**
 * Every command reads its configuration as `npm start` does (services/infrastructure/config.ts `loadConfiguration`): the env file
 * (ANSVAR_ENV_FILE, default ./.env) fills in what the environment does not set. Here the data directory is named only
 * in the env file, so a command that ignored it would use ./.ansvar and not find this register.
 */

async function run(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  const { code, stdout, stderr } = await runScriptWith(script, args, env, 60_000);
  return { code, out: stdout + stderr };
}

describe('the commands read the env file as npm start does', function () {
  this.timeout(120_000);
  let dir: string;
  let dataDir: string;
  let envFile: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ansvar-envfile-'));
    dataDir = path.join(dir, 'from-env-file');
    envFile = path.join(dir, 'ansvar.env');
    await fs.writeFile(envFile, `# as a coordinator writes it\nANSVAR_DATA_DIR=${dataDir}\nLOG_LEVEL=warn\n`);
    const csv = path.join(dir, 'systems.csv');
    await fs.writeFile(
      csv,
      'organisation,system,owner,administrator,deputies\nTuna kommun,Raindance,karin.holm@tuna.se,bo.ek@tuna.se,lisa.ny@tuna.se\n',
    );
    const people = path.join(dir, 'people.csv');
    await fs.writeFile(
      people,
      'email,name\nkarin.holm@tuna.se,Karin Holm\nbo.ek@tuna.se,Bo Ek\nlisa.ny@tuna.se,Lisa Ny\n',
    );
    const store = await openLowRegisterStore(dataDir);
    try {
      await importRegisterFiles(store, [csv, people]);
    } finally {
      await store.close();
    }
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('export writes the register of the data directory the env file names', async () => {
    const out = path.join(dir, 'out.xlsx');
    const result = await run('export', [out], { ANSVAR_ENV_FILE: envFile });
    assert.equal(result.code, 0, result.out);
    assert.ok(result.out.includes(dataDir), `export names ${dataDir}: ${result.out}`);
  });

  it('a dry-run import reads the register of that directory', async () => {
    const csv = path.join(dir, 'again.csv');
    await fs.writeFile(
      csv,
      'organisation,system,owner,administrator,deputies\nTuna kommun,Raindance,karin.holm@tuna.se,bo.ek@tuna.se,lisa.ny@tuna.se\n',
    );
    const result = await run('import', ['--dry-run', csv], { ANSVAR_ENV_FILE: envFile });
    assert.equal(result.code, 0, result.out);
    assert.ok(result.out.includes(`Register: ${dataDir}`), result.out);
    assert.match(result.out, /No changes/);
  });

  it('audit --check checks that directory, and a variable set in the environment wins over the file', async () => {
    const checked = await run('audit', ['--check'], { ANSVAR_ENV_FILE: envFile });
    assert.equal(checked.code, 0, checked.out);
    const other = path.join(dir, 'from-environment');
    const exported = await run('export', [path.join(dir, 'other.xlsx')], {
      ANSVAR_ENV_FILE: envFile,
      ANSVAR_DATA_DIR: other,
    });
    assert.ok(exported.out.includes(other), exported.out);
  });

  it('migrate reads DATABASE_URL from the env file (and says so when none is set)', async () => {
    const none = await run('migrate', [], { ANSVAR_ENV_FILE: envFile });
    assert.equal(none.code, 2, none.out);
    assert.match(none.out, /No PostgreSQL is configured/);
    const bad = path.join(dir, 'bad.env');
    await fs.writeFile(bad, 'DATABASE_URL=mysql://nope\n');
    const refused = await run('migrate', [], { ANSVAR_ENV_FILE: bad });
    assert.equal(refused.code, 2, refused.out);
    assert.match(refused.out, /DATABASE_URL: must be a postgres/);
  });
});
