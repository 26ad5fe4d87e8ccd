import assert from 'node:assert/strict';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { isCurrent, LANGUAGES } from '../../../data/model.js';
import {
  COLUMNS,
  columnFor,
  FILE_KINDS,
  HEADER_WORDS,
  kindOfSheetName,
  SHEET_WORDS,
} from '../../../services/register/headers.js';
import { importRegisterFiles } from '../../../services/register/importer.js';
import {
  listExportFilter,
  listFileName,
  listToTables,
  listToWorkbook,
} from '../../../services/register/listExport.js';
import { validateTables } from '../../../services/register/rows.js';
import { RegisterView, type RegisterIndexes } from '../../../services/search/registerView.js';
import { systemListRows } from '../../../services/lists/index.js';

const NOW = new Date('2026-11-23T10:00:00.000Z');

describe('list export (a responsibility list in the import format)', () => {
  let indexes: RegisterIndexes;
  before(async () => {
    const store = new MemoryRegisterStore();
    await importRegisterFiles(store, [path.resolve('data/sample')], { now: NOW });
    indexes = await new RegisterView(store).current();
  });
  const storsjo = () => indexes.organisations.get('storsjo-kommun')!;

  describe('headers in the coordinator’s language', () => {
    for (const language of LANGUAGES) {
      it(`reads every ${language} column header and sheet name back as its column and kind`, () => {
        for (const kind of FILE_KINDS) {
          assert.equal(kindOfSheetName(SHEET_WORDS[language][kind]), kind);
          const words = HEADER_WORDS[language][kind] as Record<string, string>;
          for (const column of COLUMNS[kind]) assert.equal(columnFor(kind, words[column]!), column);
        }
      });
    }

    it('reads confirmed_at under its Swedish, Norwegian and English names, as a day or an instant', () => {
      for (const header of ['confirmed_at', 'Bekräftad', 'stadfesta', 'bekreftet', 'last confirmed'])
        assert.equal(columnFor('systems', header), 'confirmed_at');
      const { rows, problems } = validateTables([
        {
          file: 'systems.csv',
          kind: 'systems',
          columns: ['organisation', 'system', 'confirmed_at'],
          rows: [
            { row: 2, cells: { organisation: 'T', system: 'A', confirmed_at: '2026-01-15' } },
            { row: 3, cells: { organisation: 'T', system: 'B', confirmed_at: '2026-01-15T10:00:00+01:00' } },
            { row: 4, cells: { organisation: 'T', system: 'C', confirmed_at: '' } },
            { row: 5, cells: { organisation: 'T', system: 'D', confirmed_at: 'last week' } },
          ],
        },
      ]);
      assert.deepEqual(
        rows.systems.map((s) => s.confirmedAt),
        ['2026-01-15T00:00:00.000Z', '2026-01-15T09:00:00.000Z', null],
      );
      assert.deepEqual(
        problems.map((p) => [p.row, p.message]),
        [[5, 'confirmed_at: "last week" is not a date (use YYYY-MM-DD)']],
      );
    });
  });

  it('covers exactly the systems the list card shows, with every current holder, and no organisation roles', () => {
    const organisation = storsjo();
    const rows = systemListRows(indexes, organisation, 'noDeputy', undefined, NOW);
    const tables = listToTables(indexes, { list: 'noDeputy', organisation, language: 'sv' }, NOW);
    assert.ok(rows.length > 0, 'the sample has systems without a deputy');
    assert.deepEqual(tables.systems.map((s) => s.system).sort(), rows.map((r) => r.system.name).sort());
    assert.ok(
      tables.systems.every((s) => s.deputies === ''),
      'a system with a deputy is in the list of systems without one',
    );
    assert.deepEqual(tables.roles, []);
    assert.deepEqual(
      tables.organisations.map((o) => o.organisation),
      ['Storsjö kommun'],
    );
    const emails = new Set(tables.people.map((p) => p.email));
    for (const row of rows)
      for (const a of indexes.assignmentsBySystem.get(row.system.id) ?? [])
        if (isCurrent(a, NOW)) assert.ok(emails.has(a.personId), `${a.personId} is missing from people`);
  });

  it('limits a unit’s list to that unit and names the unit in the file name', () => {
    const organisation = storsjo();
    const unit = [...indexes.units.values()].find((u) => u.name === 'Vård- och omsorgsförvaltningen')!;
    const filter = listExportFilter(indexes, { list: 'all', organisation, unit }, NOW);
    assert.ok((filter.systemIds ?? []).length > 0, 'the unit has systems');
    for (const id of filter.systemIds ?? []) assert.equal(indexes.systems.get(id)?.unitId, unit.id);
    assert.equal(
      listFileName({ list: 'all', organisation, unit, language: 'sv' }, NOW),
      'Ansvar-system-vard-och-omsorgsforvaltningen-2026-11-23.xlsx',
    );
  });

  it('keeps the organisation in the file of an empty list', () => {
    const organisation = storsjo();
    const unit = { id: 'storsjo-kommun/none', organisationId: organisation.id, name: 'Ingen' };
    const tables = listToTables(indexes, { list: 'all', organisation, unit, language: 'en' }, NOW);
    assert.deepEqual(tables.systems, []);
    assert.deepEqual(
      tables.organisations.map((o) => o.language),
      ['sv'],
    );
  });

  it('names files with safe characters only, in the asker’s language', () => {
    const vestfjord = indexes.organisations.get('ikt-vestfjord')!;
    const names = [
      listFileName({ list: 'noDeputy', organisation: storsjo(), language: 'sv' }, NOW),
      listFileName({ list: 'noOwner', organisation: vestfjord, language: 'nn' }, NOW),
      listFileName(
        {
          list: 'noOwner',
          organisation: { ...vestfjord, name: '../../Æøå "Vest" fjord\\<script>' },
          language: 'nb',
        },
        NOW,
      ),
    ];
    assert.deepEqual(names, [
      'Ansvar-system-utan-ersattare-storsjo-kommun-2026-11-23.xlsx',
      'Ansvar-fagsystem-utan-eigar-ikt-vestfjord-2026-11-23.xlsx',
      'Ansvar-systemer-uten-eier-aeoa-vest-fjord-script-2026-11-23.xlsx',
    ]);
    for (const name of names) assert.match(name, /^[A-Za-z0-9-]+\.xlsx$/);
  });

  it('writes the workbook with the sheets and headers of the asker’s language', async () => {
    const organisation = storsjo();
    const file = await listToWorkbook(indexes, { list: 'noOwner', organisation, language: 'nn' }, NOW);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    assert.deepEqual(
      workbook.worksheets.map((w) => w.name),
      ['organisasjonar', 'fagsystem', 'personar', 'rollar'],
    );
    const header = (workbook.getWorksheet('fagsystem')!.getRow(1).values as unknown[]).slice(1);
    assert.deepEqual(
      header,
      COLUMNS.systems.map((c) => HEADER_WORDS.nn.systems[c]),
    );
  });
});
