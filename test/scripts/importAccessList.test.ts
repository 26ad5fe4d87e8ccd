import assert from 'node:assert/strict';
import path from 'node:path';
import { openLowReviewStore } from '../../data/lowdb/lowReviewStore.js';
import { accessListColumns } from '../../services/reviews/accessListImport.js';
import {
  BASE_PEOPLE,
  makeTempDir,
  system,
  SYSTEMS_HEADER,
  writeCsv,
} from '../services/register/fixtures/files.js';
import { runScript } from './runScript.js';

/** The access-list kind of `npm run import` (the system's own list of who has which access, for access reviews). */
describe('npm run import: access lists', () => {
  let dir: string;
  let dataDir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    dataDir = path.join(dir, 'data');
    const register = [
      await writeCsv(dir, 'people.csv', BASE_PEOPLE),
      await writeCsv(dir, 'systems.csv', [SYSTEMS_HEADER, system('Procapita')]),
    ];
    const imported = await runScript('import', register, dataDir);
    assert.equal(imported.code, 0, imported.stderr);
  });
  afterEach(() => cleanup());

  async function accessList(systemId: string) {
    const store = await openLowReviewStore(dataDir);
    try {
      return await store.accessList(systemId);
    } finally {
      await store.close();
    }
  }

  it('tells an access list by its header, in any of the four languages, from the register files', () => {
    for (const header of [
      ['organisation', 'system', 'person', 'role'],
      ['Kommun', 'System', 'Användare', 'Behörighet'],
      ['organisasjon', 'fagsystem', 'brukar', 'tilgang'],
      ['system', 'e-post', 'rolle'],
    ])
      assert.ok(accessListColumns(header), `${header.join(',')} is an access list`);
    for (const header of [
      ['organisation', 'role', 'person', 'units'],
      SYSTEMS_HEADER,
      ['organisation', 'system', 'person', 'role', 'owner'],
      ['system', 'person'],
    ])
      assert.equal(accessListColumns(header), undefined, `${header.join(',')} is no access list`);
  });

  it('imports the list for the system it names and replaces it at the next import', async () => {
    const first = await writeCsv(dir, 'procapita-users.csv', [
      ['Kommun', 'System', 'Användare', 'Behörighet'],
      ['Tanums kommun', 'Procapita', 'Anna@Tanum.se', 'Handläggare'],
      ['Tanums kommun', 'Procapita', 'david@tanum.se', 'Läsbehörighet'],
    ]);
    const result = await runScript('import', [first], dataDir);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Access lists imported:\n {2}Procapita: 2 access\(es\)/);
    assert.deepEqual((await accessList('tanums-kommun/procapita'))?.rows, [
      { personId: 'anna@tanum.se', role: 'Handläggare' },
      { personId: 'david@tanum.se', role: 'Läsbehörighet' },
    ]);

    const second = await writeCsv(dir, 'procapita-users-2.csv', [
      ['organisation', 'system', 'person', 'role'],
      ['Tanums kommun', 'Procapita', 'david@tanum.se', 'Läsbehörighet'],
    ]);
    assert.equal((await runScript('import', [second], dataDir)).code, 0);
    assert.deepEqual((await accessList('tanums-kommun/procapita'))?.rows, [
      { personId: 'david@tanum.se', role: 'Läsbehörighet' },
    ]);
  });

  it('exits 1 naming every bad row (unknown system, no e-mail, no role) and writes nothing', async () => {
    const file = await writeCsv(dir, 'bad.csv', [
      ['organisation', 'system', 'person', 'role'],
      ['Tanums kommun', 'Lifecare', 'anna@tanum.se', 'Läs'],
      ['Tanums kommun', 'Procapita', 'Anna Berg', 'Läs'],
      ['Tanums kommun', 'Procapita', 'anna@tanum.se', ''],
      ['Tanums kommun', 'Procapita', 'bo@tanum.se', 'Läs'],
    ]);
    const result = await runScript('import', [file], dataDir);
    assert.equal(result.code, 1, result.stdout);
    assert.deepEqual(
      result.stderr.split('\n').filter((l) => l.startsWith(file)),
      [
        `${file}:2: unknown system "Lifecare" in Tanums kommun`,
        `${file}:3: person: "Anna Berg" is not an e-mail address`,
        `${file}:4: role: empty`,
      ],
    );
    assert.equal(await accessList('tanums-kommun/procapita'), undefined);
  });
});
