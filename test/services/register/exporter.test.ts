import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { isAnsvarError } from '../../../core/errors.js';
import { csvExportPaths, exportRegister, registerToTables } from '../../../services/register/exporter.js';
import { importRegisterFiles } from '../../../services/register/importer.js';
import {
  BASE_PEOPLE,
  comparable,
  makeTempDir,
  person,
  PEOPLE_HEADER,
  ROLES_HEADER,
  system,
  SYSTEMS_HEADER,
  writeCsv,
} from './fixtures/files.js';

const NOW = new Date('2025-03-01T08:00:00.000Z');
const LATER = new Date('2025-04-01T08:00:00.000Z');

describe('exporting the register', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  /** The sample register plus history, a fixed-term role, commas, quotes and line breaks in cells. */
  async function richStore(): Promise<MemoryRegisterStore> {
    const store = new MemoryRegisterStore();
    await importRegisterFiles(store, [path.resolve('data/sample')], { now: NOW });
    const people = await writeCsv(dir, 'extra-people.csv', [
      PEOPLE_HEADER,
      person('anna', { manager: 'bo@tanum.se', title: 'Chef, "IFO"' }),
      person('bo', { aad_object_id: '0B5E2A4C-1111-4222-8333-944445555666' }),
      person('cecilia'),
      person('david'),
    ]);
    const systems = await writeCsv(dir, 'extra-systems.csv', [
      [...SYSTEMS_HEADER, 'lifecycle', 'personal_data'],
      [
        ...system('Procapita', {
          aliases: 'PCA; Vård, omsorg',
          description: 'Rad ett\nrad två',
          supplier_support: '+46 10 123 45 67',
        }),
        'phasing_out',
        'no',
      ],
    ]);
    const roles = await writeCsv(dir, 'extra-roles.csv', [
      [...ROLES_HEADER, 'valid_to'],
      ['Tanums kommun', 'it_orderer', 'bo@tanum.se', 'Socialförvaltningen; IT', '2026-06-30'],
      ['Tanums kommun', 'it_coordinator', 'cecilia@tanum.se', '', ''],
    ]);
    await importRegisterFiles(store, [people, systems, roles], { now: NOW });
    // History: the owner changes, so an ended assignment exists that the export must leave out.
    await importRegisterFiles(
      store,
      [
        await writeCsv(dir, 'owner.csv', [
          SYSTEMS_HEADER.slice(0, 5),
          system('Procapita', { owner: 'david@tanum.se' }).slice(0, 5),
        ]),
      ],
      { now: LATER },
    );
    return store;
  }

  for (const [format, file, delimiter] of [
    ['XLSX', 'register.xlsx', ','],
    ['CSV', 'register.csv', ','],
    ['semicolon CSV', 'register.csv', ';'],
  ] as const) {
    it(`round-trips through ${format} to an identical register`, async () => {
      const source = await richStore();
      const written = await exportRegister(source, path.join(dir, file), { delimiter, at: LATER });

      const copy = new MemoryRegisterStore();
      await importRegisterFiles(copy, written, { now: LATER });
      assert.deepEqual(comparable(await copy.snapshot(), LATER), comparable(await source.snapshot(), LATER));

      const again = await importRegisterFiles(source, written, { now: LATER });
      assert.equal(again.applied, false);
      assert.deepEqual(
        again.warnings.filter((w) => !w.message.startsWith('gap:')),
        [],
      );
    });
  }

  it('guards CSV cells a spreadsheet would run as formulas, and the import restores them', async () => {
    const source = new MemoryRegisterStore();
    const systems = await writeCsv(dir, 'formula.csv', [
      SYSTEMS_HEADER,
      system('Procapita', {
        description: '=HYPERLINK("https://evil.example","klicka")',
        supplier: '@leverantör',
      }),
    ]);
    const people = await writeCsv(dir, 'formula-people.csv', BASE_PEOPLE);
    await importRegisterFiles(source, [people, systems], { now: NOW });
    const written = await exportRegister(source, path.join(dir, 'guarded.csv'), { at: NOW });
    const text = await readFile(path.join(dir, 'guarded.csv'), 'utf8');
    assert.match(text, /'=HYPERLINK/);
    assert.match(text, /'@leverantör/);
    assert.doesNotMatch(text, /(^|[,\n"])=HYPERLINK/);

    const copy = new MemoryRegisterStore();
    await importRegisterFiles(copy, written, { now: NOW });
    const procapita = (await copy.snapshot()).systems.find(
      (s) => s.name === 'Procapita' && s.description?.startsWith('='),
    );
    assert.equal(procapita?.description, '=HYPERLINK("https://evil.example","klicka")');
    assert.equal(procapita?.supplier, '@leverantör');
  });

  it('writes one workbook with the four sheets in the import format', async () => {
    const file = path.join(dir, 'register.xlsx');
    await exportRegister(await richStore(), file, { at: LATER });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      ['organisations', 'systems', 'people', 'roles'],
    );
    const header = workbook.getWorksheet('systems')!.getRow(1).values as unknown[];
    assert.deepEqual(header.slice(1, 3), ['organisation', 'system']);
  });

  it('writes CSV as UTF-8 with a BOM, the systems in the named file and the other tables next to it', async () => {
    const file = path.join(dir, 'register.csv');
    const written = await exportRegister(await richStore(), file, { at: LATER });
    const paths = csvExportPaths(file);
    assert.deepEqual([...written].sort(), Object.values(paths).sort());
    assert.equal(paths.people, path.join(dir, 'register.people.csv'));
    const bytes = await readFile(paths.systems);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(bytes.toString('utf8'), /^\uFEFForganisation,system,aliases/);
  });

  it('writes only current role assignments, with the end of a fixed-term role', async () => {
    const tables = registerToTables(await (await richStore()).snapshot(), {}, LATER);
    const procapita = tables.systems.find(
      (s) => s.organisation === 'Tanums kommun' && s.system === 'Procapita',
    );
    assert.equal(procapita?.owner, 'david@tanum.se');
    const orderer = tables.roles.find((r) => r.person === 'bo@tanum.se');
    assert.deepEqual(orderer, {
      organisation: 'Tanums kommun',
      role: 'it_orderer',
      person: 'bo@tanum.se',
      units: 'Socialförvaltningen; IT',
      valid_to: '2026-06-30',
    });
  });

  it('exports the systems a person holds with all their holders, and everyone those rows name', async () => {
    const snap = await (await richStore()).snapshot();
    const tables = registerToTables(snap, { personIds: ['cecilia@tanum.se'] }, LATER);
    assert.deepEqual(
      tables.systems.map((s) => [s.system, s.owner, s.administrator, s.deputies]),
      [['Procapita', 'david@tanum.se', 'bo@tanum.se', 'cecilia@tanum.se']],
    );
    assert.deepEqual(
      tables.roles.map((r) => r.role),
      ['it_coordinator'],
    );
    assert.deepEqual(
      tables.people.map((p) => p.email),
      ['bo@tanum.se', 'cecilia@tanum.se', 'david@tanum.se'],
    );
    assert.deepEqual(
      tables.organisations.map((o) => o.organisation),
      ['Tanums kommun'],
    );
  });

  it('imports a filtered export into an empty register', async () => {
    const source = await richStore();
    const file = path.join(dir, 'anna.xlsx');
    await exportRegister(source, file, { filter: { personIds: ['anna@tanum.se'] }, at: LATER });
    const copy = new MemoryRegisterStore();
    const report = await importRegisterFiles(copy, [file], { now: LATER });
    assert.ok(report.applied, 'report.applied');
    assert.deepEqual((await copy.snapshot()).people.map((p) => p.id).sort(), [
      'anna@tanum.se',
      'bo@tanum.se',
    ]);
  });

  it('refuses a file name that is neither .xlsx nor .csv', async () => {
    await assert.rejects(
      exportRegister(new MemoryRegisterStore(), path.join(dir, 'register.json')),
      (error) => isAnsvarError(error, 'InvalidInput'),
    );
  });
});
