import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import { isCurrent, LANGUAGES, type Register, type RoleAssignment } from '../../../data/model.js';
import { registerToWorkbook } from '../../../services/register/exporter.js';
import { HEADER_WORDS, SHEET_WORDS } from '../../../services/register/headers.js';
import { importRegisterFiles } from '../../../services/register/importer.js';
import { listExportFilter, listToWorkbook } from '../../../services/register/listExport.js';
import { RegisterView } from '../../../services/search/registerView.js';
import { makeTempDir, writeCsv } from './fixtures/files.js';

/**
 * Export → import gives the same register: the whole sample register and a responsibility list, as XLSX in each
 * of the four header languages, imported into an empty store at the same moment as the original, so even the
 * assignments' validFrom must agree. Compared: organisations, units, people, systems (aliases, unit, supplier,
 * lifecycle, personal data, confirmedAt, riskAnalysisAt) and every current assignment (holder, validFrom, validTo, it_orderer
 * unit lists); only assignment ids are new.
 */

const NOW = new Date('2026-03-02T08:00:00.000Z');
const STORSJO = 'storsjo-kommun';

/** The sample register, plus a confirmed entry (through the Swedish header) and a fixed-term role. */
async function sampleStore(dir: string): Promise<MemoryRegisterStore> {
  const store = new MemoryRegisterStore();
  await importRegisterFiles(store, [path.resolve('data/sample')], { now: NOW });
  const confirmed = await writeCsv(dir, 'confirmed.csv', [
    ['organisation', 'system', 'bekräftad', 'riskanalys'],
    ['Storsjö kommun', 'Raindance', '2026-01-15', '2025-09-10'],
    ['Storsjö kommun', 'Procapita', '2025-11-03T09:30:00+01:00', ''],
  ]);
  const roles = await writeCsv(dir, 'fixed-term.csv', [
    ['organisation', 'role', 'person', 'units', 'valid_to'],
    [
      'Storsjö kommun',
      'it_orderer',
      'mona.jansson@storsjo.example',
      'Vård- och omsorgsförvaltningen',
      '2026-12-31',
    ],
  ]);
  await importRegisterFiles(store, [confirmed, roles], { now: NOW });
  return store;
}

