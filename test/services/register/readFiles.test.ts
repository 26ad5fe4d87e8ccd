import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readRegisterFile } from '../../../services/register/readFiles.js';
import { makeTempDir, writeCsv, writeWorkbook } from './fixtures/files.js';

describe('reading register files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('reads a comma-separated CSV with quoted fields and counts rows as a spreadsheet does', async () => {
    const file = path.join(dir, 'systems.csv');
    await writeFile(
      file,
      'organisation,system,aliases,description\n' +
        'Tanums kommun,Procapita,"PCA;IFO","Första raden\nandra raden, med komma"\n' +
        '\n' +
        'Tanums kommun,Lifecare,,\n',
    );
    const result = await readRegisterFile(file);
    assert.deepEqual(result.problems, []);
    const [table] = result.tables;
    assert.equal(table?.kind, 'systems');
    assert.deepEqual(
      table?.rows.map((r) => r.row),
      [2, 4],
    );
    assert.deepEqual(table?.rows[0]?.cells, {
      organisation: 'Tanums kommun',
      system: 'Procapita',
      aliases: 'PCA;IFO',
      description: 'Första raden\nandra raden, med komma',
    });
  });

  it('detects a semicolon delimiter from the header row and strips a UTF-8 BOM', async () => {
    const file = await writeCsv(
      dir,
      'system.csv',
      [
        ['Kommun', 'Verksamhetssystem', 'Systemägare', 'Beskrivning'],
        ['Tanums kommun', 'Procapita', 'anna@tanum.se', 'Vård, omsorg'],
      ],
      { delimiter: ';', bom: true },
    );
    const [table] = (await readRegisterFile(file)).tables;
    assert.equal(table?.kind, 'systems');
    assert.deepEqual(table?.columns, ['organisation', 'system', 'owner', 'description']);
    assert.deepEqual(table?.rows[0]?.cells, {
      organisation: 'Tanums kommun',
      system: 'Procapita',
      owner: 'anna@tanum.se',
      description: 'Vård, omsorg',
    });
  });

  it('honours an Excel "sep=;" line', async () => {
    const file = path.join(dir, 'people.csv');
    await writeFile(file, 'sep=;\r\nemail;name\r\nanna@tanum.se;Berg, Anna\r\n');
    const [table] = (await readRegisterFile(file)).tables;
    assert.equal(table?.kind, 'people');
    assert.deepEqual(table?.rows, [{ row: 2, cells: { email: 'anna@tanum.se', name: 'Berg, Anna' } }]);
  });

  it('refuses a CSV that is not UTF-8 instead of garbling å, ä and ö', async () => {
    const file = path.join(dir, 'people.csv');
    await writeFile(file, Buffer.from('email,name\nanna@tanum.se,Åsa Öberg\n', 'latin1'));
    const result = await readRegisterFile(file);
    assert.deepEqual(result.tables, []);
    assert.match(result.problems[0]?.message ?? '', /not UTF-8/);
  });

  it('reports a table whose kind cannot be told', async () => {
    const unknown = await writeCsv(dir, 'a.csv', [
      ['foo', 'bar'],
      ['1', '2'],
    ]);
    const result = await readRegisterFile(unknown);
    assert.deepEqual(
      result.problems.map((p) => [p.file, p.row]),
      [[unknown, 1]],
    );
    assert.equal(result.peopleIncomplete, true, 'a table of unknown kind may have held people');
  });

  it('reads the sheets of a workbook by name, skipping a sheet it cannot place with a warning and instructions without', async () => {
    const file = await writeWorkbook(dir, 'register.xlsx', {
      Instruktioner: [['Fyll i flikarna nedan']],
      Anteckningar: [['Att göra']],
      systems: [
        ['organisation', 'system', 'owner'],
        ['Tanums kommun', 'Procapita', { text: 'anna@tanum.se', hyperlink: 'mailto:anna@tanum.se' }],
        [],
        ['Tanums kommun', { richText: [{ text: 'Life' }, { text: 'care' }] }, ''],
      ],
      Blad3: [
        ['organisation', 'role', 'person', 'valid_to'],
        ['Tanums kommun', 'it_orderer', 'bo@tanum.se', new Date(Date.UTC(2025, 5, 30))],
      ],
    });
    const result = await readRegisterFile(file);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.warnings.map((w) => [w.sheet, w.row]),
      [['Anteckningar', 1]],
    );
    const systems = result.tables.find((t) => t.kind === 'systems');
    assert.deepEqual(systems?.rows, [
      { row: 2, cells: { organisation: 'Tanums kommun', system: 'Procapita', owner: 'anna@tanum.se' } },
      { row: 4, cells: { organisation: 'Tanums kommun', system: 'Lifecare', owner: '' } },
    ]);
    const roles = result.tables.find((t) => t.kind === 'roles');
    assert.equal(roles?.sheet, 'Blad3');
    assert.equal((roles?.rows[0]?.cells as Record<string, string>).valid_to, '2025-06-30');
  });

  it('refuses a file that is not a workbook although named .xlsx, and unknown file types', async () => {
    const fake = path.join(dir, 'register.xlsx');
    await writeFile(fake, 'not a zip');
    assert.match((await readRegisterFile(fake)).problems[0]?.message ?? '', /not a readable XLSX/);
    assert.match(
      (await readRegisterFile(path.join(dir, 'a.json'))).problems[0]?.message ?? '',
      /cannot read \.json files: save the register as \.xlsx \(Excel\) or \.csv/,
    );
  });
});
