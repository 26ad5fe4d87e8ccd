import assert from 'node:assert/strict';
import path from 'node:path';
import { MemoryRegisterStore } from '../../../data/memory/memoryRegisterStore.js';
import type { RegisterChanges } from '../../../data/model.js';
import { isAnsvarError } from '../../../core/errors.js';
import {
  formatImportReport,
  importRegisterFiles,
  loadSampleRegister,
  type ImportProblem,
} from '../../../services/register/importer.js';
import { formatProblem } from '../../../services/register/problems.js';
import {
  BASE_PEOPLE,
  makeTempDir,
  person,
  PEOPLE_HEADER,
  ROLES_HEADER,
  system,
  SYSTEMS_HEADER,
  writeCsv,
  writeWorkbook,
} from './fixtures/files.js';

const NOW = new Date('2025-03-01T08:00:00.000Z');
const LATER = new Date('2025-04-01T08:00:00.000Z');

/** A memory store that counts the change sets it is asked to write. */
class CountingStore extends MemoryRegisterStore {
  applied = 0;
  override async apply(changes: RegisterChanges, expectedRevision: number): Promise<number> {
    this.applied += 1;
    return super.apply(changes, expectedRevision);
  }
}

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  let problems: ImportProblem[] = [];
  await assert.rejects(promise, (error) => {
    assert.ok(isAnsvarError(error, 'ImportInvalid'), "isAnsvarError(error, 'ImportInvalid')");
    problems = error.details as ImportProblem[];
    return true;
  });
  return problems.map(formatProblem);
}