/** The register with assignments keyed by what they mean (ids are new in a copy); lists sorted. */
function meaning(register: Register, keep: (a: RoleAssignment) => boolean = () => true) {
  const byId = <T extends { id: string }>(list: readonly T[]) =>
    [...list].sort((a, b) => a.id.localeCompare(b.id));
  return {
    organisations: byId(register.organisations),
    units: byId(register.units),
    people: byId(register.people),
    systems: byId(register.systems),
    roleAssignments: register.roleAssignments
      .filter((a) => isCurrent(a, NOW) && keep(a))
      .map(({ id: _id, ...a }) => ({ ...a, unitIds: a.unitIds ? [...a.unitIds].sort() : undefined }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

async function importInto(store: MemoryRegisterStore, file: string): Promise<void> {
  const report = await importRegisterFiles(store, [file], { now: NOW });
  assert.ok(report.applied, `the import of ${file} wrote nothing`);
}

describe('export → import round trip (XLSX)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let source: MemoryRegisterStore;
  beforeEach(async () => {
    ({ dir, cleanup } = await makeTempDir());
    source = await sampleStore(dir);
  });
  afterEach(() => cleanup());

  it('the sample register carries what the comparison must catch', async () => {
    const register = await source.snapshot();
    const raindance = register.systems.find((s) => s.id === `${STORSJO}/raindance`);
    assert.equal(raindance?.confirmedAt, '2026-01-15T00:00:00.000Z');
    assert.equal(raindance?.riskAnalysisAt, '2025-09-10T00:00:00.000Z');
    const procapita = register.systems.find((s) => s.id === `${STORSJO}/procapita`);
    assert.equal(procapita?.confirmedAt, '2025-11-03T08:30:00.000Z');
    const current = register.roleAssignments.filter((a) => isCurrent(a, NOW));
    assert.ok(
      current.some((a) => a.role === 'it_orderer' && (a.unitIds?.length ?? 0) > 1),
      'no IT orderer with several units',
    );
    assert.ok(
      current.some((a) => a.validTo === '2026-12-31T00:00:00.000Z'),
      'no fixed-term role',
    );
    assert.ok(
      register.systems.some((s) => s.aliases.length > 1),
      'no system with several aliases',
    );
  });

  for (const language of LANGUAGES) {
    it(`gives an identical register through a whole-register workbook with ${language} headers`, async () => {
      const file = path.join(dir, `register-${language}.xlsx`);
      await writeFile(file, await registerToWorkbook(await source.snapshot(), undefined, NOW, language));
      const copy = new MemoryRegisterStore();
      await importInto(copy, file);
      assert.deepEqual(meaning(await copy.snapshot()), meaning(await source.snapshot()));
    });
  }

  for (const language of LANGUAGES) {
    it(`gives the list's part of the register through a list workbook with ${language} headers`, async () => {
      const indexes = await new RegisterView(source).current();
      const organisation = indexes.organisations.get(STORSJO)!;
      const request = { list: 'noDeputy', organisation, language } as const;
      const file = path.join(dir, `list-${language}.xlsx`);
      await writeFile(file, await listToWorkbook(indexes, request, NOW));

      const copy = new MemoryRegisterStore();
      await importInto(copy, file);
      const got = meaning(await copy.snapshot());
      const systemIds = new Set(listExportFilter(indexes, request, NOW).systemIds);
      assert.ok(systemIds.size > 0, 'the sample has systems without a deputy');
      const want = meaning(indexes.register, (a) => a.systemId !== undefined && systemIds.has(a.systemId));
      assert.deepEqual(
        got.systems,
        want.systems.filter((s) => systemIds.has(s.id)),
      );
      assert.deepEqual(got.roleAssignments, want.roleAssignments);
      assert.deepEqual(got.organisations, [organisation]);
      const unitIds = new Set(got.systems.flatMap((s) => (s.unitId ? [s.unitId] : [])));
      assert.deepEqual(
        got.units,
        want.units.filter((u) => unitIds.has(u.id)),
      );
      const peopleById = new Map(want.people.map((p) => [p.id, p]));
      for (const p of got.people) assert.deepEqual(p, peopleById.get(p.id));
      for (const a of got.roleAssignments)
        assert.ok(
          got.people.some((p) => p.id === a.personId),
          `${a.personId} holds a role but is not in the file`,
        );
    });
  }

  it('re-importing a list file into the register it came from changes nothing', async () => {
    const indexes = await new RegisterView(source).current();
    const organisation = indexes.organisations.get(STORSJO)!;
    const file = path.join(dir, 'list.xlsx');
    await writeFile(file, await listToWorkbook(indexes, { list: 'all', organisation, language: 'sv' }, NOW));
    const before = await source.revision();
    const report = await importRegisterFiles(source, [file], { now: NOW });
    assert.equal(report.applied, false);
    assert.equal(await source.revision(), before);
  });

  it('an edited list file imports as the edit: a deputy added in Nynorsk fills the gap', async () => {
    const indexes = await new RegisterView(source).current();
    const organisation = indexes.organisations.get(STORSJO)!;
    const file = path.join(dir, 'storsjo-nn.xlsx');
    const request = { list: 'noDeputy', organisation, language: 'nn' } as const;
    await writeFile(file, await listToWorkbook(indexes, request, NOW));
    const [gapId] = listExportFilter(indexes, request, NOW).systemIds ?? [];
    assert.ok(gapId, 'Storsjö kommun has a system without a deputy in the sample');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet(SHEET_WORDS.nn.systems)!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const column = header.indexOf(HEADER_WORDS.nn.systems.deputies);
    const nameColumn = header.indexOf(HEADER_WORDS.nn.systems.system);
    const gapName = indexes.systems.get(gapId)!.name;
    let edited = false;
    sheet.eachRow((row, n) => {
      if (n > 1 && row.getCell(nameColumn).text === gapName) {
        row.getCell(column).value = 'josefin.hakansson@storsjo.example';
        edited = true;
      }
    });
    assert.ok(edited, `no row for ${gapName}`);
    await workbook.xlsx.writeFile(file);

    const later = new Date(NOW.getTime() + 60_000);
    await importRegisterFiles(source, [file], { now: later });
    const deputies = (await source.snapshot()).roleAssignments.filter(
      (a) => a.systemId === gapId && a.role === 'deputy' && isCurrent(a, later),
    );
    assert.deepEqual(
      deputies.map((a) => a.personId),
      ['josefin.hakansson@storsjo.example'],
    );
  });
});