describe('importing register files', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
  afterEach(() => cleanup());

  it('imports people and systems from several CSV files in one change set', async () => {
    const people = await writeCsv(dir, 'people.csv', BASE_PEOPLE);
    const systems = await writeCsv(dir, 'systems.csv', [
      SYSTEMS_HEADER,
      system('Procapita'),
      system('Lifecare'),
    ]);
    const store = new CountingStore();
    const report = await importRegisterFiles(store, [systems, people], { now: NOW });
    const snap = await store.snapshot();
    assert.equal(store.applied, 1);
    assert.equal(report.revision, 1);
    assert.deepEqual(
      snap.systems.map((s) => s.id),
      ['tanums-kommun/procapita', 'tanums-kommun/lifecare'],
    );
    assert.deepEqual(report.counts.roleAssignments, { added: 6, changed: 0, ended: 0, unchanged: 0 });
    assert.deepEqual(snap.units, [
      {
        id: 'tanums-kommun/socialforvaltningen',
        organisationId: 'tanums-kommun',
        name: 'Socialförvaltningen',
      },
    ]);
  });

  it('changes nothing and writes nothing when the same files are imported again', async () => {
    const files = [
      await writeCsv(dir, 'people.csv', BASE_PEOPLE),
      await writeCsv(dir, 'systems.csv', [SYSTEMS_HEADER, system('Procapita')]),
    ];
    const store = new CountingStore();
    await importRegisterFiles(store, files, { now: NOW });
    const before = await store.snapshot();
    const report = await importRegisterFiles(store, files, { now: LATER });
    assert.equal(store.applied, 1);
    assert.equal(report.applied, false);
    assert.deepEqual(await store.snapshot(), before);
    assert.match(formatImportReport(report), /No changes/);
  });

  it('ends the assignment of a replaced owner at import time and keeps it as history', async () => {
    const people = await writeCsv(dir, 'people.csv', BASE_PEOPLE);
    const store = new MemoryRegisterStore();
    await importRegisterFiles(
      store,
      [people, await writeCsv(dir, 's1.csv', [SYSTEMS_HEADER, system('Procapita')])],
      {
        now: NOW,
      },
    );
    const changed = await writeCsv(dir, 's2.csv', [
      SYSTEMS_HEADER,
      system('Procapita', { owner: 'david@tanum.se' }),
    ]);
    const report = await importRegisterFiles(store, [changed], { now: LATER });
    const owners = (await store.snapshot()).roleAssignments.filter((a) => a.role === 'owner');
    assert.deepEqual(
      owners.map((a) => [a.personId, a.validFrom, a.validTo]),
      [
        ['anna@tanum.se', NOW.toISOString(), LATER.toISOString()],
        ['david@tanum.se', LATER.toISOString(), undefined],
      ],
    );
    assert.deepEqual(report.counts.roleAssignments, { added: 1, changed: 0, ended: 1, unchanged: 2 });
  });

  it('writes nothing when any row is invalid and lists every problem with file and row', async () => {
    const people = await writeCsv(dir, 'people.csv', [
      PEOPLE_HEADER,
      person('anna'),
      person('bo', { email: 'bo(at)tanum.se' }),
      person('cecilia', { aad_object_id: 'not-a-guid' }),
      person('david'),
    ]);
    const systems = await writeCsv(dir, 'systems.csv', [
      SYSTEMS_HEADER,
      system('Procapita', { administrator: 'david@tanum.se', deputies: 'cecilia@tanum.se' }),
      system('Lifecare', { owner: 'nobody@tanum.se', administrator: 'david@tanum.se' }),
      system('procapita', { administrator: 'david@tanum.se' }),
    ]);
    const roles = await writeCsv(dir, 'roles.csv', [
      ROLES_HEADER,
      ['Tanums kommun', 'kaffeansvarig', 'anna@tanum.se', ''],
    ]);
    const organisations = await writeCsv(dir, 'orgs.csv', [
      ['organisation', 'language'],
      ['Tanums kommun', 'sw'],
    ]);
    const store = new CountingStore();

    const problems = await problemsOf(
      importRegisterFiles(store, [people, systems, roles, organisations], { now: NOW }),
    );

    assert.deepEqual(problems, [
      `${people}:3: email: "bo(at)tanum.se" is not a valid e-mail address`,
      `${people}:4: aad_object_id: "not-a-guid" is not a GUID`,
      `${systems}:3: owner: unknown person nobody@tanum.se (in no people table and not in the register)`,
      `${systems}:4: system "procapita" of Tanums kommun is listed twice (also ${systems}:2)`,
      `${roles}:2: role: unknown role "kaffeansvarig" (use one of: it_coordinator, it_orderer, security_officer, data_protection_officer, it_manager, it_unit)`,
      `${organisations}:2: language: unknown language "sw" (use sv, nn, nb or en)`,
    ]);
    assert.equal(store.applied, 0);
    assert.equal(await store.revision(), 0);
  });

  it('reports files it cannot read without importing the others', async () => {
    const people = await writeCsv(dir, 'people.csv', BASE_PEOPLE);
    const store = new CountingStore();
    const missing = path.join(dir, 'missing.csv');
    const problems = await problemsOf(importRegisterFiles(store, [people, missing]));
    assert.deepEqual(problems, [
      `${missing}: no such file: check the name and the folder (run the command in the folder that holds the file, or give its full path)`,
    ]);
    assert.equal(store.applied, 0);
  });

  it('refers to people stored by an earlier import', async () => {
    const store = new MemoryRegisterStore();
    await importRegisterFiles(store, [await writeCsv(dir, 'people.csv', BASE_PEOPLE)], { now: NOW });
    await importRegisterFiles(
      store,
      [await writeCsv(dir, 'systems.csv', [SYSTEMS_HEADER, system('Procapita')])],
      {
        now: NOW,
      },
    );
    assert.equal((await store.snapshot()).roleAssignments.length, 3);
  });

  it('plans and reports in a dry run but writes nothing', async () => {
    const files = [
      await writeCsv(dir, 'people.csv', BASE_PEOPLE),
      await writeCsv(dir, 'systems.csv', [SYSTEMS_HEADER, system('Procapita', { deputies: '' })]),
    ];
    const store = new CountingStore();
    const report = await importRegisterFiles(store, files, { dryRun: true, now: NOW });
    assert.equal(store.applied, 0);
    assert.equal((await store.snapshot()).systems.length, 0);
    assert.equal(report.counts.systems.added, 1);
    const text = formatImportReport(report);
    assert.match(text, /Dry run: nothing was written/);
    assert.match(text, /systems\.csv:2: gap: Procapita \(Tanums kommun\) has no deputy/);
  });

  it('plans once more against the new register when another writer got there first', async () => {
    /** Before its next write, another writer changes the supplier of the first system. */
    class RacingStore extends MemoryRegisterStore {
      raced = true;
      override async apply(changes: RegisterChanges, expectedRevision: number): Promise<number> {
        if (!this.raced) {
          this.raced = true;
          const snap = await this.snapshot();
          await super.apply({ systems: [{ ...snap.systems[0]!, supplier: 'Tieto' }] }, snap.revision);
        }
        return super.apply(changes, expectedRevision);
      }
    }
    const people = await writeCsv(dir, 'people.csv', BASE_PEOPLE);
    const store = new RacingStore();
    await importRegisterFiles(
      store,
      [people, await writeCsv(dir, 's.csv', [SYSTEMS_HEADER, system('Procapita')])],
      {
        now: NOW,
      },
    );
    store.raced = false;
    const next = await writeCsv(dir, 's2.csv', [
      ['organisation', 'system', 'description'],
      ['Tanums kommun', 'Procapita', 'Vård och omsorg'],
    ]);
    const report = await importRegisterFiles(store, [next], { now: LATER });
    const [procapita] = (await store.snapshot()).systems;
    assert.equal(report.revision, 3);
    assert.equal(procapita?.supplier, 'Tieto');
    assert.equal(procapita?.description, 'Vård och omsorg');
  });

  it('imports a workbook with Swedish headers and sheet names', async () => {
    const file = await writeWorkbook(dir, 'register.xlsx', {
      Personer: [
        ['E-post', 'Namn', 'Titel', 'Kommun'],
        ['anna@tanum.se', 'Anna Berg', 'Socialchef', 'Tanums kommun'],
        ['bo@tanum.se', 'Bo Ek', 'Handläggare', 'Tanums kommun'],
      ],
      System: [
        [
          'Kommun',
          'Verksamhetssystem',
          'Förkortning',
          'Förvaltning',
          'Systemägare',
          'Systemförvaltare',
          'Ersättare',
        ],
        ['Tanums kommun', 'Procapita', 'PCA; IFO', 'Socialförvaltningen', 'anna@tanum.se', 'bo@tanum.se', ''],
      ],
      Roller: [
        ['Kommun', 'Roll', 'Person', 'Enheter'],
        ['Tanums kommun', 'IT-beställare', 'bo@tanum.se', 'Socialförvaltningen; Kommunstyrelseförvaltningen'],
      ],
    });
    const store = new MemoryRegisterStore();
    const report = await importRegisterFiles(store, [file], { now: NOW });
    const snap = await store.snapshot();
    assert.deepEqual(snap.systems[0]?.aliases, ['PCA', 'IFO']);
    assert.deepEqual(snap.organisations, [{ id: 'tanums-kommun', name: 'Tanums kommun', language: 'sv' }]);
    const orderer = snap.roleAssignments.find((a) => a.role === 'it_orderer');
    assert.deepEqual(orderer?.unitIds, [
      'tanums-kommun/socialforvaltningen',
      'tanums-kommun/kommunstyrelseforvaltningen',
    ]);
    assert.deepEqual(report.warnings.map(formatProblem), [
      `${file}#Personer:2: organisation "Tanums kommun" is new and gets language sv; set it in an organisations table`,
      `${file}#System:2: gap: Procapita (Tanums kommun) has no deputy`,
    ]);
  });

  describe('the sample register', () => {
    const sampleDir = path.resolve('data/sample');
    it('imports without errors into an empty store, and a second import changes nothing', async () => {
      const store = new CountingStore();
      const first = await loadSampleRegister(store, sampleDir);
      assert.equal(first.applied, true);
      assert.ok(first.counts.systems.added > 0, 'first.counts.systems.added > 0');
      assert.ok(first.counts.roleAssignments.added > 0, 'first.counts.roleAssignments.added > 0');
      const second = await loadSampleRegister(store, sampleDir);
      assert.equal(second.applied, false);
      assert.equal(store.applied, 1);
      assert.equal(second.counts.systems.unchanged, first.counts.systems.added);
    });
  });
});
